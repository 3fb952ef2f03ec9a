"""The hot paths' reads written once as SQL (clinic/lean.py, issue 17) give exactly what the
ORM gave: the same rows, the same values of every field (dates, times, JSON), the same
related objects; and a stored plan is parsed once per version per process (HZ-221, HZ-222).
Run on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model as DjangoModel
from django.db.models import Q, Subquery
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from taper.web.accounts.policy import mfa_enrolled
from taper.web.clinic import lean, services
from taper.web.clinic.engine import stored_plan
from taper.web.clinic.models import (
    CheckIn,
    Decision,
    DoseTaken,
    FollowUp,
    Patient,
    PlanVersion,
    Role,
    Status,
)
from taper.web.clinic.services.checkins import _recent_rows
from taper.web.clinic.services.followup import monitored_version, upcoming_followups
from taper.web.clinic.today import _before
from taper.web.clinic.today_chart import _lines, today_chart
from taper.web.clinic.views.exports import patient_or_theirs
from tests.web import factories
from tests.web.apiclient import call, token_for
from tests.web.conftest import Cast


def same(found: DjangoModel | None, wanted: DjangoModel | None) -> None:
    """Every concrete field equal, value and type (a date is a date, JSON a dict)."""
    assert (found is None) == (wanted is None)
    if found is None or wanted is None:
        return
    assert type(found) is type(wanted)
    for field in wanted._meta.concrete_fields:
        mine, theirs = getattr(found, field.attname), getattr(wanted, field.attname)
        assert mine == theirs and type(mine) is type(theirs), field.name


@pytest.mark.hazard("HZ-222")
def test_the_plan_in_force_is_the_orm_s_with_its_plan_and_approver(cast: Cast) -> None:
    today = factories.today_of(cast.patient)
    found = monitored_version(cast.patient, today)
    wanted = (PlanVersion.objects.select_related("plan", "approved_by")
              .filter(plan__patient=cast.patient, status=Status.ACTIVE).first())
    same(found, wanted)
    assert found is not None and wanted is not None
    with CaptureQueriesContext(connection) as asked:
        same(found.plan, wanted.plan)
        same(found.approved_by, wanted.approved_by)
    assert len(asked) == 0  # joined, not read again
    # Completed, and its monitoring period: the same version; after it, none.
    PlanVersion.objects.filter(pk=cast.plan.pk).update(status=Status.COMPLETED)
    stop = stored_plan(cast.plan.plan_json).stop_date
    assert stop is not None
    same(monitored_version(cast.patient, stop + timedelta(days=1)),
         PlanVersion.objects.get(pk=cast.plan.pk))
    assert monitored_version(cast.patient, stop + timedelta(days=400)) is None
    assert monitored_version(cast.other_patient, today) is not None  # each patient their own


@pytest.mark.hazard("HZ-222")
def test_the_history_is_the_orm_s_row_for_row(cast: Cast) -> None:
    patient, today = cast.patient, factories.today_of(cast.patient)
    plan = stored_plan(cast.plan.plan_json)
    since = today - timedelta(days=3)
    rows = [  # before the plan, a spasticity reading before `since`, an amendment, the window
        (plan.start_date - timedelta(days=2), {}), (today - timedelta(days=6), {"spasticity": 4}),
        (today - timedelta(days=5), {}), (today - timedelta(days=2), {}),
        (today - timedelta(days=1), {"sleep_quality": 6})]
    for day, extra in rows:  # only one with a spasticity reading
        CheckIn.objects.create(patient=patient, date=day, entered_by=patient.user,
                               data={"date": day.isoformat(), "symptoms": {}, **extra})
    first = CheckIn.objects.get(patient=patient, date=today - timedelta(days=2))
    CheckIn.objects.create(patient=patient, date=first.date, amends=first, entered_by=patient.user,
                           data=factories.quiet_checkin(first.date, spasticity=2))
    CheckIn.objects.create(patient=cast.other_patient, date=today - timedelta(days=1),
                           entered_by=cast.other_patient.user,
                           data=factories.quiet_checkin(today - timedelta(days=1)))
    mine = CheckIn.objects.filter(patient=patient)
    base = mine.filter(date__lt=plan.start_date).order_by("-date").values("date")[:1]
    spastic = mine.filter(date__lt=since, data__spasticity__isnull=False).order_by("date").values("date")[:1]
    wanted = list(CheckIn.objects.filter(Q(patient=patient, date__gte=since)
                                         | Q(patient=patient, date=Subquery(base))
                                         | Q(patient=patient, date=Subquery(spastic)))
                  .order_by("created_at", "id").values_list("pk", "date", "data", "amends_id"))
    found = _recent_rows(patient, plan, since)
    assert found == wanted and len(found) == 5  # the window's 3 with the amendment, 2 references
    assert [type(v) for v in found[0]] == [type(v) for v in wanted[0]]


@pytest.mark.hazard("HZ-222")
def test_today_s_reads_are_the_orm_s(cast: Cast, every_dose_due: None) -> None:
    patient, today = cast.patient, factories.today_of(cast.patient)
    first = stored_plan(cast.plan.plan_json).steps[0].doses[0].time
    services.mark_dose(patient=patient, recorded_by=patient.user, day=today, at=first)
    services.record_checkin(patient=patient, entered_by=patient.user,
                            data=factories.quiet_checkin(today), today=today)
    services.add_followup(plan=cast.plan.plan, clinician=cast.clinician, day=today, at=None,
                          note="Call", today=today)
    services.add_followup(plan=cast.plan.plan, clinician=cast.clinician,
                          day=today + timedelta(days=3), at=time(9, 30), note="Visit", today=today)
    page = lean.today_page(patient.pk, today)
    found_marks, wanted_marks = list(page.marks), list(patient.doses_taken.filter(date=today))
    assert len(found_marks) == len(wanted_marks) == 1
    same(found_marks[0], wanted_marks[0])
    decision = page.decision
    wanted = patient.decisions.filter(today=today).select_related("checkin").first()
    same(decision, wanted)
    assert decision is not None and wanted is not None
    with CaptureQueriesContext(connection) as asked:
        same(decision.checkin, wanted.checkin)
    assert len(asked) == 0
    assert lean.today_page(patient.pk, today - timedelta(days=1)).decision is None
    follow = upcoming_followups(patient, today)
    wanted_follow = list(FollowUp.objects.filter(plan__patient=patient, date__gte=today))
    assert [f.pk for f in follow] == [f.pk for f in wanted_follow] and len(follow) == 2
    for mine, theirs in zip(follow, wanted_follow, strict=True):
        same(mine, theirs)
    assert upcoming_followups(patient, today + timedelta(days=4)) == []


@pytest.mark.hazard("HZ-222")
def test_the_version_before_a_change_is_the_orm_s(cast: Cast) -> None:
    changed = factories.approved_change(cast.plan, cast.clinician)
    services.activate(version=changed, actor=cast.clinician)
    changed.refresh_from_db()
    changed.based_on_id = None  # _before's own query, not the link
    wanted = (PlanVersion.objects.filter(plan__patient_id=cast.patient.pk,
                                         status__in=(Status.CHANGED, Status.COMPLETED, Status.STOPPED),
                                         created_at__lte=changed.created_at)
              .exclude(pk=changed.pk).order_by("-created_at", "-id").first())
    assert wanted is not None and wanted.pk == cast.plan.pk
    same(_before(changed), wanted)


@pytest.mark.hazard("HZ-222")
def test_a_patient_is_reached_only_by_themself_or_their_clinician(cast: Cast) -> None:
    same(patient_or_theirs(cast.patient.user, cast.patient.pk), Patient.objects.get(pk=cast.patient.pk))
    same(patient_or_theirs(cast.clinician, cast.patient.pk), Patient.objects.get(pk=cast.patient.pk))
    from django.http import Http404

    for who, pk in ((cast.other_clinician, cast.patient.pk), (cast.other_patient.user, cast.patient.pk),
                    (cast.admin, cast.patient.pk), (cast.clinician, 2**63), (cast.clinician, 0)):
        with pytest.raises(Http404):
            patient_or_theirs(who, pk)
    cast.clinician.role = Role.ADMIN  # a former clinician's patients are no longer theirs
    cast.clinician.save(update_fields=["role"])
    with pytest.raises(Http404):
        patient_or_theirs(cast.clinician, cast.patient.pk)


def test_an_id_past_64_bits_is_not_found_not_an_error(cast: Cast, client: Client) -> None:
    secret = token_for(cast.patient.user)
    for pk in (2**63, 2**64 + 5, 10**30):
        answer = call(client, "get", f"/api/patients/{pk}/checkins", secret)
        assert answer.status_code == 404, answer.content


def test_second_factor_enrolment_is_django_otp_s(cast: Cast) -> None:
    from taper.web.accounts.models import RecoveryCodeDevice

    user = cast.patient.user
    assert mfa_enrolled(user) is False is bool(user_has_device(user, confirmed=True))
    TOTPDevice.objects.create(user=user, name="phone", confirmed=False)
    RecoveryCodeDevice.objects.create(user=user, name="codes", confirmed=False)
    assert mfa_enrolled(user) is False is bool(user_has_device(user, confirmed=True))
    RecoveryCodeDevice.objects.filter(user=user).update(confirmed=True)
    assert mfa_enrolled(user) is True is bool(user_has_device(user, confirmed=True))
    assert mfa_enrolled(cast.clinician) is False  # another user's device is not theirs
    RecoveryCodeDevice.objects.filter(user=user).update(confirmed=False)
    TOTPDevice.objects.filter(user=user).update(confirmed=True)
    assert mfa_enrolled(user) is True


# ---- a plan parsed once per version per process ------------------------------------------

@pytest.mark.hazard("HZ-221")
def test_a_plan_is_parsed_once_per_version_per_process(cast: Cast) -> None:
    lean.forget_plans()
    before = lean.parses
    web = Client()
    web.force_login(cast.patient.user)
    for _ in range(3):
        assert web.get("/today/").status_code == 200
    assert web.post("/checkin/", {"red_flags": "none", "new_or_worse": "no",
                                  "doses_all": "yes"}).status_code == 302
    assert lean.parses - before == 1
    version = PlanVersion.objects.get(pk=cast.plan.pk)
    assert lean.plan_of(version) is lean.plan_of(PlanVersion.objects.get(pk=cast.plan.pk))
    assert lean.plan_of(version) == stored_plan(version.plan_json)
    other = PlanVersion.objects.get(pk=cast.other_plan.pk)
    assert lean.plan_of(other) is not lean.plan_of(version)
    assert lean.parses - before == 2


@pytest.mark.hazard("HZ-221")
def test_a_reused_id_or_an_unsaved_version_never_gets_another_s_plan(cast: Cast) -> None:
    lean.forget_plans()
    version = PlanVersion.objects.get(pk=cast.plan.pk)
    kept = lean.plan_of(version)
    # The same id with another creation time (a restored or rolled-back database reused it).
    impostor = PlanVersion.objects.get(pk=cast.other_plan.pk)
    impostor.pk, impostor.id = version.pk, version.pk
    assert impostor.created_at != version.created_at
    assert lean.plan_of(impostor) == stored_plan(cast.other_plan.plan_json) != kept
    unsaved = PlanVersion(plan_json=cast.plan.plan_json)
    before = lean.parses
    assert lean.plan_of(unsaved) == kept and lean.plan_of(unsaved) is not kept
    assert lean.parses - before == 2  # parsed every time, never kept


@pytest.mark.hazard("HZ-221")
def test_the_plan_cache_is_bounded(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    lean.forget_plans()
    monkeypatch.setattr(lean, "PLAN_CACHE_SIZE", 1)
    first = PlanVersion.objects.get(pk=cast.plan.pk)
    lean.plan_of(first)
    lean.plan_of(PlanVersion.objects.get(pk=cast.other_plan.pk))
    assert len(lean._plans) == 1
    before = lean.parses
    lean.plan_of(first)  # pushed out, so parsed again
    assert lean.parses - before == 1


@pytest.mark.hazard("HZ-221")
def test_the_chart_s_kept_line_is_the_line_drawn_afresh(cast: Cast) -> None:
    plan = stored_plan(cast.plan.plan_json)
    today = factories.today_of(cast.patient)
    _lines.clear()
    fresh = today_chart(plan, [today], today)
    kept = today_chart(plan, [today - timedelta(days=1)], today)
    assert kept["points"] == fresh["points"] and kept["top_mg"] == fresh["top_mg"]
    assert kept["dots"] != fresh["dots"]  # the check-ins are never kept
    other: Any = stored_plan(cast.other_plan.plan_json)
    assert today_chart(other, [], today)["points"] == _drawn(other, today)


def _drawn(plan: Any, today: Any) -> str:
    _lines.clear()
    return str(today_chart(plan, [], today)["points"])


@pytest.mark.hazard("HZ-222")
def test_a_checkin_and_its_decision_are_stored_as_the_orm_stores_them(cast: Cast) -> None:
    """The check-in's two inserts are written once as SQL (`lean.insert`): every field reads
    back as the service held it, on both databases, and the ids are the database's."""
    today = factories.today_of(cast.patient)
    data = factories.quiet_checkin(today, symptoms={"anxiety": 2}, note="Ça va — «bien»")
    before = CheckIn.objects.count()
    stored = services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                     data=data, today=today)
    assert stored.pk is not None and stored.checkin.pk is not None and not stored._state.adding
    same(Decision.objects.get(pk=stored.pk), stored)
    same(CheckIn.objects.get(pk=stored.checkin.pk), stored.checkin)
    assert CheckIn.objects.count() == before + 1 and stored.checkin.data == data
    again = services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                    data=factories.quiet_checkin(today), today=today)
    assert again.checkin.amends_id == stored.checkin.pk  # an amendment names the first entry
    same(CheckIn.objects.get(pk=again.checkin.pk), again.checkin)
    assert again.pk > stored.pk and DoseTaken.objects.count() == 0


