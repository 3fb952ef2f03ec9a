"""The clinician's morning in a real browser: the desk, the flagged patient, "return to the
last tolerated dose" previewed and confirmed, and the patient sees the new dose on Today.
Every page is screenshotted and checked with axe-core.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from taper.web.clinic.models import Patient
from tests.browser.conftest import Pages
from tests.browser.test_journey import log_in
from tests.web import factories

pytestmark = pytest.mark.browser


@pytest.mark.hazard("HZ-101")
def test_the_clinicians_morning(open_window: Callable[[], Pages], transactional_db: None) -> None:
    doctor_user = factories.clinician()
    sam: Patient = factories.patient(doctor_user)
    kim = factories.patient(doctor_user, "kim@example.org", "Kim Lee", "Europe/London")
    factories.active_plan(sam, doctor_user)
    factories.active_plan(kim, doctor_user)
    decision = factories.worse_after_a_cut(sam)  # severe anxiety two days after a cut

    doctor = open_window()
    log_in(doctor, doctor_user.email)
    page = doctor.page
    page.wait_for_selector('[data-testid="desk"]')
    first = page.locator('[data-testid="desk"] tbody tr').first
    assert "Sam Patel" in first.inner_text() and "Contact the prescriber" in first.inner_text()
    doctor.check("morning-desk")

    first.get_by_role("link", name="Sam Patel").click()
    page.wait_for_selector('[data-testid="patient-flag"]')
    doctor.check("morning-flagged-patient")
    page.click("#apply-return_to_dose-0")
    page.wait_for_selector('[data-testid="preview"]')
    assert "55 mg a day" in page.inner_text('[data-testid="first-dose"]')
    doctor.check("morning-return-preview")
    page.click("#confirm-apply")
    page.wait_for_selector("text=approved and in force")
    doctor.check("morning-new-version")

    # Applying a suggestion acknowledges the decision: the decision page says what was applied
    # and by whom, and offers neither the suggestion nor Acknowledge again (issue 15 §1).
    doctor.go(f"/decisions/{decision.pk}/")
    page.wait_for_selector('[data-testid="applied"]')
    assert page.locator('[data-testid="acknowledged"]').count() == 1
    assert page.locator(f"#acknowledge-{decision.pk}").count() == 0
    assert page.locator("#apply-return_to_dose-0").count() == 0
    doctor.go("/desk/")
    assert f"row-contact_prescriber-{sam.pk}" not in page.content()

    patient = open_window()
    log_in(patient, sam.user.email)
    patient.page.wait_for_selector('[data-testid="today-doses"]')
    assert patient.page.inner_text('[data-testid="today-daily"]') == "55 mg in all"
    patient.check("morning-patient-today")
