"""Alerts: a red flag or contact_prescriber e-mails the clinician once, after commit, with no
health detail; `send_due_alerts` raises missed check-ins and overdue acknowledgements once.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
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