@pytest.mark.hazard("HZ-222")
def test_the_page_s_counts_and_settings_are_the_orm_s(cast: Cast) -> None:
    from taper.web.clinic.views.patient import _clinician_of
    from taper.web.messaging import services as messaging
    from taper.web.messaging.models import Message
    from taper.web.reminders.models import ReminderSettings
    from taper.web.reminders.services import set_reminder_settings, settings_for

    patient = cast.patient

    def orm_unread() -> int:
        return Message.objects.filter(patient=patient, from_clinic=True, read_at__isnull=True).count()

    assert messaging.unread_for_patient(patient) == orm_unread() == 0
    messaging.send_message(patient=patient, author=cast.clinician, body="How are you?")
    messaging.send_message(patient=patient, author=cast.clinician, body="Any news?")
    messaging.send_message(patient=patient, author=patient.user, body="Fine")  # not from the clinic
    messaging.send_message(patient=cast.other_patient, author=cast.clinician, body="Hello")
    assert messaging.unread_for_patient(patient) == orm_unread() == 2
    messaging.mark_read(patient=patient, reader=patient.user)
    assert messaging.unread_for_patient(patient) == orm_unread() == 0

    unsaved = settings_for(patient)  # the defaults, not stored
    assert unsaved.pk is None and unsaved.refill_days == ReminderSettings(patient=patient).refill_days
    set_reminder_settings(patient=patient, actor=patient.user, checkin_email=True,
                          checkin_time=time(18, 45), refill_days=5)
    same(settings_for(patient), ReminderSettings.objects.get(patient=patient))
    assert settings_for(cast.other_patient).pk is None

    fresh = Patient.objects.get(pk=patient.pk)
    same(_clinician_of(fresh), Patient.objects.get(pk=patient.pk).clinician)
    with CaptureQueriesContext(connection) as asked:
        assert fresh.clinician is not None and fresh.clinician.pk == cast.clinician.pk
    assert len(asked) == 0  # kept on the patient as the ORM keeps it
    solo = Patient.objects.get(pk=patient.pk)
    solo.clinician_id = None
    assert _clinician_of(solo) is None
