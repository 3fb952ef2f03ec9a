"""Issue 16, responses: no-store on health data, JSON errors under /api, titles without
names, links from TAPER_SITE_URL, the data folder made or named, SQLite's durability."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from taper.web import settings as production
from taper.web.clinic import services
from taper.web.clinic.models import CheckIn
from tests.web import factories
from tests.web.apiclient import call, token_for
from tests.web.conftest import Cast
from tests.web.test_cli import taper


def _no_store(response: Any) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.hazard("HZ-127")
def test_hz127_pages_and_api_answers_with_health_data_are_never_stored(
        cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    for url in [reverse("desk"), reverse("patient_detail", args=[cast.patient.pk]),
                reverse("plan_detail", args=[cast.plan.pk]),
                reverse("journal_csv", args=[cast.patient.pk])]:
        page = client.get(url)
        assert page.status_code == 200 and _no_store(page), url
    sam = Client()
    sam.force_login(cast.patient.user)
    assert _no_store(sam.get(reverse("today")))
    answer = call(Client(), "get", f"/api/plans/{cast.plan.pk}", token_for(cast.clinician))
    assert answer.status_code == 200 and _no_store(answer)
    refused = call(Client(), "get", "/api/patients", None)
    assert refused.status_code == 401 and _no_store(refused)


@pytest.mark.hazard("HZ-128")
def test_hz128_no_page_title_names_the_patient(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    urls = [reverse("patient_detail", args=[cast.patient.pk]),
            reverse("plan_detail", args=[cast.plan.pk]),
            reverse("plan_new", args=[cast.patient.pk]),
            reverse("plan_change", args=[cast.plan.pk]), reverse("desk"),
            reverse("patient_list")]
    for url in urls:
        html = client.get(url).content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        assert title is not None and "Sam" not in title.group(1) and "Patel" not in title.group(1), url
        assert "Sam Patel" in html or url in (reverse("desk"),), url  # the name is on the page


@pytest.mark.hazard("HZ-131")
@pytest.mark.parametrize(("method", "url", "status"), [
    ("get", "/api/no-such-route", 404),
    ("get", "/api/patients/not-a-number/checkins", 404),
    ("delete", "/api/patients", 405),
    ("put", "/api/dashboard", 405),
])
def test_hz131_every_error_under_api_is_json(cast: Cast, client: Client, method: str, url: str,
                                              status: int) -> None:
    answer = call(client, method, url, token_for(cast.clinician))
    assert answer.status_code == status
    assert answer["Content-Type"].startswith("application/json") and answer.json()["detail"]


@pytest.mark.hazard("HZ-131")
def test_hz131_a_body_over_the_limit_is_a_json_413(cast: Cast, client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {**factories.quiet_checkin(factories.today_of(cast.patient)), "note": "x" * 2000}
    answer = call(client, "post", f"/api/patients/{cast.patient.pk}/checkins",
                  token_for(cast.patient.user), body)
    assert answer.status_code == 413 and answer.json()["detail"].startswith("the body must be")
    assert not CheckIn.objects.exists()


@pytest.mark.hazard("HZ-131")
def test_hz131_an_unexpected_error_under_api_is_a_json_500_without_details(
        cast: Cast, monkeypatch: pytest.MonkeyPatch, caplog: Any) -> None:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("secret internals")
    monkeypatch.setattr(services, "attention_list", broken)
    client = Client(raise_request_exception=False)
    answer = call(client, "get", "/api/dashboard", token_for(cast.clinician))
    assert answer.status_code == 500 and answer.json() == {"detail": "server error; try again",
                                                           "field": ""}
    assert "secret internals" not in answer.content.decode()
    page = Client(raise_request_exception=False)
    page.force_login(cast.patient.user)
    assert page.get(reverse("today")).status_code == 200  # the next user is served


@pytest.mark.hazard("HZ-129")
def test_hz129_alert_links_use_the_site_url(cast: Cast, settings: Any,
                                           django_capture_on_commit_callbacks: Any) -> None:
    settings.SITE_URL = "https://clinic.example.net"
    today = factories.today_of(cast.patient)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                data=factories.quiet_checkin(today, symptoms={"hallucinations": 1}))
    assert mail.outbox, "a red flag sends an alert"
    body = mail.outbox[-1].body
    assert "https://clinic.example.net/" in body and "localhost" not in body


@pytest.mark.hazard("HZ-129")
def test_hz129_production_refuses_to_start_without_a_site_url(tmp_path: Path) -> None:
    run = taper("adduser", "a@example.org", "--role", "admin", tmp_path=tmp_path,
                TAPER_DEBUG="0", TAPER_SECRET_KEY="k" * 60, TAPER_PASSWORD="a-long-password-1")
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    assert "TAPER_SITE_URL: required in production" in run.stderr


@pytest.mark.hazard("HZ-129")
@pytest.mark.parametrize("value", ["taper.example.org", "ftp://taper.example.org", "https://"])
def test_hz129_a_site_url_that_is_not_an_address_stops_the_start(
        monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from taper.web.env import envurl
    monkeypatch.setenv("TAPER_SITE_URL", value)
    with pytest.raises(ImproperlyConfigured, match="TAPER_SITE_URL: must be an address"):
        envurl("TAPER_SITE_URL", None)


@pytest.mark.hazard("HZ-130")
def test_hz130_a_missing_data_folder_is_created(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "deeper"
    run = taper("adduser", "a@example.org", "--role", "admin", tmp_path=tmp_path,
                TAPER_DATA_DIR=str(folder), TAPER_PASSWORD="a-long-password-1")
    assert run.returncode == 0, run.stderr
    assert (folder / "taper.sqlite3").exists()


@pytest.mark.hazard("HZ-130")
def test_hz130_a_data_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    run = taper("adduser", "a@example.org", "--role", "admin", tmp_path=tmp_path,
                TAPER_DATA_DIR=str(blocker / "data"), TAPER_PASSWORD="a-long-password-1")
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert run.stderr.startswith("taper") and "TAPER_DATA_DIR: cannot create" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.hazard("HZ-132")
def test_hz132_sqlite_commits_are_synced_to_disk(tmp_path: Path, django_db_blocker: Any) -> None:
    from django.db.backends.sqlite3.base import DatabaseWrapper

    config = {**production.sqlite_database(tmp_path / "t.sqlite3"), "TIME_ZONE": None,
              "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True,
              "ATOMIC_REQUESTS": False}
    wrapper = DatabaseWrapper(config, alias="durability-check")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    finally:
        wrapper.close()


@pytest.mark.hazard("HZ-129")
def test_hz129_an_invitation_link_is_on_the_site_url_not_the_requests_host(
        cast: Cast, client: Client, settings: Any) -> None:
    settings.SITE_URL = "https://clinic.example.net"
    made = call(client, "post", "/api/patients", token_for(cast.clinician),
                {"name": "Ada Byrne", "email": "ada@example.org"})
    assert made.status_code == 201
    assert made.json()["invitation_link"].startswith("https://clinic.example.net/invitation/")
