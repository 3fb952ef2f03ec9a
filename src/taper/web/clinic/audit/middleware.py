"""One audit row per request to a named URL, by the table in `rules` (pages and the API)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from taper.web.clinic.audit import traffic, trail
from taper.web.clinic.audit.rules import ID_ARGUMENT, RULES, Rule
from taper.web.clinic.models import AuditAction, Decision, Patient, PlanVersion, User

REFUSED = {401, 403, 404, 429}


class AuditMiddleware:
    """After the view answers (and before the answer leaves), write the request's row.

    If writing the row fails the client gets an error instead of the record: nothing is
    shown without its row.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin, reset = trail.begin(request)
        try:
            response = self.get_response(request)
            self.after(request, response, origin)
        finally:
            trail.end(reset)
        return response

    def after(self, request: HttpRequest, response: HttpResponse, origin: trail.Origin) -> None:
        match = request.resolver_match
        if match is None or not match.url_name:
            return  # an unknown address or a static file: no record is touched
        name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        rule = RULES[name]  # a KeyError here is a URL added without its audit rule
        if origin.changes or rule.silent:
            return  # the service's change rows say it all
        user = request.user if request.user.is_authenticated else None
        status = response.status_code
        if status in REFUSED:
            action: str | None = AuditAction.DENIED
        elif user is None and status == 302 and name != "calendar_feed":
            return  # sent to log in: nothing seen, nobody to name
        else:
            action = rule.get if request.method in ("GET", "HEAD") else rule.post
        if action is None:
            return
        if user is None and action != AuditAction.EXPORT:
            traffic.count(event=name, action=action, status=status)  # counted, not a row each
            return
        record_type, record_id, patient_id = _record(request, rule, match.kwargs, user)
        trail.record(action, name, actor=user, record_type=record_type, record_id=record_id,
                     patient_id=patient_id, status=status)


def _record(request: HttpRequest, rule: Rule, kwargs: dict[str, object],
            user: User | None) -> tuple[str, int | None, int | None]:
    """The record a request touched; a view may have named it (`request.audit_record`)."""
    named = getattr(request, "audit_record", None)
    if named is not None:
        return named  # type: ignore[no-any-return]
    if rule.record == "me":
        found = _my_patient_id(user)
        return "patient", found, found
    argument = ID_ARGUMENT.get(rule.record)
    raw = kwargs.get(argument) if argument else None
    if not isinstance(raw, int):
        return rule.record, None, None
    if not 0 <= raw < 2**63:  # no such row can exist; the audit row's id column is 64-bit
        return rule.record, None, None
    if rule.record == "patient":
        return "patient", raw, raw
    if rule.record == "plan_version":
        owner = PlanVersion.objects.filter(pk=raw).values_list("plan__patient_id", flat=True).first()
        return "plan_version", raw, owner
    if rule.record == "decision":
        return "decision", raw, Decision.objects.filter(pk=raw).values_list(
            "patient_id", flat=True).first()
    return rule.record, raw, None


def _my_patient_id(user: User | None) -> int | None:
    """The logged-in patient's id: from the user when the view already read their patient
    (`user.patient`, as the patient's pages do), so the row costs no query (issue 17)."""
    if user is None:
        return None
    cache = user._state.fields_cache
    if "patient" in cache:  # None when the view found no patient record for the user
        return None if cache["patient"] is None else int(cache["patient"].pk)
    return Patient.objects.filter(user=user).values_list("pk", flat=True).first()
