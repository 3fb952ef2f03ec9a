"""Today rendered by the stop-14 templates is, character for character, the page the stop-13
templates rendered (tests/web/stop13_templates: copies of today.html, _today_chart.html and
_contact.html as they were), for a patient in English and in Spanish, a carer, and a patient
with no plan: the work moved out of the templates (the chart's numbers and dots, each dose's
times, the page's small reads) changed no word and no element."""

from __future__ import annotations

import re
from copy import deepcopy
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client, override_settings

from taper.web.clinic import services
from taper.web.clinic.models import Patient, User
from tests.web import factories
from tests.web.carers.factories import linked_carer
from tests.web.conftest import Cast

STOP13 = Path(__file__).parent / "stop13_templates"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _stop13_templates() -> list[dict[str, object]]:
    engines = deepcopy(settings.TEMPLATES)
    engines[0]["DIRS"] = [str(STOP13)]  # found before the apps' own templates
    return engines


def _html(client: Client) -> str:
    answer = client.get("/today/")
    assert answer.status_code == 200
    return TOKEN.sub('name="csrfmiddlewaretoken" value="…"', answer.content.decode())


def both(client: Client) -> tuple[str, str]:
    now = _html(client)
    with override_settings(TEMPLATES=_stop13_templates()):
        before = _html(client)
    return now, before


def _busy_day(cast: Cast) -> None:
    """Check-ins, today's decision (contact the prescriber, so the clinic shows twice), a
    dose marked, the clinic's phone set."""
    doctor: User = cast.clinician
    doctor.clinic_name, doctor.clinic_phone, doctor.clinic_hours = \
        "Riverside Clinic", "+1 555 0100", "9 am to 5 pm"
    doctor.save()
    factories.worse_after_a_cut(cast.patient)
    services.mark_dose(patient=cast.patient, recorded_by=cast.patient.user, mark="late",
                       day=factories.today_of(cast.patient), at=time(8),
                       moment=datetime.combine(factories.today_of(cast.patient), time(9),
                                               ZoneInfo(cast.patient.timezone)))


def _as(client: Client, patient: Patient, language: str) -> None:
    patient.language = language
    patient.save(update_fields=["language"])
    client.force_login(patient.user)


@pytest.mark.hazard("HZ-215")
@pytest.mark.parametrize("language", ["en", "es"])
def test_today_is_the_page_the_stop_13_templates_rendered(
        cast: Cast, client: Client, every_dose_due: None, language: str) -> None:
    _busy_day(cast)
    _as(client, cast.patient, language)
    now, before = both(client)
    assert now == before
    for seen in ('data-testid="today-chart"', 'class="checkin-dot"', 'data-testid="today-decision"',
                 'href="tel:', 'id="undo-0800"', 'data-testid="today-doses"'):
        assert seen in now
    assert now.count('class="checkin-dot"') == 4
    assert ("Taken late" if language == "en" else "Tomada tarde") in now


@pytest.mark.hazard("HZ-215")
def test_today_is_unchanged_for_a_carer_and_without_a_plan(cast: Cast, client: Client) -> None:
    factories.week_of_checkins(cast.patient)
    carer, _ = linked_carer(cast.patient)
    client.force_login(carer)
    now, before = both(client)
    assert now == before and 'data-testid="helping"' in now
    lone = factories.patient(cast.clinician, "lone@example.org", "Lou Lone")
    _as(client, lone, "")
    now, before = both(client)
    assert now == before and 'data-testid="today-doses"' not in now


@pytest.mark.hazard("HZ-216")
@pytest.mark.parametrize(("stored_days", "noticed"), [(None, True), (7, True), (6, False)])
def test_the_notice_and_the_unread_count_read_with_the_page_are_the_same(
        cast: Cast, client: Client, stored_days: int | None, noticed: bool) -> None:
    """The liquid is first needed in 7 days: noticed with the default lead time (7 or more)
    and a stored 7, not with a stored 6; two messages from the clinic unread, one of the
    patient's own that is not counted."""
    from taper.web.messaging import services as messaging
    from taper.web.reminders.policy import policy
    from taper.web.reminders.services import set_reminder_settings
    from tests.web.reminders.plans import LIQUID, liquid_plan

    ana = factories.patient(cast.clinician, "ana@example.org", "Ana Ruiz", "America/New_York")
    liquid_plan(ana, cast.clinician, liquid_in_days=7)
    assert policy().refill_days >= 7
    if stored_days is not None:
        set_reminder_settings(patient=ana, actor=ana.user, refill_days=stored_days)
    for body in ("How are you?", "Any news?"):
        messaging.send_message(patient=ana, author=cast.clinician, body=body)
    messaging.send_message(patient=ana, author=ana.user, body="Fine")
    client.force_login(ana.user)
    now, before = both(client)
    assert now == before
    assert ('data-testid="refill-notice"' in now) is noticed and (LIQUID in now) is noticed
    assert 'data-testid="nav-unread">2</span>' in now
