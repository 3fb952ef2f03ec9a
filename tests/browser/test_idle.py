"""The idle-logoff warning in a real browser: shown before the logoff (here a 1-minute limit
warned 50 seconds before, so after about 10 idle seconds), and "Stay logged in" keeps the
session (a POST with the CSRF token, from the static script the CSP allows)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser.conftest import Pages
from tests.browser.test_journey import log_in
from tests.web import factories

pytestmark = pytest.mark.browser


@pytest.mark.hazard("HZ-146")
def test_the_warning_appears_and_staying_logged_in_keeps_the_session(
        open_window: Callable[[], Pages], transactional_db: None, settings: object) -> None:
    settings.PATIENT_IDLE_MINUTES = 1  # type: ignore[attr-defined]
    settings.IDLE_WARNING_SECONDS = 50  # type: ignore[attr-defined]
    doctor = factories.clinician()
    sam = factories.patient(doctor)
    factories.active_plan(sam, doctor)
    window = open_window()
    log_in(window, sam.user.email)
    page = window.page
    page.wait_for_selector("#today-dose, main h1")
    assert not page.is_visible("#idle-warning")  # not before its time
    page.wait_for_selector("#idle-warning", state="visible", timeout=20_000)
    warning = page.inner_text("#idle-warning")  # the time left, in the page's own words
    assert "logged out in about" in warning and ("seconds" in warning or "a moment" in warning)
    window.check("idle-warning")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    with page.expect_response(lambda r: "/account/session/" in r.url) as answer:
        page.click("#stay-logged-in")
    assert answer.value.status == 200 and answer.value.json()["remaining_seconds"] == 60
    page.wait_for_selector("#idle-warning", state="hidden")
    assert errors == []
