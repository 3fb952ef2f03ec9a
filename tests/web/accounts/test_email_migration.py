"""The data migration that lower-cases stored addresses (clinic 0007_ident_email_lowercase)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from taper.web.clinic.models import User
from tests.web.conftest import Cast

migration = importlib.import_module("taper.web.clinic.migrations.0007_ident_email_lowercase")


class _Rows:
    """A fake User model over a list of (pk, email): rows the constraint would now refuse."""

    def __init__(self, rows: list[tuple[int, str]]) -> None:
        self.rows = rows
        self.objects = self

    def values_list(self, *fields: str) -> list[tuple[int, str]]:
        return list(self.rows)

    def filter(self, **kwargs: Any) -> Any:
        raise AssertionError("nothing may change when addresses clash")


class _Apps:
    def __init__(self, model: _Rows) -> None:
        self.model = model

    def get_model(self, app: str, name: str) -> _Rows:
        return self.model


@pytest.mark.hazard("HZ-138")
def test_the_migration_lower_cases_old_addresses(cast: Cast) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE clinic_user SET email = %s WHERE id = %s",
                       ["Sam@Example.ORG", cast.patient.user.pk])
    migration.lower_case(apps, None)
    assert User.objects.get(pk=cast.patient.user.pk).email == "sam@example.org"


@pytest.mark.hazard("HZ-138")
def test_the_migration_refuses_addresses_that_differ_only_in_case() -> None:
    clash = _Rows([(1, "sam@example.org"), (2, "Sam@Example.org"), (3, "kim@example.org")])
    with pytest.raises(RuntimeError, match=r"sam@example.org: user 1 \(sam@example.org\), "
                                           r"user 2 \(Sam@Example.org\)\. Nothing was changed"):
        migration.lower_case(_Apps(clash), None)


@pytest.mark.hazard("HZ-138")
def test_the_database_refuses_a_second_spelling(cast: Cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO clinic_user (email, role, is_active, is_superuser, password,"
                       " date_joined) VALUES (%s, 'patient', true, false, '', CURRENT_TIMESTAMP)",
                       ["SAM@example.org"])
