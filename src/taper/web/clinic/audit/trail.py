"""Writing audit rows: the request's origin (IP, user agent) travels in a context variable,
so a service deep under a view records its change with the same origin as the view.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.http import HttpRequest

from taper.web.clinic.audit import chain
from taper.web.clinic.models import (
    ApiToken,
    AuditAction,
    AuditEvent,
    CalendarFeed,
    CheckIn,
    Decision,
    DoseTaken,
    FollowUp,
    Invitation,
    Patient,
    Plan,
    PlanVersion,
    User,
)
from taper.web.redact import redact_path

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Origin:
    """Where a request came from, and the changes services recorded while answering it."""

    ip: str | None = None
    user_agent: str = ""
    method: str = ""
    path: str = ""
    via: str = ""
    changes: list[AuditEvent] = field(default_factory=list)


_ORIGIN: ContextVar[Origin | None] = ContextVar("taper_audit_origin", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: a proxy's header only from a trusted proxy (accounts.client)."""
    from taper.web.accounts.client import client_ip as trusted_client_ip

    return trusted_client_ip(request)


def origin_of(request: HttpRequest) -> Origin:
    user = getattr(request, "user", None)
    return Origin(ip=client_ip(request),
                  user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                  method=request.method or "", path=redact_path(request.path)[:500],
                  via="session" if user is not None and user.is_authenticated else "")


def begin(request: HttpRequest) -> tuple[Origin, Any]:
    origin = origin_of(request)
    return origin, _ORIGIN.set(origin)


def end(reset: Any) -> None:
    _ORIGIN.reset(reset)


def current() -> Origin | None:
    return _ORIGIN.get()


def recorded_changes() -> list[AuditEvent]:
    """The change rows services recorded during the current request (empty outside one)."""
    origin = _ORIGIN.get()
    return [] if origin is None else list(origin.changes)


def record(action: str, event: str, *, actor: User | None = None, actor_email: str = "",
           record_type: str = "", record_id: int | None = None, patient_id: int | None = None,
           status: int | None = None, request: HttpRequest | None = None,
           via: str = "") -> AuditEvent:
    """Append one row; the origin comes from `request`, else the request being answered."""
    origin = origin_of(request) if request is not None else (_ORIGIN.get() or Origin(via="cli"))
    row = AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_email=actor_email or (actor.email if actor is not None else ""),
        action=action, event=event[:64], record_type=record_type, record_id=record_id,
        patient_id=patient_id, method=origin.method, path=origin.path, status=status,
        ip=origin.ip, user_agent=origin.user_agent, via=via or origin.via)
    chain.append(row)  # linked to the row before, under the chain's lock
    if action == AuditAction.CHANGE and _ORIGIN.get() is origin:
        origin.changes.append(row)
    return row


def set_via(via: str) -> None:
    """How the request was authenticated (an API token names itself)."""
    origin = _ORIGIN.get()
    if origin is not None:
        origin.via = via


def describe(thing: object) -> tuple[str, int | None, int | None]:
    """A record's type, id and the patient it belongs to (None when it is nobody's record)."""
    if isinstance(thing, tuple) and thing:
        return describe(thing[0])
    if isinstance(thing, Patient):
        return "patient", thing.pk, thing.pk
    if isinstance(thing, PlanVersion):
        return "plan_version", thing.pk, _patient_of_plan(thing.plan_id)
    if isinstance(thing, (Decision, CheckIn, DoseTaken, CalendarFeed)):
        return type(thing).__name__.lower(), thing.pk, thing.patient_id
    if isinstance(thing, Plan):
        return "plan", thing.pk, thing.patient_id
    if isinstance(thing, FollowUp):
        return "followup", thing.pk, _patient_of_plan(thing.plan_id)
    if isinstance(thing, Invitation):
        return "invitation", thing.pk, _patient_of_user(thing.user_id)
    if isinstance(thing, ApiToken):
        return "api_token", thing.pk, None
    if isinstance(thing, User):
        return "user", thing.pk, _patient_of_user(thing.pk)
    return "", None, None


def _patient_of_plan(plan_id: int) -> int | None:
    return Plan.objects.filter(pk=plan_id).values_list("patient_id", flat=True).first()


def _patient_of_user(user_id: int) -> int | None:
    return Patient.objects.filter(user_id=user_id).values_list("pk", flat=True).first()


RESULT = "<result>"  # the actor is the person the service returns (accepting an invitation)


def audited(event: str, *, actor: str | None, subject: str | None = None
            ) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Record a change row after a service succeeds, inside its transaction.

    `actor` names the keyword argument holding who acted (RESULT: the returned person;
    None: nobody, as for the command line); `subject` the keyword argument that is the
    changed record when the return value is not (a token string, a flag).
    """
    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @wraps(service)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            chain.hold()  # the chain's lock before any other (no deadlock; chain.hold)
            result = service(*args, **kwargs)
            who: object = kwargs.get(actor) if actor and actor != RESULT else None
            if actor == RESULT:
                who = result.user if isinstance(result, Patient) else result
            thing = kwargs.get(subject) if subject else result
            record_type, record_id, patient_id = describe(thing)
            record(AuditAction.CHANGE, event, actor=who if isinstance(who, User) else None,
                   record_type=record_type, record_id=record_id, patient_id=patient_id)
            return result
        wrapped.__audited__ = event  # type: ignore[attr-defined]
        return wrapped
    return decorate
