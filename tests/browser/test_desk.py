"""The clinician's side (issue 15) in real Chromium, at desktop width and at 390 px: a red
flag from the patient's check-in to the clinician's decision page, Acknowledge and the desk
clearing; a suggestion applied and no longer offered; a deactivated account locked out of
its pages, its API token and its calendar feed; no sideways scroll and a legible chart."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from taper.web.clinic import services
from taper.web.clinic.models import Decision, Patient, User
from tests.browser.conftest import Pages
from tests.browser.test_journey import log_in
from tests.browser.test_phone import no_sideways_scroll, sam_with_a_plan, smallest_chart_label_px
from tests.web import factories

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)


def _window(open_phone: Callable[..., Pages], width: int) -> Pages:
    return open_phone(width)


def _doctor(sam: Patient) -> User:
    assert sam.clinician is not None
    return sam.clinician


@pytest.mark.hazard("HZ-159")
@pytest.mark.hazard("HZ-161")
@pytest.mark.parametrize("width", WIDTHS)
def test_a_red_flag_from_check_in_to_the_decision_page_and_the_desk_clearing(
        open_phone: Callable[..., Pages], width: int) -> None:
    sam = sam_with_a_plan()
    phone = open_phone()
    log_in(phone, sam.user.email)
    phone.page.wait_for_selector("[data-testid=today-doses]")
    phone.page.click("#start-checkin")
    phone.page.click("#flag-seizure")
    phone.page.wait_for_selector("[data-testid=emergency]")
    red = Decision.objects.get()

    desk = _window(open_phone, width)
    log_in(desk, _doctor(sam).email)
    page = desk.page
    row = page.wait_for_selector(f"[data-testid=row-red_flag-{sam.pk}]")
    colour = page.evaluate("getComputedStyle(document.querySelector('.kind-red_flag')).color")
    assert colour == "rgb(163, 0, 0)"  # --red: the urgency is unmistakable
    assert page.inner_text("[data-testid=count-red_flag] .count-n") == "1"
    assert row is not None and no_sideways_scroll(page)
    desk.check(f"desk-red-flag-{width}")
    page.click(f"#open-{red.pk}")
    page.wait_for_selector("[data-testid=readings]")
    assert sam.name in page.inner_text("[data-testid=patient-link]")
    assert "Red flag: emergency" in page.inner_text("[data-testid=decision-headline]")
    assert no_sideways_scroll(page)
    desk.check(f"decision-clinician-{width}")
    page.click(f"#acknowledge-{red.pk}")
    page.wait_for_selector("[data-testid=acknowledged]")
    desk.go("/desk/")
    page.wait_for_selector("[data-testid=desk-counts]")
    assert page.locator(f"[data-testid=row-red_flag-{sam.pk}]").count() == 0
    assert page.inner_text("[data-testid=count-red_flag] .count-n") == "0"
    desk.go("/patients/")
    page.wait_for_selector("[data-testid=patient-list]")
    assert page.locator(f"[data-testid=needs-{sam.pk}]").count() == 0
    desk.go(f"/patients/{sam.pk}/")
    page.wait_for_selector("[data-testid=decisions]")
    assert page.locator("[data-testid=patient-flag]").count() == 0


@pytest.mark.hazard("HZ-158")
@pytest.mark.parametrize("width", WIDTHS)
def test_a_suggestion_applied_is_no_longer_offered(open_phone: Callable[..., Pages],
                                                   width: int) -> None:
    sam = sam_with_a_plan()
    decision = factories.worse_after_a_cut(sam)
    desk = _window(open_phone, width)
    log_in(desk, _doctor(sam).email)
    page = desk.page
    desk.go(f"/decisions/{decision.pk}/")
    page.wait_for_selector("[data-testid=suggestions]")
    page.click("#apply-slower_pace-0")
    page.wait_for_selector("[data-testid=preview]")
    page.click("#confirm-apply")
    page.wait_for_url("**/plans/*/")
    desk.go(f"/decisions/{decision.pk}/")
    page.wait_for_selector("[data-testid=applied]")
    assert page.locator("[id^=apply-]").count() == 0
    assert no_sideways_scroll(page)
    desk.check(f"decision-applied-{width}")
    desk.go(f"/patients/{sam.pk}/")
    page.wait_for_selector(f"[data-testid=applied-{decision.pk}]")
    assert page.locator("[id^=apply-]").count() == 0
    desk.go(f"/decisions/{decision.pk}/apply/return_to_dose/?option=0")
    page.wait_for_selector("[data-testid=applied]")  # sent back: never offered twice


@pytest.mark.hazard("HZ-162")
@pytest.mark.parametrize("width", WIDTHS)
def test_a_deactivated_account_is_locked_out_everywhere(open_phone: Callable[..., Pages],
                                                       width: int) -> None:
    sam = sam_with_a_plan()
    plan = sam.plans.get().versions.get()
    _, secret = services.create_api_token(user=sam.user, name="Phone", actor=sam.user)
    feed = services.create_calendar_feed(patient=sam, actor=sam.user)
    phone = open_phone()
    log_in(phone, sam.user.email)
    phone.page.wait_for_selector("[data-testid=today-doses]")
    api = phone.page.request
    bearer = {"Authorization": f"Bearer {secret}"}
    assert api.get(f"{phone.base_url}/api/plans/{plan.pk}", headers=bearer).status == 200
    assert api.get(f"{phone.base_url}/feeds/{feed}.ics").status == 200

    admin = _window(open_phone, width)
    factories.admin()
    log_in(admin, "admin@example.org")
    admin.go("/accounts/")
    admin.page.wait_for_selector(f"#deactivate-{sam.user_id}")
    assert no_sideways_scroll(admin.page)
    admin.check(f"accounts-{width}")
    admin.page.click(f"#deactivate-{sam.user_id}")
    admin.page.wait_for_selector(f"[data-testid=active-{sam.user_id}]")
    assert admin.page.inner_text(f"[data-testid=active-{sam.user_id}]").endswith("no")

    phone.go("/today/")
    phone.page.wait_for_selector("#login-submit")  # the page: back to the login form
    assert api.get(f"{phone.base_url}/api/plans/{plan.pk}", headers=bearer).status == 401
    assert api.get(f"{phone.base_url}/feeds/{feed}.ics").status == 404
    log_in(phone, sam.user.email)
    phone.page.wait_for_selector("#login-submit")  # the password no longer lets them in
    assert "/login/" in phone.page.url


@pytest.mark.parametrize("width", (360, 390, 768))
def test_the_clinicians_pages_fit_a_phone_and_the_chart_is_legible(
        open_phone: Callable[..., Pages], width: int) -> None:
    sam = sam_with_a_plan()
    factories.worse_after_a_cut(sam)  # check-ins on the chart, and a flag on the desk
    desk = _window(open_phone, width)
    log_in(desk, _doctor(sam).email)
    plan = sam.plans.get().versions.get(status="active")
    for path, ready in (("/desk/", "[data-testid=desk-counts]"),
                        (f"/patients/{sam.pk}/", "[data-testid=chart]"),
                        (f"/plans/{plan.pk}/", "h1"), ("/patients/", "h1")):
        desk.go(path)
        desk.page.wait_for_selector(ready)
        assert no_sideways_scroll(desk.page), f"{path} scrolls sideways at {width} px"
    desk.go(f"/patients/{sam.pk}/")
    desk.page.wait_for_selector("[data-testid=chart]")
    assert smallest_chart_label_px(desk.page, "[data-testid=chart]") >= 12
    desk.check(f"patient-page-{width}")


def test_the_chart_is_legible_on_a_desktop(open_window: Callable[[], Pages]) -> None:
    sam = sam_with_a_plan()
    factories.week_of_checkins(sam)
    window = open_window()
    log_in(window, _doctor(sam).email)
    window.go(f"/patients/{sam.pk}/")
    window.page.wait_for_selector("[data-testid=chart]")
    assert smallest_chart_label_px(window.page, "[data-testid=chart]") >= 12
