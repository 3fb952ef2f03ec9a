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
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from results import Result, parse, verdict  # noqa: E402  (bench/ is not a package)

ZONE = "America/New_York"
PER_CLINICIAN = 200
QUICK = os.environ.get("TAPER_BENCH_QUICK") == "1"  # `make bench-quick`: SQLite, 1,000 × 30 days
DAYS = 30 if QUICK else 180  # days of check-ins before today's
SIZES = (1000,) if QUICK else (1000, 10000)
SEED_BUDGET = 300.0  # seconds of bulk seeding per database; fewer days beyond it (printed)
SECONDS = 3.0 if QUICK else 10.0  # per measurement
THREADS = 4
WARM_UP = 6  # requests of each kind before measuring (not counted)
MARK = "load_bench\t"
# TAPER_BENCH_TRACE=1: the workers trace each request (bench/worker_trace.py) and the waits
# of the check-ins are reported (docs/performance.md, "Stop 14: the check-in's tail").
TRACE = os.environ.get("TAPER_BENCH_TRACE") == "1"


def run() -> list[tuple[str, str] | Result]:
    """Both databases, each in a child process; returns the children's figures and verdicts."""
    rows: list[tuple[str, str] | Result] = []
    databases = [("SQLite", []), ("PostgreSQL", [str(ROOT / "scripts" / "with-postgres")])]
    for label, prefix in databases[:1] if QUICK else databases:
        with tempfile.TemporaryDirectory(prefix="taper-load-") as data:
            env = {**os.environ, "TAPER_DATA_DIR": data, "PYTHONPATH": str(ROOT / "src"),
                   "DJANGO_SETTINGS_MODULE": "taper.web.settings",
                   "TAPER_PG_PORT": os.environ.get("TAPER_PG_PORT", "55437"),
                   "TAPER_SECRET_KEY": "bench-only-" + "L0ad" * 14, "TAPER_SSL_REDIRECT": "0",
                   "TAPER_ALLOWED_HOSTS": "127.0.0.1", "TAPER_TOKEN_RATE_LIMIT": "100000000",
                   "TAPER_SITE_URL": "https://taper.example.org"}
            for name in ("DATABASE_URL", "DATABASE_URL_FILE", "TAPER_DEBUG", "TAPER_DEMO"):
                env.pop(name, None)
            done = subprocess.run([*prefix, sys.executable, __file__, "--child", label],
                                  env=env, capture_output=True, text=True, check=False)
        found = [line.removeprefix(MARK).split("\t", 1) for line in done.stdout.splitlines()
                 if line.startswith(MARK)]
        rows += [(f"{label}: {name}", figure) for name, figure in found]
        rows += [r for r in map(parse, done.stdout.splitlines()) if r is not None]
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            rows.append((f"{label}: failed (exit {done.returncode})", last))
    return rows


def _report(name: str, figure: str) -> None:
    print(f"{MARK}{name}\t{figure}", flush=True)


# ---- the child: seed, serve, load ----------------------------------------------------------

