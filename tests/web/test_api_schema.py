"""Schemathesis against /api/openapi.json as each kind of caller — the patient's clinician,
the patient, an administrator, a clinician who is a stranger to the patient, and no one
(anonymous) — over every route: no answer is a server error, and every answer (status,
content type, body) is the one the schema promises. Path ids are the cast's real records,
so bodies reach the engines and the services (the plan is stopped, held, changed...).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from taper.web.wsgi import application
from tests.web import factories
from tests.web.apiclient import token_for
from tests.web.conftest import Cast

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def same_connection() -> Iterator[None]:
    """The WSGI app runs in the test's transaction: Django must not close the connection
    between requests (its test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def generous_rate_limit(settings: object) -> None:
    settings.TOKEN_RATE_LIMIT = 1_000_000  # type: ignore[attr-defined]  # 429s would hide the rest


@pytest.fixture
def tokens(cast: Cast) -> dict[str, str]:
    factories.draft_plan(cast.patient, cast.clinician)
    return {"clinician": token_for(cast.clinician), "patient": token_for(cast.patient.user),
            "admin": token_for(cast.admin), "stranger": token_for(cast.other_clinician)}


@pytest.fixture
def flagged(cast: Cast) -> int:
    return int(factories.worse_after_a_cut(cast.patient).pk)


def _run(case: schemathesis.Case, cast: Cast, tokens: dict[str, str], caller: str,
         flagged: int) -> None:
    ids = {"patient_id": cast.patient.pk, "version_id": cast.plan.pk, "decision_id": flagged}
    if case.path_parameters:
        case.path_parameters = {k: ids.get(k, v) for k, v in case.path_parameters.items()}
    headers = {"Authorization": f"Bearer {tokens[caller]}"} if caller in tokens else {}
    case.call_and_validate(headers=headers, checks=CHECKS)


@pytest.mark.hazard("HZ-097")
@pytest.mark.hazard("HZ-212")
@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@pytest.mark.parametrize("caller", ["clinician", "patient"])
def test_the_api_keeps_to_its_schema(case: schemathesis.Case, cast: Cast, tokens: dict[str, str],
                                     same_connection: None, caller: str, flagged: int) -> None:
    _run(case, cast, tokens, caller, flagged)


@pytest.mark.hazard("HZ-097")
@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@pytest.mark.parametrize("caller", ["admin", "stranger", "anonymous"])
def test_the_api_keeps_to_its_schema_when_it_refuses(
        case: schemathesis.Case, cast: Cast, tokens: dict[str, str], same_connection: None,
        caller: str, flagged: int) -> None:
    """Callers who may not act on the cast's records: every answer is still the schema's
    (a refusal, or a 422 for a bad body), never a 5xx. Fewer examples: only the symptom
    catalogue answers them with content."""
    _run(case, cast, tokens, caller, flagged)


def test_every_route_is_in_the_schema_run() -> None:
    """The run covers each operation the API serves (a route left out of the document would
    escape it)."""
    from taper.web.clinic.api.routes import api

    served = {(m.lower(), p) for p, ops in api.get_openapi_schema()["paths"].items() for m in ops}
    tried = {(o.method.lower(), o.path) for o in (r.ok() for r in schema.get_all_operations())}
    assert served and {(m, f"/api{p}" if not p.startswith("/api") else p) for m, p in tried} \
        == served
