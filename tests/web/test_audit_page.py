"""The administrator's audit page: filters, pages, and the CSV with the same filters."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils.timezone import now

from taper.web.clinic.audit import record
from taper.web.clinic.models import AuditEvent
from tests.web.conftest import Cast


@pytest.fixture
def trail(cast: Cast, client: Client) -> Client:
    """Sam's clinician looks at Sam's record; Kim's record is refused to the other clinician."""
    client.force_login(cast.clinician)
    client.get(f"/patients/{cast.patient.pk}/")
    client.force_login(cast.other_clinician)
    client.get(f"/patients/{cast.other_patient.pk}/")
    client.force_login(cast.admin)
    return client


def _rows(page: str) -> str:
    return page.split('data-testid="audit-rows"')[1].split("</table>")[0]


@pytest.mark.parametrize(("query", "present", "absent"), [
    ("user=okafor", "dr.okafor@example.org", "dr.reyes@example.org"),
    ("action=denied", "dr.okafor@example.org", ">Viewed<"),
    ("action=view&user=reyes", ">Viewed<", "dr.okafor"),
])
def test_the_audit_page_filters(cast: Cast, trail: Client, query: str, present: str,
                                absent: str) -> None:
    page = trail.get(f"/audit/?{query}")
    assert page.status_code == 200
    rows = _rows(page.content.decode())
    assert present in rows and absent not in rows


def test_the_audit_page_filters_by_patient_and_date(cast: Cast, trail: Client) -> None:
    rows = _rows(trail.get(f"/audit/?patient={cast.other_patient.pk}&action=denied").content.decode())
    assert "patient " + str(cast.other_patient.pk) in rows and "dr.reyes" not in rows
    today = now().date()
    assert "No rows match" in trail.get(f"/audit/?since={today + timedelta(days=1)}").content.decode()
    assert "dr.okafor" in _rows(trail.get(f"/audit/?since={today}&until={today}").content.decode())
    bad = trail.get(f"/audit/?since={today}&until={today - timedelta(days=1)}").content.decode()
    assert "must be on or after" in bad


def test_the_audit_page_is_paginated(cast: Cast, trail: Client) -> None:
    for i in range(60):
        record("view", "patient_detail", actor=cast.clinician, record_type="patient", record_id=i)
    first = trail.get("/audit/?user=reyes").content.decode()
    assert 'id="audit-older"' in first and "page 1 of 2" in first
    second = trail.get("/audit/?user=reyes&page=2").content.decode()
    assert 'id="audit-newer"' in second and "page 2 of 2" in second


@pytest.mark.hazard("HZ-098")
def test_the_csv_has_every_matching_row_and_never_a_formula(cast: Cast, trail: Client) -> None:
    trail.post("/logout/")
    trail.post("/login/", {"username": "=HYPERLINK(\"http://evil\")", "password": "x"})
    trail.force_login(cast.admin)
    response = trail.get("/audit/export.csv?action=login_failed")
    assert response["Content-Disposition"] == 'attachment; filename="audit-trail.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    # The address tried, as the login form normalises it (lower case: one spelling per account).
    assert [r["actor"] for r in rows] == ["'=hyperlink(\"http://evil\")"]
    assert rows[0]["action"] == "login_failed" and rows[0]["at_utc"].endswith("+00:00")
    everything = trail.get("/audit/export.csv")
    count = len(list(csv.reader(io.StringIO(b"".join(everything.streaming_content).decode())))) - 1
    assert count == AuditEvent.objects.count()  # rows stream after the export's own row is written
