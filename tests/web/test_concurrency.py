"""Two people at once: check-ins for the same patient, approvals of the same plan, two
`taper sendalerts`. Real threads with their own database connections (SQLite: the file
database in WAL mode; PostgreSQL: row locks); one clear outcome, nothing lost.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection

from taper.web.clinic import services
from taper.web.clinic.models import Alert, CheckIn, Decision, LifecycleEvent, PlanVersion
from taper.web.clinic.services import alerts
from tests.web import factories
from tests.web.conftest import Cast

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*jobs: Callable[[], object]) -> list[object]:
    """Run the jobs in threads released together; each result or the exception it raised."""
    start = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def work(i: int, job: Callable[[], object]) -> None:
        try:
            start.wait()
            results[i] = job()
        except Exception as exc:  # the outcome under test, kept for the assertions
            results[i] = exc
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.hazard("HZ-115")
def test_two_checkins_at_once_are_both_kept_with_one_hold_and_one_alert(cast: Cast) -> None:
    today = factories.today_of(cast.patient)
    data = factories.quiet_checkin(today, symptoms={"hallucinations": 1})

    def send(by: Any) -> Decision:
        return services.record_checkin(patient=cast.patient, entered_by=by, data=data, today=today)

    results = at_once(lambda: send(cast.patient.user), lambda: send(cast.clinician))
    assert all(isinstance(r, Decision) for r in results), results
    stored = list(CheckIn.objects.filter(patient=cast.patient, date=today).order_by("id"))
    assert len(stored) == 2 and stored[1].amends_id == stored[0].pk
    assert Decision.objects.filter(patient=cast.patient, held_version__isnull=False).count() == 1
    assert PlanVersion.objects.filter(plan__patient=cast.patient, status="active").count() == 1
    assert Alert.objects.filter(kind="red_flag").count() == 1 and len(mail.outbox) == 1


@pytest.mark.hazard("HZ-116")
def test_two_approvals_at_once_approve_once_and_refuse_the_other_clearly(cast: Cast) -> None:
    draft = factories.draft_plan(cast.patient, cast.clinician)

    def approve() -> PlanVersion:
        return services.approve_plan(version=draft, clinician=cast.clinician, note="ok")

    results = at_once(approve, approve)
    done = [r for r in results if isinstance(r, PlanVersion)]
    refused = [r for r in results if isinstance(r, services.ServiceError)]
    assert len(done) == 1 and len(refused) == 1, results
    assert "only a draft can be approved" in str(refused[0])
    assert LifecycleEvent.objects.filter(version=draft, kind="approved").count() == 1


@pytest.mark.hazard("HZ-110")
def test_two_senders_at_once_send_each_alert_once(cast: Cast) -> None:
    for person in (cast.patient, cast.other_patient):  # both silent for three days
        day = factories.today_of(person) - timedelta(days=3)
        services.record_checkin(patient=person, entered_by=person.user,
                                data=factories.quiet_checkin(day), today=day)
    results = at_once(alerts.send_due_alerts, alerts.send_due_alerts, alerts.send_due_alerts)
    assert not [r for r in results if isinstance(r, Exception)], results
    raised = list(Alert.objects.all())
    assert len(raised) == 2 and all(a.sent_at and a.attempts == 1 for a in raised)
    assert len(mail.outbox) == 2
    assert sum(r.sent for r in results) == 2  # type: ignore[attr-defined]
