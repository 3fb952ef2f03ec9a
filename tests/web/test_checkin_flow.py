"""The check-in on a phone (issue 14.1) through the test client: red flags first, then one
question, the details only after a yes; refusals store nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from taper.knowledge.checkin import load_checkin_questions
from taper.knowledge.monitoring import load_monitoring
from taper.web.clinic import services
from taper.web.clinic.models import CheckIn, Decision
from taper.web.clinic.views import checkin as checkin_views
from tests.web import factories
from tests.web.conftest import Cast

QUESTIONS = load_checkin_questions("baclofen")
RULES = load_monitoring("baclofen")


def at_hour(cast: Cast, monkeypatch: pytest.MonkeyPatch, hour: int) -> datetime:
    moment = datetime.combine(factories.today_of(cast.patient), time(hour),
                              ZoneInfo(cast.patient.timezone))
    monkeypatch.setattr(checkin_views, "now", lambda: moment)
    return moment


@pytest.fixture
def sam(cast: Cast, client: Client, monkeypatch: pytest.MonkeyPatch) -> Cast:
    at_hour(cast, monkeypatch, 7)  # before the first dose: no dose question
    client.force_login(cast.patient.user)
    return cast


@pytest.mark.hazard("HZ-180")
@pytest.mark.parametrize("question", QUESTIONS.red_flags, ids=lambda q: q.id)
def test_every_red_flag_question_answered_yes_goes_straight_to_the_emergency_message(
        sam: Cast, client: Client, question: Any) -> None:
    page = client.post(reverse("checkin"), {"red_flag": question.id}, follow=True)
    html = page.content.decode()
    assert 'data-testid="emergency"' in html and 'href="tel:112"' in html
    assert Decision.objects.get().action == "emergency"


@pytest.mark.hazard("HZ-180")
def test_every_red_flag_a_patient_can_feel_has_a_question() -> None:
    asked = {(s, v) for q in QUESTIONS.red_flags for s, v in q.means.items()}
    for symptom in RULES.symptoms:
        if symptom.red_flag_from is not None:
            assert any(s == symptom.id and v >= symptom.red_flag_from for s, v in asked), symptom.id
    felt = [r for r in RULES.threshold_rules if r.action == "emergency"
            and all(c.measure.startswith("symptom.") for c in r.when)]
    for rule in felt:
        assert any(all(q.means.get(c.measure.removeprefix("symptom."), 0) >= c.at_least
                       for c in rule.when) for q in QUESTIONS.red_flags), rule.id


def test_the_first_screen_asks_only_the_red_flags_in_plain_words(sam: Cast, client: Client) -> None:
    html = client.get(reverse("checkin")).content.decode()
    assert 'data-testid="red-flags"' in html and 'id="no-red-flags"' in html
    assert "new or worse" not in html and "symptom_" not in html
    for q in QUESTIONS.red_flags:
        assert q.question in html and "_" not in q.question


@pytest.mark.hazard("HZ-181")
@pytest.mark.parametrize("post", [
    {},
    {"red_flags": "none"},
    {"new_or_worse": "no"},
    {"red_flags": "maybe", "new_or_worse": "no"},
    {"red_flag": "not-a-flag"},
], ids=["untouched", "no-second-answer", "no-first-answer", "bad-first-answer", "unknown-flag"])
def test_a_form_without_the_first_two_answers_is_refused_and_nothing_is_stored(
        sam: Cast, client: Client, post: dict[str, str]) -> None:
    page = client.post(reverse("checkin"), post)
    assert page.status_code == 400 and "Answer" in page.content.decode()
    assert not CheckIn.objects.exists() and not Decision.objects.exists()


@pytest.mark.hazard("HZ-181")
def test_no_red_flag_and_nothing_new_is_a_check_in_in_two_posts(sam: Cast, client: Client) -> None:
    first = client.post(reverse("checkin"), {"red_flag": "none"})
    assert first.status_code == 302 and first["Location"].endswith("?flags=none")
    assert not CheckIn.objects.exists()
    page = client.post(reverse("checkin"), {"red_flags": "none", "new_or_worse": "no"},
                       follow=True)
    assert 'data-testid="decision-proceed"' in page.content.decode()
    assert CheckIn.objects.get().data["symptoms"] == {}


def test_nothing_new_keeps_the_last_ratings_rather_than_calling_them_gone(
        sam: Cast, client: Client) -> None:
    yesterday = factories.today_of(sam.patient) - timedelta(days=1)
    services.record_checkin(patient=sam.patient, entered_by=sam.patient.user, today=yesterday,
                            data=factories.quiet_checkin(yesterday, symptoms={"insomnia": 1}))
    client.post(reverse("checkin"), {"red_flags": "none", "new_or_worse": "no"})
    today = CheckIn.objects.latest("id").data
    assert today["symptoms"] == {"insomnia": 1} and today["spasticity"] == 3


def test_a_yes_without_javascript_opens_the_details_and_stores_nothing_yet(
        sam: Cast, client: Client) -> None:
    page = client.post(reverse("checkin"), {"red_flags": "none", "new_or_worse": "yes"})
    html = page.content.decode()
    assert page.status_code == 200 and not CheckIn.objects.exists()
    assert '<div id="symptom-details" data-reveal="new_or_worse" data-when="yes">' in html
    assert "<summary>Mood and mind</summary>" in html


@pytest.mark.hazard("HZ-180")
@pytest.mark.parametrize("symptom", ["seizure", "hallucinations", "confusion", "paranoia"])
def test_a_red_flag_at_any_level_is_asked_yes_or_no_never_graded(sam: Cast, client: Client,
                                                                 symptom: str) -> None:
    html = client.get(reverse("checkin") + "?flags=none").content.decode()
    group = html.split(f'id="id_symptom_{symptom}_group"', 1)[1].split("</fieldset>", 1)[0]
    assert ">No<" in group and ">Yes<" in group and "Moderate" not in group
    assert "Moderate" in html.split('id="id_symptom_anxiety_group"', 1)[1].split("</fieldset>")[0]


@pytest.mark.hazard("HZ-184")
@pytest.mark.parametrize(("shown", "stored"), [("0", 10), ("1", 9), ("9", 1), ("10", 0)])
def test_sleep_is_shown_good_on_the_left_and_stored_as_its_scale_has_it(
        sam: Cast, client: Client, shown: str, stored: int) -> None:
    html = client.get(reverse("checkin") + "?flags=none").content.decode()
    row = html.split('id="id_sleep_quality_group"', 1)[1].split("</fieldset>", 1)[0]
    labels = row.split('<label class="choice"')[1:]
    position = int(shown)  # the patient taps the n-th box from the left, labelled n
    assert f"<span>{shown}</span>" in labels[position]
    value = labels[position].split('value="', 1)[1].split('"', 1)[0]
    client.post(reverse("checkin"), {"red_flags": "none", "new_or_worse": "yes",
                                     "details_shown": "True", "sleep_quality": value})
    assert CheckIn.objects.get().data["sleep_quality"] == stored
    assert row.index("Slept very well") < row.index("Slept very badly")


@pytest.mark.hazard("HZ-184")
def test_stiffness_runs_the_same_way_none_on_the_left(sam: Cast, client: Client) -> None:
    html = client.get(reverse("checkin") + "?flags=none").content.decode()
    row = html.split('id="id_spasticity_group"', 1)[1].split("</fieldset>", 1)[0]
    assert row.index("No stiffness") < row.index("The worst")
    assert row.index('value="0"') < row.index('value="10"')


def test_temperature_is_asked_and_read_in_the_patients_unit(sam: Cast, client: Client) -> None:
    services.set_patient_preferences(patient=sam.patient, actor=sam.patient.user,
                                     temperature_unit="F")
    html = client.get(reverse("checkin") + "?flags=none").content.decode()
    assert "Temperature in °F" in html and "Temperature in °C" not in html
    page = client.post(reverse("checkin"), {"red_flags": "none", "new_or_worse": "yes",
                                            "details_shown": "True", "temperature": "102.5"},
                       follow=True)
    assert CheckIn.objects.get().data["temperature"] == {"value": "102.5", "unit": "F"}
    assert 'data-testid="emergency"' in page.content.decode()  # 39.2 °C: a high fever


@pytest.mark.hazard("HZ-183")
def test_all_doses_taken_is_one_answer_and_not_all_asks_which(
        cast: Cast, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    at_hour(cast, monkeypatch, 15)  # 08:00 and 14:00 are due
    client.force_login(cast.patient.user)
    base = {"red_flags": "none", "new_or_worse": "no"}
    page = client.post(reverse("checkin"), {**base, "doses_all": "no"})
    assert page.status_code == 200 and not CheckIn.objects.exists()  # "which ones?" opened
    client.post(reverse("checkin"), {**base, "doses_all": "yes"})
    assert CheckIn.objects.get().data["doses_taken"] == ["08:00", "14:00"]


@pytest.mark.hazard("HZ-182")
def test_a_dose_time_not_yet_come_is_refused_by_the_service(cast: Cast) -> None:
    today = factories.today_of(cast.patient)
    noon = datetime.combine(today, time(12), ZoneInfo(cast.patient.timezone))
    for name in ("doses_taken", "doses_due"):
        data = factories.quiet_checkin(today, doses_taken=["08:00"], doses_due=["08:00"])
        data[name] = ["08:00", "14:00"]
        with pytest.raises(services.ServiceError) as refused:
            services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                    data=data, today=today, moment=noon)
        assert refused.value.field == name and "14:00" in refused.value.message
    assert not CheckIn.objects.exists()
    services.record_checkin(patient=cast.patient, entered_by=cast.patient.user, today=today,
                            moment=noon.replace(hour=14),  # at 14:00 exactly it has come
                            data=factories.quiet_checkin(today, doses_taken=["08:00", "14:00"],
                                                         doses_due=["08:00", "14:00"]))


@pytest.mark.hazard("HZ-182")
def test_a_check_in_dated_tomorrow_is_refused_and_nothing_stored(cast: Cast) -> None:
    tomorrow = factories.today_of(cast.patient) + timedelta(days=1)
    with pytest.raises(services.ServiceError) as refused:
        services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                data=factories.quiet_checkin(tomorrow))
    assert refused.value.field == "date" and not CheckIn.objects.exists()
