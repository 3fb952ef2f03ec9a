"""Today's small reads in one statement (lean.today_page, stop 14) give what the ORM's
queries they replaced gave, field by field and type by type, on both databases (HZ-216)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taper.web.clinic import lean, services
from taper.web.clinic.engine import stored_plan
from taper.web.clinic.models import Patient
from tests.web import factories
from tests.web.conftest import Cast
from tests.web.test_lean_reads import same


@pytest.mark.hazard("HZ-216")
def test_today_s_page_read_is_the_orm_s(cast: Cast) -> None:
    from taper.web.messaging import services as messaging
    from taper.web.messaging.models import Message
    from taper.web.reminders.models import ReminderSettings
    from taper.web.reminders.services import set_reminder_settings

    patient, today = cast.patient, factories.today_of(cast.patient)

    def orm() -> tuple[object, object, int, int | None]:
        fresh = Patient.objects.get(pk=patient.pk)
        stored = ReminderSettings.objects.filter(patient=patient).first()
        return (fresh.clinician, fresh.decisions.filter(today=today).select_related("checkin").first(),
                Message.objects.filter(patient=patient, from_clinic=True, read_at__isnull=True).count(),
                None if stored is None else stored.refill_days)

    def check() -> lean.TodayPage:
        found, (clinician, decision, unread, days) = lean.today_page(patient.pk, today), orm()
        marks = list(patient.doses_taken.filter(date=today).order_by("id"))
        assert len(found.marks) == len(marks)
        for mine, theirs in zip(found.marks, marks, strict=True):
            same(mine, theirs)
        same(found.clinician, clinician)  # type: ignore[arg-type]
        same(found.decision, decision)  # type: ignore[arg-type]
        if found.decision is not None:
            with CaptureQueriesContext(connection) as asked:
                same(found.decision.checkin, decision.checkin)  # type: ignore[attr-defined]
            assert len(asked) == 0  # the check-in kept on the decision
        assert (found.unread, found.refill_days) == (unread, days)
        assert type(found.unread) is int
        return found

    quiet = check()
    assert quiet.decision is None and quiet.unread == 0 and quiet.refill_days is None
    assert quiet.marks == ()
    moment = datetime.combine(today, time(23), ZoneInfo(patient.timezone))
    times = [d.time for d in stored_plan(cast.plan.plan_json).steps[0].doses]
    for at, how in zip(times[:2], ("taken", "skipped"), strict=True):  # two marks today
        services.mark_dose(patient=patient, recorded_by=patient.user, day=today, at=at,
                           mark=how, moment=moment)
    services.mark_dose(patient=patient, recorded_by=patient.user, at=times[0],  # yesterday's
                       day=today - timedelta(days=1), moment=moment)
    services.mark_dose(patient=cast.other_patient, recorded_by=cast.other_patient.user,
                       day=factories.today_of(cast.other_patient), at=times[0], moment=moment)
    factories.worse_after_a_cut(patient)  # today's decision
    services.record_checkin(patient=patient, entered_by=patient.user,  # a later one, the same day
                            data=factories.quiet_checkin(today), today=today)
    messaging.send_message(patient=patient, author=cast.clinician, body="How are you?")
    messaging.send_message(patient=patient, author=cast.clinician, body="Any news?")
    messaging.send_message(patient=patient, author=patient.user, body="Fine")  # not counted
    messaging.send_message(patient=cast.other_patient, author=cast.clinician, body="Hello")
    set_reminder_settings(patient=patient, actor=patient.user, refill_days=5)
    busy = check()
    assert busy.decision is not None and busy.unread == 2 and busy.refill_days == 5
    assert [m.mark for m in busy.marks] == ["taken", "skipped"]  # every mark, the page once
    assert busy.decision.pk == patient.decisions.order_by("-created_at", "-id").first().pk
    messaging.mark_read(patient=patient, reader=patient.user)
    assert check().unread == 0
    assert lean.today_page(patient.pk, today - timedelta(days=1)).decision is None
    assert lean.today_page(cast.other_patient.pk, today).decision is None
    Patient.objects.filter(pk=patient.pk).update(clinician=None)  # solo: no clinic to call
    assert check().clinician is None
    missing = lean.today_page(10**9, today)
    assert missing == lean.TodayPage(None, None, 0, None)
