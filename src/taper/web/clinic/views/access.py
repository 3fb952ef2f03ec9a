"""Who may see what. A record someone may not see is a 404, never a 403: its existence
would leak. A page meant for another role (a patient at /patients/) is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from taper.web.clinic.models import Decision, Patient, PlanVersion, Role, Status, User

View = Callable[..., HttpResponseBase]


class AuthedRequest(HttpRequest):
    """A request behind `login_required` (or `role_required`): its user is a logged-in User,
    never AnonymousUser. The django-stubs pattern for views that only signed-in users reach."""

    user: User


def require_role(user: User, *roles: str) -> None:
    """A page or API route meant for other roles is a 403."""
    if user.role not in roles:
        raise PermissionDenied


def role_required(*roles: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            require_role(request.user, *roles)
            return view(request, *args, **kwargs)
        return wrapped
    return decorate


def my_patient(user: User, patient_id: int) -> Patient:
    """A patient of this clinician (or, planning alone, the patient themself)."""
    found = Patient.objects.filter(pk=patient_id).filter(
        Q(clinician=user, clinician__role=Role.CLINICIAN)
        | Q(user=user, clinician__isnull=True)).select_related("user").first()
    if found is None:
        raise Http404
    return found


# What a clinic patient sees of their plans: versions a prescriber approved (drafts are
# the clinician's working copies). Someone planning alone sees all of their own.
_SHOWN_TO_PATIENT = [Status.APPROVED, Status.ACTIVE, Status.CHANGED, Status.COMPLETED,
                     Status.STOPPED]


def visible_versions(user: User) -> QuerySet[PlanVersion]:
    if user.role == Role.CLINICIAN:
        return PlanVersion.objects.filter(plan__patient__clinician=user)
    if user.role == Role.PATIENT:
        return PlanVersion.objects.filter(plan__patient__user=user).filter(
            Q(status__in=_SHOWN_TO_PATIENT) | Q(plan__patient__clinician__isnull=True))
    return PlanVersion.objects.none()


def version_for(user: User, version_id: int) -> PlanVersion:
    found = visible_versions(user).select_related("plan__patient", "approved_by").filter(
        pk=version_id).first()
    if found is None:
        raise Http404
    return found


def authored_version(user: User, version_id: int) -> PlanVersion:
    """A version the user may change, approve or stop: the clinician's, or a solo patient's."""
    version = version_for(user, version_id)
    from taper.web.clinic.services.plans import may_author

    if not may_author(user, version.plan.patient):
        raise Http404
    return version


def decision_for(user: User, decision_id: int) -> Decision:
    found = Decision.objects.filter(pk=decision_id).filter(
        Q(patient__user=user) | Q(patient__clinician=user, patient__clinician__role=Role.CLINICIAN)
    ).select_related("patient", "checkin", "version__plan", "acknowledged_by",
                     "applied_version__approved_by").first()
    if found is None:
        raise Http404
    return found
