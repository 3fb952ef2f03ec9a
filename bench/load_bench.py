"""`make bench`, load part: the real server (gunicorn, 2 workers, 127.0.0.1) under load.

Per database (SQLite, then a throwaway PostgreSQL from `scripts/with-postgres`), a child
process seeds a clinic in bulk (one real planner output and one real decision reused),
starts gunicorn on it in a temporary data folder, and runs a load generator in another
process (threads, http.client, loopback only, bounded in time) against three routes of
the same server: `GET /healthz` (trivial, no database), `POST /api/patients/{id}/checkins`
(each patient's first check-in of the day, with the patient's API token) and
`GET /api/dashboard` (a clinician with 200 patients). Measured at 1,000 patients, then
again after growing the clinic to 10,000. Figures only; nothing is asserted.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
ZONE = "America/New_York"
PER_CLINICIAN = 200
DAYS = 180  # days of check-ins before today's
SIZES = (1000, 10000)
SEED_BUDGET = 150.0  # seconds of bulk seeding per database; fewer days beyond it (printed)
SECONDS = 10.0  # per measurement
THREADS = 4
MARK = "load_bench\t"


def run() -> list[tuple[str, str]]:
    """Both databases, each in a child process; returns the children's figures."""
    rows: list[tuple[str, str]] = []
    for label, prefix in (("SQLite", []), ("PostgreSQL", [str(ROOT / "scripts" / "with-postgres")])):
        with tempfile.TemporaryDirectory(prefix="taper-load-") as data:
            env = {**os.environ, "TAPER_DATA_DIR": data, "PYTHONPATH": str(ROOT / "src"),
                   "DJANGO_SETTINGS_MODULE": "taper.web.settings", "TAPER_PG_PORT": "55437",
                   "TAPER_SECRET_KEY": "bench-only-" + "L0ad" * 14, "TAPER_SSL_REDIRECT": "0",
                   "TAPER_ALLOWED_HOSTS": "127.0.0.1", "TAPER_TOKEN_RATE_LIMIT": "100000000"}
            for name in ("DATABASE_URL", "DATABASE_URL_FILE", "TAPER_DEBUG", "TAPER_DEMO"):
                env.pop(name, None)
            done = subprocess.run([*prefix, sys.executable, __file__, "--child", label],
                                  env=env, capture_output=True, text=True, check=False)
        found = [line.removeprefix(MARK).split("\t", 1) for line in done.stdout.splitlines()
                 if line.startswith(MARK)]
        rows += [(f"{label}: {name}", figure) for name, figure in found]
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            rows.append((f"{label}: failed (exit {done.returncode})", last))
    return rows


def _report(name: str, figure: str) -> None:
    print(f"{MARK}{name}\t{figure}", flush=True)


# ---- the child: seed, serve, load ----------------------------------------------------------

