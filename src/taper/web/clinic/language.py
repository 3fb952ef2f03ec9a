"""Which language a page speaks (docs/web.md "Languages").

A patient's pages and e-mails follow the patient's own choice (their settings page); with
none, LocaleMiddleware's pick from the browser's Accept-Language stands. Clinician and
administrator pages are English only: a clinician's Spanish browser must not give them a
half-translated desk.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from taper.web.clinic.models import Role

SUPPORTED = tuple(code for code, _ in settings.LANGUAGES)


def patient_language(choice: str, browser: str) -> str:
    """The patient's stored choice when it is one we speak, else the browser's."""
    return choice if choice in SUPPORTED else browser


class PatientLanguage:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.role == Role.PATIENT:
                patient = getattr(user, "patient", None)
                chosen = patient_language(patient.language if patient else "",
                                          translation.get_language())
            else:
                chosen = settings.LANGUAGE_CODE
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)
