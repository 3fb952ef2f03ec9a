"""Identity pages: the second factor, password change and reset, the session's time left."""

from django.urls import path

from taper.web.accounts.views import password, session, two_step

urlpatterns = [
    path("account/two-step/setup/", two_step.setup, name="two_step_setup"),
    path("account/two-step/verify/", two_step.verify, name="two_step_verify"),
    path("account/two-step/codes/", two_step.recovery_codes, name="two_step_codes"),
    path("account/two-step/remove/", two_step.remove, name="two_step_remove"),
    path("account/session/", session.remaining, name="session_remaining"),
    path("account/password/", password.change, name="password_change"),
    path("account/password/done/", password.change_done, name="password_change_done"),
    path("password-reset/", password.reset, name="password_reset"),
    path("password-reset/sent/", password.reset_done, name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", password.reset_confirm,
         name="password_reset_confirm"),
    path("password-reset/done/", password.reset_complete, name="password_reset_complete"),
]
