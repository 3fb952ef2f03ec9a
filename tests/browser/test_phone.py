"""The patient's side on a phone (issue 14) in real Chromium at 390 × 844: the quick
check-in counted in taps and screens, the untouched form refused, a red flag reaching the
emergency message with a number to tap, Today agreeing with itself after a change, and no
page scrolling sideways at 320, 360 and 390 px (axe-core on each, phone and desktop).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from taper.web.clinic import services
from taper.web.clinic.models import CheckIn, Decision, Patient
from tests.browser.conftest import Pages
from tests.browser.test_journey import log_in
from tests.web import factories

pytestmark = pytest.mark.browser
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def sam_with_a_plan() -> Patient:
    doctor = factories.clinician()
    services.set_clinic_contact(clinician=doctor, name="Riverside Neurology",
                                phone="+44 20 7946 0000", hours="Mon to Fri, 9:00 to 17:00")
    sam = factories.patient(doctor)
    factories.active_plan(sam, doctor)
    return sam


def docs_screenshot(page: Page, name: str) -> None:
    """The phone screenshots in docs/img, refreshed when TAPER_DOCS_IMG=1 (scripts/phone-screenshots)."""
    if os.environ.get("TAPER_DOCS_IMG") == "1":
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS_IMG / f"{name}.png"))


def smallest_chart_label_px(page: Page, chart: str) -> float:
    """The smallest label of an SVG chart as drawn: its font size times the SVG's scale."""
    return float(page.evaluate("""(sel) => {
        const svg = document.querySelector(sel);
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return Math.min(...[...svg.querySelectorAll("text")].map(
            t => parseFloat(getComputedStyle(t).fontSize) * scale));
    }""", chart))


def no_sideways_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"))


@pytest.mark.hazard("HZ-181")
def test_the_quick_check_in_takes_at_most_five_taps_on_two_screens(
        open_phone: Callable[..., Pages]) -> None:
    sam = sam_with_a_plan()
    phone = open_phone()
    page = phone.page
    log_in(phone, sam.user.email)
    page.wait_for_selector("[data-testid=today-doses]")
    assert smallest_chart_label_px(page, "[data-testid=today-chart]") >= 12
    phone.check("phone-today")
    docs_screenshot(page, "phone-today")
    taps, screens = 0, []
    page.on("framenavigated", lambda frame: screens.append(frame.url)
            if frame == page.main_frame else None)

    page.click("#start-checkin")
    taps += 1
    page.wait_for_selector("#no-red-flags")
    phone.check("phone-checkin-red-flags")
    page.click("#no-red-flags")
    taps += 1
    page.wait_for_selector("#submit-checkin")
    phone.check("phone-checkin-question")
    page.click("label[for=id_new_or_worse_0]")  # No
    taps += 1
    if page.locator("input[name=doses_all]").count():  # a dose is already due
        page.click("label[for=id_doses_all_0]")  # Yes, all of them
        taps += 1
    docs_screenshot(page, "phone-checkin")
    page.click("#submit-checkin")
    taps += 1
    page.wait_for_selector("[data-testid=decision-proceed]")
    phone.check("phone-decision")
    checkin_screens = [u for u in screens if "/checkin/" in u]
    assert taps <= 5 and len(checkin_screens) <= 2, (taps, checkin_screens)
    assert CheckIn.objects.filter(patient=sam).count() == 1


@pytest.mark.hazard("HZ-181")
def test_the_untouched_check_in_is_refused_and_nothing_is_stored(
        open_phone: Callable[..., Pages]) -> None:
    sam = sam_with_a_plan()
    phone = open_phone()
    page = phone.page
    log_in(phone, sam.user.email)
    page.wait_for_selector("[data-testid=today-doses]")
    phone.go("/checkin/?flags=none")
    page.click("#submit-checkin")  # nothing answered
    error = page.wait_for_selector("[data-testid=error-new_or_worse]")
    assert "choose No or Yes" in error.inner_text()
    phone.check("phone-checkin-refused")
    assert not CheckIn.objects.exists() and not Decision.objects.exists()


