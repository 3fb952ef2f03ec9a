"""Reminder tests: a patient of their own (Ana), whose plan needs a new product part-way."""

from __future__ import annotations

import pytest

from taper.web.clinic.models import Patient
from tests.web import factories
from tests.web.conftest import Cast
from tests.web.reminders.plans import liquid_plan


@pytest.fixture
def ana(cast: Cast) -> Patient:
    """The cast's clinician's patient, liquid first needed 7 days from today."""
    person = factories.patient(cast.clinician, "ana@example.org", "Ana Ruiz", "America/New_York")
    liquid_plan(person, cast.clinician, liquid_in_days=7)
    return person
