"""The messages' URLs; docs/web.md lists them and tests/web/test_permissions.py tries each."""

from django.urls import path

from taper.web.messaging import views

urlpatterns = [
    path("messages/", views.patient_messages, name="patient_messages"),
    path("messages/inbox/", views.inbox, name="message_inbox"),
    path("patients/<int:patient_id>/messages/", views.clinician_messages,
         name="clinician_messages"),
]
