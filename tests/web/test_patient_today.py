"""Doses marked on Today (taken, late, skipped, undone the same day) and Today agreeing with
itself after a change (issue 14.2), with someone to call (14.3)."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from taper.web.clinic import services
from taper.web.clinic.models import DoseTaken
from taper.web.clinic.today import today_for
from taper.web.clinic.views import patient as patient_views
from taper.web.clinic.wording import clock_words
from tests.web import factories
from tests.web.conftest import Cast


def local(cast: Cast, hour: int, minute: int = 0, days: int = 0) -> datetime:
    day = factories.today_of(cast.patient) + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), ZoneInfo(cast.patient.timezone))


def mark(cast: Cast, at: time, moment: datetime, how: str = "taken", days: int = 0) -> DoseTaken:
    return services.mark_dose(patient=cast.patient, recorded_by=cast.patient.user, mark=how,
                              day=factories.today_of(cast.patient) + timedelta(days=days),
                              at=at, moment=moment)


@pytest.mark.hazard("HZ-182")
@pytest.mark.parametrize(("hour", "minute", "allowed"), [(7, 59, False), (8, 0, True), (8, 1, True)])
def test_a_dose_can_be_marked_from_its_time_and_not_before(cast: Cast, hour: int, minute: int,
                                                           allowed: bool) -> None:
    if allowed:
        assert mark(cast, time(8), local(cast, hour, minute)).mark == "taken"
    else:
        with pytest.raises(services.ServiceError) as refused:
            mark(cast, time(8), local(cast, hour, minute))
        assert refused.value.field == "time" and not DoseTaken.objects.exists()


@pytest.mark.hazard("HZ-182")
def test_a_dose_of_tomorrow_is_refused_and_a_time_off_the_plan_too(cast: Cast) -> None:
    with pytest.raises(services.ServiceError) as refused:
        mark(cast, time(8), local(cast, 23), days=1)
    assert refused.value.field == "date"
    with pytest.raises(services.ServiceError) as refused:
        mark(cast, time(9, 30), local(cast, 23))
    assert refused.value.field == "time" and not DoseTaken.objects.exists()


def test_marking_again_keeps_one_mark_with_the_last_word(cast: Cast) -> None:
    one = mark(cast, time(8), local(cast, 9))
    two = mark(cast, time(8), local(cast, 9), "late")
    assert one.pk == two.pk and DoseTaken.objects.get().mark == "late"


@pytest.mark.hazard("HZ-185")
def test_a_mark_can_be_undone_on_its_day_only(cast: Cast) -> None:
    mark(cast, time(8), local(cast, 9))
    mark(cast, time(8), local(cast, 9), days=-1)
    services.undo_dose_mark(patient=cast.patient, recorded_by=cast.patient.user,
                            day=factories.today_of(cast.patient), at=time(8),
                            moment=local(cast, 23, 59))
    with pytest.raises(services.ServiceError) as refused:
        services.undo_dose_mark(patient=cast.patient, recorded_by=cast.patient.user,
                                day=factories.today_of(cast.patient) - timedelta(days=1),
                                at=time(8), moment=local(cast, 0, 0))
    assert refused.value.field == "date"
    assert list(DoseTaken.objects.values_list("date", flat=True)) == [
        factories.today_of(cast.patient) - timedelta(days=1)]


def test_another_patient_cannot_mark_or_undo(cast: Cast) -> None:
    for service in (services.mark_dose, services.undo_dose_mark):
        with pytest.raises(services.ServiceError):
            service(patient=cast.patient, recorded_by=cast.other_patient.user,
                    day=factories.today_of(cast.patient), at=time(8), moment=local(cast, 9))


@pytest.mark.hazard("HZ-183")
@pytest.mark.parametrize(("how", "offered"), [("taken", ["08:00", "14:00"]),
                                              ("late", ["08:00", "14:00"]),
                                              ("skipped", ["08:00"])])
def test_late_counts_as_taken_and_skipped_as_missed_in_the_check_in(
        cast: Cast, client: Client, monkeypatch: pytest.MonkeyPatch, how: str,
        offered: list[str]) -> None:
    from taper.web.clinic.views import checkin as checkin_views

    mark(cast, time(8), local(cast, 15))
    mark(cast, time(14), local(cast, 15), how)
    monkeypatch.setattr(checkin_views, "now", lambda: local(cast, 15))
    client.force_login(cast.patient.user)
    html = client.get(reverse("checkin") + "?flags=none").content.decode()
    ticked = [t for t in ("08:00", "14:00")
              if "checked" in html.split(f'name="doses_taken" value="{t}"', 1)[1][:40]]
    assert ticked == offered


def test_today_offers_taken_late_and_skipped_for_a_due_dose_and_undo_after(
        cast: Cast, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patient_views, "now", lambda: local(cast, 15))
    client.force_login(cast.patient.user)
    html = client.get(reverse("today")).content.decode()
    assert 'id="late-0800"' in html and 'id="skip-0800"' in html and 'id="take-2000"' not in html
    client.post(reverse("dose_taken"), {"time": "08:00", "mark": "skipped"})
    html = client.get(reverse("today")).content.decode()
    assert 'data-testid="skipped-0800"' in html and 'id="undo-0800"' in html
    client.post(reverse("dose_taken"), {"time": "08:00", "mark": "undo"})
    assert not DoseTaken.objects.exists()


@pytest.mark.hazard("HZ-186")
def test_today_shows_progress_from_the_plan_in_force(cast: Cast) -> None:
    view = today_for(cast.patient, factories.today_of(cast.patient), local(cast, 9))
    plan = view.plan
    assert plan is not None
    step = plan.step_on(factories.today_of(cast.patient))
    assert step is not None and view.next_change is not None
    assert view.progress.startswith(f"Step {step.index} of {len(plan.steps)} · ")
    assert "next change " in view.progress and view.next_change[1].split(" a day")[0] in view.progress


@pytest.mark.hazard("HZ-186")
def test_after_a_change_today_says_so_until_seen_and_every_part_agrees(
        cast: Cast, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patient_views, "now", lambda: local(cast, 9))
    client.force_login(cast.patient.user)
    assert 'data-testid="plan-changed"' not in client.get(reverse("today")).content.decode()
    factories.worse_after_a_cut(cast.patient)  # today's decision: contact the prescriber
    decision = cast.patient.decisions.first()
    assert decision is not None
    services.apply_suggestion(decision=decision, kind="return_to_dose",
                              clinician=cast.clinician)
    page = client.get(reverse("today"))
    html, view = page.content.decode(), page.context["t"]
    assert "Your plan changed on " in html and "dose is now" in html
    assert view.decision is None  # the decision's words named the old dose: not shown
    assert f"{view.daily} in all" in html and f"{view.daily} a day" in view.progress
    now_doses = {clock_words(r.dose.time): r.dose.mg for r in view.doses}
    told = re.findall(r"the (\d\d?:\d\d [ap]m) dose is now ([^,.]+ mg)", view.changed)
    assert told and all(now_doses[at] == mg for at, mg in told)  # the notice says the list
    client.post(reverse("plan_seen", args=[view.version.pk]))
    assert 'data-testid="plan-changed"' not in client.get(reverse("today")).content.decode()


@pytest.mark.hazard("HZ-188")
def test_contact_your_prescriber_names_the_clinic_with_a_number_to_tap(
        cast: Cast, client: Client) -> None:
    factories.worse_after_a_cut(cast.patient)
    decision = cast.patient.decisions.first()
    client.force_login(cast.patient.user)
    html = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert "has not added a phone number" in html
    services.set_clinic_contact(clinician=cast.clinician, name="Riverside Neurology",
                                phone="+44 20 7946 0000", hours="Mon to Fri, 9:00 to 17:00")
    html = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert 'href="tel:+442079460000"' in html and "Riverside Neurology" in html
    assert 'href="tel:+442079460000"' in client.get(reverse("today")).content.decode()


@pytest.mark.hazard("HZ-188")
@pytest.mark.parametrize(("phone", "ok"), [("+44 20 7946 0000", True), ("999", True),
                                           ("12", False), ("call me", False),
                                           ("+1" + "2" * 20, False)])
def test_a_clinic_phone_must_be_a_number_to_dial(cast: Cast, phone: str, ok: bool) -> None:
    if ok:
        services.set_clinic_contact(clinician=cast.clinician, name="Clinic", phone=phone, hours="")
    else:
        with pytest.raises(services.ServiceError) as refused:
            services.set_clinic_contact(clinician=cast.clinician, name="Clinic", phone=phone,
                                        hours="")
        assert refused.value.field == "phone"
        cast.clinician.refresh_from_db()
        assert cast.clinician.clinic_phone == ""


@pytest.mark.hazard("HZ-189")
def test_the_emergency_message_calls_the_deployments_number(cast: Cast, client: Client,
                                                            settings: object) -> None:
    settings.TAPER_EMERGENCY_NUMBER = "911"  # type: ignore[attr-defined]
    client.force_login(cast.patient.user)
    day = factories.today_of(cast.patient)
    decision = services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                       data=factories.quiet_checkin(day, symptoms={"seizure": 1}))
    html = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert 'data-testid="call-emergency"' in html and 'href="tel:911"' in html
    assert "What you noticed: a seizure (fit or convulsion)." in html
    assert html.count("Do not stop or change your baclofen") == 1  # each instruction once


@pytest.mark.hazard("HZ-187")
def test_the_why_is_in_words_without_codes_or_bracketed_sources(cast: Cast, client: Client) -> None:
    factories.worse_after_a_cut(cast.patient)
    decision = cast.patient.decisions.first()
    client.force_login(cast.patient.user)
    html = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    why = html.split('data-testid="why"', 1)[1].split("</details>", 1)[0]
    assert "<li>" in why and "This comes from" in why
    for code in ("[source", "severe_symptom", "symptom.", "seed-", "<code>", "policy]"):
        assert code not in why, code
