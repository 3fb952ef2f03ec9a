"""`make bench`, web part: the patient's Today page and a check-in, with a full clinic behind them.

A clinic of 200, then 2,000 patients, each with an active plan and 90 days of check-ins
(89 stored, today's sent by the benchmark), on SQLite and on a throwaway PostgreSQL
(`scripts/with-postgres`). Each database runs in a child process of its own, since Django is
configured once per process; the data folder is a temporary one, never ./data.

Fixtures: one plan is made by the planner through the services (a real plan JSON) and one
check-in is assessed by the monitoring engine (a real decision JSON); the other patients'
rows reuse them through bulk_create. What is timed goes through the real views and services
with Django's test client. Figures only; nothing is asserted.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
SIZES = (200, 2000)
REQUESTS = 200
HISTORY_DAYS = 90  # including today's, which the benchmark submits
ZONE = "America/New_York"
MARK = "web_bench\t"  # the child's result lines, among anything Django might print


def run() -> list[tuple[str, str]]:
    """Both databases, each in a child process; returns the children's figures."""
    rows: list[tuple[str, str]] = []
    for label, prefix in (("SQLite", []), ("PostgreSQL", [str(ROOT / "scripts" / "with-postgres")])):
        with tempfile.TemporaryDirectory(prefix="taper-bench-") as data:
            env = {**os.environ, "TAPER_DATA_DIR": data, "PYTHONPATH": str(ROOT / "src"),
                   "DJANGO_SETTINGS_MODULE": "taper.web.settings",
                   "TAPER_SECRET_KEY": "bench-only-" + "x7Qp" * 14, "TAPER_SSL_REDIRECT": "0",
                   "TAPER_ALLOWED_HOSTS": "testserver", "TAPER_SITE_URL": "https://taper.example.org"}
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


# ---- the child: one database, both sizes -------------------------------------------------

def _report(name: str, figure: str) -> None:
    print(f"{MARK}{name}\t{figure}", flush=True)


class Clinic:
    """One clinician's patients, grown in bulk from one real plan and one real decision."""

    def __init__(self) -> None:
        from django.contrib.auth.hashers import make_password

        from taper.web.clinic import demo, services
        from taper.web.clinic.engine import local_today

        self.today: date = local_today(ZONE)
        start = self.today - timedelta(days=HISTORY_DAYS - 1)
        self.doctor = services.add_user(email="dr.bench@example.org", role="clinician",
                                        password="bench-password-2026")
        model, _token = services.create_patient(clinician=self.doctor, email="model@example.org",
                                               name="Model Patient", timezone=ZONE)
        request = demo.diarist_request(start, ZONE)
        request["strategy"] = {"kind": "fixed_mg", "step_mg": "5", "step_days": 10}  # 120 days
        draft = services.create_plan_draft(patient=model, author=self.doctor,
                                           request_data=request, today=start)
        services.approve_plan(version=draft, clinician=self.doctor, note="Bench plan.")
        version = services.activate(version=draft, actor=self.doctor)
        yesterday = self.today - timedelta(days=1)
        decision = services.record_checkin(patient=model, entered_by=model.user,
                                           data=self.checkin(yesterday), today=yesterday)
        self.model = model  # not among `patients`: the warm-up's, never measured
        self.request, self.plan_json = version.request, version.plan_json
        self.decision_json, self.action = decision.data, decision.action
        self.password = make_password("bench-password-2026")
        self.patients: list[Any] = []
        self.used = 0  # patients already sent today's check-in (the first of their day)

    def checkin(self, day: date) -> dict[str, Any]:
        """A quiet day as the check-in form submits it: every symptom none."""
        from taper.knowledge.monitoring import load_monitoring

        symptoms = {s.id: 0 for s in load_monitoring("baclofen").symptoms}
        return {"date": day.isoformat(), "symptoms": symptoms, "spasticity": 3, "sleep_quality": 7}

    def grow_to(self, size: int, batch: int = 100) -> float:
        """Add patients until there are `size`; returns the seconds it took."""
        began = time.perf_counter()
        while len(self.patients) < size:
            self._add(min(batch, size - len(self.patients)))
        return time.perf_counter() - began

    def _add(self, count: int) -> None:
        from django.db import transaction
        from django.utils.timezone import now

        from taper.web.clinic.models import (
            CheckIn,
            Decision,
            LifecycleEvent,
            Patient,
            Plan,
            PlanVersion,
            Status,
            User,
        )
        from taper.web.clinic.services.versions import create_versions

        first = len(self.patients)
        at, zone = now(), ZoneInfo(ZONE)
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(email=f"patient{first + i}@bench.example.org", role="patient",
                     password=self.password) for i in range(count))
            patients = Patient.objects.bulk_create(
                Patient(user=u, clinician=self.doctor, name=f"Patient {first + i:05d}", timezone=ZONE,
                        created_by=self.doctor) for i, u in enumerate(users))
            plans = Plan.objects.bulk_create(
                Plan(patient=p, drug="baclofen", created_by=self.doctor) for p in patients)
            versions = create_versions(  # with the derived dates the desk reads
                PlanVersion(plan=plan, number=1, request=self.request, plan_json=self.plan_json,
                            status=Status.ACTIVE, created_by=self.doctor, approved_by=self.doctor,
                            approved_at=at, approval_note="Bench plan.") for plan in plans)
            LifecycleEvent.objects.bulk_create(
                LifecycleEvent(plan=v.plan, version=v, kind=kind, actor=self.doctor)
                for v in versions for kind in ("created", "approved", "activated"))
            days = [self.today - timedelta(days=back) for back in range(HISTORY_DAYS - 1, 0, -1)]
            stamps = [datetime.combine(d, datetime.min.time(), zone) + timedelta(hours=20) for d in days]
            checkins = CheckIn.objects.bulk_create(
                (CheckIn(patient=p, date=d, data=self.checkin(d), entered_by=u, created_at=s)
                 for p, u in zip(patients, users, strict=True)
                 for d, s in zip(days, stamps, strict=True)), batch_size=2000)
            by_patient = {p.pk: v for p, v in zip(patients, versions, strict=True)}
            Decision.objects.bulk_create(
                (Decision(patient_id=c.patient_id, checkin=c, version=by_patient[c.patient_id],
                          today=c.date, action=self.action,
                          data={**self.decision_json, "today": c.date.isoformat()},
                          created_at=c.created_at) for c in checkins), batch_size=2000)
        self.patients += patients

    def fresh(self, count: int) -> list[Any]:
        """Patients who have not checked in today, from the newest (so from the whole clinic)."""
        end = len(self.patients) - self.used
        chosen = self.patients[end - count:end]
        self.used += count
        return chosen


