"""Whose pages a request is about: the patient themself, or the patient a carer helps.

Every request asks again for a live link, so a revoked carer's open session stops
reaching the patient's pages at its next request (HZ-191).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from taper.web.carers.models import CarerLink
from taper.web.carers.services import live_links
from taper.web.clinic.models import Patient, Role, User

SESSION_KEY = "carer_patient_id"  # the patient a carer chose on their first page


def acting_link(request: HttpRequest) -> CarerLink | None:
    """The carer's live link for this request (None: the user is not a carer, or has none)."""
    user = request.user
    if not isinstance(user, User) or user.role != Role.CARER:
        return None
    links = live_links(user)
    chosen = request.session.get(SESSION_KEY)
    link = next((x for x in links if x.patient_id == chosen), None)
    if link is None and len(links) == 1:
        link = links[0]
    return link


def acting_patient(request: HttpRequest) -> Patient:
    """The patient whose Today and check-in this is; a carer with no live link gets a 404."""
    user = request.user
    if isinstance(user, User) and user.role == Role.PATIENT:
        return user.patient
    link = acting_link(request)
    if link is None:
        raise Http404
    # The audit row of the page names the patient, not the carer's own (absent) record.
    request.audit_record = ("patient", link.patient_id, link.patient_id)  # type: ignore[attr-defined]
    return link.patient
