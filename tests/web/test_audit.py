"""The audit trail: every page leaves the row it must (for each of the cast), changes are
recorded in their own transaction, logins and failures are rows, and rows never change.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from taper.web.clinic import services
from taper.web.clinic.audit.rules import RULES
from taper.web.clinic.models import AuditEvent
from taper.web.redact import redact_path
from tests.web import factories
from tests.web.conftest import Cast
from tests.web.test_anonymous_traffic import anonymous_count
from tests.web.test_permissions import MATRIX, ROLES, _url, _user, form_for

V, X, C, A, D = "view", "export", "change", "attempt", "denied"
N6 = (None,) * 6
# MATRIX key: the audit action each of ROLES leaves (None: no row), beside its status there.
AUDIT: dict[str, tuple[str | None, ...]] = {
    "home": N6, "login": N6, "healthz": N6,
    "logout": ("logout",) * 5 + (None,),
    "accept_invitation": (D,) * 6, "register": (D,) * 6,
    "patient_list": (V, V, D, D, D, None),
    "desk": (V, V, D, D, D, None),
    "decision_acknowledge": (C, D, D, D, D, None),
    "suggestion_apply": (V, D, D, D, D, None),
    "suggestion_apply#post": (C, D, D, D, D, None),
    "plan_hold": (V, D, D, D, D, None),
    "plan_hold#post": (C, D, D, D, D, None),
    "plan_followup": (V, D, D, D, D, None),
    "plan_followup#post": (C, D, D, D, D, None),
    "plan_monitoring": (V, D, D, D, D, None),
    "plan_monitoring#post": (C, D, D, D, D, None),
    "alerts": (V, V, D, D, D, None),
    "patient_new": (None, None, D, D, D, None),
    "patient_detail": (V, D, D, D, D, None),
    "plan_new": (V, D, D, D, D, None),
    "plan_detail": (V, D, V, D, D, None),
    "plan_detail#draft": (V, D, D, D, D, None),
    "plan_approve": (V, D, D, D, D, None),
    "plan_activate": (A, D, D, D, D, None),  # already active: the service refuses, nothing changes
    "plan_complete": (A, D, D, D, D, None),  # its stop date has not come
    "plan_change": (V, D, D, D, D, None),
    "plan_stop": (V, D, D, D, D, None),
    "today": (D, D, V, V, D, None),
    "dose_taken": (D, D, C, C, D, None),
    "checkin": (D, D, V, V, D, None),
    "history": (D, D, V, V, D, None),
    "plan_seen": (D, D, C, D, D, None),
    "clinic_contact": (V, V, D, D, D, None),
    "clinic_contact#post": (C, C, D, D, D, None),  # an empty form clears the contact
    "patient_preferences": (D, D, V, V, D, None),
    "patient_preferences#post": (D, D, C, C, D, None),
    "decision_detail": (V, D, V, D, D, None),
    "accounts": (D, D, D, D, V, None),
    "plan_download": (X, D, X, D, D, None),
    "plan_download#draft": (X, D, D, D, D, None),
    "journal_csv": (X, D, X, D, D, None),
    "feed_settings": (V, D, V, D, D, None),
    "feed_new": (C, D, C, D, D, None),
    "feed_new#get": N6,
    "feed_revoke": (C, D, C, D, D, None),
    "calendar_feed": (X,) * 6,
    "calendar_feed#revoked": (D,) * 6, "calendar_feed#unknown": (D,) * 6,
    "account": N6,
    "account#post": (A, A, A, A, A, None),  # an empty form: no token made
    "token_revoke": (C, D, D, D, D, None),
    "token_revoke#get": N6,
    "audit": (D, D, D, D, V, None),
    "audit_csv": (D, D, D, D, X, None),
    "patient_carers": (D, D, V, V, D, None),
    "patient_carers#post": (D, D, C, C, D, None),  # the invitation is a change
    "carer_revoke": (D, D, C, D, D, None),
    "carer_revoke#get": N6,
    "carer_messages": (D, D, C, D, D, None),
    "carer_home": (D, D, D, D, D, None),
    "carer_choose": (D, D, D, D, D, None),
    "carer_accept": (D,) * 6,
    "patient_messages": (D, D, V, V, D, None),
    "patient_messages#post": (D, D, C, C, D, None),
    "message_inbox": (V, V, D, D, D, None),
    "clinician_messages": (V, D, D, D, D, None),
    "clinician_messages#post": (C, D, D, D, D, None),
    "reissue_invitation": (C, D, D, D, C, None),
    "reissue_invitation#get": N6,
    "link_request": (V, V, D, D, D, None),
    "link_request#post": (A, A, D, D, D, None),  # nobody with the address: nothing changed
    "link_answer": (D, D, V, V, D, None),
    "link_decide": (D, D, C, D, D, None),
    "deactivate_account": (D, D, D, D, C, None),
    "reactivate_account": (D, D, D, D, A, None),  # already active: nothing changed
    "move_patient": (D, D, D, D, V, None),
    "move_patient#post": (D, D, D, D, A, None),  # no clinician chosen
}


def _names(patterns: list[object], namespace: str = "") -> set[str]:
    found: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            found |= _names(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name:
            found.add(f"{namespace}:{p.name}" if namespace else p.name)
    return found


def test_every_named_url_has_an_audit_rule_and_every_page_an_expected_row() -> None:
    assert _names(get_resolver().url_patterns) == set(RULES)
    assert set(AUDIT) == set(MATRIX)


@pytest.mark.hazard("HZ-094")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_page_leaves_its_audit_row_for_each_role(cast: Cast, client: Client, name: str,
                                                      role: str, every_dose_due: None) -> None:
    method, argument, _ = MATRIX[name]
    url = _url(cast, name, argument)
    user = _user(cast, role)
    if user is not None:
        client.force_login(user)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    getattr(client, method)(url, form_for(name), HTTP_USER_AGENT="Audit-Test/1.0")
    rows = list(AuditEvent.objects.filter(id__gt=last))
    want = AUDIT[name][ROLES.index(role)]
    if user is None and want not in (None, "export"):  # counted per minute, not a row (HZ-156)
        assert rows == [] and anonymous_count(want) == 1, f"{role} {method} {url}"
        return
    assert {r.action for r in rows} == ({want} if want else set()), f"{role} {method} {url}"
    for row in rows:
        assert row.actor_id == (user.pk if user else None)
        assert (row.path, row.ip, row.user_agent) == (redact_path(url), "127.0.0.1", "Audit-Test/1.0")
        if row.patient_id is not None and name not in ("today", "checkin", "dose_taken", "history",
                                                     "patient_preferences", "link_answer",
                                                     "patient_preferences#post",
                                                     "patient_carers", "patient_carers#post",
                                                     "carer_revoke", "carer_messages",
                                                     "patient_messages",
                                                     "patient_messages#post"):
            assert row.patient_id == cast.patient.pk  # every record in the matrix is Sam's


def test_a_page_view_names_the_record_and_its_patient(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    client.get(f"/plans/{cast.plan.pk}/")
    row = AuditEvent.objects.first()
    assert row is not None
    assert (row.action, row.event, row.record_type, row.record_id, row.patient_id, row.status) == (
        "view", "plan_detail", "plan_version", cast.plan.pk, cast.patient.pk, 200)
    assert row.actor_email == cast.clinician.email and row.via == "session"
    assert row.at.utcoffset().total_seconds() == 0  # stored and shown in UTC


def test_a_calendar_fetch_names_the_patient_whose_calendar_it_is(cast: Cast, client: Client) -> None:
    token = services.create_calendar_feed(patient=cast.patient, actor=cast.patient.user)
    client.get(f"/feeds/{token}.ics", HTTP_USER_AGENT="Calendar/2")
    row = AuditEvent.objects.first()
    assert row is not None and (row.action, row.record_type, row.patient_id, row.actor_id) == (
        "export", "patient", cast.patient.pk, None)


AUDITED_SERVICES = {"accept_invitation", "acknowledge_decision", "activate", "add_user",
                    "add_followup", "set_monitoring_days",
                    "apply_suggestion", "extend_step",
                    "approve_plan", "change_plan", "complete_plan", "create_api_token",
                    "create_calendar_feed", "create_patient", "create_plan_draft", "invite",
                    "record_checkin", "revoke_api_token",
                    "mark_dose", "undo_dose_mark", "mark_plan_seen", "set_clinic_contact",
                    "set_patient_preferences",
                    "revoke_calendar_feed", "self_register", "stop_plan"}
READ_ONLY = {"ServiceError", "attention_list", "find_api_token", "find_calendar_feed",
             "find_invitation", "preview_plan", "preview_suggestion"}


def test_every_service_that_changes_state_records_the_change() -> None:
    assert set(services.__all__) == AUDITED_SERVICES | READ_ONLY
    for name in AUDITED_SERVICES:
        assert getattr(getattr(services, name), "__audited__", None) == name, name
    from taper.web.clinic.services.plans import hold_version

    assert getattr(hold_version, "__audited__", None) == "hold_version"


@pytest.mark.hazard("HZ-095")
def test_a_change_and_its_row_are_one_transaction(cast: Cast) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(services.ServiceError):
        services.stop_plan(version=cast.plan, actor=cast.clinician, reason="  ")
    assert AuditEvent.objects.count() == before
    services.stop_plan(version=cast.plan, actor=cast.clinician, reason="Patient asked to pause.")
    row = AuditEvent.objects.first()
    assert row is not None and (row.action, row.event, row.record_id, row.actor_id) == (
        "change", "stop_plan", cast.plan.pk, cast.clinician.pk)
    assert row.via == "cli" and row.ip is None  # no request: a script or the command line


@pytest.mark.hazard("HZ-095")
def test_no_record_is_shown_when_its_row_cannot_be_written(cast: Cast, client: Client,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from taper.web.clinic import lean

    insert = lean.insert

    def broken(obj: Any) -> Any:
        if isinstance(obj, AuditEvent):  # the audit row's INSERT (audit/chain.py) fails
            raise DatabaseError("disk full")
        return insert(obj)

    client.force_login(cast.clinician)
    monkeypatch.setattr(lean, "insert", broken)
    client.raise_request_exception = False
    response = client.get(f"/patients/{cast.patient.pk}/")
    assert response.status_code == 500 and cast.patient.name.encode() not in response.content


def test_login_failed_login_and_logout_are_rows(cast: Cast, client: Client) -> None:
    who = cast.clinician.email
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    client.post("/login/", {"username": who, "password": "wrong-password"},
                HTTP_USER_AGENT="Browser/1", REMOTE_ADDR="203.0.113.9")
    client.post("/login/", {"username": "nobody@example.org", "password": "x"})
    client.post("/login/", {"username": who, "password": factories.PASSWORD})
    client.post("/logout/")
    mine = AuditEvent.objects.filter(id__gt=last).order_by("id")
    rows = list(mine.values_list("action", "actor_email", "actor_id"))
    assert rows == [("login_failed", who, cast.clinician.pk),
                    ("login_failed", "nobody@example.org", None),
                    ("login", who, cast.clinician.pk), ("logout", who, cast.clinician.pk)]
    first = mine.first()
    assert first is not None and (first.ip, first.user_agent) == ("203.0.113.9", "Browser/1")


@pytest.mark.parametrize(("behind_proxy", "expected"), [(False, "127.0.0.1"), (True, "198.51.100.7")])
def test_the_address_is_the_proxys_view_only_behind_a_proxy(
        cast: Cast, client: Client, settings: object, behind_proxy: bool, expected: str) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"] if behind_proxy else []  # type: ignore[attr-defined]
    client.force_login(cast.clinician)
    # The leftmost entry comes from the client and may be forged; the proxy appends the last.
    client.get("/patients/", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.7")
    row = AuditEvent.objects.filter(event="patient_list").first()
    assert row is not None and row.ip == expected


@pytest.mark.hazard("HZ-096")
def test_the_application_cannot_update_or_delete_a_row(cast: Cast) -> None:
    row = AuditEvent.objects.first()
    assert row is not None
    row.action = "view"
    for attempt in (row.save, row.delete, AuditEvent.objects.all().delete,
                    lambda: AuditEvent.objects.filter(pk=row.pk).update(action="view"),
                    lambda: AuditEvent.objects.bulk_update([row], ["action"]),
                    lambda: AuditEvent.objects.update_or_create(pk=row.pk, defaults={"action": "x"})):
        with pytest.raises(TypeError, match="append-only"):
            attempt()
    assert AuditEvent.objects.get(pk=row.pk).action == "change"


@pytest.mark.hazard("HZ-096")
def test_the_database_refuses_a_raw_update_or_delete_on_postgresql(cast: Cast) -> None:
    """On PostgreSQL the trigger of migration 0003 refuses SQL that bypasses the model.

    SQLite has no such guard (docs/web.md): there the raw statement goes through, which this
    test states so that a change in either direction is noticed.
    """
    row = AuditEvent.objects.first()
    assert row is not None
    for sql in ("UPDATE clinic_auditevent SET action = 'view' WHERE id = %s",
                "DELETE FROM clinic_auditevent WHERE id = %s"):
        if connection.vendor == "postgresql":
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                    connection.cursor() as cursor:
                cursor.execute(sql, [row.pk])
        else:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [row.pk])
                transaction.set_rollback(True)
    assert AuditEvent.objects.get(pk=row.pk).action == "change"


def test_the_guard_is_created_only_on_postgresql(db: None) -> None:
    from importlib import import_module

    migration = import_module("taper.web.clinic.migrations.0003_audit_api")
    assert "connection.vendor == \"postgresql\"" in inspect.getsource(migration.guard)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'clinic_auditevent_append_only'")
            assert cursor.fetchone()[0] == 1
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
            assert cursor.fetchone()[0] == 0
