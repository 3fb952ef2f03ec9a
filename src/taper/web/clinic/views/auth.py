"""Home, invitations, self-registration and the lockout page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from taper.web.accounts import throttle
from taper.web.accounts.views.password import throttled
from taper.web.clinic import services
from taper.web.clinic.forms.people import PasswordForm, RegisterForm
from taper.web.clinic.models import Role, User

BACKEND = "django.contrib.auth.backends.ModelBackend"


def home(request: HttpRequest) -> HttpResponse:
    """Each role's first page."""
    user = request.user
    if not isinstance(user, User):  # AnonymousUser: the only user that is not authenticated
        return redirect("login")
    target: dict[str, str] = {Role.CLINICIAN: "desk", Role.PATIENT: "today", Role.ADMIN: "accounts",
                              Role.CARER: "carer_home"}
    return redirect(target[user.role])


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    if throttle.blocked("token", throttle.client(request)):
        return throttled(request)  # guessing tokens: refused before any lookup
    invitation = services.find_invitation(token)
    if invitation is None:
        throttle.hit("token", throttle.client(request))
        return render(request, "clinic/invitation_invalid.html", status=404)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(token=token, password=form.cleaned_data["password"])
        except services.ServiceError as exc:
            form.add_error("password" if exc.field == "password" else None, exc.message)
        else:
            login(request, user, backend=BACKEND)
            return redirect("home")
    return render(request, "clinic/invitation.html", {"form": form, "email": invitation.user.email})


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if not settings.SELF_REGISTRATION:
        raise Http404
    if request.method == "POST" and not throttle.hit("register", throttle.client(request)):
        return throttled(request)
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            patient = services.self_register(email=d["email"], name=d["name"],
                                             timezone=d["timezone"], password=d["password"])
        except services.ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            login(request, patient.user, backend=BACKEND)
            return redirect("home")
    return render(request, "clinic/register.html", {"form": form})


def locked_out(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return render(request, "clinic/locked_out.html", status=429)