class Clinic:
    """Clinicians of 200 patients each, grown in bulk from one real plan and decision."""

    def __init__(self) -> None:
        from django.contrib.auth.hashers import make_password

        from taper.web.clinic import demo, services
        from taper.web.clinic.engine import local_today

        self.today: date = local_today(ZONE)
        start = self.today - timedelta(days=DAYS)
        self.password = make_password("bench-password-2026")
        self.doctors: list[Any] = []
        first = self._doctor()
        model, _ = services.create_patient(clinician=first, email="model@example.org",
                                           name="Model Patient", timezone=ZONE)
        request = demo.diarist_request(start, ZONE)
        request["strategy"] = {"kind": "fixed_mg", "step_mg": "5", "step_days": 20}  # 240 days
        draft = services.create_plan_draft(patient=model, author=first, request_data=request,
                                           today=start)
        services.approve_plan(version=draft, clinician=first, note="Bench plan.")
        version = services.activate(version=draft, actor=first)
        day = self.today - timedelta(days=1)
        decision = services.record_checkin(patient=model, entered_by=model.user,
                                           data=self.checkin(day), today=day)
        self.request, self.plan_json = version.request, version.plan_json
        self.decision_json, self.action = decision.data, decision.action
        self.patients: list[tuple[int, int]] = []  # (patient id, user id)
        self.checkins = 0

    def _doctor(self) -> Any:
        from taper.web.clinic.models import User

        doctor = User.objects.create(email=f"dr{len(self.doctors)}@bench.example.org",
                                     role="clinician", password=self.password)
        self.doctors.append(doctor)
        return doctor

    def checkin(self, day: date) -> dict[str, Any]:
        return {"date": day.isoformat(), "symptoms": {}, "spasticity": 3, "sleep_quality": 7}

    def grow_to(self, size: int, days: int, batch: int = 100) -> float:
        began = time.perf_counter()
        while len(self.patients) < size:
            self._add(min(batch, size - len(self.patients)), days)
        return time.perf_counter() - began

    def _add(self, count: int, days: int) -> None:
        from django.db import transaction
        from django.utils.timezone import now

        from taper.web.clinic.models import CheckIn, Decision, Patient, Plan, PlanVersion, User

        first = len(self.patients)
        if first % PER_CLINICIAN == 0:
            self._doctor()
        doctor = self.doctors[-1]
        at, zone = now(), ZoneInfo(ZONE)
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(email=f"p{first + i}@bench.example.org", role="patient", password=self.password)
                for i in range(count))
            patients = Patient.objects.bulk_create(
                Patient(user=u, clinician=doctor, name=f"Patient {first + i:05d}", timezone=ZONE,
                        created_by=doctor) for i, u in enumerate(users))
            plans = Plan.objects.bulk_create(
                Plan(patient=p, drug="baclofen", created_by=doctor) for p in patients)
            versions = PlanVersion.objects.bulk_create(
                PlanVersion(plan=plan, number=1, request=self.request, plan_json=self.plan_json,
                            status="active", created_by=doctor, approved_by=doctor, approved_at=at)
                for plan in plans)
            dates = [self.today - timedelta(days=back) for back in range(days, 0, -1)]
            stamps = [datetime.combine(d, datetime.min.time(), zone) + timedelta(hours=20)
                      for d in dates]
            checkins = CheckIn.objects.bulk_create(
                (CheckIn(patient=p, date=d, data=self.checkin(d), entered_by=u, created_at=s)
                 for p, u in zip(patients, users, strict=True)
                 for d, s in zip(dates, stamps, strict=True)), batch_size=5000)
            version_of = {p.pk: v.pk for p, v in zip(patients, versions, strict=True)}
            Decision.objects.bulk_create(
                (Decision(patient_id=c.patient_id, checkin_id=c.pk, version_id=version_of[c.patient_id],
                          today=c.date, action=self.action,
                          data={**self.decision_json, "today": c.date.isoformat()},
                          created_at=c.created_at) for c in checkins), batch_size=5000)
        self.patients += [(p.pk, u.pk) for p, u in zip(patients, users, strict=True)]
        self.checkins += len(checkins)


def _tokens(user_ids: list[int]) -> list[str]:
    """An API token for each user, made in bulk (only hashes are stored, as by the service)."""
    from taper.web.clinic.models import ApiToken

    secrets = [f"taper_bench{uid}x{os.urandom(16).hex()}" for uid in user_ids]
    ApiToken.objects.bulk_create(
        ApiToken(user_id=uid, name="bench", token_hash=hashlib.sha256(s.encode()).hexdigest(),
                 prefix=s[:8]) for uid, s in zip(user_ids, secrets, strict=True))
    return secrets


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve() -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "taper.web.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            if _request(port, "GET", "/healthz")[0] == 200:
                return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not answer /healthz")


def _request(port: int, method: str, path: str, token: str | None = None,
             body: bytes | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(method, path, body=body, headers=headers)
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def _load(port: int, kind: str, work: list[list[str]]) -> dict[str, Any]:
    """Run the load generator in its own process; its JSON summary."""
    done = subprocess.run([sys.executable, __file__, "--load", str(port), kind],
                          input=json.dumps(work), capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout))


def _figure(result: dict[str, Any]) -> str:
    times = sorted(result["ms"])
    if not times:
        return f"no answers ({result['errors']} errors)"

    def pick(q: float) -> float:
        return times[min(len(times) - 1, int(q * len(times)))]
    return (f"{result['rate']:.0f}/s, median {statistics.median(times):.1f} ms, "
            f"p95 {pick(0.95):.1f} ms, p99 {pick(0.99):.1f} ms (n={len(times)}, "
            f"errors {result['errors']})")


