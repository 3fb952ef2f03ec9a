"""The patient's day through the test client: Today, check-in, decision, emergency."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from taper.knowledge.monitoring import load_monitoring
from taper.web.clinic import services
from taper.web.clinic.models import CheckIn, Decision
from taper.web.clinic.views import checkin as checkin_views
from taper.web.clinic.views import patient as patient_views
from tests.web import factories
from tests.web.conftest import Cast


def at_local(cast: Cast, hour: int) -> datetime:
    """Today at `hour` in Sam's zone."""
    return datetime.combine(factories.today_of(cast.patient), time(hour),
                            ZoneInfo(cast.patient.timezone))


@pytest.fixture(autouse=True)
def before_the_first_dose(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    """Check-ins at 07:00 (no dose due yet) unless a test sets another moment."""
    at(cast, monkeypatch, 7)


def at(cast: Cast, monkeypatch: pytest.MonkeyPatch, hour: int) -> None:
    for module in (patient_views, checkin_views):
        monkeypatch.setattr(module, "now", lambda: at_local(cast, hour))


def checkin_post(**changes: str) -> dict[str, Any]:
    """The check-in's second screen with every detail shown and answered. The doses question
    is answered too: it is asked only once a dose is due, so without it a test would pass or
    fail by the hour it runs (an answer to a question not asked is ignored)."""
    data = {f"symptom_{s.id}": "0" for s in load_monitoring("baclofen").symptoms}
    data.update(red_flags="none", new_or_worse="yes", details_shown="True", spasticity="3",
                sleep_quality="7", doses_all="yes")
    data.update(changes)
    return data


def test_today_shows_each_dose_in_words_and_the_next_change(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    html = client.get(reverse("today")).content.decode()
    assert "¾ × 20 mg tablet" in html and "50 mg in all" in html
    assert 'data-testid="next-change"' in html and "45 mg a day" in html


def test_marking_a_dose_shows_it_as_taken(cast: Cast, client: Client,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    at(cast, monkeypatch, 9)
    client.force_login(cast.patient.user)
    client.post(reverse("dose_taken"), {"time": "08:00"})
    html = client.get(reverse("today")).content.decode()
    assert 'data-testid="taken-0800"' in html and "You can mark it from 2:00 pm" in html


def test_the_checkin_groups_the_catalogue_by_domain_with_labelled_choices(cast: Cast,
                                                                        client: Client) -> None:
    client.force_login(cast.patient.user)
    html = client.get(reverse("checkin") + "?flags=none").content.decode()
    for domain in ("Body", "Mood and mind", "Thinking and memory", "Sleep"):
        assert f"<summary>{domain}</summary>" in html
    assert '<label class="choice" for="id_symptom_anxiety_2">' in html


def test_yesterdays_symptoms_are_filled_in(cast: Cast, client: Client) -> None:
    yesterday = factories.today_of(cast.patient) - factories.timedelta(days=1)
    services.record_checkin(patient=cast.patient, entered_by=cast.patient.user, today=yesterday,
                            data=factories.quiet_checkin(yesterday, symptoms={"insomnia": 1}))
    client.force_login(cast.patient.user)
    html = client.get(reverse("checkin") + "?flags=none").content.decode()
    assert 'value="1" id="id_symptom_insomnia_1" checked' in html.replace(
        'name="symptom_insomnia" ', "").replace(' required', "")


def test_a_quiet_checkin_shows_the_decision_at_once(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    page = client.post(reverse("checkin"), checkin_post(), follow=True)
    html = page.content.decode()
    assert 'data-testid="decision-proceed"' in html
    assert Decision.objects.get().data["message"] in html


@pytest.mark.hazard("HZ-082")
def test_a_red_flag_shows_the_full_page_emergency_and_the_clinician_sees_the_flag(
        cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    page = client.post(reverse("checkin"), checkin_post(symptom_hallucinations="1"), follow=True)
    html = page.content.decode()
    assert 'data-testid="emergency"' in html and 'role="alert"' in html
    assert "Call your emergency number" in html and "50 mg a day" in html
    assert 'class="emergency-page"' in html
    client.force_login(cast.clinician)
    listing = client.get(reverse("patient_list")).content.decode()
    assert f'data-testid="flag-{cast.patient.pk}">RED FLAG' in listing
    record = client.get(reverse("patient_detail", args=[cast.patient.pk])).content.decode()
    assert 'data-testid="patient-flag"' in record and "Red flag: emergency" in record


@pytest.mark.hazard("HZ-083")
def test_after_a_hold_today_shows_the_next_change_a_day_later(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    before = client.get(reverse("today")).context["t"].next_change[0]
    client.post(reverse("checkin"), checkin_post(symptom_anxiety="2"))
    after = client.get(reverse("today")).context["t"].next_change[0]
    assert (after - before).days == 1


@pytest.mark.hazard("HZ-084")
@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"temperature": "101"}, "temperature", "check the reading and its unit"),
    ({"heart_rate": "fast"}, "heart_rate", "whole number"),
    ({"symptom_anxiety": "7"}, "symptom_anxiety", "Select a valid choice"),
], ids=["fahrenheit-as-celsius", "heart-rate-words", "severity-7"])
def test_bad_checkin_input_is_named_next_to_its_field_and_the_rest_is_kept(
        cast: Cast, client: Client, changes: dict[str, str], field: str, words: str) -> None:
    client.force_login(cast.patient.user)
    page = client.post(reverse("checkin"), checkin_post(note="legs heavy", symptom_tremor="2",
                                                         **changes))
    html = page.content.decode()
    assert page.status_code == 400 and not CheckIn.objects.exists()
    assert words in html.split(f'data-testid="error-{field}">', 1)[1].split("</p>", 1)[0]
    assert "legs heavy" in html and 'value="2" id="id_symptom_tremor_2" checked' in html.replace(
        'name="symptom_tremor" ', "").replace(' required', "")


@pytest.mark.hazard("HZ-081")
def test_an_unreviewed_plan_says_so_on_today_and_the_plan_page(client: Client, db: None,
                                                               settings: Any) -> None:
    settings.SELF_REGISTRATION = True
    solo = services.self_register(email="solo@example.org", name="Solo", timezone="UTC",
                                  password=factories.PASSWORD)
    draft = services.create_plan_draft(
        patient=solo, author=solo.user,
        request_data=factories.diarist_request(factories.today_of(solo), "UTC"))
    services.activate(version=draft, actor=solo.user)
    client.force_login(solo.user)
    for url in (reverse("today"), reverse("plan_detail", args=[draft.pk]),
                reverse("patient_detail", args=[solo.pk])):
        html = client.get(url).content.decode()
        assert "Not reviewed by a prescriber" in html and "Approved by" not in html, url


@pytest.mark.hazard("HZ-103")
def test_the_checkin_asks_only_about_doses_already_due(cast: Cast, client: Client,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    at(cast, monkeypatch, 15)
    client.force_login(cast.patient.user)
    client.post(reverse("dose_taken"), {"time": "08:00"})
    html = client.get(reverse("checkin") + "?flags=none").content.decode()
    assert "Have you taken today&#x27;s doses so far (8:00 am and 2:00 pm)?" in html
    assert 'value="08:00"' in html and 'value="14:00"' in html and 'value="20:00"' not in html
    assert "checked" in html.split('value="08:00"')[1][:40]
    client.post(reverse("checkin"), checkin_post(doses_all="no", doses_shown="True",
                                                 doses_taken="08:00"))
    checkin = CheckIn.objects.filter(patient=cast.patient).latest("id")
    assert (checkin.data["doses_taken"], checkin.data["doses_due"]) == (["08:00"], ["08:00", "14:00"])
    assert checkin.decision.action == "proceed"  # one due dose missed: below the rule's two


def test_two_due_doses_not_taken_reach_the_prescriber(cast: Cast, client: Client,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    at(cast, monkeypatch, 15)
    client.force_login(cast.patient.user)
    client.post(reverse("checkin"), checkin_post(doses_all="no", doses_shown="True"))
    checkin = CheckIn.objects.filter(patient=cast.patient).latest("id")
    assert checkin.decision.action == "contact_prescriber"


def test_before_the_first_dose_the_checkin_asks_about_no_dose(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    assert "doses so far" not in client.get(reverse("checkin") + "?flags=none").content.decode()
    client.post(reverse("checkin"), checkin_post())
    assert "doses_due" not in CheckIn.objects.filter(patient=cast.patient).latest("id").data
