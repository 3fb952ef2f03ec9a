"""What every export is told besides the plan: who approved it, its version, today's date,
and (from the web app) the check-ins recorded so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names only: `taper plan` need not load the monitoring engine (issue 17)
    from taper.core.monitoring.checkin import CheckIn
    from taper.core.monitoring.symptoms import Symptom

NOT_REVIEWED = "not reviewed by a prescriber"
# Policy, not clinical fact (docs/web.md, HZ-104): the longest monitoring period after the
# stop date a plan may have. The web's `set_monitoring_days` and its form use this bound.
MAX_MONITORING_DAYS = 90


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Options shared by all formats; `generated_on` is passed in (an export has no clock)."""

    generated_on: date
    approval: str | None = None  # "approved by Dr A. Jones on 2026-11-30"; None: not reviewed
    plan_version: int = 1
    plan_id: str | None = None  # stable id for calendar UIDs and FHIR ids; None: derived
    show_dose_in_titles: bool = False  # calendar titles carry no health details by default
    period_days: int = 28  # the pharmacy's refill period
    patient_name: str | None = None
    # Recorded check-ins (the web app): the PDF draws their history beside the dose chart
    # and the FHIR Bundle adds a QuestionnaireResponse and Observations for each. The
    # symptom catalogue they were recorded against is needed to name their symptoms.
    checkins: tuple[CheckIn, ...] = ()
    symptoms: tuple[Symptom, ...] = ()
    # Days after the stop date that check-ins go on (the web's `Plan.monitoring_days`);
    # 0: no monitoring period. The PDF, calendar and CarePlan show the period.
    monitoring_days: int = 0
    # A VALARM at each dose time (the web's calendar feed: on unless the patient turned it
    # off); a downloaded file has none unless asked.
    dose_alarms: bool = False

    def __post_init__(self) -> None:
        if self.plan_version < 1:
            raise ValueError("plan_version: must be 1 or more")
        if self.period_days < 1:
            raise ValueError("period_days: must be 1 or more")
        if self.approval is not None and not self.approval.strip():
            raise ValueError("approval: must name who approved and when, or be None")
        if self.patient_name is not None and not self.patient_name.strip():
            # e.g. a lone form feed: no name to print, and not a FHIR string (HZ-125)
            raise ValueError("patient_name: must have a letter or other visible character, "
                             "or be None")
        days = self.monitoring_days
        if type(days) is not int or not 0 <= days <= MAX_MONITORING_DAYS:
            raise ValueError(
                f"monitoring_days: a whole number of days from 0 to {MAX_MONITORING_DAYS}")
        if self.checkins and not self.symptoms:
            raise ValueError("symptoms: the catalogue is needed to show check-ins")

    @property
    def approval_status(self) -> str:
        """The words every export shows: the approval, or that nobody has reviewed the plan."""
        return self.approval if self.approval is not None else NOT_REVIEWED

    @property
    def is_approved(self) -> bool:
        return self.approval is not None


def plan_key(drug_id: str, start_date: date, options: ExportOptions) -> str:
    """The plan's stable id: the caller's, or one derived from drug and start date (the same
    across versions). Derived ids are hashed: they travel inside shared calendars and
    bundles, and must not name the medicine (HZ-049)."""
    import hashlib  # here: `taper plan --format json` never derives one (issue 17)

    if options.plan_id:
        return options.plan_id
    digest = hashlib.sha256(f"{drug_id}|{start_date.isoformat()}".encode()).hexdigest()
    return f"plan-{digest[:16]}"
