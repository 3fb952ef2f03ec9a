"""The patient's reminder choices on /account/settings/: saved, bounded, theirs alone."""

from __future__ import annotations

from datetime import time

import pytest
from django.test import Client
from django.urls import reverse

from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import AuditEvent
from taper.web.reminders.models import ReminderSettings
from taper.web.reminders.services import set_reminder_settings, settings_for
from tests.web.conftest import Cast

GOOD = {"checkin_email": "on", "checkin_time": "19:30", "refill_email": "off", "refill_days": "10"}


def test_the_settings_page_offers_the_reminders_with_their_defaults(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    page = client.get(reverse("patient_preferences")).content.decode()
    assert 'id="reminder-settings"' in page and 'value="20:00"' in page
    assert 'name="refill_days"' in page and 'value="7"' in page


def test_the_patient_turns_checkin_emails_on_and_picks_the_time(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    response = client.post(reverse("reminder_settings"), GOOD)
    assert response.status_code == 302 and response["Location"] == reverse("patient_preferences")
    row = ReminderSettings.objects.get(patient=cast.patient)
    assert (row.checkin_email, row.checkin_time, row.refill_email, row.refill_days) == (
        True, time(19, 30), False, 10)
    assert AuditEvent.objects.filter(event="set_reminder_settings",
                                     patient_id=cast.patient.pk).count() == 1


@pytest.mark.parametrize(("field", "value"), [("refill_days", "0"), ("refill_days", "29"),
                                              ("refill_days", "seven"), ("checkin_time", "25:00"),
                                              ("checkin_time", "8pm" * 40), ("checkin_email", "yes")])
def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_stored(
        cast: Cast, client: Client, field: str, value: str) -> None:
    client.force_login(cast.patient.user)
    response = client.post(reverse("reminder_settings"), {**GOOD, field: value}, follow=True)
    assert response.status_code == 200
    label = {"refill_days": "How many days before", "checkin_time": "Your chosen time",
             "checkin_email": "An e-mail if you have not checked in"}[field]
    assert label in response.content.decode().split('class="messages"')[1].split("</div>")[0]
    assert not ReminderSettings.objects.exists()


@pytest.mark.parametrize(("days", "ok"), [(1, True), (28, True), (0, False), (29, False)])
def test_the_clinician_may_set_the_lead_time_within_its_bounds(cast: Cast, days: int, ok: bool) -> None:
    if ok:
        set_reminder_settings(patient=cast.patient, actor=cast.clinician, refill_days=days)
        assert settings_for(cast.patient).refill_days == days
    else:
        with pytest.raises(ServiceError, match="from 1 to 28"):
            set_reminder_settings(patient=cast.patient, actor=cast.clinician, refill_days=days)


def test_only_the_patient_turns_their_emails_on_and_no_one_else_sets_the_lead_time(cast: Cast) -> None:
    with pytest.raises(ServiceError, match="only the patient"):
        set_reminder_settings(patient=cast.patient, actor=cast.clinician, checkin_email=True)
    for someone in (cast.other_clinician, cast.other_patient.user, cast.admin):
        with pytest.raises(ServiceError):
            set_reminder_settings(patient=cast.patient, actor=someone, refill_days=3)
    assert not ReminderSettings.objects.exists()


@pytest.mark.parametrize(("days", "status"), [("1", 302), ("28", 302), ("0", 400), ("29", 400),
                                              ("9" * 300, 400)])
def test_the_clinician_sets_the_lead_time_on_the_patients_page(
        cast: Cast, client: Client, days: str, status: int) -> None:
    client.force_login(cast.clinician)
    assert 'id="patient-reminders"' in client.get(
        reverse("patient_detail", args=[cast.patient.pk])).content.decode()
    url = reverse("patient_reminders", args=[cast.patient.pk])
    response = client.post(url, {"refill_days": days})
    assert response.status_code == status
    if status == 302:
        assert settings_for(cast.patient).refill_days == int(days)
    else:
        assert 'data-testid="error-refill_days"' in response.content.decode()
        assert not ReminderSettings.objects.exists()