@pytest.mark.hazard("HZ-180")
@pytest.mark.hazard("HZ-189")
def test_a_red_flag_reaches_the_emergency_message_with_a_number_to_tap(
        open_phone: Callable[..., Pages]) -> None:
    sam = sam_with_a_plan()
    phone = open_phone()
    page = phone.page
    log_in(phone, sam.user.email)
    page.wait_for_selector("[data-testid=today-doses]")
    page.click("#start-checkin")
    page.click("#flag-seizure")  # one tap: the first question, before any other
    page.wait_for_selector("[data-testid=emergency]")
    call = page.locator("[data-testid=call-emergency]")
    assert call.get_attribute("href") == "tel:112"
    box = call.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, "the call button is below the screen"
    assert no_sideways_scroll(page)
    phone.check("phone-emergency")
    assert Decision.objects.get().action == "emergency"


@pytest.mark.hazard("HZ-186")
def test_today_agrees_with_itself_after_a_change(open_phone: Callable[..., Pages]) -> None:
    sam = sam_with_a_plan()
    decision = factories.worse_after_a_cut(sam)
    services.apply_suggestion(decision=decision, kind="return_to_dose", clinician=sam.clinician)
    phone = open_phone()
    page = phone.page
    log_in(phone, sam.user.email)
    notice = page.wait_for_selector("[data-testid=plan-changed]").inner_text()
    assert "Your plan changed on " in notice
    listed = {}
    for row in page.locator("[data-testid=today-doses] li").all():
        listed[row.locator(".dose-time").inner_text()] = row.locator(".mg").inner_text().strip("()")
    for at, mg in re.findall(r"the (\d\d?:\d\d [ap]m) dose is now ([^,.]+ mg)", notice):
        assert listed[at] == mg
    daily = page.inner_text("[data-testid=today-daily]").removesuffix(" in all")
    assert f"{daily} a day" in page.inner_text("[data-testid=progress]")
    assert not page.locator("[data-testid=today-decision]").count()  # it named the old dose
    phone.check("phone-today-changed")
    page.click("#plan-seen")
    page.wait_for_selector("[data-testid=today-doses]")
    assert not page.locator("[data-testid=plan-changed]").count()


# Spanish words run longer: every page is tried in both languages, the phone's Spanish chosen
# on the patient's settings (stored), the desktop's from the browser's Accept-Language alone.
LANGUAGES = {"en": ("en-GB", "Today"), "es": ("es-ES", "Hoy")}


@pytest.mark.hazard("HZ-187")
@pytest.mark.hazard("HZ-013")
@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_patient_pages_have_no_codes_iso_dates_or_sideways_scroll(
        open_phone: Callable[..., Pages], open_window: Callable[..., Pages], language: str) -> None:
    sam = sam_with_a_plan()
    sam.language = language
    sam.save(update_fields=["language"])
    locale, today_word = LANGUAGES[language]
    day = factories.today_of(sam)
    hold = factories.worse_after_a_cut(sam)
    services.apply_suggestion(decision=hold, kind="return_to_dose", clinician=sam.clinician)
    emergency = services.record_checkin(patient=sam, entered_by=sam.user, today=day,
                                        data=factories.quiet_checkin(day, symptoms={"seizure": 1}))
    version = sam.plans.first().versions.order_by("-number").first()
    paths = ["/today/", "/checkin/", "/checkin/?flags=none", f"/decisions/{hold.pk}/",
             f"/decisions/{emergency.pk}/", f"/plans/{version.pk}/", "/account/",
             "/account/settings/", "/checkins/", f"/patients/{sam.pk}/calendar/",
             "/account/password/"]
    for width in (320, 360, 390):
        phone = open_phone(width, locale="en-GB")  # the stored choice wins over the browser's
        log_in(phone, sam.user.email)
        phone.page.wait_for_selector("[data-testid=today-doses]")
        for path in paths:
            page = phone.go(path)
            text = page.inner_text("main")
            assert page.get_attribute("html", "lang") == language, path
            assert no_sideways_scroll(page), f"{path} scrolls sideways at {width} px"
            assert not ISO_DATE.search(text), f"{path}: {ISO_DATE.search(text)}"
            assert not SNAKE.search(text), f"{path}: {SNAKE.search(text)}"
            assert "[source" not in text, path
            if width == 390:
                phone.check(f"phone-{language}{path.replace('/', '-').replace('?', '-')}")
    sam.language = ""  # now the browser's language decides
    sam.save(update_fields=["language"])
    desktop = open_window(locale)
    log_in(desktop, sam.user.email)
    desktop.page.wait_for_selector("[data-testid=today-doses]")
    assert desktop.page.get_attribute("html", "lang") == language
    assert desktop.page.inner_text("h1").startswith(today_word)
    for path in paths:
        desktop.go(path)
        desktop.check(f"desktop-{language}{path.replace('/', '-').replace('?', '-')}")
