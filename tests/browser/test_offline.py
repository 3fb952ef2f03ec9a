"""Installable and offline (issue 14.5) in real Chromium at 390 × 844: the manifest and its
icons, Today and the plan readable offline with "Last updated", a check-in made offline sent
once when back online, and a red flag answered offline reaching the emergency message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Page

from taper.web.clinic.models import CheckIn, Patient
from tests.browser.conftest import Pages
from tests.browser.test_journey import log_in
from tests.browser.test_phone import sam_with_a_plan
from tests.web import factories

pytestmark = pytest.mark.browser


def ready(page: Page) -> None:
    """offline.js has kept this page (and Today's links) and the worker controls the page."""
    page.wait_for_selector("html[data-offline-ready]", state="attached")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def online_on_today(phone: Pages, sam: Patient) -> Page:
    """Logged in, Today opened twice: the second time under the service worker's control."""
    page = phone.page
    log_in(phone, sam.user.email)
    page.wait_for_selector("[data-testid=today-doses]")
    ready(page)
    phone.go("/today/")
    ready(page)
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    return page


def test_the_manifest_is_valid_and_its_icons_are_fetchable(open_phone: Callable[..., Pages]) -> None:
    phone = open_phone()
    response = phone.page.request.get(phone.base_url + "/manifest.webmanifest")
    assert response.ok and response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    for field in ("name", "short_name", "start_url", "display", "theme_color", "icons"):
        assert manifest[field], field
    assert manifest["start_url"] == "/today/"
    for icon in manifest["icons"]:
        got = phone.page.request.get(phone.base_url + icon["src"])
        assert got.ok and got.headers["content-type"] == "image/png", icon
    assert {"maskable", "any"} == {i["purpose"] for i in manifest["icons"]}
    phone.go("/login/")
    assert phone.page.locator("link[rel=manifest]").get_attribute("href") == "/manifest.webmanifest"


@pytest.mark.hazard("HZ-036")
def test_today_and_the_plan_stay_readable_offline_with_last_updated(
        open_phone: Callable[..., Pages]) -> None:
    sam = sam_with_a_plan()
    phone = open_phone()
    page = online_on_today(phone, sam)
    doses = page.inner_text("[data-testid=today-doses]")
    phone.context.set_offline(True)
    phone.go("/today/")
    stamp = page.wait_for_selector("[data-offline-stamp]")
    assert stamp.is_visible() and "Last updated" in stamp.inner_text()
    assert page.inner_text("[data-testid=today-doses]") == doses
    phone.check("phone-today-offline")
    page.click("text=See the whole plan")
    page.wait_for_selector("[data-offline-stamp]")
    assert "/plans/" in page.url and page.locator("table").count() >= 1
    phone.context.set_offline(False)  # back online, the kept copy makes way for the live page
    page.wait_for_selector("[data-offline-stamp]", state="hidden", timeout=30_000)
    ready(page)
    phone.go("/today/")
    ready(page)
    page.click("#logout")  # another person on this phone must not see Sam's pages
    page.wait_for_url("**/login/**")
    kept = page.evaluate("caches.keys()")
    assert not [name for name in kept if name in ("taper-pages", "taper-outbox")], kept
    phone.context.set_offline(True)
    phone.go("/today/")
    assert "You are offline" in page.content()
    phone.check("phone-offline-page")
    assert "Last updated" not in page.content() and sam.name not in page.content()


@pytest.mark.hazard("HZ-034")
def test_a_check_in_made_offline_is_sent_once_when_back_online(
        open_phone: Callable[..., Pages]) -> None:
    sam = sam_with_a_plan()
    phone = open_phone()
    page = online_on_today(phone, sam)
    phone.go("/checkin/?flags=none")
    ready(page)
    phone.context.set_offline(True)
    page.click("label[for=id_new_or_worse_0]")  # No
    if page.locator("input[name=doses_all]").count():
        page.click("label[for=id_doses_all_0]")  # Yes, all of them
    page.click("#submit-checkin")
    note = page.wait_for_selector(".offline-note")
    assert "It is saved on this phone and will be sent when you are back online" in note.inner_text()
    phone.check("phone-checkin-saved-offline")
    assert not CheckIn.objects.exists()
    phone.context.set_offline(False)
    page.wait_for_selector("text=Your saved check-in has been sent.")
    assert CheckIn.objects.filter(patient=sam).count() == 1
    phone.go("/today/")  # a later page finds nothing left to send
    ready(page)
    assert CheckIn.objects.filter(patient=sam).count() == 1
    assert page.evaluate("caches.open('taper-outbox').then(b => b.keys()).then(k => k.length)") == 0


@pytest.mark.hazard("HZ-035")
def test_a_red_flag_answered_offline_shows_the_emergency_message_and_is_sent_later(
        open_phone: Callable[..., Pages]) -> None:
    sam = sam_with_a_plan()
    phone = open_phone()
    page = online_on_today(phone, sam)
    phone.context.set_offline(True)
    page.click("#start-checkin")
    page.wait_for_url("**/checkin/")
    ready(page)
    page.click("#flag-seizure")
    page.wait_for_selector("[data-testid=emergency]")
    assert page.locator("[data-testid=call-emergency]").get_attribute("href") == "tel:112"
    assert page.locator("[data-offline-saved]").is_visible()
    phone.check("phone-emergency-offline")
    assert not CheckIn.objects.exists()
    phone.context.set_offline(False)
    page.wait_for_selector("text=Your saved check-in has been sent.", timeout=30_000)
    stored = CheckIn.objects.get(patient=sam)
    assert stored.data["symptoms"].get("seizure")


@pytest.mark.hazard("HZ-034")
def test_a_check_in_kept_from_an_earlier_day_is_not_stored_as_todays(
        open_phone: Callable[..., Pages]) -> None:
    sam = sam_with_a_plan()
    phone = open_phone()
    page = online_on_today(phone, sam)
    yesterday = (factories.today_of(sam) - timedelta(days=1)).isoformat()
    page.evaluate("""([me, day]) => caches.open('taper-outbox').then(box => box.put(
        '/__outbox/1-test', new Response(new URLSearchParams({
          red_flags: 'none', new_or_worse: 'no', doses_all: 'yes',
          _offline_user: me, _offline_day: day}).toString())))""", [str(sam.user.pk), yesterday])
    phone.go("/today/")
    note = page.wait_for_selector(".offline-note")
    assert "was for an earlier day, so it was not sent" in note.inner_text()
    assert not CheckIn.objects.exists()
    assert page.evaluate("caches.open('taper-outbox').then(b => b.keys()).then(k => k.length)") == 0


@pytest.mark.hazard("HZ-034")
def test_a_check_in_whose_post_fails_in_the_worker_is_kept_and_sent_later(
        open_phone: Callable[..., Pages]) -> None:
    """The form sent without offline.js's help (as if tapped before the script ran): the
    service worker keeps the POST the network refused and says so."""
    sam = sam_with_a_plan()
    phone = open_phone()
    page = online_on_today(phone, sam)
    phone.go("/checkin/?flags=none")
    ready(page)
    page.click("label[for=id_new_or_worse_0]")  # No
    if page.locator("input[name=doses_all]").count():
        page.click("label[for=id_doses_all_0]")
    phone.context.set_offline(True)
    page.evaluate("HTMLFormElement.prototype.submit.call(document.querySelector('#submit-checkin').form)")
    saved = page.wait_for_selector("[data-offline-saved]")
    assert saved.is_visible() and "/offline/" in page.url
    assert not CheckIn.objects.exists()
    phone.context.set_offline(False)  # the offline page goes to Today, which sends it
    page.wait_for_selector("text=Your saved check-in has been sent.")
    assert CheckIn.objects.filter(patient=sam).count() == 1


@pytest.mark.parametrize("width", [320, 360, 390])
def test_the_new_patient_pages_fit_a_phone(open_phone: Callable[..., Pages], width: int) -> None:
    sam = sam_with_a_plan()
    phone = open_phone(width)
    log_in(phone, sam.user.email)
    phone.page.wait_for_selector("[data-testid=today-doses]")
    for path, name in (("/account/settings/", "settings"), ("/offline/emergency/", "emergency"),
                       ("/offline/", "offline")):
        phone.go(path)
        assert phone.page.evaluate(
            "document.scrollingElement.scrollWidth <= window.innerWidth"), (path, width)
        phone.check(f"phone-{width}-{name}")
    phone.go("/account/settings/")
    phone.page.click("label[for=id_checkin_email_0]")  # On
    phone.page.fill("#id_checkin_time", "19:30")
    phone.page.click("#save-reminders")
    phone.page.wait_for_selector("text=Saved.")
    assert phone.page.input_value("#id_checkin_time") == "19:30"
