"""Calling the JSON API in tests: a personal token for each of the cast."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from taper.web.clinic import services
from taper.web.clinic.models import User
from tests.web.conftest import Cast

ROLES = ("clinician", "other_clinician", "patient", "other_patient", "admin", "anonymous")


def person(cast: Cast, role: str) -> User | None:
    return {"clinician": cast.clinician, "other_clinician": cast.other_clinician,
            "patient": cast.patient.user, "other_patient": cast.other_patient.user,
            "admin": cast.admin, "anonymous": None}[role]


def token_for(user: User, name: str = "tests") -> str:
    return services.create_api_token(user=user, name=name, actor=user)[1]


def call(client: Client, method: str, url: str, token: str | None = None,
         body: Any = None, **headers: str) -> Any:
    """One API request; the body as JSON text (a str is sent as it is)."""
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    data = body if isinstance(body, str) or body is None else json.dumps(body)
    kwargs: dict[str, Any] = {"content_type": "application/json"} if data is not None else {}
    return client.generic(method.upper(), url, data or "", **kwargs, **headers)
