"""The reminders' pages; docs/web.md lists them, tests/web/reminders/test_permissions.py
tries each as every role."""

from django.urls import path

from taper.web.reminders import views

urlpatterns = [
    path("account/settings/reminders/", views.reminder_settings, name="reminder_settings"),
    path("patients/<int:patient_id>/reminders/", views.patient_reminders, name="patient_reminders"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("offline/emergency/", views.offline_emergency, name="offline_emergency"),
]
