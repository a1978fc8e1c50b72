"""Browser tests: Playwright (sync API) driving Debian's chromium against pytest-django's `live_server`.

Every test in tests/browser is marked `browser`. Playwright's sync API keeps an asyncio loop running while it is
started, and Django refuses ORM calls while a loop runs; so Playwright lives only as long as this package's
tests (package scope, not session scope, or every later database test would fail) and Django's check is
relaxed for exactly that time. Tests load their data inside the test: `live_server` needs `transactional_db`.
"""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BROWSER_TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/<name>.png (git-ignored) and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


@pytest.fixture(scope="package")
def browser():
    """One headless chromium for all browser tests; fails under CI=true when Debian's chromium is missing."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package (scripts/setup does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_context(transactional_db, browser, live_server):
    """Factory for browser contexts on the live server (relative URLs work), Danish unless told otherwise.

    Each page records uncaught JavaScript errors; the test fails at teardown if there were any. The contexts close
    before the test database is emptied (set up after `transactional_db`, so torn down before it): a page still
    fetching while the tables are truncated deadlocks PostgreSQL."""
    contexts = []
    errors: list[str] = []

    def make(locale: str = "da-DK", width: int = 1280, height: int = 900, phone: bool = False, **options):
        """`phone`: a touch screen at twice the pixel density, as a 390×844 phone has."""
        if phone:
            options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
        context = browser.new_context(
            base_url=live_server.url, locale=locale, viewport={"width": width, "height": height}, **options
        )
        context.set_default_timeout(15_000)
        context.on("page", lambda page: page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}")))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    if errors:
        pytest.fail("JavaScript errors in the browser:\n" + "\n".join(errors))


@pytest.fixture
def page(browser_context):
    """A fresh page in a Danish browser on the live server."""
    return browser_context().new_page()
