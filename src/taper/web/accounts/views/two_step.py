"""The second factor: set up an authenticator app, verify at login, recovery codes."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from taper.web.accounts import services
from taper.web.accounts.forms import CodeForm
from taper.web.accounts.models import RecoveryCodeDevice
from taper.web.accounts.policy import mfa_enrolled, mfa_required
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.views.access import AuthedRequest

SETUP_DEVICE = "taper_totp_setup"


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return "/"


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"  # a secret or codes are on the page
    return response


def _codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    return _no_store(render(request, "accounts/recovery_codes.html",
                            {"codes": codes, "next": _next(request)}))


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: AuthedRequest) -> HttpResponse:
    """Enrol an authenticator app: a QR code (and its key as text), then one code from it."""
    user = request.user
    # is_verified is set on request.user by django-otp's OTPMiddleware; the model lacks it.
    if mfa_enrolled(user) and not user.is_verified():  # type: ignore[attr-defined]
        return redirect("two_step_verify")  # a second device only after the first one
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "The 6 digits your authenticator app shows for Taper."
    setup_id = request.session.get(SETUP_DEVICE)  # no device is being set up: None
    device = None if setup_id is None else TOTPDevice.objects.filter(
        pk=setup_id, user=user, confirmed=False).first()
    if request.method == "POST" and form.is_valid() and device is not None:
        try:
            device, codes = services.confirm_totp(user=user, device_id=device.pk,
                                                  code=form.cleaned_data["code"])
        except ServiceError as exc:
            form.add_error("code", exc.message)
        else:
            otp_login(request, device)
            request.session.pop(SETUP_DEVICE, None)
            return _codes_page(request, codes)
    if device is None:
        device = services.start_totp(user=user)
        request.session[SETUP_DEVICE] = device.pk
    qr = segno.make(device.config_url, error="m")
    return _no_store(render(request, "accounts/setup.html", {
        "form": form, "qr": qr.svg_inline(scale=5, title="QR code to scan with your app"),
        "key": _groups(device.config_url), "required": mfa_required(user),
        "next": _next(request)}))


def _groups(url: str) -> str:
    """The key in the otpauth URL, in groups of four for typing by hand."""
    secret = url.split("secret=")[1].split("&")[0]
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: AuthedRequest) -> HttpResponse:
    """The second step of logging in: a code from the app, or a recovery code."""
    # is_verified is set on request.user by django-otp's OTPMiddleware; the model lacks it.
    if request.user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next(request))
    if not mfa_enrolled(request.user):
        return redirect("two_step_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].replace(" ", "")
        device = match_token(request.user, code)
        if device is not None:
            otp_login(request, device)
            if isinstance(device, RecoveryCodeDevice):
                left = device.remaining()
                messages.warning(request, f"You used a recovery code; {left} left. If your phone "
                                          "is lost, set up your app again on your account page.")
            return redirect(_next(request))
        form.add_error("code", "not a valid code. Type the 6 digits your app shows now, or "
                               "an unused recovery code. After several wrong codes each try "
                               "waits a little longer.")
    return _no_store(render(request, "accounts/verify.html", {"form": form, "next": _next(request)}))


@require_POST
@login_required
def recovery_codes(request: AuthedRequest) -> HttpResponse:
    """Ten new recovery codes (the old ones stop working), shown once."""
    if not mfa_enrolled(request.user):
        return redirect("two_step_setup")
    return _codes_page(request, services.new_recovery_codes(user=request.user))


@require_POST
@login_required
def remove(request: AuthedRequest) -> HttpResponse:
    try:
        services.remove_second_factor(user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message[:1].upper() + exc.message[1:] + ".")
    else:
        messages.success(request, "Two-step login is off. You log in with your password only.")
    return redirect("account")
