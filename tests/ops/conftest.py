"""Operations tests reuse the web cast (tests/web/conftest.py)."""

from tests.web.conftest import Cast, cast  # noqa: F401  (the fixture, by import)
