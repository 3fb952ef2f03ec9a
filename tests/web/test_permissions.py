"""Every URL tried as each of the cast, with exactly the answer expected.

A record someone may not see is a 404 (its existence would leak); a page for another role
is a 403; an anonymous visitor is sent to log in.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from taper.web.carers import services as carers
from taper.web.carers.urls import urlpatterns as carer_urls
from taper.web.clinic import services
from taper.web.clinic.models import Patient
from taper.web.clinic.urls import urlpatterns
from taper.web.messaging.urls import urlpatterns as message_urls
from taper.web.staff.urls import urlpatterns as staff_urlpatterns
from tests.web import factories
from tests.web.carers.factories import linked_carer
from tests.web.conftest import Cast

ROLES = ("clinician", "other_clinician", "patient", "other_patient", "admin", "anonymous")
LOGIN = 1  # stands for "302 to the login page"

# url name: (method, arguments, expected answers in the order of ROLES)
MATRIX: dict[str, tuple[str, str, tuple[int, ...]]] = {
    "home": ("get", "", (302, 302, 302, 302, 302, LOGIN)),
    "healthz": ("get", "", (200, 200, 200, 200, 200, 200)),
    "login": ("get", "", (302, 302, 302, 302, 302, 200)),
    "logout": ("post", "", (302, 302, 302, 302, 302, 302)),
    "accept_invitation": ("get", "bad-token", (404, 404, 404, 404, 404, 404)),
    "register": ("get", "", (404, 404, 404, 404, 404, 404)),
    "patient_list": ("get", "", (200, 200, 403, 403, 403, LOGIN)),
    "desk": ("get", "", (200, 200, 403, 403, 403, LOGIN)),
    "decision_acknowledge": ("post", "decision", (302, 404, 403, 403, 403, LOGIN)),
    "suggestion_apply": ("get", "suggested", (200, 404, 403, 403, 403, LOGIN)),
    "suggestion_apply#post": ("post", "suggested", (302, 404, 403, 403, 403, LOGIN)),
    "plan_hold": ("get", "plan", (200, 404, 403, 403, 403, LOGIN)),
    "plan_hold#post": ("post", "plan", (302, 404, 403, 403, 403, LOGIN)),
    "plan_followup": ("get", "plan", (200, 404, 403, 403, 403, LOGIN)),
    "plan_followup#post": ("post", "plan", (302, 404, 403, 403, 403, LOGIN)),
    "plan_monitoring": ("get", "plan", (200, 404, 403, 403, 403, LOGIN)),
    "plan_monitoring#post": ("post", "plan", (302, 404, 403, 403, 403, LOGIN)),
    "alerts": ("get", "", (200, 200, 403, 403, 403, LOGIN)),
    "patient_new": ("get", "", (200, 200, 403, 403, 403, LOGIN)),
    "patient_detail": ("get", "patient", (200, 404, 404, 404, 403, LOGIN)),
    "plan_new": ("get", "patient", (200, 404, 404, 404, 403, LOGIN)),
    "plan_detail": ("get", "plan", (200, 404, 200, 404, 403, LOGIN)),
    "plan_detail#draft": ("get", "draft", (200, 404, 404, 404, 403, LOGIN)),
    "plan_approve": ("get", "draft", (200, 404, 403, 403, 403, LOGIN)),
    "plan_activate": ("post", "plan", (302, 404, 404, 404, 403, LOGIN)),
    "plan_complete": ("post", "plan", (302, 404, 404, 404, 403, LOGIN)),
    "plan_change": ("get", "plan", (200, 404, 404, 404, 403, LOGIN)),
    "plan_stop": ("get", "plan", (200, 404, 404, 404, 403, LOGIN)),
    "today": ("get", "", (403, 403, 200, 200, 403, LOGIN)),
    "dose_taken": ("post", "", (403, 403, 302, 302, 403, LOGIN)),
    "checkin": ("get", "", (403, 403, 200, 200, 403, LOGIN)),
    "history": ("get", "", (403, 403, 200, 200, 403, LOGIN)),
    "plan_seen": ("post", "plan", (403, 403, 302, 404, 403, LOGIN)),
    "clinic_contact": ("get", "", (200, 200, 403, 403, 403, LOGIN)),
    "clinic_contact#post": ("post", "", (302, 302, 403, 403, 403, LOGIN)),
    "patient_preferences": ("get", "", (403, 403, 200, 200, 403, LOGIN)),
    "patient_preferences#post": ("post", "", (403, 403, 302, 302, 403, LOGIN)),
    "decision_detail": ("get", "decision", (200, 404, 200, 404, 403, LOGIN)),
    "accounts": ("get", "", (403, 403, 403, 403, 200, LOGIN)),
    "plan_download": ("get", "plan-csv", (200, 404, 200, 404, 403, LOGIN)),
    "plan_download#draft": ("get", "draft-csv", (200, 404, 404, 404, 403, LOGIN)),
    "journal_csv": ("get", "patient", (200, 404, 200, 404, 403, LOGIN)),
    "feed_settings": ("get", "patient", (200, 404, 200, 404, 403, LOGIN)),
    "feed_new": ("post", "patient", (200, 404, 200, 404, 403, LOGIN)),
    "feed_new#get": ("get", "patient", (405, 405, 405, 405, 405, 405)),
    "feed_revoke": ("post", "patient", (302, 404, 302, 404, 403, LOGIN)),
    # A capability URL: whoever holds a live token reads that one calendar, logged in or not.
    "calendar_feed": ("get", "feed", (200, 200, 200, 200, 200, 200)),
    "calendar_feed#revoked": ("get", "revoked-feed", (404, 404, 404, 404, 404, 404)),
    "calendar_feed#unknown": ("get", "bad-token", (404, 404, 404, 404, 404, 404)),
    "account": ("get", "", (200, 200, 200, 200, 200, LOGIN)),
    "account#post": ("post", "", (200, 200, 200, 200, 200, LOGIN)),
    "token_revoke": ("post", "token", (302, 404, 404, 404, 404, LOGIN)),  # the clinician's token
    "token_revoke#get": ("get", "token", (405, 405, 405, 405, 405, 405)),
    "audit": ("get", "", (403, 403, 403, 403, 200, LOGIN)),
    "audit_csv": ("get", "", (403, 403, 403, 403, 200, LOGIN)),
    # Carers (taper.web.carers) and messages (taper.web.messaging).
    "patient_carers": ("get", "", (403, 403, 200, 200, 403, LOGIN)),
    "patient_carers#post": ("post", "", (403, 403, 200, 200, 403, LOGIN)),
    "carer_revoke": ("post", "link", (403, 403, 302, 404, 403, LOGIN)),
    "carer_revoke#get": ("get", "link", (405, 405, 405, 405, 405, 405)),
    "carer_messages": ("post", "link", (403, 403, 302, 404, 403, LOGIN)),
    "carer_home": ("get", "", (403, 403, 403, 403, 403, LOGIN)),
    "carer_choose": ("post", "patient", (403, 403, 403, 403, 403, LOGIN)),
    "carer_accept": ("get", "bad-token", (404, 404, 404, 404, 404, 404)),
    "patient_messages": ("get", "", (403, 403, 200, 200, 403, LOGIN)),
    "patient_messages#post": ("post", "", (403, 403, 302, 302, 403, LOGIN)),
    "message_inbox": ("get", "", (200, 200, 403, 403, 403, LOGIN)),
    "clinician_messages": ("get", "patient", (200, 404, 403, 403, 403, LOGIN)),
    "clinician_messages#post": ("post", "patient", (302, 404, 403, 403, 403, LOGIN)),
    # Managing accounts (taper.web.staff).
    "reissue_invitation": ("post", "uninvited", (200, 404, 403, 403, 200, LOGIN)),
    "reissue_invitation#get": ("get", "uninvited", (405, 405, 405, 405, 405, 405)),
    "link_request": ("get", "", (200, 200, 403, 403, 403, LOGIN)),
    "link_request#post": ("post", "", (302, 302, 403, 403, 403, LOGIN)),
    "link_answer": ("get", "", (403, 403, 200, 200, 403, LOGIN)),
    "link_decide": ("post", "link-request", (403, 403, 302, 404, 403, LOGIN)),
    "deactivate_account": ("post", "patient-user", (403, 403, 403, 403, 302, LOGIN)),
    "reactivate_account": ("post", "patient-user", (403, 403, 403, 403, 302, LOGIN)),
    "move_patient": ("get", "patient", (403, 403, 403, 403, 200, LOGIN)),
    "move_patient#post": ("post", "patient", (403, 403, 403, 403, 400, LOGIN)),
}

# The carer (a live link to `cast.patient`, not allowed to read the messages): Today, the
# check-in, marking doses and what a check-in said, for that patient only; nothing else.
CARER: dict[str, int] = {
    "home": 302, "healthz": 200, "login": 302, "logout": 302, "accept_invitation": 404,
    "register": 404, "patient_list": 403, "desk": 403, "decision_acknowledge": 403,
    "suggestion_apply": 403, "suggestion_apply#post": 403, "plan_hold": 403,
    "plan_hold#post": 403, "plan_followup": 403, "plan_followup#post": 403,
    "plan_monitoring": 403, "plan_monitoring#post": 403, "alerts": 403, "patient_new": 403,
    "patient_detail": 403, "plan_new": 403, "plan_detail": 403, "plan_detail#draft": 403,
    "plan_approve": 403, "plan_activate": 403, "plan_complete": 403, "plan_change": 403,
    "plan_stop": 403, "today": 200, "dose_taken": 302, "checkin": 200, "history": 403,
    "plan_seen": 403, "clinic_contact": 403, "clinic_contact#post": 403,
    "patient_preferences": 403, "patient_preferences#post": 403, "decision_detail": 200,
    "accounts": 403, "plan_download": 403, "plan_download#draft": 403, "journal_csv": 403,
    "feed_settings": 403, "feed_new": 403, "feed_new#get": 405, "feed_revoke": 403,
    "calendar_feed": 200, "calendar_feed#revoked": 404, "calendar_feed#unknown": 404,
    "account": 403, "account#post": 403, "token_revoke": 404, "token_revoke#get": 405,
    "audit": 403, "audit_csv": 403,
    "patient_carers": 403, "patient_carers#post": 403, "carer_revoke": 403,
    "carer_revoke#get": 405, "carer_messages": 403, "carer_home": 200, "carer_choose": 302,
    "carer_accept": 404,
    "patient_messages": 404, "patient_messages#post": 404, "message_inbox": 403,
    "clinician_messages": 403, "clinician_messages#post": 403,
    "reissue_invitation": 403, "reissue_invitation#get": 405, "link_request": 403,
    "link_request#post": 403, "link_answer": 403, "link_decide": 403,
    "deactivate_account": 403, "reactivate_account": 403, "move_patient": 403,
    "move_patient#post": 403,
}


def _user(cast: Cast, role: str) -> Any:
    return {"clinician": cast.clinician, "other_clinician": cast.other_clinician,
            "patient": cast.patient.user, "other_patient": cast.other_patient.user,
            "admin": cast.admin, "anonymous": None}[role]


def _url(cast: Cast, name: str, argument: str) -> str:
    name = name.split("#")[0]
    if argument == "":
        return reverse(name)
    if argument == "bad-token":
        return reverse(name, args=["not-a-real-token"])
    if argument == "patient":
        return reverse(name, args=[cast.patient.pk])
    if argument == "plan":
        return reverse(name, args=[cast.plan.pk])
    if argument == "draft":
        return reverse(name, args=[factories.draft_plan(cast.patient, cast.clinician).pk])
    if argument == "plan-csv":
        return reverse(name, args=[cast.plan.pk, "csv"])
    if argument == "draft-csv":
        return reverse(name, args=[factories.draft_plan(cast.patient, cast.clinician).pk, "csv"])
    if argument == "token":
        token, _ = services.create_api_token(user=cast.clinician, name="EHR", actor=cast.clinician)
        return reverse(name, args=[token.pk])
    if argument in ("feed", "revoked-feed"):
        token = services.create_calendar_feed(patient=cast.patient, actor=cast.patient.user)
        if argument == "revoked-feed":
            services.revoke_calendar_feed(patient=cast.patient, actor=cast.clinician)
        return reverse(name, args=[token])
    if argument == "link":
        link, _ = carers.invite_carer(patient=cast.patient, actor=cast.patient.user,
                                      name="Jo Lee", email="jo@example.org")
        return reverse(name, args=[link.pk])
    if argument == "uninvited":  # Sam, as if the invitation had never been used
        cast.patient.user.set_unusable_password()
        cast.patient.user.save(update_fields=["password"])
        return reverse(name, args=[cast.patient.user_id])
    if argument == "patient-user":
        return reverse(name, args=[cast.patient.user_id])
    if argument == "link-request":
        # The patient's own request: as if they still planned alone (their clinician asked).
        from taper.web.staff.models import LinkRequest

        Patient.objects.filter(pk=cast.patient.pk).update(clinician=None)
        link = LinkRequest.objects.create(patient=cast.patient, clinician=cast.other_clinician)
        return reverse(name, args=[link.pk])
    if argument == "suggested":
        return reverse(name, args=[factories.worse_after_a_cut(cast.patient).pk, "return_to_dose"])
    decision = services.record_checkin(
        patient=cast.patient, entered_by=cast.patient.user,
        data=factories.quiet_checkin(factories.today_of(cast.patient)))
    return reverse(name, args=[decision.pk])


def form_for(name: str) -> dict[str, str]:
    """What a form posts, so a POST that is allowed does what it says."""
    return {"dose_taken": {"time": "08:00"},
            "patient_preferences#post": {"temperature_unit": "F", "dose_alarms": "on"},
            "plan_hold#post": {"days": "2", "reason": "Settling after a cut."},
            "plan_followup#post": {"date": "2099-01-05", "time": "10:30", "note": "Clinic"},
            "plan_monitoring#post": {"days": "21"},
            "patient_carers#post": {"name": "Ana Ruiz", "email": "ana@example.org"},
            "patient_messages#post": {"body": "A question about my next step."},
            "clinician_messages#post": {"body": "See you on Tuesday."},
            "link_request#post": {"email": "someone@example.org"},
            "link_decide": {"answer": "decline"}}.get(name, {})


def test_the_matrix_covers_every_url() -> None:
    names = {p.name for p in [*urlpatterns, *carer_urls, *message_urls, *staff_urlpatterns]
             if isinstance(p, URLPattern)}
    assert names == {n.split("#")[0] for n in MATRIX}


def test_the_carers_column_covers_every_url() -> None:
    assert set(CARER) == set(MATRIX)


@pytest.mark.hazard("HZ-192")
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_url_answers_a_carer_exactly(cast: Cast, client: Client, name: str,
                                           every_dose_due: None) -> None:
    method, argument, _ = MATRIX[name]
    carer, _ = linked_carer(cast.patient)
    url = _url(cast, name, argument)
    client.force_login(carer)
    response = getattr(client, method)(url, form_for(name))
    assert response.status_code == CARER[name], f"carer {method.upper()} {url}"


@pytest.mark.hazard("HZ-080")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_url_answers_each_role_exactly(cast: Cast, client: Client, name: str,
                                            role: str, every_dose_due: None) -> None:
    method, argument, expected = MATRIX[name]
    want = expected[ROLES.index(role)]
    url = _url(cast, name, argument)
    user = _user(cast, role)
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, form_for(name))
    if want == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    else:
        assert response.status_code == want, f"{role} {method.upper()} {url}"


@pytest.mark.hazard("HZ-080")
def test_a_clinician_lists_only_their_own_patients(cast: Cast, client: Client) -> None:
    client.force_login(cast.other_clinician)
    assert cast.patient.name not in client.get(reverse("patient_list")).content.decode()
    client.force_login(cast.clinician)
    page = client.get(reverse("patient_list")).content.decode()
    assert cast.patient.name in page and cast.other_patient.name in page


@pytest.mark.hazard("HZ-080")
def test_a_patient_cannot_act_on_anothers_plan_by_posting(cast: Cast, client: Client) -> None:
    client.force_login(cast.other_patient.user)
    for name in ("plan_activate", "plan_stop", "plan_change"):
        response = client.post(reverse(name, args=[cast.plan.pk]), {"reason": "because"})
        assert response.status_code == 404
    cast.plan.refresh_from_db()
    assert cast.plan.status == "active"
