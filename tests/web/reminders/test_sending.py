"""`send_due_reminders`: each reminder once, at the patient's time, with no health detail."""

from __future__ import annotations

from datetime import time
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection

from taper.web.clinic import services as clinic
from taper.web.clinic.models import AuditEvent, Patient
from taper.web.reminders import sending
from taper.web.reminders.models import Reminder
from taper.web.reminders.services import set_reminder_settings
from tests.web import factories
from tests.web.conftest import Cast
from tests.web.reminders.plans import LIQUID, local
from tests.web.test_concurrency import at_once

# Words that would tell a reader of the inbox about the person's health or medicine.
HEALTH_WORDS = ("baclofen", "mg", "dose", "symptom", "seizure", "hallucination", "taper plan",
                "tablet", "liquid", "solution", "ml", "withdrawal")


def wants_checkin_email(person: Patient, at: time = time(20, 0)) -> None:
    set_reminder_settings(patient=person, actor=person.user, checkin_email=True, checkin_time=at)


def no_health_words(message: mail.EmailMessage) -> None:
    text = f"{message.subject}\n{message.body}".lower()
    found = [w for w in HEALTH_WORDS if w in text.replace("e-mail", "")]
    assert not found, (found, text)


@pytest.mark.hazard("HZ-031")
@pytest.mark.parametrize(("hour", "minute", "sent"), [(19, 59, 0), (20, 0, 1), (23, 30, 1)])
def test_a_checkin_reminder_leaves_from_the_chosen_time_and_not_before(
        cast: Cast, hour: int, minute: int, sent: int) -> None:
    wants_checkin_email(cast.patient)
    summary = sending.send_due_reminders(local(cast.patient, hour, minute))
    assert summary.checkin == sent and len(mail.outbox) == sent
    if sent:
        assert mail.outbox[0].to == [cast.patient.user.email]
        assert "https://taper.example.org/checkin/" in mail.outbox[0].body


@pytest.mark.hazard("HZ-031")
def test_a_second_run_sends_nothing_more_and_the_next_day_sends_again(cast: Cast) -> None:
    wants_checkin_email(cast.patient)
    assert sending.send_due_reminders(local(cast.patient, 20, 5)).checkin == 1
    assert sending.send_due_reminders(local(cast.patient, 21, 0)).checkin == 0
    assert sending.send_due_reminders(local(cast.patient, 20, 5, days=1)).checkin == 1
    assert len(mail.outbox) == 2 and Reminder.objects.filter(sent_at__isnull=False).count() == 2
    assert AuditEvent.objects.filter(event="reminder_sent").count() == 2


def test_no_reminder_once_checked_in_or_when_turned_off(cast: Cast) -> None:
    wants_checkin_email(cast.patient)
    today = factories.today_of(cast.patient)
    clinic.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                          data=factories.quiet_checkin(today), today=today)
    set_reminder_settings(patient=cast.other_patient, actor=cast.other_patient.user,
                          checkin_email=False, checkin_time=time(6, 0))
    assert sending.send_due_reminders(local(cast.patient, 23, 0)).checkin == 0
    assert mail.outbox == []


@pytest.mark.hazard("HZ-032")
def test_the_emails_hold_a_link_and_no_health_detail(cast: Cast, ana: Patient) -> None:
    wants_checkin_email(ana)
    summary = sending.send_due_reminders(local(ana, 21, 0))
    assert (summary.checkin, summary.refill) == (1, 1), summary
    for message in mail.outbox:
        no_health_words(message)
        assert "https://taper.example.org/" in message.body
    refill = next(m for m in mail.outbox if "pharmacy" in m.subject)
    assert "new medicine strength will be needed from" in refill.body
    assert LIQUID not in refill.body and "https://taper.example.org/today/" in refill.body


def test_a_refill_reminder_is_sent_once_for_its_day(ana: Patient) -> None:
    assert sending.send_due_reminders(local(ana, 9, 0)).refill == 1
    assert sending.send_due_reminders(local(ana, 10, 0)).refill == 0
    assert len(mail.outbox) == 1


def test_refill_emails_can_be_turned_off_and_the_notice_stays(ana: Patient) -> None:
    set_reminder_settings(patient=ana, actor=ana.user, refill_email=False)
    assert sending.send_due_reminders(local(ana, 9, 0)).refill == 0 and mail.outbox == []


def test_a_failed_send_is_retried_by_the_next_run(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    wants_checkin_email(cast.patient)

    def broken(*args: object, **kwargs: object) -> int:
        raise OSError("mail server down")

    monkeypatch.setattr(sending, "send_mail", broken)
    assert sending.send_due_reminders(local(cast.patient, 20, 30)).failed == 1
    monkeypatch.undo()
    assert sending.send_due_reminders(local(cast.patient, 20, 40)).checkin == 1
    assert len(mail.outbox) == 1


@pytest.mark.hazard("HZ-031")
def test_a_claim_left_by_a_dead_sender_is_taken_over_after_the_lease(cast: Cast) -> None:
    wants_checkin_email(cast.patient)
    first = local(cast.patient, 20, 0)
    Reminder.objects.create(patient=cast.patient, kind="checkin", day=first.date(), claimed_at=first)
    assert sending.send_due_reminders(first + sending.CLAIM_LEASE / 2).checkin == 0
    later = first + sending.CLAIM_LEASE + sending.CLAIM_LEASE / 10
    assert sending.send_due_reminders(later).checkin == 1
    assert Reminder.objects.get().attempts == 2 and len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.hazard("HZ-031")
def test_three_senders_at_once_send_each_reminder_exactly_once(cast: Cast, ana: Patient) -> None:
    """Real threads, each with its own connection (SQLite: the WAL file database with
    IMMEDIATE transactions; PostgreSQL: the unique index), as on two app servers."""
    for person in (cast.patient, cast.other_patient, ana):
        wants_checkin_email(person, time(0, 0))
    at = local(ana, 21, 0)
    results = at_once(*(lambda: sending.send_due_reminders(at) for _ in range(3)))
    assert not [r for r in results if isinstance(r, Exception)], results
    # Ana: a check-in and a refill reminder; Sam and Kim: a check-in reminder each.
    assert len(mail.outbox) == 4 and Reminder.objects.filter(sent_at__isnull=False).count() == 4
    assert sorted(m.to[0] for m in mail.outbox).count("ana@example.org") == 2
    assert sum(r.checkin + r.refill for r in results) == 4  # type: ignore[attr-defined]
    assert connection.vendor in ("sqlite", "postgresql")


def test_the_command_prints_one_line_and_exits_0_and_2_on_a_bad_flag(tmp_path: Path) -> None:
    from tests.web.test_cli import taper

    run = taper("sendreminders", tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["0 check-in and 0 refill reminder(s) sent, 0 failed"]
    assert taper("sendreminders", "--now", tmp_path=tmp_path).returncode == 2


def test_the_django_admin_command_sends_the_same_reminders(
        cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.management import call_command

    wants_checkin_email(cast.patient)
    monkeypatch.setattr(sending, "current_time", lambda: local(cast.patient, 20, 10))
    out = StringIO()
    call_command("sendreminders", stdout=out)
    assert out.getvalue().strip() == "1 check-in and 0 refill reminder(s) sent, 0 failed"
    assert len(mail.outbox) == 1
