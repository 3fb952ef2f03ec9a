"""Daily check-ins, the monitoring engine's decision on each, and doses marked as taken."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils.timezone import now

from taper.web.clinic import lean
from taper.web.clinic.audit.trail import audited
from taper.web.clinic.engine import ServiceError, local_today
from taper.web.clinic.lean import plan_of
from taper.web.clinic.models import CheckIn, Decision, Patient, PlanVersion, Status, User
from taper.web.clinic.services.alerts import raise_for_decision
from taper.web.clinic.services.followup import monitored_version
from taper.web.clinic.services.plans import hold_version
from taper.web.clinic.services.readings import stored_readings
from taper.web.clinic.services.screening import screened

if TYPE_CHECKING:
    from taper.core.monitoring.checkin import CheckIn as Reading
    from taper.core.monitoring.pacing import PacingDecision
    from taper.core.monitoring.rulebook import MonitoringRules
    from taper.core.plan import Plan

# Speed only, not a clinical window: a check-in is assessed against the last RECENT_DAYS of
# check-ins (and the reference days); any rule that would read further back makes the
# engine refuse (HistoryTooShort) and the whole history is read instead (HZ-030).
RECENT_DAYS = 28
Row = tuple[int, date, Any, "int | None"]  # id, date, data, amends_id, in entry order


def active_version(patient: Patient) -> PlanVersion | None:
    return (PlanVersion.objects.select_related("plan", "approved_by")
            .filter(plan__patient=patient, status=Status.ACTIVE).first())


def _may_record(user: User, patient: Patient) -> bool:
    from taper.web.carers.services import may_act_for

    return (patient.user_id == user.pk or (patient.clinician_id is not None
                                           and patient.clinician_id == user.pk)
            or may_act_for(user, patient))  # a carer the patient invited (HZ-191)


def _field(message: str) -> ServiceError:
    """The engine's "checkins[N].symptoms.anxiety: …" as the form field "symptoms.anxiety"."""
    where, _, text = message.partition(": ")
    field = where.split(".", 1)[1] if "." in where else ""
    return ServiceError(field, text or message)


