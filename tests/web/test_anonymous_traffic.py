"""Anonymous traffic is counted per minute and route, not written as a row each (issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db.models import Sum
from django.test import Client

from taper.web.clinic import services
from taper.web.clinic.audit import traffic
from taper.web.clinic.models import AnonymousTraffic, AuditEvent
from tests.web.conftest import Cast


def anonymous_count(action: str) -> int:
    return AnonymousTraffic.objects.filter(action=action).aggregate(n=Sum("count"))["n"] or 0


@pytest.mark.hazard("HZ-156")
def test_600_anonymous_requests_write_no_audit_row(cast: Cast, client: Client,
                                                   settings: Any) -> None:
    # Token guessing is throttled after 20 tries (accounts.throttle); here the audit counts.
    settings.THROTTLES = {**settings.THROTTLES, "token": (10_000, 600)}
    rows = AuditEvent.objects.count()
    for i in range(200):
        assert client.get(f"/feeds/not-a-token-{i}.ics").status_code == 404
        assert client.get("/api/dashboard").status_code == 401
        assert client.get("/invitation/guessed-link/").status_code == 404
    assert AuditEvent.objects.count() == rows
    assert anonymous_count("denied") == 600
    assert AnonymousTraffic.objects.count() <= 3 * 2  # three routes, at most two minutes


@pytest.mark.hazard("HZ-156")
def test_a_logged_in_refusal_and_an_anonymous_feed_export_stay_rows(cast: Cast,
                                                                    client: Client) -> None:
    token = services.create_calendar_feed(patient=cast.patient, actor=cast.patient.user)
    assert client.get(f"/feeds/{token}.ics").status_code == 200  # a patient's data left: a row
    client.force_login(cast.other_clinician)
    assert client.get(f"/patients/{cast.patient.pk}/").status_code == 404
    actions = list(AuditEvent.objects.order_by("-seq").values_list("action", "event")[:3])
    assert actions == [("denied", "patient_detail"), ("login", "login"),  # force_login's row
                       ("export", "calendar_feed")]
    assert anonymous_count("export") == anonymous_count("denied") == 0


def test_counters_are_per_minute_route_action_and_status(db: None) -> None:
    at = datetime(2026, 12, 4, 3, 0, 59, tzinfo=UTC)
    for when in (at, at.replace(second=0), at.replace(minute=1)):
        traffic.count(event="login", action="denied", status=429, at=when)
    traffic.count(event="login", action="denied", status=403, at=at)
    counts = sorted(AnonymousTraffic.objects.values_list("minute", "status", "count"))
    assert counts == [(at.replace(second=0), 403, 1), (at.replace(second=0), 429, 2),
                      (at.replace(minute=1, second=0), 429, 1)]
