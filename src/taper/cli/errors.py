"""The one error the CLI turns into exit status 2 and a single line on standard error."""


class UsageError(Exception):
    """Bad input: the message names the field and what would be accepted."""
