"""A patient's whole record as plain rows: what the web app stored, handed to the builders.

The web side (`taper.web.records.gather`) reads the database into these; the FHIR and PDF
builders here read nothing else (no database, no clock), so the same rows give the same
bundle and the same document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from taper.core.monitoring.checkin import CheckIn
from taper.core.monitoring.symptoms import Symptom
from taper.core.plan import Plan


@dataclass(frozen=True, slots=True)
class EventRow:
    """A step of a plan version's life (created, approved, activated, changed, held...)."""

    id: int
    kind: str
    at: datetime
    actor: str | None  # the e-mail of who acted; None: the system or the command line
    note: str = ""


@dataclass(frozen=True, slots=True)
class VersionRow:
    """One plan version, its plan JSON read back by the engine's own reader."""

    id: int
    plan_id: int
    number: int
    drug_id: str
    status: str  # clinic Status values: draft, approved, active, changed, completed...
    origin: str  # builder, change, hold
    based_on_id: int | None
    created_at: datetime
    created_by: str | None
    approved_by: str | None
    approved_at: datetime | None
    approval_note: str
    end_reason: str
    plan: Plan
    events: tuple[EventRow, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckInRow:
    """One check-in row as entered; `checkin` is its parse by the monitoring engine."""

    id: int
    created_at: datetime
    entered_by: str
    amends_id: int | None
    checkin: CheckIn


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """The monitoring engine's decision on one check-in."""

    id: int
    checkin_id: int
    version_id: int
    held_version_id: int | None
    created_at: datetime
    action: str  # proceed, hold, contact_prescriber, emergency
    message: str
    flagged: bool
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DoseTakenRow:
    id: int
    version_id: int
    date: date
    time: time
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    id: int
    plan_id: int
    date: date
    time: time | None
    note: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AlertRow:
    """A notice to a clinician about this patient (what was sent, to whom and when)."""

    id: int
    kind: str
    recipient: str
    decision_id: int | None
    created_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class MessageRow:
    """A secure message in the patient's thread with their clinic (plain text, as written)."""

    id: int
    from_clinic: bool
    author: str  # the author's e-mail (the patient, a carer they allowed, or the clinician)
    body: str
    created_at: datetime
    read_at: datetime | None


@dataclass(frozen=True, slots=True)
class PatientRecord:
    """Everything stored about one patient, oldest first within each kind."""

    patient_id: int
    name: str
    email: str
    timezone: str
    created_at: datetime
    clinician: str | None  # the clinician's e-mail; None: planning alone
    generated_at: datetime  # when the record was made (passed in: the builders have no clock)
    medications: Mapping[str, Mapping[str, Any]]  # drug id -> FHIR CodeableConcept
    drug_names: Mapping[str, str]
    symptoms: tuple[Symptom, ...]  # the catalogue the check-ins were recorded against
    versions: tuple[VersionRow, ...] = ()
    checkins: tuple[CheckInRow, ...] = ()
    decisions: tuple[DecisionRow, ...] = ()
    doses_taken: tuple[DoseTakenRow, ...] = ()
    followups: tuple[FollowUpRow, ...] = ()
    alerts: tuple[AlertRow, ...] = ()
    messages: tuple[MessageRow, ...] = ()
