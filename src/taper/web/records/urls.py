"""The record's pages; docs/web.md lists them, tests/web/records/test_permissions.py tries each."""

from django.urls import path

from taper.web.records import views

urlpatterns = [
    path("patients/<int:patient_id>/record/<str:fmt>/", views.record_download,
         name="record_download"),
    path("patients/<int:patient_id>/legal-hold/", views.legal_hold, name="legal_hold"),
]
