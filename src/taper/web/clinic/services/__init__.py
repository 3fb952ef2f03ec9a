"""The one place state changes. Views, the CLI and test fixtures call these; each takes
keyword-only arguments and runs in one transaction, so bad input saves nothing.
"""

from taper.web.clinic.engine import ServiceError
from taper.web.clinic.services.adjust import apply_suggestion, extend_step, preview_suggestion
from taper.web.clinic.services.checkins import record_checkin
from taper.web.clinic.services.desk import acknowledge_decision, attention_list
from taper.web.clinic.services.doses import mark_dose, undo_dose_mark
from taper.web.clinic.services.feeds import (
    create_calendar_feed,
    find_calendar_feed,
    revoke_calendar_feed,
)
from taper.web.clinic.services.followup import add_followup, set_monitoring_days
from taper.web.clinic.services.people import (
    accept_invitation,
    add_user,
    create_patient,
    find_invitation,
    invite,
    self_register,
)
from taper.web.clinic.services.plans import (
    activate,
    approve_plan,
    change_plan,
    complete_plan,
    create_plan_draft,
    preview_plan,
    stop_plan,
)
from taper.web.clinic.services.preferences import (
    mark_plan_seen,
    set_clinic_contact,
    set_patient_preferences,
)
from taper.web.clinic.services.tokens import create_api_token, find_api_token, revoke_api_token

__all__ = [
    "ServiceError",
    "accept_invitation",
    "acknowledge_decision",
    "activate",
    "add_followup",
    "add_user",
    "apply_suggestion",
    "approve_plan",
    "attention_list",
    "change_plan",
    "complete_plan",
    "create_api_token",
    "create_calendar_feed",
    "create_patient",
    "create_plan_draft",
    "extend_step",
    "find_api_token",
    "find_calendar_feed",
    "find_invitation",
    "invite",
    "mark_dose",
    "mark_plan_seen",
    "preview_plan",
    "preview_suggestion",
    "record_checkin",
    "revoke_api_token",
    "revoke_calendar_feed",
    "self_register",
    "set_clinic_contact",
    "set_monitoring_days",
    "set_patient_preferences",
    "stop_plan",
    "undo_dose_mark",
]
