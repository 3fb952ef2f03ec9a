"""Unread counts for every page: asked only when a template shows one (the nav, the desk)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.http import HttpRequest

from taper.web.clinic.models import Role, User
from taper.web.messaging import services


def _patient_count(user: User) -> int:
    patient = user.patient
    return 0 if patient.clinician_id is None else services.unread_for_patient(patient)


def _once(count: Callable[[], int]) -> Callable[[], int]:
    """The count asked at most once a request, however many places on the page show it."""
    box: list[int] = []

    def get() -> int:
        if not box:
            box.append(count())
        return box[0]
    return get


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    if user.role == Role.CLINICIAN:
        return {"unread_messages": _once(partial(services.unread_for_clinician, user))}
    if user.role == Role.PATIENT:
        return {"unread_messages": _once(partial(_patient_count, user))}
    return {}