def _checkin_first(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Parse the check-in alone before the transaction (issue 16): a bad number or a huge
    note is refused without taking a lock; the service parses it again with its history."""
    from taper.core.monitoring.checkin import CheckInError, parse_checkin
    from taper.knowledge.monitoring import load_monitoring

    patient: Patient = kwargs["patient"]
    today = kwargs.get("today") or local_today(patient.timezone)
    version = monitored_version(patient, today)
    if version is None or not _may_record(kwargs["entered_by"], patient):
        return {}  # the service refuses, with its own words
    try:
        parse_checkin(kwargs["data"], 0, load_monitoring(version.plan.drug), today)
    except CheckInError as exc:
        raise _field(str(exc)) from None
    return {"screened": version}  # the service reuses it if it is still the one in force


@screened(_checkin_first)
@transaction.atomic
@audited("record_checkin", actor="entered_by")
def record_checkin(*, patient: Patient, entered_by: User, data: dict[str, Any],
                   today: date | None = None, moment: datetime | None = None,
                   screened: PlanVersion | None = None) -> Decision:
    """Validate with the engine's parser, store the check-in as entered, assess, store the
    decision; a hold (or worse) extends the current step by a new plan version, once a day.

    `screened` is the version the screening before the transaction found (_checkin_first);
    it is used only if the patient's lock shows it still in force (`_in_force`).
    """
    from taper.contract.assessment import decision_json
    from taper.core.monitoring.checkin import CheckInError, check_doses_against_plan, parse_checkin
    from taper.knowledge.monitoring import load_monitoring

    if not _may_record(entered_by, patient):
        raise ServiceError("", "only the patient, their clinician or their carer can record a check-in")
    today = today or local_today(patient.timezone)
    version = _in_force(patient, screened)  # one check-in at a time: the patient locked
    if version is None:
        version = monitored_version(patient, today)  # in force, or in its monitoring period
    if version is None:
        raise ServiceError("", "there is no active plan to check in against")
    plan = plan_of(version)
    rules = load_monitoring(plan.drug_id)
    since = _window_start(data, today)
    earlier = _recent_rows(patient, plan, since)
    try:
        # the stored rows read cheaply (services/readings.py), the new one by the parser
        parsed = (*stored_readings([row[2] for row in earlier], rules, today),
                  parse_checkin(data, len(earlier), rules, today))
        check_doses_against_plan(parsed[-1:], plan)
    except CheckInError as exc:
        raise _field(str(exc)) from None
    _refuse_doses_ahead(parsed[-1], patient, moment)
    day = parsed[-1].date
    first = next((row for row in earlier if row[1] == day), None)
    checkin = lean.insert(CheckIn(patient=patient, date=day, data=data,
                                  amends_id=None if first is None else (first[3] or first[0]),
                                  entered_by=entered_by))
    decision = _assess(checkin, plan, earlier, parsed, since, today, rules)
    result = decision_json(decision, rules)
    result["today"] = today.isoformat()
    result["words"] = _translated_words(checkin, plan, earlier, parsed, since, today)
    held = None
    if (decision.held_plan is not None and decision.action != "proceed"
            and version.status == Status.ACTIVE  # a completed plan is not held again
            and not _held_today(patient, today)):
        # pacing.hold is one day per day with such a decision: an amendment holds no further.
        held = hold_version(version=version, held=decision.held_plan, actor=entered_by,
                            note=decision.clinician_note)
    stored = lean.insert(Decision(
        patient=patient, checkin=checkin, version=version, today=today, action=decision.action,
        data=result, flagged_for_clinician=decision.clinician_flag, held_version=held))
    raise_for_decision(stored)  # a red flag or contact_prescriber: the clinician, once a day
    return stored


def _in_force(patient: Patient, screened: PlanVersion | None) -> PlanVersion | None:
    """Lock the patient's row (one check-in at a time) and, in the same statement, read the
    id of their version in force: `screened` when it is still that version, else None (the
    caller reads the monitored version again). Only a status change alters a version row
    (models.PlanVersion: its plan is never edited), so the same id still active is the same
    version; one version in force per patient is a constraint of the database."""
    found = lean.fetch(
        'SELECT p."id", (SELECT v."id" FROM clinic_planversion v WHERE v."patient_id" = p."id"'
        f""" AND v."status" = '{Status.ACTIVE}') FROM clinic_patient p WHERE p."id" = %s"""
        f"{lean.for_update()}", [patient.pk])
    if (screened is None or screened.status != Status.ACTIVE or not found
            or found[0][1] != screened.pk):
        return None
    return screened


def _held_today(patient: Patient, today: date) -> bool:
    """Decision.objects.filter(patient=…, today=…, held_version__isnull=False).exists(),
    written once (clinic/lean.py); asked only when a decision would hold the plan."""
    return bool(lean.fetch(
        'SELECT 1 FROM clinic_decision WHERE "patient_id" = %s AND "today" = %s'
        ' AND "held_version_id" IS NOT NULL LIMIT 1', [patient.pk, lean.date_param(today)]))


def _translated_words(checkin: CheckIn, plan: Plan, earlier: list[Row],
                      parsed: Sequence[Reading], since: date, today: date) -> dict[str, Any]:
    """The patient's words of the same decision in each translated language (the same rules
    and sources, their texts in that language: knowledge/languages.py), so a patient reading
    Spanish is told exactly what the English says. The English stays the record."""
    from taper.knowledge.languages import TRANSLATED
    from taper.knowledge.monitoring import load_monitoring

    words: dict[str, Any] = {}
    for lang in TRANSLATED:
        other = _assess(checkin, plan, earlier, parsed, since, today,
                        load_monitoring(plan.drug_id, lang))
        words[lang] = {"message": other.message,
                       "basis": [{"statement": b.statement, "source": b.source}
                                 for b in other.basis]}
    return words


def _refuse_doses_ahead(reading: Reading, patient: Patient, moment: datetime | None) -> None:
    """A dose time today that has not come yet is neither taken nor missed (HZ-182)."""
    local = (moment or now()).astimezone(ZoneInfo(patient.timezone))
    if reading.date != local.date():
        return
    for name, times in (("doses_taken", reading.doses_taken), ("doses_due", reading.doses_due)):
        ahead = [t for t in times or () if t > local.time()]
        if ahead:
            raise ServiceError(name, f"the {ahead[0]:%H:%M} dose has not come yet; "
                                     "record it once it is due")


def _window_start(data: Any, today: date) -> date:
    """RECENT_DAYS before today, or before the check-in's own date if it is earlier."""
    try:
        day = min(today, date.fromisoformat(str(data["date"])))
    except (TypeError, KeyError, ValueError):
        day = today  # the engine's parser names what is wrong with the date
    return day - timedelta(days=RECENT_DAYS)


