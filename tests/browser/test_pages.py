"""Pages off the happy path in a real browser: errors next to their fields, the live
preview, the other roles' pages. Each is screenshotted and checked with axe-core.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser

from taper.web.clinic.engine import local_today
from tests.browser.conftest import Pages, accessibility_findings
from tests.browser.test_journey import log_in
from tests.web import factories

pytestmark = pytest.mark.browser


@pytest.mark.hazard("HZ-087")
def test_form_errors_are_readable_next_to_their_fields(open_window: Callable[[], Pages]) -> None:
    doctor = factories.clinician()
    sam = factories.patient(doctor)
    factories.active_plan(sam, doctor)
    window = open_window()
    page = window.page

    window.go("/login/")
    page.fill("#id_username", "dr.reyes@example.org")
    page.fill("#id_password", "not-the-password")
    page.click("#login-submit")
    page.wait_for_selector(".error-summary")
    window.check("login-error")

    log_in(window, "dr.reyes@example.org")
    page.wait_for_selector("#add-patient")
    window.go(f"/patients/{sam.pk}/plans/new/")
    page.fill("#id_start_date", local_today(sam.timezone).isoformat())
    page.fill("#id_dose_0_time", "08:00")
    page.fill("#id_dose_0_mg", "20")
    page.select_option("#id_held_0_form", "tablet")
    page.fill("#id_held_0_strength", "twenty")
    page.fill("#id_step_mg", "5")
    page.fill("#id_step_days", "5")
    page.click("#save-plan")
    error = page.wait_for_selector("[data-testid=error-held_0_strength]")
    assert "must be a number" in error.inner_text() and error.is_visible()
    assert page.input_value("#id_step_mg") == "5"  # the rest is kept
    window.check("plan-builder-error")

    window.go(f"/patients/{sam.pk}/")
    page.wait_for_selector("#new-plan")
    window.check("patient-quiet")


def test_the_preview_refreshes_as_the_form_is_filled(open_window: Callable[[], Pages]) -> None:
    doctor = factories.clinician()
    sam = factories.patient(doctor)
    window = open_window()
    log_in(window, "dr.reyes@example.org")
    window.page.wait_for_selector("#add-patient")
    page = window.go(f"/patients/{sam.pk}/plans/new/")
    page.fill("#id_start_date", local_today(sam.timezone).isoformat())
    page.fill("#id_dose_0_time", "08:00")
    page.fill("#id_dose_0_mg", "20")
    page.check("[name=catalogue][value=tab5]")
    page.fill("#id_step_mg", "5")
    page.fill("#id_step_days", "5")  # no button pressed: preview.js posts as the form changes
    page.wait_for_selector("#preview [data-testid=step-table]")
    assert page.url.endswith(f"/patients/{sam.pk}/plans/new/")


def test_the_patients_other_pages_and_the_administrators(open_window: Callable[[], Pages]) -> None:
    doctor = factories.clinician()
    sam = factories.patient(doctor)
    version = factories.active_plan(sam, doctor)
    factories.admin()
    window = open_window()
    page = window.page

    log_in(window, "sam@example.org")
    page.wait_for_selector("[data-testid=today-doses]")
    window.go("/checkin/?flags=none")
    page.check("#id_new_or_worse_1")  # yes: the details open (checkin.js)
    if page.locator("input[name=doses_all]").count():  # a dose is already due
        page.check("#id_doses_all_0")
    page.fill("#id_temperature", "hot")
    page.click("#submit-checkin")
    page.wait_for_selector("[data-testid=error-temperature]")
    window.check("checkin-error")
    window.go(f"/plans/{version.pk}/")
    page.wait_for_selector("[data-testid=step-table]")
    window.check("plan-as-patient")

    admin = open_window()
    log_in(admin, "admin@example.org")
    admin.page.wait_for_selector("table")
    admin.check("accounts")
    admin.go("/invitation/not-a-token/")
    admin.page.wait_for_selector("h1")
    admin.check("invitation-invalid")


@pytest.mark.hazard("HZ-087")
def test_the_accessibility_check_catches_what_it_should(browser: Browser) -> None:
    page = browser.new_page()
    page.set_content('<html lang="en"><head><title>Bad</title></head><body><main><h1>Check in</h1>'
                     '<p style="color:#aaa">pale text</p><input type="text"></main></body></html>')
    rules = {line.split(":", 1)[0] for impact, line in accessibility_findings(page)
             if impact in {"serious", "critical"}}
    page.close()
    assert {"color-contrast", "label"} <= rules
