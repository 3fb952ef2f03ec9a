"""The carers' URLs; docs/web.md lists them and tests/web/test_permissions.py tries each."""

from django.urls import path

from taper.web.carers import views

urlpatterns = [
    path("account/carers/", views.patient_carers, name="patient_carers"),
    path("account/carers/<int:link_id>/revoke/", views.carer_revoke, name="carer_revoke"),
    path("account/carers/<int:link_id>/messages/", views.carer_messages, name="carer_messages"),
    path("carer/", views.carer_home, name="carer_home"),
    path("carer/patients/<int:patient_id>/", views.carer_choose, name="carer_choose"),
    path("carer/invitation/<str:token>/", views.carer_accept, name="carer_accept"),
]
