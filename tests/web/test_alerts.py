"""Alerts: a red flag or contact_prescriber e-mails the clinician once, after commit, with no
health detail; `send_due_alerts` raises missed check-ins and overdue acknowledgements once.
In production the e-mail leaves from a sender thread, so the check-in does not wait for it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.test import Client
from django.urls import reverse
from django.utils.timezone import now

from taper.web.clinic import services
from taper.web.clinic.models import Alert, AuditEvent, Decision
from taper.web.clinic.services import alerts
from tests.web import factories
from tests.web.conftest import Cast

RED_FLAG = {"symptoms": {"hallucinations": 1}}
ASKS_PRESCRIBER = {"doses_taken": []}  # every dose time missed


def check_in(cast: Cast, capture: Any, back: int = 0, **extra: Any) -> Decision:
    day = factories.today_of(cast.patient) - timedelta(days=back)
    with capture(execute=True):
        return services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                       data=factories.quiet_checkin(day, **extra), today=day)


@pytest.fixture
def kim_checked_in(cast: Cast) -> None:
    """Kim, the clinician's other patient, checked in today: no missed check-in of hers."""
    services.record_checkin(patient=cast.other_patient, entered_by=cast.other_patient.user,
                            data=factories.quiet_checkin(factories.today_of(cast.other_patient)))


@pytest.mark.hazard("HZ-110")
@pytest.mark.parametrize(("extra", "kind"), [(RED_FLAG, "red_flag"),
                                              (ASKS_PRESCRIBER, "contact_prescriber")])
def test_a_flagged_decision_emails_the_clinician_once_after_commit(
        cast: Cast, django_capture_on_commit_callbacks: Any, extra: dict[str, Any], kind: str) -> None:
    decision = check_in(cast, django_capture_on_commit_callbacks, **extra)
    alert = Alert.objects.get()
    assert (alert.kind, alert.decision_id, alert.recipient_id) == (kind, decision.pk, cast.clinician.pk)
    assert alert.sent_at is not None and len(mail.outbox) == 1
    assert mail.outbox[0].to == [cast.clinician.email]
    assert AuditEvent.objects.filter(event="alert_sent", record_id=alert.pk).count() == 1


