"""Account management's pages; docs/web.md lists them, tests/web/test_permissions.py tries each."""

from django.urls import path

from taper.web.staff import views

urlpatterns = [
    path("staff/people/<int:user_id>/invitation/", views.reissue, name="reissue_invitation"),
    path("staff/link/", views.link_request, name="link_request"),
    path("account/clinician/", views.link_answer, name="link_answer"),
    path("account/clinician/<int:link_id>/", views.link_decide, name="link_decide"),
    path("staff/accounts/<int:user_id>/deactivate/", views.deactivate, name="deactivate_account"),
    path("staff/accounts/<int:user_id>/reactivate/", views.reactivate, name="reactivate_account"),
    path("staff/patients/<int:patient_id>/move/", views.move, name="move_patient"),
]
