"""Downloads of a plan in every export format, the check-in journal, and the private
calendar feed with the page where the patient or their clinician makes and revokes it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from taper.exports import FORMATS
from taper.web.accounts import throttle
from taper.web.clinic import exports, services
from taper.web.clinic.context import absolute_url
from taper.web.clinic.models import Patient, PlanVersion, Role, User
from taper.web.clinic.services.feeds import live_feed
from taper.web.clinic.views.access import AuthedRequest, role_required, version_for


def patient_or_theirs(user: User, patient_id: int) -> Patient:
    """The patient themself, or a patient of this clinician; anyone else gets a 404."""
    from taper.web.clinic import lean

    if not 0 < patient_id < 2**63:  # a 64-bit id, as the ORM would bound it (no OverflowError)
        raise Http404
    # As Patient.objects.filter(pk=…).filter(Q(user=user) | Q(clinician=user,
    # clinician__role=CLINICIAN)).first(), written once: every API call on a patient asks it.
    rows = lean.fetch(
        f"SELECT {lean.columns(Patient, 'p')} FROM clinic_patient p"
        ' LEFT OUTER JOIN clinic_user c ON c."id" = p."clinician_id"'
        ' WHERE p."id" = %s AND (p."user_id" = %s OR (p."clinician_id" = %s AND c."role" = %s))'
        ' ORDER BY p."name", p."id" LIMIT 1',
        [patient_id, user.pk, user.pk, str(Role.CLINICIAN)])
    found = lean.instance(Patient, rows[0]) if rows else None
    if found is None:
        raise Http404
    return found


def _attachment(body: bytes, media_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=media_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"  # health data: no copy in any cache
    return response


@role_required(Role.CLINICIAN, Role.PATIENT)
def plan_download(request: AuthedRequest, version_id: int, fmt: str) -> HttpResponse:
    version = version_for(request.user, version_id)
    if fmt not in FORMATS:
        raise Http404
    return plan_attachment(version, fmt)


def plan_attachment(version: PlanVersion, fmt: str) -> HttpResponse:
    """A plan version in one of FORMATS as a download (the page's and the API's)."""
    found = FORMATS[fmt]
    suffix = "" if fmt in ("pdf", "ics", "csv") else f"-{fmt.removesuffix('-text')}"
    name = f"plan-{version.plan_id}-version-{version.number}{suffix}.{found.extension}"
    return _attachment(exports.plan_export(version, fmt), found.media_type, name)


@role_required(Role.CLINICIAN, Role.PATIENT)
def journal_csv(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = patient_or_theirs(request.user, patient_id)
    return _attachment(exports.journal(patient), FORMATS["csv"].media_type,
                       f"checkins-{patient.pk}.csv")


@role_required(Role.CLINICIAN, Role.PATIENT)
def feed_settings(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = patient_or_theirs(request.user, patient_id)
    return render(request, "clinic/calendar_feed.html",
                  {"patient": patient, "feed": live_feed(patient), "link": None})


@require_POST
@role_required(Role.CLINICIAN, Role.PATIENT)
def feed_new(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = patient_or_theirs(request.user, patient_id)
    token = services.create_calendar_feed(patient=patient, actor=request.user)
    # Shown once, on this answer: only the token's hash is stored.
    link = absolute_url(request, f"/feeds/{token}.ics")
    response = render(request, "clinic/calendar_feed.html",
                      {"patient": patient, "feed": live_feed(patient), "link": link})
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@role_required(Role.CLINICIAN, Role.PATIENT)
def feed_revoke(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = patient_or_theirs(request.user, patient_id)
    if services.revoke_calendar_feed(patient=patient, actor=request.user):
        messages.success(request, gettext("The calendar link is turned off. It no longer works."))
    else:
        messages.info(request, gettext("There was no calendar link to turn off."))
    return redirect("feed_settings", patient_id=patient.pk)


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed: no login (the URL is the key); 404 for an unknown or revoked token."""
    if throttle.blocked("token", throttle.client(request)):
        return HttpResponse("Too many tries with unknown links; wait ten minutes.\n", status=429,
                            content_type="text/plain; charset=utf-8", headers={"Retry-After": "600"})
    found = services.find_calendar_feed(token)
    if found is None:
        throttle.hit("token", throttle.client(request))
        raise Http404
    request.audit_record = ("patient", found.patient_id, found.patient_id)  # type: ignore[attr-defined]
    response = HttpResponse(exports.feed(found.patient), content_type=FORMATS["ics"].media_type)
    disposition = content_disposition_header(False, "medication-plan.ics")
    assert disposition is not None  # None only when there is no filename
    response["Content-Disposition"] = disposition
    # Private: never kept by a shared cache; no-cache: a calendar asks again after a change.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
