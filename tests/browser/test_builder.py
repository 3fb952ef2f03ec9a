"""The plan builder in real Chromium at desktop width and at 390 px (issue 15 §3): a preview
with only a 20 mg tablet, and a warning's one-click fix that adds the product."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from taper.web.clinic.engine import local_today
from tests.browser.conftest import Pages
from tests.browser.test_journey import log_in
from tests.browser.test_phone import no_sideways_scroll
from tests.web import factories

pytestmark = pytest.mark.browser


def only_a_20_mg_tablet(window: Pages) -> Page:
    doctor = factories.clinician()
    sam = factories.patient(doctor)
    log_in(window, "dr.reyes@example.org")
    window.page.wait_for_selector("#add-patient")
    page = window.go(f"/patients/{sam.pk}/plans/new/")
    page.fill("#id_start_date", local_today(sam.timezone).isoformat())
    for i, clock in enumerate(("08:00", "14:00", "20:00")):
        page.fill(f"#id_dose_{i}_time", clock)
        page.fill(f"#id_dose_{i}_mg", "20")
    page.select_option("#id_held_0_form", "tablet")
    page.fill("#id_held_0_strength", "20")
    page.select_option("#id_held_0_divisible", "2")
    page.fill("#id_step_mg", "5")
    page.fill("#id_step_days", "5")
    page.click("#preview-plan")
    page.wait_for_selector("#preview [data-code=cannot_go_lower]")
    return page


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_only_a_20_mg_tablet_previews_and_one_click_adds_the_fix(
        size: str, open_window: Callable[[], Pages], open_phone: Callable[[], Pages]) -> None:
    window = open_window() if size == "desktop" else open_phone()
    page = only_a_20_mg_tablet(window)
    assert page.is_visible("#preview [data-testid=step-table]")
    assert "does not stop" in page.inner_text("#preview [data-code=cannot_go_lower]")
    form, preview = page.locator("#plan-builder").bounding_box(), page.locator(
        ".builder-preview").bounding_box()
    assert form is not None and preview is not None
    if size == "desktop":  # beside the form, and it stays in view as the form scrolls
        assert preview["x"] >= form["x"] + form["width"] - 1
        assert page.eval_on_selector(".builder-preview", "e => getComputedStyle(e).position") == "sticky"
    else:  # below the form, and the page never scrolls sideways
        assert preview["y"] >= form["y"] + form["height"] - 1
        assert no_sideways_scroll(page)
        page.set_viewport_size({"width": 360, "height": 800})
        assert no_sideways_scroll(page)
    window.check(f"builder-only-20mg-{size}")

    page.click("#preview [data-testid=add-product-sol1]")
    page.wait_for_selector("#preview [data-testid=step-table]")
    assert page.is_checked("[name=catalogue][value=sol1]")
    assert page.locator("#preview [data-code=cannot_go_lower]").count() == 0
    assert page.input_value("#id_held_0_strength") == "20"  # nothing typed is lost
    window.check(f"builder-fixed-{size}")
