"""Account management's pages (issue 15.4). A record someone may not touch is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taper.web.clinic.context import absolute_url
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import Patient, Role, User
from taper.web.clinic.views.access import AuthedRequest, role_required
from taper.web.staff import services
from taper.web.staff.forms import LinkRequestForm, MoveForm
from taper.web.staff.models import LinkRequest


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@role_required(Role.ADMIN, Role.CLINICIAN)
def reissue(request: AuthedRequest, user_id: int) -> HttpResponse:
    user = User.objects.filter(pk=user_id).first()
    if user is None or not services.may_reinvite(request.user, user):
        raise Http404
    back = "accounts" if request.user.role == Role.ADMIN else "patient_list"
    try:
        token = services.reissue_invitation(user=user, actor=request.user)
    except ServiceError as exc:
        messages.error(request, f"No new link: {exc.message}.")
        return redirect(back)
    link = absolute_url(request, f"/invitation/{token}/")
    return _no_store(render(request, "staff/invitation_link.html",
                            {"person": user, "link": link, "back": back}))


@role_required(Role.CLINICIAN)
def link_request(request: AuthedRequest) -> HttpResponse:
    form = LinkRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_link(clinician=request.user, email=form.cleaned_data["email"])
        except ServiceError as exc:
            form.add_error("email" if exc.field == "email" else None, exc.message)
        else:
            # The same words whether or not the address is someone's (no account revealed).
            messages.success(request, "If someone planning alone uses this address, they will "
                                      "see your request when they next log in.")
            return redirect("link_request")
    sent = LinkRequest.objects.filter(clinician=request.user).select_related("patient")[:50]
    return render(request, "staff/link_request.html", {"form": form, "sent": sent},
                  status=400 if form.errors else 200)


@role_required(Role.PATIENT)
def link_answer(request: AuthedRequest) -> HttpResponse:
    patient = request.user.patient
    return render(request, "staff/link_answer.html", {
        "patient": patient, "pending": services.pending_for(request.user)})


@require_POST
@role_required(Role.PATIENT)
def link_decide(request: AuthedRequest, link_id: int) -> HttpResponse:
    link = services.pending_for(request.user).filter(pk=link_id).first()
    answer = request.POST.get("answer", "")
    if link is None:
        raise Http404
    if answer not in ("accept", "decline"):
        messages.error(request, _("Choose accept or decline."))
        return redirect("link_answer")
    try:
        services.answer_link(link=link, person=request.user, accept=answer == "accept")
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: %(who)s now follows your taper.") % {
            "who": link.clinician.email} if answer == "accept" else _("Declined."))
    return redirect("link_answer")


def _account(user_id: int) -> User:
    found = User.objects.filter(pk=user_id).first()
    if found is None:
        raise Http404
    return found


@require_POST
@role_required(Role.ADMIN)
def deactivate(request: AuthedRequest, user_id: int) -> HttpResponse:
    user = _account(user_id)
    try:
        services.deactivate(user=user, actor=request.user)
    except ServiceError as exc:
        messages.error(request, f"{user.email} not deactivated: {exc.message}.")
    else:
        messages.success(request, f"{user.email} is deactivated: their sessions, API tokens "
                                  "and calendar links stopped working.")
    return redirect("accounts")


@require_POST
@role_required(Role.ADMIN)
def reactivate(request: AuthedRequest, user_id: int) -> HttpResponse:
    user = _account(user_id)
    try:
        services.reactivate(user=user, actor=request.user)
    except ServiceError as exc:
        messages.error(request, f"{user.email} not reactivated: {exc.message}.")
    else:
        messages.success(request, f"{user.email} can log in again.")
    return redirect("accounts")


@role_required(Role.ADMIN)
def move(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = Patient.objects.filter(pk=patient_id).select_related("user", "clinician").first()
    if patient is None:
        raise Http404
    form = MoveForm(request.POST if request.method == "POST" else None, current=patient.clinician_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_patient(patient=patient, to=form.cleaned_data["clinician"],
                                  actor=request.user)
        except ServiceError as exc:
            form.add_error("clinician" if exc.field == "clinician" else None, exc.message)
        else:
            messages.success(request, f"{patient.user.email} moved to "
                                      f"{form.cleaned_data['clinician'].email}.")
            return redirect("accounts")
    return render(request, "staff/move.html", {"patient": patient, "form": form},
                  status=400 if form.errors else 200)
