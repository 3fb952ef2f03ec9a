"""Two-step login on a phone (390 px wide) in real Chromium: a clinician's first login sets up
an authenticator app (codes computed here with django-otp, as the app would), keeps the
recovery codes, logs out, and logs in again with a code. Every page is checked with axe-core."""

from __future__ import annotations

import time
from base64 import b32decode
from collections.abc import Iterator

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Browser

from tests.browser.conftest import Pages
from tests.web import factories

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _code(key_text: str, steps_ahead: int = 0) -> str:
    clock = TOTP(b32decode(key_text.replace(" ", "")))
    clock.time = time.time() + 30 * steps_ahead
    return f"{clock.token():06d}"


@pytest.fixture
def phone(browser: Browser, live_server: object) -> Iterator[Pages]:
    context = browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True)
    yield Pages(context, str(live_server))
    context.close()


def _no_sideways_scroll(window: Pages) -> None:
    width = window.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{window.page.url} scrolls sideways ({width} px)"


@pytest.mark.hazard("HZ-139")
def test_a_clinician_sets_up_two_step_login_and_logs_in_with_it_on_a_phone(
        phone: Pages, transactional_db: None) -> None:
    factories.clinician()
    page = phone.page
    phone.go("/login/")
    page.fill("#id_username", "Dr.Reyes@example.org")
    page.fill("#id_password", factories.PASSWORD)
    page.click("#login-submit")

    page.wait_for_selector("[data-testid=totp-qr] svg")
    _no_sideways_scroll(phone)
    phone.check("two-step-setup-phone")
    key = page.inner_text("[data-testid=totp-key]")
    page.fill("#id_code", "123456" if _code(key) != "123456" else "654321")
    page.click("#confirm-two-step")
    page.wait_for_selector("[data-testid=error-code]")
    phone.check("two-step-setup-error-phone")
    page.wait_for_timeout(1100)  # django-otp's back-off: 1 s after a wrong code (a person is slower)
    page.fill("#id_code", _code(key))
    page.click("#confirm-two-step")

    page.wait_for_selector("[data-testid=recovery-codes]")
    codes = page.locator("[data-testid=recovery-codes] code").all_inner_texts()
    assert len(codes) == 10
    _no_sideways_scroll(phone)
    phone.check("two-step-recovery-codes-phone")
    page.click("#codes-done")
    page.wait_for_selector("[data-testid=desk-empty]")

    page.click("#logout")
    page.wait_for_selector("#login-submit")
    page.fill("#id_username", "dr.reyes@example.org")
    page.fill("#id_password", factories.PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#verify-code")
    _no_sideways_scroll(phone)
    phone.check("two-step-verify-phone")
    page.fill("#id_code", _code(key, 1))  # the next 30 s code: the first was used at set-up
    page.click("#verify-code")
    page.wait_for_selector("[data-testid=desk-empty]")
