"""Password change and reset: Django's own views and tokens, in the site's pages.

The reset e-mail's link is built from TAPER_SITE_URL, never from the request's Host header
(a forged Host would otherwise send the victim's token to the attacker's site)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy

from taper.web.accounts import throttle
from taper.web.accounts.forms import ResetForm


def throttled(request: HttpRequest) -> HttpResponse:
    response = render(request, "accounts/throttled.html", status=429)
    response["Retry-After"] = "600"
    return response


class ResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not throttle.hit("reset", throttle.client(request)):
            return throttled(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


reset = ResetView.as_view()
reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html")
reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("password_reset_complete"))
reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html")
change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html", success_url=reverse_lazy("password_change_done"))
change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html")
