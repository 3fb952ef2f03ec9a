"""One error type for any bad document: its text is "field.path: what is accepted"."""


class ContractError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message
