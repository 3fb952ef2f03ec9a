"""What each URL leaves in the audit trail. Every named URL (pages and API) has a rule;
tests/web/test_audit.py fails if one is missing, and checks each row for each of the cast.

`record` says which record a request touches: "patient", "plan_version" or "decision"
(the id is the URL's argument), "me" (the patient who is logged in), or a kind with no id
("patient_list", "audit"...). `get`/`post` are the actions for a request that succeeds;
None leaves no row (a login form, a redirect). A refusal (401, 403, 404, 429) is always a
"denied" row; a POST whose service recorded a change leaves that change row only, and a
POST that changed nothing (a form error, a preview) is an "attempt".
"""

from __future__ import annotations

from dataclasses import dataclass

VIEW, EXPORT, ATTEMPT = "view", "export", "attempt"


@dataclass(frozen=True)
class Rule:
    record: str = ""
    get: str | None = None
    post: str | None = None
    silent: bool = False  # no row at all, not even for a refusal (the API root is always a 404)


RULES: dict[str, Rule] = {
    # Sign-in pages: logins, failures and logouts are rows of their own (signals).
    "home": Rule(),
    # A liveness probe: no record, no database; an explicit "no row" (a probe every few
    # seconds would bury the trail).
    "healthz": Rule(silent=True),
    "readyz": Rule(silent=True),  # the same, with a database query (taper.web.ops)
    "login": Rule(),
    "logout": Rule(),
    "accept_invitation": Rule("invitation", get=VIEW, post=ATTEMPT),
    "register": Rule("registration", post=ATTEMPT),
    # The clinician's pages.
    "desk": Rule("dashboard", get=VIEW),
    "decision_acknowledge": Rule("decision", post=ATTEMPT),
    "suggestion_apply": Rule("decision", get=VIEW, post=ATTEMPT),
    "plan_hold": Rule("plan_version", get=VIEW, post=ATTEMPT),
    "plan_followup": Rule("plan_version", get=VIEW, post=ATTEMPT),
    "plan_monitoring": Rule("plan_version", get=VIEW, post=ATTEMPT),
    "patient_list": Rule("patient_list", get=VIEW),
    "alerts": Rule("alert_list", get=VIEW),
    "patient_new": Rule("patient", post=ATTEMPT),
    "patient_detail": Rule("patient", get=VIEW),
    "plan_new": Rule("patient", get=VIEW, post=ATTEMPT),
    "journal_csv": Rule("patient", get=EXPORT),
    "feed_settings": Rule("patient", get=VIEW),
    "feed_new": Rule("patient", post=ATTEMPT),
    "feed_revoke": Rule("patient", post=ATTEMPT),
    "calendar_feed": Rule("calendar_feed", get=EXPORT),
    "plan_detail": Rule("plan_version", get=VIEW),
    "plan_approve": Rule("plan_version", get=VIEW, post=ATTEMPT),
    "plan_activate": Rule("plan_version", post=ATTEMPT),
    "plan_change": Rule("plan_version", get=VIEW, post=ATTEMPT),
    "plan_complete": Rule("plan_version", post=ATTEMPT),
    "plan_stop": Rule("plan_version", get=VIEW, post=ATTEMPT),
    "plan_download": Rule("plan_version", get=EXPORT),
    # The patient's pages.
    "today": Rule("me", get=VIEW),
    "dose_taken": Rule("me", post=ATTEMPT),
    "checkin": Rule("me", get=VIEW, post=ATTEMPT),
    "history": Rule("me", get=VIEW),
    "plan_seen": Rule("plan_version", post=ATTEMPT),
    "clinic_contact": Rule("account", get=VIEW, post=ATTEMPT),
    "patient_preferences": Rule("me", get=VIEW, post=ATTEMPT),
    "decision_detail": Rule("decision", get=VIEW),
    # Accounts, tokens and the audit trail itself.
    "accounts": Rule("accounts", get=VIEW),
    "account": Rule("account", post=ATTEMPT),
    "token_revoke": Rule("api_token", post=ATTEMPT),
    "audit": Rule("audit", get=VIEW),
    "audit_csv": Rule("audit", get=EXPORT),
    # A patient's whole record and legal hold (taper.web.records).
    "record_download": Rule("patient", get=EXPORT),
    "legal_hold": Rule("patient", post=ATTEMPT),
    # Managing accounts (taper.web.staff): each service records its own change row.
    "reissue_invitation": Rule("user", post=ATTEMPT),
    "link_request": Rule("link_request", get=VIEW, post=ATTEMPT),
    "link_answer": Rule("me", get=VIEW),
    "link_decide": Rule("link_request", post=ATTEMPT),
    "deactivate_account": Rule("user", post=ATTEMPT),
    "reactivate_account": Rule("user", post=ATTEMPT),
    "move_patient": Rule("patient", get=VIEW, post=ATTEMPT),
    # Reminders and offline use (taper.web.reminders): the manifest, the service worker and
    # the offline page hold nothing personal and are fetched by the browser on its own.
    "reminder_settings": Rule("me", post=ATTEMPT),
    "patient_reminders": Rule("patient", get=VIEW, post=ATTEMPT),
    "manifest": Rule(silent=True),
    "service_worker": Rule(silent=True),
    "offline": Rule(silent=True),
    "offline_emergency": Rule("me", get=VIEW),
    # Identity (taper.web.accounts): the second factor, passwords, the session's time left.
    # The reset link's token is in its path: no row for it (a refusal there is a page, not a 4xx).
    "two_step_setup": Rule("account", post=ATTEMPT),
    "two_step_verify": Rule("account", post=ATTEMPT),
    "two_step_codes": Rule("account", post=ATTEMPT),
    "two_step_remove": Rule("account", post=ATTEMPT),
    "session_remaining": Rule(silent=True),
    "password_change": Rule("account", post=ATTEMPT),
    "password_change_done": Rule(),
    "password_reset": Rule("password_reset", post=ATTEMPT),
    "password_reset_done": Rule(),
    "password_reset_confirm": Rule(silent=True),
    "password_reset_complete": Rule(),
    # The JSON API (namespace "api").
    "api:api-root": Rule(silent=True),
    "api:openapi-json": Rule(),
    "api:openapi-view": Rule(),
    "api:patients": Rule("patient_list", get=VIEW, post=ATTEMPT),
    "api:patient_plans": Rule("patient", post=ATTEMPT),
    "api:plan": Rule("plan_version", get=VIEW),
    "api:plan_approve": Rule("plan_version", post=ATTEMPT),
    "api:patient_checkins": Rule("patient", get=VIEW, post=ATTEMPT),
    "api:dashboard": Rule("dashboard", get=VIEW),
    "api:decision_acknowledge": Rule("decision", post=ATTEMPT),
    # The caller's own id, e-mail and role: no one's record, so no row (a refusal still is).
    "api:me": Rule(),
    "api:patient_record": Rule("patient", get=EXPORT),
    "api:patient_record_pdf": Rule("patient", get=EXPORT),
    # Carers (taper.web.carers) and secure messages (taper.web.messaging). The services'
    # change rows (invite, accept, revoke, send, read) say the rest.
    "patient_carers": Rule("me", get=VIEW, post=ATTEMPT),
    "carer_revoke": Rule("me", post=ATTEMPT),
    "carer_messages": Rule("me", post=ATTEMPT),
    "carer_home": Rule("carer_links", get=VIEW),
    "carer_choose": Rule("patient", post=ATTEMPT),
    "carer_accept": Rule("carer_invitation", get=VIEW, post=ATTEMPT),
    "patient_messages": Rule("me", get=VIEW, post=ATTEMPT),
    "message_inbox": Rule("message_inbox", get=VIEW),
    "clinician_messages": Rule("patient", get=VIEW, post=ATTEMPT),
    "api:patient_messages": Rule("patient", get=VIEW, post=ATTEMPT),
    # Acting on a plan (api/plans.py): a change is the service's row; a refusal "attempt".
    "api:plan_activate": Rule("plan_version", post=ATTEMPT),
    "api:plan_stop": Rule("plan_version", post=ATTEMPT),
    "api:plan_change": Rule("plan_version", post=ATTEMPT),
    "api:plan_hold": Rule("plan_version", post=ATTEMPT),
    "api:plan_followups": Rule("plan_version", get=VIEW, post=ATTEMPT),
    "api:plan_monitoring": Rule("plan_version", post=ATTEMPT),
    "api:plan_export": Rule("plan_version", get=EXPORT),
    # The symptom catalogue is knowledge, not a record: no row (a refusal still is one).
    "api:symptoms": Rule("symptom_catalogue"),
}

ID_ARGUMENT = {"patient": "patient_id", "plan_version": "version_id", "decision": "decision_id",
               "api_token": "token_id", "user": "user_id", "link_request": "link_id"}
