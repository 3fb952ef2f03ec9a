"""Carers and secure messages in real Chromium at 390 × 844 (issue 14 item 9, issue 15
item 5): the patient writes, the clinician sees the unread count on the desk and replies,
the patient reads; a carer checks in for the patient and the history says "entered by"."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from taper.web.carers import services as carers
from taper.web.clinic.models import CheckIn
from tests.browser.conftest import Pages
from tests.browser.test_journey import log_in
from tests.browser.test_phone import no_sideways_scroll, sam_with_a_plan
from tests.web import factories

pytestmark = pytest.mark.browser


@pytest.mark.hazard("HZ-193")
def test_patient_and_clinician_write_to_each_other_on_phones(
        open_phone: Callable[..., Pages]) -> None:
    sam = sam_with_a_plan()
    patient = open_phone()
    log_in(patient, sam.user.email)
    patient.page.wait_for_selector("[data-testid=today-doses]")
    patient.page.click("[data-testid=write-to-clinic]")
    patient.page.fill("#id_body", "Dizzy since the last cut. Is that expected?")
    patient.page.click("#send-message")
    patient.page.wait_for_selector("[data-testid=message]")
    assert no_sideways_scroll(patient.page)
    patient.check("phone-messages-patient")

    doctor = open_phone()
    log_in(doctor, sam.clinician.email)
    doctor.go("/desk/")
    assert doctor.page.inner_text("[data-testid=desk-unread]") == "1"
    doctor.check("phone-desk-unread")
    doctor.page.click("[data-testid=desk-messages] a")
    doctor.page.click(f"a[href='/patients/{sam.pk}/messages/']")
    assert "Dizzy since the last cut" in doctor.page.inner_text("[data-testid=thread]")
    doctor.page.fill("#id_body", "Common for a few days. Stay on this dose; call us if worse.")
    doctor.page.click("#send-message")
    doctor.page.wait_for_selector("text=Your message has been sent.")
    assert no_sideways_scroll(doctor.page)
    doctor.go("/desk/")
    assert doctor.page.locator("[data-testid=desk-unread]").count() == 0

    patient.go("/today/")
    assert patient.page.inner_text("[data-testid=nav-unread]") == "1"
    patient.page.click("[data-testid=nav-messages]")
    assert "Stay on this dose" in patient.page.inner_text("[data-testid=thread]")
    patient.go("/today/")
    assert patient.page.locator("[data-testid=nav-unread]").count() == 0
    for width in (320, 360, 390):  # the new patient pages never scroll sideways
        patient.page.set_viewport_size({"width": width, "height": 844})
        for path in ("/messages/", "/account/carers/"):
            patient.go(path)
            assert no_sideways_scroll(patient.page), (width, path)
    patient.check("phone-carers-page")


@pytest.mark.hazard("HZ-194")
def test_a_carer_checks_in_for_the_patient_and_the_history_says_entered_by(
        open_phone: Callable[..., Pages]) -> None:
    sam = sam_with_a_plan()
    _, token = carers.invite_carer(patient=sam, actor=sam.user, name="Alex Patel",
                                   email="alex@example.org")
    carer = open_phone()
    carer.go(f"/carer/invitation/{token}/")
    carer.check("phone-carer-invitation")
    carer.page.fill("#id_password", factories.PASSWORD)
    carer.page.fill("#id_password_again", factories.PASSWORD)
    carer.page.click("#accept-carer")
    carer.page.click(f"#open-{sam.pk}")
    carer.page.wait_for_selector("[data-testid=helping]")
    assert no_sideways_scroll(carer.page)
    carer.check("phone-carer-today")
    carer.page.click("#start-checkin")
    carer.page.click("#no-red-flags")
    carer.page.wait_for_selector("#submit-checkin")
    carer.page.click("label[for=id_new_or_worse_0]")  # No
    if carer.page.locator("input[name=doses_all]").count():  # a dose is already due
        carer.page.click("label[for=id_doses_all_0]")  # Yes, all of them
    carer.page.click("#submit-checkin")
    carer.page.wait_for_selector("[data-testid=decision-proceed]")
    assert CheckIn.objects.get(patient=sam).entered_by.email == "alex@example.org"

    patient = open_phone()
    log_in(patient, sam.user.email)
    patient.go("/checkins/")
    assert patient.page.inner_text("[data-testid=entered-by]") == "Entered by Alex Patel"
    patient.check("phone-history-entered-by")