def _percentiles(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return f"median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms (n={len(ordered)})"


def _form(day: date, symptoms: dict[str, int]) -> dict[str, str]:
    data = {f"symptom_{k}": str(v) for k, v in symptoms.items()}
    # The page's second screen with the details shown (no red flag, the ratings given);
    # doses_all: the form asks it only once a dose is due (the hour decides), else ignores it.
    data.update(red_flags="none", new_or_worse="yes", details_shown="True", spasticity="3",
                sleep_quality="7", temperature_unit="C", doses_all="yes")
    return data


def measure(clinic: Clinic, size: int) -> None:
    """Today GET and check-in POST for REQUESTS patients who have not checked in today."""
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from taper.web.clinic.models import CheckIn

    form = _form(clinic.today, clinic.checkin(clinic.today)["symptoms"])
    today_ms: list[float] = []
    checkin_ms: list[float] = []
    queries: dict[str, int] = {}
    for patient in clinic.fresh(REQUESTS):
        client = Client()
        client.force_login(patient.user)
        reset_queries()  # Django keeps 9,000 at most: a full log would count none
        with CaptureQueriesContext(connection) as seen:
            began = time.perf_counter()
            page = client.get("/today/")
            today_ms.append((time.perf_counter() - began) * 1000)
        queries["Today GET"] = len(seen)
        if page.status_code != 200 or b'data-testid="today-doses"' not in page.content:
            raise RuntimeError(f"Today answered {page.status_code} without the doses")
        reset_queries()
        with CaptureQueriesContext(connection) as seen:
            began = time.perf_counter()
            sent = client.post("/checkin/", form)
            checkin_ms.append((time.perf_counter() - began) * 1000)
        queries["check-in POST"] = len(seen)
        if sent.status_code != 302 or "/decisions/" not in sent["Location"]:
            raise RuntimeError(f"the check-in answered {sent.status_code}, not the decision")
    _report(f"{size} patients, Today GET", _percentiles(today_ms))
    _report(f"{size} patients, check-in POST", _percentiles(checkin_ms))
    _report(f"{size} patients, queries per request",
            f"Today {queries['Today GET']}, check-in {queries['check-in POST']}")
    _report(f"{size} patients, check-ins stored", f"{CheckIn.objects.count():,}")


def child(label: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    clinic = Clinic()
    warm = clinic.grow_to(SIZES[0])
    _report(f"building {SIZES[0]} patients × {HISTORY_DAYS - 1} days (bulk_create)", f"{warm:.1f} s")
    measure_warm_up(clinic)
    for size in SIZES:
        clinic.grow_to(size)
        measure(clinic, size)


def measure_warm_up(clinic: Clinic) -> None:
    """First requests load templates, the drug's knowledge and the engines; not timed."""
    from django.test import Client

    client = Client()
    client.force_login(clinic.model.user)
    form = _form(clinic.today, clinic.checkin(clinic.today)["symptoms"])
    for _ in range(5):
        client.get("/today/")
        client.post("/checkin/", form)  # amendments of the model patient's day


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        for name, figure in run():
            print(f"  {name}: {figure}")
