"""The issue's story in a real browser: a clinician builds and starts a plan, the patient
accepts the invitation, checks in twice (quietly, then with hallucinations), and the
clinician sees the red flag. Every page is screenshotted and checked with axe-core.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from taper.web.accounts.policy import mfa_enrolled, mfa_required
from taper.web.clinic.engine import local_today
from taper.web.clinic.models import Patient, User
from tests.browser.conftest import Pages
from tests.web import factories
from tests.web.accounts.steps import code_for

pytestmark = pytest.mark.browser



def _zone_past_the_morning_dose() -> str:
    """A zone where it is now between 09:00 and 22:59, so today's 08:00 dose is due (a dose is
    never marked ahead of the clock) and the day does not end during the test."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    zones = ("America/New_York", "Europe/London", "Asia/Kolkata", "Asia/Tokyo",
             "Pacific/Auckland", "America/Los_Angeles", "Pacific/Honolulu")
    return next(z for z in zones if 9 <= datetime.now(ZoneInfo(z)).hour <= 22)


ZONE = _zone_past_the_morning_dose()


def log_in(window: Pages, email: str) -> None:
    """Password, then (for clinicians and administrators) the code from their app."""
    device = app_of(email)
    window.go("/login/")
    window.page.fill("#id_username", email)
    window.page.fill("#id_password", factories.PASSWORD)
    window.page.click("#login-submit")
    if device is not None:
        window.page.wait_for_selector("#verify-code")
        window.page.fill("#id_code", code_for(device))
        window.page.click("#verify-code")


def app_of(email: str) -> TOTPDevice | None:
    """The user's authenticator (one is set up for staff who have none, as at first login).
    A test may log in several times within one 30-second code: each login is given a code
    not used before (django-otp refuses a code twice)."""
    user = User.objects.get(email=email)
    if not (mfa_required(user) or mfa_enrolled(user)):
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return device


def add_patient(window: Pages) -> str:
    """The clinician adds Sam; returns the one-time invitation link."""
    page = window.page
    page.click("#add-patient")
    page.wait_for_selector("#create-patient")
    window.check("patient-new")
    page.fill("#id_name", "Sam Patel")
    page.fill("#id_email", "sam@example.org")
    page.select_option("#id_timezone", ZONE)
    page.click("#create-patient")
    link = page.wait_for_selector("[data-testid=invitation-link]").input_value()
    window.check("patient-created")
    return link


def build_approve_and_start(window: Pages) -> None:
    """The diarist's plan through the builder: preview, save, approve, start."""
    page = window.page
    page.click("#build-plan")
    page.wait_for_selector("#plan-builder")
    page.fill("#id_start_date", local_today(ZONE).isoformat())
    page.fill("#id_timezone", ZONE)  # a searchable text field (datalist)
    for i, at in enumerate(("08:00", "14:00", "20:00")):
        page.fill(f"#id_dose_{i}_time", at)
        page.fill(f"#id_dose_{i}_mg", "20")
    page.select_option("#id_held_0_form", "tablet")
    page.fill("#id_held_0_strength", "20")
    page.select_option("#id_held_0_divisible", "4")
    page.fill("#id_held_0_label", "20 mg tablet, cut in quarters")
    page.check("#id_strategy_kind_0")  # the same amount less each step
    page.fill("#id_step_mg", "5")
    page.fill("#id_step_days", "5")
    page.fill("#id_reduce_order", "14:00, 08:00, 20:00")
    page.click("#preview-plan")
    page.wait_for_selector("#preview [data-testid=step-table]")
    window.check("plan-builder-preview")
    page.click("#save-plan")
    page.wait_for_selector("#approve-plan")
    window.check("plan-draft")
    page.click("#approve-plan")
    page.wait_for_selector("#confirm-approve")
    window.check("plan-approve")
    page.fill("#id_note", "Reviewed at clinic.")
    page.click("#confirm-approve")
    page.click("#activate-plan")
    page.wait_for_selector("[data-testid=plan-status]:has-text('Active')")
    window.check("plan")
    window.printed("plan-print")


def accept_invitation(window: Pages, link: str) -> None:
    page = window.page
    page.goto(link)
    page.wait_for_selector("#set-password")
    window.check("invitation")
    page.fill("#id_password", factories.PASSWORD)
    page.fill("#id_password_again", factories.PASSWORD)
    page.click("#set-password")


def check_in(window: Pages, name: str, red_flag: str = "") -> None:
    """The phone check-in: a red flag (one tap), or none, nothing new, and the doses taken."""
    page = window.page
    page.click("#start-checkin")
    page.wait_for_selector("#no-red-flags")
    window.check(f"{name}-red-flags")
    if red_flag:
        page.click(f"#flag-{red_flag}")
        return
    page.click("#no-red-flags")
    page.wait_for_selector("#submit-checkin")
    page.check("#id_new_or_worse_0")
    if page.locator("input[name=doses_all]").count():  # those already due
        page.check("#id_doses_all_0")
    window.check(name)
    page.click("#submit-checkin")


@pytest.mark.hazard("HZ-082")
@pytest.mark.hazard("HZ-086")
@pytest.mark.hazard("HZ-087")
def test_a_red_flag_reaches_the_patient_full_page_and_the_clinician_on_their_list(
        open_window: Callable[[], Pages], live_server: object, settings: Any) -> None:
    settings.SITE_URL = str(live_server)  # links given out are on the site's own address
    factories.clinician()
    doctor = open_window()
    log_in(doctor, "dr.reyes@example.org")
    doctor.page.wait_for_selector("#add-patient")
    doctor.check("login-done-patient-list-empty")
    link = add_patient(doctor)
    build_approve_and_start(doctor)

    sam = open_window()
    sam.go("/login/")
    sam.page.wait_for_selector("#login-submit")
    sam.check("login")
    accept_invitation(sam, link)
    doses = sam.page.wait_for_selector("[data-testid=today-doses]")
    assert "20 mg tablet" in doses.inner_text()
    assert sam.page.locator("[data-testid=next-change]").is_visible()
    sam.page.click("#take-0800")
    sam.page.wait_for_selector("[data-testid=taken-0800]")
    sam.check("today")

    check_in(sam, "checkin")
    sam.page.wait_for_selector("[data-testid=decision-proceed]")
    sam.check("decision")

    sam.go("/today/")
    check_in(sam, "checkin-hallucinations", red_flag="hallucinations")
    emergency = sam.page.wait_for_selector("[data-testid=emergency]")
    box = emergency.bounding_box()
    assert box is not None and box["y"] < 900, "the emergency message starts below the first screen"
    assert "emergency" in emergency.inner_text().lower()
    assert "baclofen" in sam.page.inner_text("[data-testid=tell-them]")
    sam.check("emergency")

    patient = Patient.objects.get(user__email="sam@example.org")
    doctor.go("/patients/")
    flag = doctor.page.wait_for_selector(f"[data-testid=flag-{patient.pk}]")
    assert "RED FLAG" in flag.inner_text()
    doctor.check("patient-list-flagged")
    doctor.page.click("text=Sam Patel")
    doctor.page.wait_for_selector("[data-testid=patient-flag]")
    doctor.check("patient-flagged")