def _recent_rows(patient: Patient, plan: Plan, since: date) -> list[Row]:
    """What `assess(..., complete_since=since)` needs, in one query: every check-in from
    `since` on, and those on the last day before the plan's start and on the first day
    with a spasticity reading (the reference of "new or worse").

    Written once as SQL (clinic/lean.py: the ORM took longer to build this query than the
    database to answer it). The patient in each branch, so each is a range of the
    (patient, date) index: with the patient outside the OR, SQLite reads the patient's
    whole history to filter it."""
    spasticity = ("""JSON_TYPE(f."data", '$."spasticity"') IS NOT NULL"""
                  if connection.vendor == "sqlite" else """f."data" ? 'spasticity'""")
    sql = ('SELECT c."id", c."date", c."data", c."amends_id" FROM clinic_checkin c'
           ' WHERE (c."patient_id" = %s AND c."date" >= %s)'
           ' OR (c."patient_id" = %s AND c."date" = (SELECT b."date" FROM clinic_checkin b'
           ' WHERE b."patient_id" = %s AND b."date" < %s ORDER BY b."date" DESC LIMIT 1))'
           ' OR (c."patient_id" = %s AND c."date" = (SELECT f."date" FROM clinic_checkin f'
           f' WHERE f."patient_id" = %s AND f."date" < %s AND {spasticity}'
           ' ORDER BY f."date" ASC LIMIT 1))'
           ' ORDER BY c."created_at", c."id"')
    at, start = lean.date_param(since), lean.date_param(plan.start_date)
    rows = lean.fetch(sql, [patient.pk, at, patient.pk, patient.pk, start, patient.pk,
                            patient.pk, at])
    return lean.values(CheckIn, ("id", "date", "data", "amends"), rows)


def _assess(checkin: CheckIn, plan: Plan, earlier: list[Row], parsed: Sequence[Reading],
            since: date, today: date, rules: MonitoringRules) -> PacingDecision:
    """The decision on the recent window, or on the whole history when the window cannot
    answer exactly; the same decision either way (tests/monitoring/test_window.py)."""
    from taper.core.monitoring.checkin import effective, parse_checkin
    from taper.core.monitoring.history import HistoryTooShort
    from taper.core.monitoring.pacing import assess

    # The first-reading query matches a day where any entry has a spasticity reading;
    # if the day's amendment took it away, the first reading may lie later, out of sight.
    flagged = min((row[1] for row in earlier if row[1] < since and "spasticity" in row[2]),
                  default=None)
    first = None if flagged is None else next(
        (c for c in effective(parsed) if c.date == flagged), None)
    if first is None or first.spasticity is not None:
        try:
            return assess(plan, parsed, today, rules, complete_since=since)
        except HistoryTooShort:
            pass
    rows = (CheckIn.objects.filter(patient_id=checkin.patient_id).exclude(pk=checkin.pk)
            .order_by("created_at", "id").values_list("data", flat=True))
    stored = stored_readings(list(rows), rules, today)
    return assess(plan, (*stored, parse_checkin(checkin.data, len(stored), rules, today)),
                  today, rules)