def child(label: str) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection

    clinic = Clinic()
    dashboard_token: str | None = None
    used, days = 0, DAYS
    waiting: list[tuple[int, int]] = []  # seeded patients not yet sent today's check-in
    for size in SIZES:
        took = clinic.grow_to(size, days)
        with connection.cursor() as cursor:  # statistics as autovacuum would leave them
            cursor.execute("ANALYZE")
        _report(f"seeded {size:,} patients under {len(clinic.doctors) - 1} clinicians",
                f"{clinic.checkins:,} check-ins and as many decisions; the {size - used:,} "
                f"added now have {days} days each ({took:.0f} s)")
        if dashboard_token is None:  # the first clinician of 200: the same at both sizes
            dashboard_token = _tokens([clinic.doctors[1].pk])[0]
        # Today's first check-in of each; those with the longest history first, so both
        # sizes measure check-ins against 180 days of history while they last.
        # At the first size only half of them, so the second size still has some.
        pool = (waiting + clinic.patients[used:])[:2000] if used else clinic.patients[:size // 2]
        long_history = len(waiting) if used else len(pool)
        secrets = _tokens([uid for _, uid in pool])
        connection.close()  # the server's workers open their own
        server, port = _serve()
        try:
            body = json.dumps(clinic.checkin(clinic.today))
            results = {
                "trivial GET /healthz": _load(port, "healthz", [[""]]),
                "check-in POST /api/patients/{id}/checkins": _load(
                    port, "checkin", [[f"/api/patients/{pid}/checkins", s, body]
                                      for (pid, _), s in zip(pool, secrets, strict=True)]),
                f"dashboard GET /api/dashboard ({PER_CLINICIAN} patients)": _load(
                    port, "dashboard", [["/api/dashboard", dashboard_token]]),
            }
        finally:
            server.terminate()
            server.wait(10)
        sent = results["check-in POST /api/patients/{id}/checkins"]["pulled"]
        waiting = pool[sent:] if used else pool[sent:] + clinic.patients[size // 2:size]
        _report(f"{size:,} patients: check-ins sent", f"{sent}, of them {min(sent, long_history)} "
                f"by patients with {DAYS} days of history, the rest {days}")
        for name, result in results.items():
            _report(f"{size:,} patients: {name}", _figure(result))
        trivial = results["trivial GET /healthz"]["rate"]
        checkin = results["check-in POST /api/patients/{id}/checkins"]["rate"]
        _report(f"{size:,} patients: check-in throughput / trivial throughput",
                f"{checkin / trivial:.0%}" if trivial else "n/a")
        if size == SIZES[0]:  # the rest of the clinic gets the days that fit the budget
            per_row = took / max(1, clinic.checkins)
            days = max(7, min(DAYS, int((SEED_BUDGET - took) / per_row / (SIZES[1] - size))))
        used = size


def load(port: int, kind: str) -> None:
    """The load generator: THREADS threads for SECONDS, each request on a new connection."""
    work = json.loads(sys.stdin.read())
    lock, ms, errors = threading.Lock(), [], [0]
    queue = iter(work) if kind == "checkin" else None
    end = time.perf_counter() + SECONDS

    def worker() -> None:
        while time.perf_counter() < end:
            if queue is not None:
                with lock:
                    item = next(queue, None)
                if item is None:
                    return
                path, token, body = item
                method, data, want = "POST", body.encode(), 201
            else:
                path, token = ("/healthz", None) if kind == "healthz" else work[0]
                method, data, want = "GET", None, 200
            began = time.perf_counter()
            try:
                status, _ = _request(port, method, path, token, data)
            except OSError:
                status = 0
            took = (time.perf_counter() - began) * 1000
            with lock:
                if status == want:
                    ms.append(took)
                else:
                    errors[0] += 1

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    print(json.dumps({"ms": ms, "errors": errors[0], "rate": len(ms) / elapsed,
                      "pulled": len(ms) + errors[0]}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
    elif sys.argv[1:2] == ["--load"]:
        load(int(sys.argv[2]), sys.argv[3])
    else:
        for row_name, row_figure in run():
            print(f"  {row_name}: {row_figure}")
