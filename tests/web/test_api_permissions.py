"""Every API route tried as each of the cast with a personal token (anonymous: none), with
the answer expected and the audit row it must leave. A route missing here fails the test.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern

from taper.web.clinic.api.routes import api
from taper.web.clinic.models import AuditEvent
from tests.web import factories
from tests.web.apiclient import ROLES, call, person, token_for
from tests.web.conftest import Cast
from tests.web.test_anonymous_traffic import anonymous_count

V, X, C, D = "view", "export", "change", "denied"
# name: (method, path, body, statuses in the order of ROLES, audit actions in that order)
API_MATRIX: dict[str, tuple[str, str, str, tuple[int, ...], tuple[str | None, ...]]] = {
    "api-root": ("get", "/api/", "", (404,) * 6, (None,) * 6),  # points at /api/docs, no more
    "openapi-json": ("get", "/api/openapi.json", "", (200,) * 6, (None,) * 6),
    "openapi-view": ("get", "/api/docs", "", (200,) * 6, (None,) * 6),
    "patients": ("get", "/api/patients", "", (200, 200, 403, 403, 403, 401), (V, V, D, D, D, D)),
    "patients#post": ("post", "/api/patients", "new-patient", (201, 201, 403, 403, 403, 401),
                      (C, C, D, D, D, D)),
    "patient_plans": ("post", "/api/patients/{patient}/plans", "plan-request",
                      (201, 404, 404, 404, 403, 401), (C, D, D, D, D, D)),
    "plan": ("get", "/api/plans/{plan}", "", (200, 404, 200, 404, 403, 401), (V, D, V, D, D, D)),
    "plan#draft": ("get", "/api/plans/{draft}", "", (200, 404, 404, 404, 403, 401),
                   (V, D, D, D, D, D)),
    "plan_approve": ("post", "/api/plans/{draft}/approve", "note", (200, 404, 403, 403, 403, 401),
                     (C, D, D, D, D, D)),
    "patient_checkins": ("get", "/api/patients/{patient}/checkins", "",
                         (200, 404, 200, 404, 403, 401), (V, D, V, D, D, D)),
    "patient_checkins#post": ("post", "/api/patients/{patient}/checkins", "checkin",
                              (201, 404, 201, 404, 403, 401), (C, D, C, D, D, D)),
    "dashboard": ("get", "/api/dashboard", "", (200, 200, 403, 403, 403, 401), (V, V, D, D, D, D)),
    "me": ("get", "/api/me", "", (200, 200, 200, 200, 200, 401),  # the caller's own identity
           (None, None, None, None, None, D)),
    "decision_acknowledge": ("post", "/api/decisions/{decision}/acknowledge", "",
                             (200, 404, 403, 403, 403, 401), (C, D, D, D, D, D)),
    "patient_record": ("get", "/api/patients/{patient}/record", "",
                       (200, 404, 200, 404, 403, 401), (X, D, X, D, D, D)),
    "patient_record_pdf": ("get", "/api/patients/{patient}/record.pdf", "",
                           (200, 404, 200, 404, 403, 401), (X, D, X, D, D, D)),
    # Acting on a plan (api/plans.py): the plan page's rules, the same services.
    "plan_activate": ("post", "/api/plans/{approved}/activate", "",
                      (200, 404, 404, 404, 403, 401), (C, D, D, D, D, D)),
    "plan_stop": ("post", "/api/plans/{plan}/stop", "reason", (200, 404, 404, 404, 403, 401),
                  (C, D, D, D, D, D)),
    "plan_change": ("post", "/api/plans/{plan}/change", "plan-request",
                    (201, 404, 404, 404, 403, 401), (C, D, D, D, D, D)),
    "plan_hold": ("post", "/api/plans/{plan}/hold", "hold", (201, 404, 403, 403, 403, 401),
                  (C, D, D, D, D, D)),
    "plan_followups": ("get", "/api/plans/{plan}/followups", "",
                       (200, 404, 200, 404, 403, 401), (V, D, V, D, D, D)),
    "plan_followups#post": ("post", "/api/plans/{plan}/followups", "followup",
                            (201, 404, 403, 403, 403, 401), (C, D, D, D, D, D)),
    "plan_monitoring": ("post", "/api/plans/{plan}/monitoring", "monitoring",
                        (200, 404, 403, 403, 403, 401), (C, D, D, D, D, D)),
    "plan_export": ("get", "/api/plans/{plan}/export/{fmt}", "", (200, 404, 200, 404, 403, 401),
                    (X, D, X, D, D, D)),
    "plan_export#draft": ("get", "/api/plans/{draft}/export/{fmt}", "",
                          (200, 404, 404, 404, 403, 401), (X, D, D, D, D, D)),
    "patient_messages": ("get", "/api/patients/{patient}/messages", "",
                         (200, 404, 200, 404, 403, 401), (V, D, V, D, D, D)),
    "patient_messages#post": ("post", "/api/patients/{patient}/messages", "message",
                              (201, 404, 201, 404, 403, 401), (C, D, C, D, D, D)),
    # Knowledge, not a record: everyone signed in reads it, and it leaves no row.
    "symptoms": ("get", "/api/symptoms", "", (200, 200, 200, 200, 200, 401),
                 (None, None, None, None, None, D)),
}


def _path(cast: Cast, template: str) -> str:
    draft = factories.draft_plan(cast.patient, cast.clinician).pk if "{draft}" in template else 0
    decision = factories.worse_after_a_cut(cast.patient).pk if "{decision}" in template else 0
    approved = factories.approved_change(cast.plan, cast.clinician).pk if "{approved}" in template else 0
    return template.format(patient=cast.patient.pk, plan=cast.plan.pk, draft=draft,
                           decision=decision, approved=approved, fmt="ics")


def _body(cast: Cast, kind: str) -> Any:
    today = factories.today_of(cast.patient)
    return {"": None, "note": {"note": "checked"},
            "new-patient": {"name": "Ada Byrne", "email": "ada@example.org"},
            "plan-request": factories.diarist_request(today, cast.patient.timezone),
            "checkin": factories.quiet_checkin(today),
            "reason": {"reason": "Spasticity came back; plan to be rebuilt."},
            "hold": {"days": 2, "reason": "Settling after a cut."},
            "monitoring": {"days": 21},
            "message": {"body": "Dizzy since the cut; is that expected?"},
            "followup": {"date": "2099-01-05", "time": "10:30", "note": "Clinic"}}[kind]


def test_the_matrix_covers_every_api_route() -> None:
    patterns, _, _ = api.urls
    names = {p.name for p in patterns if isinstance(p, URLPattern)}
    assert names == {n.split("#")[0] for n in API_MATRIX}
    schema = api.get_openapi_schema()
    operations = {(m, p) for p, ops in schema["paths"].items() for m in ops}
    tried = {(m, p.replace("{patient}", "{patient_id}").replace("{plan}", "{version_id}")
              .replace("{draft}", "{version_id}").replace("{decision}", "{decision_id}")
              .replace("{approved}", "{version_id}"))
             for m, p, *_ in API_MATRIX.values()}
    assert operations <= tried


@pytest.mark.hazard("HZ-090")
@pytest.mark.hazard("HZ-094")
@pytest.mark.hazard("HZ-210")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(API_MATRIX))
def test_every_api_route_answers_each_role_exactly_and_leaves_its_audit_row(
        cast: Cast, client: Client, name: str, role: str) -> None:
    method, template, body_kind, statuses, actions = API_MATRIX[name]
    user = person(cast, role)
    token = None if user is None else token_for(user)
    path, body = _path(cast, template), _body(cast, body_kind)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = call(client, method, path, token, body)
    assert response.status_code == statuses[ROLES.index(role)], f"{role} {method} {path}"
    if response.status_code >= 400 and response.headers["Content-Type"].startswith("application/json"):
        assert set(response.json()) == {"detail", "field"}
    rows = list(AuditEvent.objects.filter(id__gt=last))
    want = actions[ROLES.index(role)]
    if user is None and want not in (None, "export"):  # counted per minute, not a row (HZ-156)
        assert rows == [] and anonymous_count(want) == 1, f"{role} {method} {path}"
        return
    assert {r.action for r in rows} == ({want} if want else set()), f"{role} {method} {path}"
    for row in rows:
        assert row.actor_id == (user.pk if user else None) and row.path == path
        assert row.via == ("" if user is None else f"token {token_id(user)}")
        assert row.ip == "127.0.0.1"


def token_id(user: Any) -> int:
    return int(user.api_tokens.values_list("pk", flat=True).first())
