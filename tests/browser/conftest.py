"""Playwright driving Debian's Chromium against the app on pytest-django's live server.

No browser is ever downloaded: Chromium is the system's (`/usr/bin/chromium`, installed by
`scripts/system-deps`). Every page a test visits goes through `Pages.check`, which saves a
screenshot under build/screenshots/ and fails on any serious or critical axe-core finding.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in this thread; Django's ORM refuses to run
# beside a running loop unless told the calls are deliberate (they are: plain test code).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA: the bar (no serious or critical finding).
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
BLOCKING = {"serious", "critical"}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


def accessibility_findings(page: Page) -> list[tuple[str, str]]:
    """Every axe-core finding on the page as (impact, "rule: target — help") pairs."""
    result = Axe().run(page, options=WCAG)
    return [(v["impact"], f"{v['id']}: {' '.join(map(str, n['target']))} — {v['help']}")
            for v in result.response["violations"] for n in v["nodes"]]


class Pages:
    """One person's browser window; `check` screenshots the page and runs axe-core on it."""

    def __init__(self, context: BrowserContext, base_url: str) -> None:
        self.context = context
        self.page = context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.base_url = base_url

    def go(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        return self.page

    def printed(self, name: str) -> None:
        """A screenshot of the page as the print stylesheet lays it out (the fridge copy)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.emulate_media(media="print")
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        self.page.emulate_media(media="screen")

    def check(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        findings = accessibility_findings(self.page)
        # Every finding is kept beside the screenshot; serious and critical ones fail the test.
        (SCREENSHOTS / f"{name}.axe.txt").write_text(
            "".join(f"{impact}: {line}\n" for impact, line in findings) or "no findings\n")
        blocking = [f"{impact}: {line}" for impact, line in findings if impact in BLOCKING]
        assert not blocking, f"axe-core on {name} ({self.page.url}):\n" + "\n".join(blocking)


@pytest.fixture
def open_window(browser: Browser, live_server: object) -> Iterator[object]:
    """A factory of separate windows (separate cookies): one per person in the story."""
    contexts: list[BrowserContext] = []

    def open_(locale: str = "en-GB") -> Pages:  # the browser's language (Accept-Language)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
        contexts.append(context)
        return Pages(context, str(live_server))

    yield open_
    for context in contexts:
        context.close()


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def open_phone(browser: Browser, live_server: object) -> Iterator[object]:
    """A factory of phone-sized windows (390 × 844, touch), one per person in the story."""
    contexts: list[BrowserContext] = []

    def open_(width: int = PHONE["width"], locale: str = "en-GB") -> Pages:
        context = browser.new_context(viewport={"width": width, "height": PHONE["height"]},
                                      locale=locale, has_touch=True)
        contexts.append(context)
        return Pages(context, str(live_server))

    yield open_
    for context in contexts:
        context.close()
