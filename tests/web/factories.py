"""Building the clinic through the services, for tests, browser tests and the benchmark.

Every function goes through `taper.web.clinic.services`, so fixtures obey the same rules
as the pages. Dates are relative to `today` so a plan is always in force when asked.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from taper.web.clinic import demo, services
from taper.web.clinic.engine import local_today
from taper.web.clinic.models import Patient, PlanVersion, User

PASSWORD = "tapering-slowly-2026"  # passes the password validators; tests only


def diarist_request(start: date, timezone: str = "America/New_York") -> dict[str, Any]:
    """The forum diarist's taper (60 mg a day, 5 mg less every 5 days) from `start`."""
    return demo.diarist_request(start, timezone)


def clinician(email: str = "dr.reyes@example.org") -> User:
    return services.add_user(email=email, role="clinician", password=PASSWORD)


def admin(email: str = "admin@example.org") -> User:
    return services.add_user(email=email, role="admin", password=PASSWORD)


def patient(doctor: User, email: str = "sam@example.org", name: str = "Sam Patel",
            timezone: str = "America/New_York", password: str | None = PASSWORD) -> Patient:
    """A patient of `doctor` who has accepted the invitation (password None: not yet)."""
    person, token = services.create_patient(clinician=doctor, email=email, name=name,
                                            timezone=timezone)
    if password is not None:
        services.accept_invitation(token=token, password=password)
        person.user.refresh_from_db()  # the password (and so the session hash) changed
    return person


def today_of(person: Patient) -> date:
    return local_today(person.timezone)


def draft_plan(person: Patient, doctor: User, started_days_ago: int = 7) -> PlanVersion:
    start = today_of(person) - timedelta(days=started_days_ago)
    return services.create_plan_draft(patient=person, author=doctor,
                                      request_data=diarist_request(start, person.timezone),
                                      today=start)


def active_plan(person: Patient, doctor: User, started_days_ago: int = 7) -> PlanVersion:
    """The diarist's plan, approved by `doctor` and in force (started N days ago)."""
    version = draft_plan(person, doctor, started_days_ago)
    services.approve_plan(version=version, clinician=doctor, note="Reviewed at clinic.")
    return services.activate(version=version, actor=doctor)


def approved_change(version: PlanVersion, doctor: User) -> PlanVersion:
    """A new version of `version`'s plan from the same request, approved, not yet in force."""
    new = services.change_plan(version=version, author=doctor, request_data=version.request)
    return services.approve_plan(version=new, clinician=doctor, note="Same plan, re-issued.")


def quiet_checkin(day: date, **extra: Any) -> dict[str, Any]:
    """A check-in with nothing wrong, as the check-in form would submit it."""
    return {"date": day.isoformat(), "symptoms": {}, "spasticity": 3, "sleep_quality": 7,
            **extra}


def week_of_checkins(person: Patient, days: int = 7) -> None:
    """Quiet check-ins on each of the last `days` days, recorded by the patient."""
    today = today_of(person)
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        services.record_checkin(patient=person, entered_by=person.user,
                                data=quiet_checkin(day), today=day)


def worse_after_a_cut(person: Patient) -> Any:
    """Quiet check-ins through the first step, then severe anxiety today: contact the prescriber, with the
    engine's suggestions to return to the last tolerated dose and to slow down."""
    today = today_of(person)
    for back in (6, 5, 4):
        day = today - timedelta(days=back)
        services.record_checkin(patient=person, entered_by=person.user,
                                data=quiet_checkin(day), today=day)
    return services.record_checkin(patient=person, entered_by=person.user,
                                   data=quiet_checkin(today, symptoms={"anxiety": 3}), today=today)
