"""The patient's carers page, the carer's first page and the carer's invitation link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from taper.web.accounts import throttle
from taper.web.accounts.views.password import throttled
from taper.web.carers import services
from taper.web.carers.acting import SESSION_KEY
from taper.web.carers.forms import InviteCarerForm
from taper.web.clinic.context import absolute_url
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.forms.people import PasswordForm
from taper.web.clinic.models import Role, User
from taper.web.clinic.views.access import AuthedRequest, role_required

BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
@role_required(Role.PATIENT)
def patient_carers(request: AuthedRequest) -> HttpResponse:
    """Who helps me: invite a carer (the link shown once and e-mailed), end their access."""
    patient = request.user.patient
    form = InviteCarerForm(request.POST or None)
    link_url = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            link, token = services.invite_carer(patient=patient, actor=request.user,
                                                name=d["name"], email=d["email"],
                                                may_message=d["may_message"])
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            link_url = absolute_url(request, reverse("carer_accept", args=[token]))
            _mail_invitation(link.carer.email, patient.name, link_url)
            form = InviteCarerForm()
    response = render(request, "carers/patient_carers.html", {
        "form": form, "links": services.links_of(patient), "link_url": link_url},
        status=400 if form.errors else 200)
    response["Cache-Control"] = "private, no-store"  # the new link is on this page once
    return response


def _mail_invitation(address: str, patient_name: str, url: str) -> None:
    """The link only; no health details (the e-mail may be read by anyone)."""
    subject = _("You have been invited to help someone in Taper")
    body = _("%(name)s has invited you to help them in Taper.\n\nOpen this link to accept "
             "(it works once, for a limited time):\n%(url)s\n") % {"name": patient_name,
                                                                    "url": url}
    transaction.on_commit(lambda: send_mail(subject, body, None, [address], fail_silently=True))


@require_POST
@role_required(Role.PATIENT)
def carer_revoke(request: AuthedRequest, link_id: int) -> HttpResponse:
    try:
        link = services.revoke_carer(patient=request.user.patient, actor=request.user,
                                     link_id=link_id)
    except ServiceError:
        raise Http404 from None
    messages.success(request, _("%(name)s can no longer see your pages.") % {"name": link.name})
    return redirect("patient_carers")


@require_POST
@role_required(Role.PATIENT)
def carer_messages(request: AuthedRequest, link_id: int) -> HttpResponse:
    allow = request.POST.get("allow") == "1"
    try:
        link = services.set_carer_messages(patient=request.user.patient, actor=request.user,
                                           link_id=link_id, allow=allow)
    except ServiceError:
        raise Http404 from None
    words = (_("%(name)s can now read and write your messages to your clinic.") if allow
             else _("%(name)s can no longer read your messages."))
    messages.success(request, words % {"name": link.name})
    return redirect("patient_carers")


@role_required(Role.CARER)
def carer_home(request: AuthedRequest) -> HttpResponse:
    """The carer's first page: the people they help, each one tap from their Today."""
    return render(request, "carers/carer_home.html", {"links": services.live_links(request.user)})


@require_POST
@role_required(Role.CARER)
def carer_choose(request: AuthedRequest, patient_id: int) -> HttpResponse:
    if services.live_link(request.user, patient_id) is None:
        raise Http404
    request.session[SESSION_KEY] = patient_id
    return redirect("today")


@require_http_methods(["GET", "POST"])
def carer_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The carer's invitation link: set a password (new to Taper), or confirm (logged in)."""
    if throttle.blocked("token", throttle.client(request)):
        return throttled(request)  # guessing tokens: refused before any lookup
    link = services.find_invitation(token)
    if link is None:
        throttle.hit("token", throttle.client(request))
        return render(request, "carers/invitation_invalid.html", status=404)
    existing = link.carer.has_usable_password()
    user = request.user if isinstance(request.user, User) else None
    form = None if existing else PasswordForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            carer = services.accept_invitation(
                token=token, user=user,
                password=None if form is None else form.cleaned_data["password"])
        except ServiceError as exc:
            if form is None:
                messages.error(request, exc.message)
            else:
                form.add_error("password" if exc.field == "password" else None, exc.message)
        else:
            if user is None or user.pk != carer.pk:
                login(request, carer, backend=BACKEND)
            request.session[SESSION_KEY] = link.patient_id
            return redirect("carer_home")
    return render(request, "carers/invitation.html", {
        "form": form, "link": link, "existing": existing,
        "logged_in_as_carer": user is not None and user.pk == link.carer_id},
        status=400 if form is not None and form.errors else 200)
