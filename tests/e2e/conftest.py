"""Browser journeys: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Playwright's own browser download cannot work here, so the journeys launch the system Chromium
(`/usr/bin/chromium`, or `OCOP_E2E_CHROMIUM`). Without it they are skipped, unless
`OCOP_E2E_REQUIRED=1` (CI, `make e2e`) makes a missing browser a failure.

One browser for all the journeys, one context (fresh cookies) per journey. The live server needs a
transactional database, which is flushed after each journey: pytest-django already orders such tests
after the others, and the `reference_data` fixture reloads the districts and product groups.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import sync_playwright

from tests.e2e.journey import DESKTOP, Journey

CHROMIUM = Path(os.environ.get("OCOP_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
OUTPUT = Path(settings.BASE_DIR) / "output" / "e2e"
# A step that takes longer than this on the live server is a failure, not something to wait for.
TIMEOUT_MS = 15_000


def _chromium_required() -> bool:
    return os.environ.get("OCOP_E2E_REQUIRED", "") == "1"


@pytest.fixture(scope="package")
def browser():
    """Headless Chromium for the journeys; a missing binary skips them, or fails them in CI.

    Package-scoped: pytest-django runs the transactional journeys together, after the database
    tests, so the browser (and the event loop below) lives exactly as long as that block.
    """
    if not os.access(CHROMIUM, os.X_OK):
        message = (f"{CHROMIUM} does not exist; install Debian's `chromium` "
                   "package (or set OCOP_E2E_CHROMIUM) to run the browser journeys")
        if _chromium_required():
            pytest.fail(f"OCOP_E2E_REQUIRED=1 but {message}.", pytrace=False)
        pytest.skip(f"{message}.")
    # Playwright's sync API keeps an asyncio event loop registered as running in the test thread
    # for as long as it is started, and Django then refuses every ORM call from that thread
    # (SynchronousOnlyOperation), including the fixtures' and the database flush between
    # journeys. No coroutine ever runs concurrently with the ORM here: each Playwright call blocks
    # until the browser answers. So the check is lifted for exactly the browser's lifetime.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                                  args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
            # While Playwright runs, the test thread's ORM calls get a database connection of
            # their own (Django keeps connections per context, and Playwright's loop gives the
            # thread another one); close it here, or pytest-django cannot drop the test database
            # on PostgreSQL ("being accessed by other users").
            connections.close_all()


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Run Celery tasks in the live server's request, as on the embedded default.

    With REDIS_URL set (CI), tasks would go to a broker with no worker behind the live server, and
    a page waiting for one (an import's check, a report) would wait forever. The journeys prove
    what users see; the worker itself is proven by the Celery tests.
    """
    from ocop_portal.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so `page` can save a screenshot of a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, live_server, request):
    """A page in a fresh browser context (no cookies), pointed at the live server."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    failure_shot = OUTPUT / "failures" / f"{request.node.name}.png"
    failure_shot.unlink(missing_ok=True)
    page = context.new_page()
    # The Content-Security-Policy is enforced (the live server sends it): anything it blocks is
    # reported by Chromium on the console, and fails the journey.
    violations: list[str] = []
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: violations.append(f"{page.url}: {error}"))
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and not page.is_closed():
        failure_shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=failure_shot, full_page=True)
    context.close()
    assert violations == [], "the page broke the Content-Security-Policy or raised:\n" + \
        "\n".join(violations)


@pytest.fixture
def journey(page, request):
    """Screenshots of the journey's pages under output/e2e/<journey>/, at 1280 and 390 px."""
    name = request.node.name.removeprefix("test_")
    folder = OUTPUT / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return Journey(page, folder)
