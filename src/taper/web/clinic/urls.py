"""The clinic's URLs; docs/web.md lists them and tests/web/test_permissions.py tries each."""

from django.contrib.auth import views as auth_views
from django.urls import path

from taper.web.clinic.views import (
    account,
    accounts,
    alerts,
    auth,
    clinician,
    exports,
    health,
    patient,
    plans,
)

urlpatterns = [
    path("", auth.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(template_name="clinic/login.html",
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("invitation/<str:token>/", auth.accept_invitation, name="accept_invitation"),
    path("register/", auth.register, name="register"),
    path("alerts/", alerts.alert_list, name="alerts"),
    path("patients/", clinician.patient_list, name="patient_list"),
    path("patients/new/", clinician.patient_new, name="patient_new"),
    path("patients/<int:patient_id>/", clinician.patient_detail, name="patient_detail"),
    path("patients/<int:patient_id>/plans/new/", plans.plan_new, name="plan_new"),
    path("patients/<int:patient_id>/journal.csv", exports.journal_csv, name="journal_csv"),
    path("patients/<int:patient_id>/calendar/", exports.feed_settings, name="feed_settings"),
    path("patients/<int:patient_id>/calendar/new/", exports.feed_new, name="feed_new"),
    path("patients/<int:patient_id>/calendar/revoke/", exports.feed_revoke, name="feed_revoke"),
    path("feeds/<str:token>.ics", exports.calendar_feed, name="calendar_feed"),
    path("plans/<int:version_id>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:version_id>/approve/", plans.plan_approve, name="plan_approve"),
    path("plans/<int:version_id>/activate/", plans.plan_activate, name="plan_activate"),
    path("plans/<int:version_id>/change/", plans.plan_change, name="plan_change"),
    path("plans/<int:version_id>/complete/", plans.plan_complete, name="plan_complete"),
    path("plans/<int:version_id>/stop/", plans.plan_stop, name="plan_stop"),
    path("plans/<int:version_id>/download/<str:fmt>/", exports.plan_download,
         name="plan_download"),
    path("today/", patient.today, name="today"),
    path("today/taken/", patient.dose_taken, name="dose_taken"),
    path("checkin/", patient.checkin, name="checkin"),
    path("decisions/<int:decision_id>/", patient.decision_detail, name="decision_detail"),
    path("accounts/", accounts.accounts, name="accounts"),
    path("account/", account.account, name="account"),
    path("account/tokens/<int:token_id>/revoke/", account.token_revoke, name="token_revoke"),
    path("audit/", account.audit, name="audit"),
    path("audit/export.csv", account.audit_csv, name="audit_csv"),
]
