"""Two `taper serve` processes (gunicorn, two workers each) on one PostgreSQL database under
concurrent load: each alert and reminder e-mailed exactly once, rate limits and lockouts
shared, no check-in lost or duplicated. PostgreSQL only (the suite's PostgreSQL run).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from taper.web.clinic import services
from taper.web.clinic.models import Alert, ApiToken, AuditEvent, CheckIn, Decision, Patient
from taper.web.clinic.services.alerts import SUBJECT
from tests.ops.servers import ROOT, Server, logged_in, server_env
from tests.web import factories
from tests.web.conftest import Cast
from tests.web.factories import PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason=(
        "several app servers share one PostgreSQL database; SQLite is one file for one server "
        "(run under scripts/with-postgres)")),
]
LIMIT = 8  # TAPER_TOKEN_RATE_LIMIT for the two servers


@pytest.fixture
def servers(tmp_path: Path, cast: Cast) -> Iterator[tuple[Server, Server]]:
    pair = tuple(Server(name, server_env(connection.settings_dict, tmp_path / name,
                                         TAPER_TOKEN_RATE_LIMIT=str(LIMIT)), tmp_path / f"{name}.out")
                 for name in ("a", "b"))
    try:
        for server in pair:
            server.start()
        for server in pair:
            server.wait_ready()
        yield pair  # type: ignore[misc]
    finally:
        for server in pair:
            server.stop()


def patients(cast: Cast, count: int) -> list[tuple[Patient, str]]:
    """`count` patients of the cast's clinician with plans in force, each with an API token."""
    people = [cast.patient, cast.other_patient]
    for n in range(count - 2):
        person = factories.patient(cast.clinician, f"p{n}@example.org", f"Patient {n}", "Asia/Tokyo")
        factories.active_plan(person, cast.clinician)
        people.append(person)
    return [(p, services.create_api_token(user=p.user, name="app", actor=None)[1]) for p in people]


def post_checkin(base: str, person: Patient, token: str, data: dict[str, object]) -> int:
    answer = requests.post(f"{base}/api/patients/{person.pk}/checkins", json=data, timeout=120,
                           headers={"Authorization": f"Bearer {token}"})
    return answer.status_code


def sent_emails(*outputs: str) -> int:
    return sum(text.count(f"Subject: {SUBJECT}") for text in outputs)


@pytest.mark.hazard("HZ-169")
def test_two_servers_send_each_alert_once_and_lose_no_checkin(
        cast: Cast, servers: tuple[Server, Server]) -> None:
    a, b = servers
    people = patients(cast, 6)
    jobs = []
    for person, token in people:  # each red flag sent twice at once: once to each server
        today = factories.today_of(person)
        flag = factories.quiet_checkin(today, symptoms={"hallucinations": 1})
        jobs += [(a.url, person, token, flag), (b.url, person, token, flag)]
    doctor = cast.clinician  # logging in on both servers meanwhile
    doctor.password = PBKDF2PasswordHasher().encode(PASSWORD, "two-servers-salt")
    doctor.save(update_fields=["password"])
    logins = [(a, b)[n % 2].url for n in range(6)]
    with ThreadPoolExecutor(len(jobs) + len(logins)) as pool:
        checkins = pool.map(lambda job: post_checkin(*job), jobs)
        signed = pool.map(lambda url: logged_in(url, doctor.email, PASSWORD)[1], logins)
        statuses, login_statuses = list(checkins), list(signed)
    assert statuses == [201] * len(jobs) and login_statuses == [302] * len(logins)
    assert AuditEvent.objects.filter(action="login", actor=doctor).count() == len(logins)

    for person, _ in people:  # both kept (the later amends the earlier), one hold, one alert
        stored = list(CheckIn.objects.filter(patient=person).order_by("id"))
        assert len(stored) == 2 and stored[1].amends_id == stored[0].pk, person
        assert Decision.objects.filter(patient=person).count() == 2
        assert Decision.objects.filter(patient=person, held_version__isnull=False).count() == 1
        assert Alert.objects.filter(patient=person, kind="red_flag").count() == 1
    deadline = time.monotonic() + 120  # the sender threads of the workers, after commit
    while Alert.objects.filter(sent_at__isnull=True).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    for server in servers:
        server.stop()  # flushes and ends the workers: every e-mail printed is in the files
    alerts = list(Alert.objects.all())
    assert len(alerts) == len(people) and all(x.sent_at and x.attempts == 1 for x in alerts)
    assert sent_emails(a.output(), b.output()) == len(people)

    # A reminder (a missed check-in) from `taper sendalerts` run on both machines at once.
    quiet = factories.patient(cast.clinician, "quiet@example.org", "Quiet One", "UTC")
    factories.active_plan(quiet, cast.clinician, started_days_ago=10)
    day = factories.today_of(quiet) - timedelta(days=4)
    services.record_checkin(patient=quiet, entered_by=quiet.user,
                            data=factories.quiet_checkin(day), today=day)
    env = a.env
    runs = [subprocess.Popen([sys.executable, "-m", "taper", "sendalerts"], env=env, cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(2)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    missed = list(Alert.objects.filter(patient=quiet))
    assert len(missed) == 1 and missed[0].kind == "missed_checkin" and missed[0].attempts == 1
    assert sent_emails(*outputs) == 1


@pytest.mark.hazard("HZ-169")
def test_a_lockout_counts_failures_on_both_servers(
        cast: Cast, servers: tuple[Server, Server]) -> None:
    a, b = servers
    kim, sam = cast.other_patient.user.email, cast.patient.user.email
    for person in (cast.patient, cast.other_patient):  # a hash the servers read (tests use MD5)
        person.user.password = PBKDF2PasswordHasher().encode(PASSWORD, "two-servers-salt")
        person.user.save(update_fields=["password"])
    for n in range(4):  # four failures, two on each server: just under the limit of five
        assert logged_in((a, b)[n % 2].url, kim, "wrong-password-0")[1] == 200
    assert logged_in(b.url, kim, PASSWORD)[1] == 302  # still allowed (and the count resets)
    for n in range(5):  # five failures across the two: locked on both
        logged_in((a, b)[n % 2].url, sam, "wrong-password-0")
    assert logged_in(a.url, sam, PASSWORD)[1] == 429
    assert logged_in(b.url, sam, PASSWORD)[1] == 429


@pytest.mark.hazard("HZ-169")
def test_a_tokens_rate_limit_is_shared_by_both_servers(
        cast: Cast, servers: tuple[Server, Server]) -> None:
    a, b = servers
    _, token = services.create_api_token(user=cast.clinician, name="ehr", actor=None)
    if time.time() % 60 > 40:  # the fixed window is a clock minute: start a fresh one
        time.sleep(61 - time.time() % 60)
    urls = [(a, b)[n % 2].url for n in range(2 * LIMIT)]
    with ThreadPoolExecutor(len(urls)) as pool:
        statuses = list(pool.map(lambda url: requests.get(
            f"{url}/api/dashboard", headers={"Authorization": f"Bearer {token}"},
            timeout=120).status_code, urls))
    assert sorted(statuses) == [200] * LIMIT + [429] * LIMIT, statuses
    assert ApiToken.objects.get(user=cast.clinician, name="ehr").window_count == LIMIT