@pytest.mark.hazard("HZ-110")
def test_a_retried_or_amended_checkin_sends_nothing_more(
        cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    for _ in range(3):
        check_in(cast, django_capture_on_commit_callbacks, **RED_FLAG)
    assert Alert.objects.count() == 1 and len(mail.outbox) == 1
    summary = alerts.send_due_alerts()  # Kim has missed check-ins; Sam's red flag is done
    assert summary.sent == summary.missed_checkin == 1
    assert Alert.objects.get(kind="red_flag").attempts == 1


def test_nothing_leaves_before_the_checkin_commits(cast: Cast,
                                                   django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                data=factories.quiet_checkin(factories.today_of(cast.patient),
                                                             **RED_FLAG))
        assert mail.outbox == []
    assert len(waiting) == 1 and mail.outbox == []


@pytest.mark.hazard("HZ-111")
def test_the_email_names_no_patient_symptom_or_drug(cast: Cast,
                                                    django_capture_on_commit_callbacks: Any) -> None:
    decision = check_in(cast, django_capture_on_commit_callbacks, **RED_FLAG)
    sent = mail.outbox[0]
    assert sent.subject == "Taper: a patient needs your attention"
    text = (sent.subject + sent.body).lower()
    for secret in ("sam", "patel", "hallucination", "baclofen", "mg", "emergency", "sam@example"):
        assert secret not in text
    assert f"/decisions/{decision.pk}/" in sent.body and "urgent" in sent.body


def test_a_quiet_checkin_or_a_patient_planning_alone_raises_no_alert(
        cast: Cast, django_capture_on_commit_callbacks: Any, settings: Any) -> None:
    settings.SELF_REGISTRATION = True
    check_in(cast, django_capture_on_commit_callbacks)
    alone = services.self_register(email="solo@example.org", password=factories.PASSWORD,
                                   name="Solo", timezone="Europe/Paris")
    version = factories.draft_plan(alone, alone.user)
    services.activate(version=version, actor=alone.user)
    day = factories.today_of(alone)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_checkin(patient=alone, entered_by=alone.user,
                                data=factories.quiet_checkin(day, **RED_FLAG), today=day)
    assert Alert.objects.count() == 0 and mail.outbox == []


@pytest.mark.hazard("HZ-112")
def test_a_failed_email_stays_unsent_and_the_next_run_sends_it(
        cast: Cast, django_capture_on_commit_callbacks: Any, settings: Any,
        kim_checked_in: None) -> None:
    settings.EMAIL_BACKEND = "tests.web.test_alerts.BrokenBackend"
    decision = check_in(cast, django_capture_on_commit_callbacks, **RED_FLAG)
    assert decision.pk and Alert.objects.get().sent_at is None  # the check-in itself stands
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    summary = alerts.send_due_alerts()
    assert (summary.sent, summary.failed, len(mail.outbox)) == (1, 0, 1)
    assert Alert.objects.get().attempts == 2


class BrokenBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("no mail server")


@pytest.mark.hazard("HZ-113")
def test_missed_checkins_are_raised_after_the_plans_days_and_once(cast: Cast) -> None:
    for person in (cast.patient, cast.other_patient):  # both last checked in 2 days ago
        day = factories.today_of(person) - timedelta(days=2)
        services.record_checkin(patient=person, entered_by=person.user,
                                data=factories.quiet_checkin(day), today=day)
    cast.other_plan.plan.missed_checkin_days = 3
    cast.other_plan.plan.save()
    first = alerts.send_due_alerts()
    assert (first.missed_checkin, first.sent) == (1, 1)
    assert Alert.objects.get().patient_id == cast.patient.pk
    assert f"/patients/{cast.patient.pk}/" in mail.outbox[0].body
    again = alerts.send_due_alerts()
    assert (again.missed_checkin, again.sent, len(mail.outbox)) == (0, 0, 1)


@pytest.mark.hazard("HZ-114")
def test_a_red_flag_unacknowledged_after_four_hours_is_raised_again_once(
        cast: Cast, django_capture_on_commit_callbacks: Any, kim_checked_in: None) -> None:
    decision = check_in(cast, django_capture_on_commit_callbacks, **RED_FLAG)
    assert alerts.send_due_alerts(now() + timedelta(hours=3)).overdue_ack == 0
    later = now() + alerts.ACKNOWLEDGE_WITHIN + timedelta(minutes=1)  # the same day, in New York
    assert alerts.send_due_alerts(later).overdue_ack == 1
    assert alerts.send_due_alerts(later).overdue_ack == 0
    assert [a.kind for a in Alert.objects.order_by("id")] == ["red_flag", "overdue_ack"]
    assert Alert.objects.get(kind="overdue_ack").decision_id == decision.pk
    assert len(mail.outbox) == 2


def test_an_acknowledged_red_flag_is_not_overdue(cast: Cast,
                                                 django_capture_on_commit_callbacks: Any) -> None:
    decision = check_in(cast, django_capture_on_commit_callbacks, **RED_FLAG)
    services.acknowledge_decision(decision=decision, clinician=cast.clinician)
    assert alerts.send_due_alerts(now() + timedelta(hours=5)).overdue_ack == 0


def test_raising_is_audited_and_the_summary_is_one_line(cast: Cast) -> None:
    summary = alerts.send_due_alerts()
    assert AuditEvent.objects.filter(event="raise_due_alerts", action="change").exists()
    assert "\n" not in summary.line() and "e-mail(s) sent" in summary.line()
    assert getattr(alerts.raise_due_alerts, "__audited__", None) == "raise_due_alerts"


def test_the_command_prints_one_line_and_exits_0_and_2_on_a_bad_flag(tmp_path: Path) -> None:
    from tests.web.test_cli import taper

    run = taper("sendalerts", tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "0 missed check-in and 0 overdue acknowledgement alert(s) raised; 0 e-mail(s) sent, 0 failed"]
    assert taper("sendalerts", "--now", tmp_path=tmp_path).returncode == 2


def test_the_alerts_page_lists_the_clinicians_own_alerts_only(
        cast: Cast, client: Client, django_capture_on_commit_callbacks: Any) -> None:
    decision = check_in(cast, django_capture_on_commit_callbacks, **RED_FLAG)
    client.force_login(cast.clinician)
    page = client.get("/alerts/").content.decode()
    assert "Sam Patel" in page and f"/decisions/{decision.pk}/" in page and "sent " in page
    client.force_login(cast.other_clinician)
    assert "Sam Patel" not in client.get("/alerts/").content.decode()


class HangingBackend(locmem.EmailBackend):
    """A mail server that holds each message until the test releases it (then mail.outbox)."""

    entered = threading.Event()
    release = threading.Event()

    def send_messages(self, messages: Any) -> int:
        if threading.current_thread() is not threading.main_thread():  # never hang the test itself
            HangingBackend.entered.set()
            HangingBackend.release.wait(60)
        return super().send_messages(messages)


@pytest.fixture
def in_background(settings: Any, transactional_db: None) -> Iterator[None]:
    """Production's sender thread, on committed data (it has a connection of its own)."""
    settings.ALERT_EMAIL = "background"
    HangingBackend.entered, HangingBackend.release = threading.Event(), threading.Event()
    yield
    HangingBackend.release.set()
    assert alerts.sender.wait_idle(60)  # nothing left running into the next test


def red_flag_by_the_patient(cast: Cast, client: Client) -> str:
    client.force_login(cast.patient.user)
    answer = client.post(reverse("checkin"), {"red_flag": "hallucinations"})  # the first screen
    assert answer.status_code == 302
    return str(answer["Location"])


@pytest.mark.hazard("HZ-118")
def test_the_emergency_page_answers_while_the_alert_email_is_still_being_sent(
        cast: Cast, client: Client, settings: Any, in_background: None) -> None:
    settings.EMAIL_BACKEND = "tests.web.test_alerts.HangingBackend"
    page = client.get(red_flag_by_the_patient(cast, client)).content.decode()
    assert 'data-testid="emergency"' in page and mail.outbox == []
    assert HangingBackend.entered.wait(60)  # the sender thread is inside the mail server call
    alert = Alert.objects.get()
    assert alert.claimed_at is not None and alert.sent_at is None and mail.outbox == []
    HangingBackend.release.set()
    assert alerts.sender.wait_idle(60)
    alert.refresh_from_db()
    assert alert.sent_at is not None and alert.attempts == 1 and len(mail.outbox) == 1
    row = AuditEvent.objects.get(event="alert_sent", record_id=alert.pk)
    assert (row.via, row.path, row.actor_id) == ("sender", "", None)


@pytest.mark.hazard("HZ-112")
def test_a_failed_background_email_stays_unsent_and_the_next_run_sends_it(
        cast: Cast, client: Client, settings: Any, in_background: None,
        kim_checked_in: None) -> None:
    settings.EMAIL_BACKEND = "tests.web.test_alerts.BrokenBackend"
    red_flag_by_the_patient(cast, client)
    assert alerts.sender.wait_idle(60)
    alert = Alert.objects.get()
    assert (alert.sent_at, alert.claimed_at, alert.attempts) == (None, None, 1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    summary = alerts.send_due_alerts()
    assert (summary.sent, summary.failed, len(mail.outbox)) == (1, 0, 1)


@pytest.mark.hazard("HZ-117")
@pytest.mark.parametrize("handed_over", [True, False], ids=["process-ended", "queue-full"])
def test_an_alert_its_process_never_sent_is_sent_once_by_the_next_run(
        cast: Cast, client: Client, in_background: None, kim_checked_in: None,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, handed_over: bool) -> None:
    monkeypatch.setattr(alerts.sender, "submit", lambda alert_id: handed_over)  # never runs
    red_flag_by_the_patient(cast, client)
    assert Alert.objects.get().sent_at is None and mail.outbox == []
    assert ("background sender is full" in caplog.text) is not handed_over
    assert alerts.send_due_alerts().sent == 1
    assert alerts.send_due_alerts().sent == 0 and len(mail.outbox) == 1


@pytest.mark.hazard("HZ-117")
def test_an_alert_claimed_by_a_sender_that_died_is_sent_after_the_lease(
        cast: Cast, django_capture_on_commit_callbacks: Any, kim_checked_in: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alerts, "_send", lambda alert, via: True)  # claimed, then the process died
    check_in(cast, django_capture_on_commit_callbacks, **RED_FLAG)
    monkeypatch.undo()
    claimed = Alert.objects.get().claimed_at
    assert claimed is not None and mail.outbox == []
    assert alerts.send_due_alerts(claimed + alerts.CLAIM_LEASE - timedelta(seconds=1)).sent == 0
    assert alerts.send_due_alerts(claimed + alerts.CLAIM_LEASE + timedelta(seconds=1)).sent == 1
    assert Alert.objects.get().attempts == 2 and len(mail.outbox) == 1
