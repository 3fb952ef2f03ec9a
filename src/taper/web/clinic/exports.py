"""The web's exports: a plan version through `taper.exports` with its options filled from
the record, the patient's check-in journal, and the private calendar feed.

Nothing is rendered here; the exports package does that for the CLI and the web alike.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from taper.core.monitoring.checkin import CheckIn, effective, parse_checkins
from taper.core.plan import Plan
from taper.exports.options import ExportOptions
from taper.exports.schedule import monitoring_period
from taper.web.clinic.engine import local_today, stored_plan
from taper.web.clinic.models import Patient, PlanVersion
from taper.web.clinic.services.checkins import active_version
from taper.web.clinic.services.followup import monitored_version

# What a download is called and how the page names it; the extension comes from FORMATS.
LABELS = {
    "pdf": _("Plan report (PDF)"),
    "ics": _("Calendar file (iCalendar)"),
    "csv": _("Day-by-day schedule (CSV)"),
    "fhir": _("Health record (FHIR JSON)"),
    "pharmacy": _("Pharmacy summary (PDF)"),
    "pharmacy-text": _("Pharmacy summary (text)"),
}
WITH_CHECKINS = frozenset({"pdf", "fhir"})  # the formats that show recorded check-ins


def approval(version: PlanVersion, zone: str) -> str | None:
    """ "approved by <who> on <date>" (the date in the patient's zone), None if unreviewed."""
    if version.approved_at is None or version.approved_by is None:
        return None
    on = version.approved_at.astimezone(ZoneInfo(zone)).date()
    return f"approved by {version.approved_by.email} on {on.isoformat()}"


def recorded_checkins(patient: Patient, drug: str, today: date) -> tuple[CheckIn, ...]:
    """Every check-in of the patient, parsed by the engine's own parser, in entry order."""
    from taper.knowledge.monitoring import load_monitoring

    stored = patient.checkins.order_by("created_at", "id")
    return parse_checkins([c.data for c in stored], load_monitoring(drug), today)


def plan_checkins(checkins: tuple[CheckIn, ...], plan: Plan,
                  monitoring_days: int = 0) -> tuple[CheckIn, ...]:
    """The check-ins the engine reads with this plan: the last before it starts (the
    reference) and every one from its start to its stop, or to the last day of its
    monitoring period (check-ins go on after the last dose, HZ-104)."""
    days = effective(checkins)
    before = [c for c in days if c.date < plan.start_date][-1:]
    end = plan.stop_date or (plan.steps[-1].end_date if plan.steps else plan.start_date)
    period = monitoring_period(plan, monitoring_days)
    if period is not None:
        end = max(end, period[1])
    return (*before, *(c for c in days if plan.start_date <= c.date <= end))


def options(version: PlanVersion, fmt: str) -> ExportOptions:
    """The export options of a plan version, as of today in the patient's zone."""
    from taper.knowledge.monitoring import load_monitoring

    patient = version.plan.patient
    today = local_today(patient.timezone)
    base = ExportOptions(
        generated_on=today, approval=approval(version, patient.timezone),
        plan_version=version.number, plan_id=f"taper-plan-{version.plan_id}",
        patient_name=patient.name, monitoring_days=version.plan.monitoring_days)  # fmt: skip
    if fmt not in WITH_CHECKINS:
        return base
    rules = load_monitoring(version.plan.drug)
    found = plan_checkins(recorded_checkins(patient, version.plan.drug, today),
                          stored_plan(version.plan_json), version.plan.monitoring_days)  # fmt: skip
    return dataclasses.replace(base, checkins=found, symptoms=tuple(rules.symptoms))


def plan_export(version: PlanVersion, fmt: str) -> bytes:
    """A plan version in one of `taper.exports.FORMATS` (KeyError for another)."""
    from taper.exports import FORMATS, render
    from taper.knowledge import load_drug

    if fmt not in FORMATS:
        raise KeyError(fmt)  # before any work
    plan = stored_plan(version.plan_json)
    return render(fmt, plan, load_drug(plan.drug_id), options(version, fmt))


def journal(patient: Patient) -> bytes:
    """The patient's check-in journal (CSV); planned doses from the plan in force now."""
    from taper.exports.csv import journal_csv
    from taper.knowledge.monitoring import load_monitoring

    version = active_version(patient)
    latest = version or PlanVersion.objects.filter(plan__patient=patient).order_by(
        "-created_at", "-id").first()
    drug = latest.plan.drug if latest is not None else _default_drug()
    today = local_today(patient.timezone)
    plan = None if version is None else stored_plan(version.plan_json)
    return journal_csv(recorded_checkins(patient, drug, today),
                       load_monitoring(drug).symptoms, plan)  # fmt: skip


def _default_drug() -> str:
    from taper.knowledge.monitoring import monitored_drugs

    return monitored_drugs()[0]


def feed(patient: Patient) -> bytes:
    """The patient's calendar feed: the plan version in force, or a completed one until its
    monitoring period ends (its "Keep checking in" event stays), else an empty calendar.

    No name and no dose in titles (a feed is shown on phones and shared calendars); the
    SEQUENCE is the version number so a subscribed calendar updates each event in place.
    """
    from taper.exports import ics
    from taper.knowledge import load_drug

    today = local_today(patient.timezone)
    version = monitored_version(patient, today)
    if version is None:
        return ics.no_plan(patient.timezone, today)
    plan = stored_plan(version.plan_json)
    settings = ExportOptions(
        generated_on=today, approval=approval(version, patient.timezone),
        plan_version=version.number, plan_id=f"taper-plan-{version.plan_id}",
        monitoring_days=version.plan.monitoring_days,
        dose_alarms=patient.dose_alarms)  # fmt: skip
    return ics.render(plan, load_drug(plan.drug_id), settings)


def download_links(version: PlanVersion) -> list[tuple[str, str, str]]:
    """(url, label, format) for each export format, for the plan page."""
    from django.urls import reverse

    from taper.exports import FORMATS

    return [(reverse("plan_download", args=[version.pk, fmt]), str(LABELS[fmt]), fmt)
            for fmt in FORMATS]  # fmt: skip