class Clinic:
    """Clinicians of 200 patients each, grown in bulk from one real plan and decision.

    Users, patients, plans and plan versions go through the ORM's bulk_create (versions with
    their derived dates and dose changes, through services.versions.create_versions); the two
    big tables (check-ins and decisions, 180 a patient) are written by the fast path of each
    database (executemany on SQLite, COPY on PostgreSQL) with the values the ORM would store,
    read back through the ORM by `verify` at the end."""

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
        self.model_decision = decision
        self.request, self.plan_json = version.request, version.plan_json
        self.decision_json, self.action = decision.data, decision.action
        self.flagged = decision.flagged_for_clinician
        self.patients: list[tuple[int, int]] = []  # (patient id, user id)
        self.versions: list[int] = []  # each patient's active plan version
        self.days: list[int] = []  # each patient's days of history
        self.checkins = 0

    def _doctor(self) -> Any:
        from taper.web.clinic.models import User

        doctor = User.objects.create(email=f"dr{len(self.doctors)}@bench.example.org",
                                     role="clinician", password=self.password)
        self.doctors.append(doctor)
        return doctor

    def checkin(self, day: date) -> dict[str, Any]:
        return {"date": day.isoformat(), "symptoms": {}, "spasticity": 3, "sleep_quality": 7}

    def stamp(self, day: date) -> datetime:
        """When a seeded check-in (and its decision) was made: 20:00 on its day, local time."""
        return datetime.combine(day, datetime.min.time(), ZoneInfo(ZONE)) + timedelta(hours=20)

    def grow_to(self, size: int, days: int, batch: int = 100) -> float:
        from django.core.management.color import no_style
        from django.db import connection

        from taper.web.clinic.models import CheckIn, Decision

        began = time.perf_counter()
        history = self._history(days)
        with _bulk_settings(connection):
            while len(self.patients) < size:
                self._add(min(batch, size - len(self.patients)), days, history)
        with connection.cursor() as cursor:  # explicit ids were written: the server's come after
            for sql in connection.ops.sequence_reset_sql(no_style(), [CheckIn, Decision]):
                cursor.execute(sql)
        return time.perf_counter() - began

    def _history(self, days: int) -> list[tuple[Any, ...]]:
        """Per day of history, oldest first: the database values of the check-in's date,
        data and time, and of its decision's data, as the ORM would send them."""
        from django.db import connection

        from taper.web.clinic.models import CheckIn, Decision

        rows = []
        for back in range(days, 0, -1):
            day = self.today - timedelta(days=back)
            rows.append((_db_value(CheckIn, "date", day, connection),
                         _db_value(CheckIn, "data", self.checkin(day), connection),
                         _db_value(CheckIn, "created_at", self.stamp(day), connection),
                         _db_value(Decision, "data", {**self.decision_json, "today": day.isoformat()},
                                   connection)))
        return rows

    def _add(self, count: int, days: int, history: list[tuple[Any, ...]]) -> None:
        from django.db import transaction

        from taper.web.clinic.models import Patient, Plan, User

        first = len(self.patients)
        if first % PER_CLINICIAN == 0:
            self._doctor()
        doctor = self.doctors[-1]
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(email=f"p{first + i}@bench.example.org", role="patient", password=self.password)
                for i in range(count))
            patients = Patient.objects.bulk_create(
                Patient(user=u, clinician=doctor, name=f"Patient {first + i:05d}", timezone=ZONE,
                        created_by=doctor) for i, u in enumerate(users))
            plans = Plan.objects.bulk_create(
                Plan(patient=p, drug="baclofen", created_by=doctor) for p in patients)
            versions = self._versions(plans, doctor)
            added = [(p.pk, u.pk, v.pk) for p, u, v in zip(patients, users, versions, strict=True)]
            self._write_history(added, history)
        self.patients += [(pid, uid) for pid, uid, _ in added]
        self.versions += [vid for _, _, vid in added]
        self.days += [days] * count
        self.checkins += count * days

    def _versions(self, plans: list[Any], doctor: Any) -> list[Any]:
        """Each plan's active version 1: the model patient's request and plan."""
        from django.utils.timezone import now

        from taper.web.clinic.models import PlanVersion
        from taper.web.clinic.services.versions import create_versions

        at = now()
        return create_versions(  # with the derived dates and dose changes the desk reads
            PlanVersion(plan=plan, number=1, request=self.request, plan_json=self.plan_json,
                        status="active", created_by=doctor, approved_by=doctor, approved_at=at)
            for plan in plans)

    def _write_history(self, added: list[tuple[int, int, int]], history: list[tuple[Any, ...]]) -> None:
        """Each added patient's check-ins and decisions, with explicit ids (inside the caller's
        transaction)."""
        from django.db import connection
        from django.db.models import Max

        from taper.web.clinic.models import CheckIn, Decision

        checkin_id = first_checkin = (CheckIn.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        decision_id = (Decision.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        checkins, decisions = [], []
        for pid, uid, vid in added:
            for day, data, stamp, decided in history:
                checkins.append((checkin_id, pid, day, data, uid, stamp))
                decisions.append((decision_id, pid, checkin_id, vid, day, self.action, decided,
                                  self.flagged, stamp, ""))
                checkin_id += 1
                decision_id += 1
        _insert(connection, CheckIn, ("id", "patient", "date", "data", "entered_by", "created_at"),
                checkins)
        if connection.vendor != "postgresql":
            _insert(connection, Decision, ("id", "patient", "checkin", "version", "today", "action",
                                           "data", "flagged_for_clinician", "created_at",
                                           "applied_kind"), decisions)
            return
        # PostgreSQL parses each jsonb text it receives (35 µs for a decision's 1.2 kB, more
        # than all the rest of a row): each day's decision is parsed once here and copied
        # from the check-ins just written.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO clinic_decision (patient_id, checkin_id, version_id, today, action, data,"
                " flagged_for_clinician, created_at, applied_kind)"
                " SELECT c.patient_id, c.id, v.version, c.date, %s, d.data, %s, c.created_at, ''"
                " FROM clinic_checkin c"
                " JOIN unnest(%s::bigint[], %s::bigint[]) AS v (patient, version) ON v.patient = c.patient_id"
                " JOIN unnest(%s::date[], %s::jsonb[]) AS d (day, data) ON d.day = c.date"
                " WHERE c.id >= %s ORDER BY c.id",
                [self.action, self.flagged, [pid for pid, _, _ in added], [vid for _, _, vid in added],
                 [row[0] for row in history], [row[3] for row in history], first_checkin])

    def verify(self) -> None:
        """Read seeded rows back through the ORM and compare them with what the services
        wrote for the model patient; a wrong encoding fails here, loudly."""
        from taper.web.clinic.models import CheckIn, Decision

        model = self.model_decision
        day = model.today
        seeded_rows = 1 + sum(self.days)  # the model patient's and the bulk ones
        for table in (CheckIn.objects.filter(date__lt=self.today),
                      Decision.objects.filter(today__lt=self.today)):
            if (found := table.count()) != seeded_rows:
                raise RuntimeError(f"{found:,} {table.model.__name__} rows, not {seeded_rows:,}")
        picks = sorted({0, len(self.patients) // 2, len(self.patients) - 1})
        for index in picks:
            pid, uid = self.patients[index]
            days = self.days[index]
            got = list(CheckIn.objects.filter(patient_id=pid).select_related("decision")
                       .order_by("date", "id"))
            problems = []
            seeded = [c for c in got if c.date < self.today]
            if len(seeded) != days:
                problems.append(f"{len(seeded)} check-ins, not {days}")
            for checkin in (seeded[0], seeded[-1]) if seeded else ():
                want = (checkin.date, self.checkin(checkin.date), uid, self.stamp(checkin.date))
                have = (checkin.date, checkin.data, checkin.entered_by_id, checkin.created_at)
                if have != want:
                    problems.append(f"check-in {checkin.pk}: {have!r}, not {want!r}")
                decision = checkin.decision
                want_d = (pid, self.versions[index], checkin.date, self.action, self.flagged,
                          {**self.decision_json, "today": checkin.date.isoformat()},
                          checkin.created_at)
                have_d = (decision.patient_id, decision.version_id, decision.today, decision.action,
                          decision.flagged_for_clinician, decision.data, decision.created_at)
                if have_d != want_d:
                    problems.append(f"decision {decision.pk}: {have_d!r}, not {want_d!r}")
            same_day = next((c for c in seeded if c.date == day), None)
            if same_day is None or same_day.data != model.checkin.data or (
                    same_day.decision.data != model.data):
                problems.append(f"the check-in of {day} differs from the model patient's")
            if problems:
                raise RuntimeError(f"seeded patient {pid} does not read back as the ORM's: "
                                   + "; ".join(problems))


def _db_value(model: Any, name: str, value: Any, connection: Any) -> Any:
    """`value` as the ORM sends it to the database for `model.name` (JSON as text)."""
    prepared = model._meta.get_field(name).get_db_prep_save(value, connection)
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        if isinstance(prepared, Jsonb):  # Django's JSONField wraps its text for psycopg
            return (prepared.dumps or json.dumps)(prepared.obj)
    return prepared


def _insert(connection: Any, model: Any, names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Rows of `model` (values for the fields `names`, in that order) by the database's
    fastest path: COPY on PostgreSQL, executemany on SQLite."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


@contextmanager
def _bulk_settings(connection: Any) -> Iterator[None]:
    """On SQLite, no fsync and a larger page cache on the seeding connection only, restored
    afterwards (the server's connections keep the production settings)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        before = {}
        for name in ("synchronous", "cache_size"):
            cursor.execute(f"PRAGMA {name}")
            before[name] = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-262144")  # 256 MiB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute(f"PRAGMA {name}={int(value)}")



def _settle(connection: Any) -> None:
    """The seed checkpointed and on disk, so the server under test does not pay for it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _checkpoint_as_superuser(connection)  # the app's role may not (pg_checkpoint)
            return
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # The checkpoint fsyncs only the pages it copied; those written before (by automatic
    # checkpoints under synchronous=OFF) would otherwise be flushed by the server's first.
    fd = os.open(connection.settings_dict["NAME"], os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _checkpoint_as_superuser(connection: Any) -> None:
    """CHECKPOINT as `postgres` on the throwaway server (trust on its socket); if that
    role cannot connect, say so and go on without it."""
    import psycopg

    params = connection.get_connection_params()
    params = {k: v for k, v in params.items() if k in ("host", "port", "dbname")}
    try:
        with psycopg.connect(**params, user="postgres", autocommit=True) as admin:
            admin.execute("CHECKPOINT")
    except psycopg.Error as exc:
        _report("CHECKPOINT skipped", str(exc).splitlines()[0])


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
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning",
         *(["-c", str(ROOT / "bench" / "worker_trace.py")] if TRACE else [])],
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
    """One request on a new connection; `token` an API token, or "session=…" a cookie."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token and token.startswith("session="):
        headers["Cookie"] = "sessionid=" + token.removeprefix("session=")
    elif token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(method, path, body=body, headers=headers)
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def _workers(master: int) -> list[int]:
    """The gunicorn master's worker processes (their parent is the master)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(entry))
    return found


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes have used, from their own counters (/proc/<pid>/stat:
    utime and stime, fields 14 and 15, in clock ticks)."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _load(port: int, kind: str, work: list[list[str]], workers: list[int] | None = None
          ) -> dict[str, Any]:
    """Run the load generator in its own process; its JSON summary, with the workers' CPU
    per request (milliseconds) when their pids are given."""
    before = _cpu_seconds(workers) if workers else 0.0
    done = subprocess.run([sys.executable, __file__, "--load", str(port), kind],
                          input=json.dumps(work), capture_output=True, text=True, check=True)
    result = dict(json.loads(done.stdout))
    if workers:
        result["cpu_ms"] = (_cpu_seconds(workers) - before) * 1000 / max(1, result["pulled"])
    return result


def _p(result: dict[str, Any], q: float) -> float:
    times = sorted(result["ms"]) or [float("inf")]
    return float(times[min(len(times) - 1, int(q * len(times)))])


def _session(user_id: int) -> str:
    """A logged-in session for the user (as the login page would leave), as "session=…"."""
    from django.conf import settings
    from django.test import Client

    from taper.web.clinic.models import User

    browser = Client()
    browser.force_login(User.objects.get(pk=user_id))
    return "session=" + browser.cookies[settings.SESSION_COOKIE_NAME].value


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
        began = time.perf_counter()
        with connection.cursor() as cursor:  # statistics as autovacuum would leave them
            cursor.execute("ANALYZE")
        _settle(connection)
        clinic.verify()
        short = f", fewer than {DAYS} to fit the seeding budget of {SEED_BUDGET:.0f} s" if days < DAYS else ""
        _report(f"seeded {size:,} patients under {len(clinic.doctors) - 1} clinicians",
                f"{clinic.checkins:,} check-ins and as many decisions; the {size - used:,} "
                f"added now have {days} days each{short} ({took:.0f} s; then ANALYZE, checkpoint, "
                f"flush and read-back check {time.perf_counter() - began:.0f} s)")
        if dashboard_token is None:  # the first clinician of 200: the same at both sizes
            dashboard_token = _tokens([clinic.doctors[1].pk])[0]
            me_token = _tokens([clinic.patients[-1][1]])[0]  # a patient: GET /api/me
            today_session = _session(clinic.patients[-1][1])  # the same patient's Today
        # Today's first check-in of each; those with the longest history first, so both
        # sizes measure check-ins against 180 days of history while they last.
        # At the first size only half of them, so the second size still has some.
        pool = (waiting + clinic.patients[used:])[:2000] if used else clinic.patients[:size // 2]
        long_history = len(waiting) if used else len(pool)
        secrets = _tokens([uid for _, uid in pool])
        connection.close()  # the server's workers open their own
        server, port = _serve()
        try:
            workers = _workers(server.pid)
            body = json.dumps(clinic.checkin(clinic.today))
            # Each worker's first requests import the engine, read the knowledge files and fill
            # Django's caches: a few of each kind first, so the figures are the steady state.
            warm, warm_secrets = pool[:WARM_UP], secrets[:WARM_UP]
            pool, secrets = pool[WARM_UP:], secrets[WARM_UP:]
            for (pid, _), secret in zip(warm, warm_secrets, strict=True):
                _request(port, "POST", f"/api/patients/{pid}/checkins", secret, body.encode())
            for _ in range(WARM_UP):
                for path, credential in (("/api/me", me_token), ("/api/dashboard", dashboard_token),
                                         ("/today/", today_session)):
                    _request(port, "GET", path, credential)
            results = {
                "trivial GET /healthz": _load(port, "healthz", [[""]], workers),
                "authenticated read GET /api/me": _load(port, "me", [["/api/me", me_token]],
                                                        workers),
                "check-in POST /api/patients/{id}/checkins": _load(
                    port, "checkin", [[f"/api/patients/{pid}/checkins", s, body]
                                      for (pid, _), s in zip(pool, secrets, strict=True)],
                    workers),
                f"dashboard GET /api/dashboard ({PER_CLINICIAN} patients)": _load(
                    port, "dashboard", [["/api/dashboard", dashboard_token]], workers),
                "Today GET /today/ (a patient's session)": _load(
                    port, "today", [["/today/", today_session]], workers),
            }
            rss = [_rss_mb(pid) for pid in workers]
        finally:
            server.terminate()
            server.wait(10)
        sent = results["check-in POST /api/patients/{id}/checkins"]["pulled"]
        waiting = pool[sent:] if used else pool[sent:] + clinic.patients[size // 2:size]
        _report(f"{size:,} patients: check-ins sent", f"{sent}, of them {min(sent, long_history)} "
                f"by patients with {DAYS} days of history, the rest {days}")
        for name, result in results.items():
            _report(f"{size:,} patients: {name}", _figure(result)
                    + f", server CPU {result.get('cpu_ms', 0):.2f} ms a request")
        if TRACE:
            for name, figure in _traced():
                _report(f"{size:,} patients, traced: {name}", figure)
        if size == SIZES[-1]:
            _verdicts(label, size, results, rss)
        trivial = results["trivial GET /healthz"]["rate"]
        checkin = results["check-in POST /api/patients/{id}/checkins"]["rate"]
        _report(f"{size:,} patients: check-in throughput / trivial throughput",
                f"{checkin / trivial:.0%}" if trivial else "n/a")
        if size == SIZES[0] and len(SIZES) > 1:  # the rest get the days that fit the budget
            per_row = took / max(1, clinic.checkins)
            days = max(7, min(DAYS, int((SEED_BUDGET - took) / per_row / (SIZES[1] - size))))
        used = size


def _verdicts(label: str, size: int, results: dict[str, dict[str, Any]], rss: list[float]) -> None:
    """Issue 17's goals, each against what it is compared with in this run."""
    checkin = results["check-in POST /api/patients/{id}/checkins"]
    me = results["authenticated read GET /api/me"]
    dashboard = results[f"dashboard GET /api/dashboard ({PER_CLINICIAN} patients)"]
    today = results["Today GET /today/ (a patient's session)"]
    at = f"{label}, {size:,} patients"
    lines = [
        verdict(f"server CPU per check-in / per GET /api/me ({at})",
                checkin["cpu_ms"] / max(me["cpu_ms"], 1e-9), "x", "<=", 3,
                f"GET /api/me: {me['cpu_ms']:.2f} ms, check-in {checkin['cpu_ms']:.2f} ms of the "
                "2 gunicorn workers' CPU (/proc/<pid>/stat) per request"),
        verdict(f"check-in p95 at {THREADS} clients ({at})", _p(checkin, 0.95), "ms", "<=", 100,
                f"median {statistics.median(checkin['ms'] or [0]):.1f} ms, n={len(checkin['ms'])}"),
        _tail(f"check-in p99 / p95 ({at})", checkin),
        verdict(f"dashboard p95, {PER_CLINICIAN} patients on the list ({at})", _p(dashboard, 0.95),
                "ms", "<=", 50, f"median {statistics.median(dashboard['ms'] or [0]):.1f} ms"),
        verdict(f"Today page p95 ({at})", _p(today, 0.95), "ms", "<=", 30,
                f"median {statistics.median(today['ms'] or [0]):.1f} ms"),
        verdict(f"resident memory per web worker after the load test ({at})", max(rss or [0]),
                "MB", "<=", 150, "VmRSS of each of the 2 workers: "
                + ", ".join(f"{r:.0f} MB" for r in rss)),
    ]
    for result in lines:
        print(result.line(), flush=True)


def _tail(name: str, result: dict[str, Any]) -> Result:
    """p99 against p95; below 100 answers the p99 is the slowest one or two, not a tail,
    so the goal is not counted as met."""
    n = len(result["ms"])
    found = verdict(name, _p(result, 0.99) / _p(result, 0.95), "x", "<=", 2,
                    f"p99 {_p(result, 0.99):.1f} ms, p95 {_p(result, 0.95):.1f} ms, n={n}")
    if n >= 100:
        return found
    return Result(found.name, found.value, found.unit, found.goal, False,
                  found.reference + ": too few answers to measure a p99")


def _traced() -> list[tuple[str, str]]:
    """The workers' traces of this size (then removed): the check-ins' actions and waits,
    and the full garbage collections of every request."""
    from collections import Counter

    folder = Path(os.environ["TAPER_DATA_DIR"]) / "trace"
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text().splitlines() if line]
        path.unlink()
    checkins = [r for r in rows if r["action"] is not None]
    if not checkins:
        return [("check-ins", "none traced")]

    def spread(key: str) -> str:
        values = sorted(r[key] for r in checkins)
        pick = [values[min(len(values) - 1, int(q * len(values)))] for q in (0.5, 0.95, 0.99)]
        return "median {:.1f}, p95 {:.1f}, p99 {:.1f}, max {:.1f} ms".format(*pick, values[-1])
    actions = Counter(r["action"] for r in checkins)
    full = sorted(r["gc_ms"] for r in rows if r["full_gcs"])
    found = [("check-ins' actions", ", ".join(f"{a} {n}" for a, n in actions.most_common()))]
    found += [(f"check-ins' {label}", spread(key)) for label, key in (
        ("time in the worker", "ms"), ("CPU", "cpu_ms"), ("wait for a CPU", "cpu_wait_ms"),
        ("wait at BEGIN (SQLite's write lock)", "begin_ms"),
        ("wait for the audit chain's head", "chain_head_ms"), ("COMMIT", "commit_ms"),
        ("garbage collection", "gc_ms"))]
    found.append(("full garbage collections, all requests",
                  f"{len(full)} in {len(rows)} requests" + (
                      f", {full[0]:.0f}–{full[-1]:.0f} ms each" if full else "")))
    return found


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
        for row in run():
            print(f"  {row}" if isinstance(row, Result) else f"  {row[0]}: {row[1]}")
