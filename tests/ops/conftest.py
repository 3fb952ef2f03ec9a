"""Operations tests reuse the web cast (tests/web/conftest.py), and its rule that a test's
`force_login` stands for the whole login, second factor included."""

from tests.web.conftest import (  # noqa: F401  (the fixtures, by import)
    Cast,
    _force_login_passes_the_second_factor,
    cast,
)
