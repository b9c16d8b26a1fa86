"""Browser journeys in real headless Chromium (Playwright's sync API).

Fixtures: `browser` (one Chromium per session), `new_page` (a factory of
fresh browser contexts, e.g. a second machine), `page` (one fresh context per
test) and `live_server` (pytest-django's, but with static files served by
WhiteNoise from STATIC_ROOT exactly as in production).

Helpers, imported by the journeys: `login`, `switch_language`,
`assert_accessible` (axe-core, fails on serious and critical violations)
and `screenshot` (PNGs under artifacts/screenshots/, git-ignored).

Static files come from the manifest in STATIC_ROOT: run
`manage.py collectstatic --noinput` first (`make pytest` does).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# in the test body are still plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402
from django.utils import translation  # noqa: E402
from playwright.sync_api import (  # noqa: E402
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    expect,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer  # noqa: E402

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
AXE_PATH = "/static/vendor/axe/axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DEFAULT_TIMEOUT_MS = 10_000


# --------------------------------------------------------------------------- server


class _StaticLeftToWhiteNoise(StaticFilesHandler):
    """Handles no path itself: /static/ requests reach WhiteNoise, as in production.

    pytest-django's default, Django's StaticFilesHandler, looks files up through
    the finders, which know nothing of the hashed names the manifest storage
    writes into the pages, so every stylesheet and script would be a 404.
    """

    def _should_handle(self, path: str) -> bool:
        return False


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """pytest-django's live server, serving static files from STATIC_ROOT via WhiteNoise."""
    from django.test.testcases import LiveServerThread

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.is_file():
        pytest.fail(
            f"{manifest} is missing: run `manage.py collectstatic --noinput` "
            "before the browser journeys (`make pytest` does).",
            pytrace=False,
        )
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread = LiveServerThread(
        server.thread.host,
        static_handler=_StaticLeftToWhiteNoise,
        connections_override=server.thread.connections_override,
        port=server.thread.port,
    )
    server.thread.daemon = True
    server.start()
    yield server
    server.stop()


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    playwright = sync_playwright().start()
    yield playwright
    playwright.stop()


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        found = shutil.which(executable)
        if found is None:
            pytest.fail(
                f"Chromium was not found at {executable!r} (set CHROMIUM to its path). "
                "`make browser` installs Debian's chromium; Playwright cannot download "
                "its own browsers here.",
                pytrace=False,
            )
        executable = found
    browser = playwright_instance.chromium.launch(
        executable_path=executable, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


class PageProblems:
    """What went wrong underneath a page: missing static files, CSP refusals, script errors."""

    def __init__(self) -> None:
        self.failed_static: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []

    def on_response(self, response: Response) -> None:
        if urlsplit(response.url).path.startswith(settings.STATIC_URL) and response.status >= 400:
            self.failed_static.append(f"{response.status} {response.url}")

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location
            source = f" (at {where['url']}:{where['lineNumber']})" if where.get("url") else ""
            self.console_errors.append(message.text + source)

    def on_page_error(self, error: Exception) -> None:
        self.page_errors.append(str(error))

    def blocking(self) -> list[str]:
        """Problems that fail a journey. HTTP errors of pages themselves are the journey's business."""
        csp = [t for t in self.console_errors if "Content Security Policy" in t]
        return (
            [f"static file not served: {s}" for s in self.failed_static]
            + [f"CSP refusal: {t}" for t in csp]
            + [f"uncaught script error: {e}" for e in self.page_errors]
        )


NewPage = Callable[[], Page]
_PROBLEMS: dict[int, PageProblems] = {}


@pytest.fixture
def new_page(browser: Browser, live_server: LiveServer) -> Iterator[NewPage]:
    """Factory of pages, each in its own fresh context (cookies, storage): a new machine."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 1366, "height": 900},
            locale="en-GB",
            timezone_id="UTC",
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        problems = PageProblems()
        page.on("response", problems.on_response)
        page.on("console", problems.on_console)
        page.on("pageerror", problems.on_page_error)
        _PROBLEMS[id(page)] = problems
        return page

    yield make
    for context in contexts:
        for page in context.pages:
            _PROBLEMS.pop(id(page), None)
        context.close()


@pytest.fixture
def page(new_page: NewPage) -> Page:
    """A fresh browser context on the live server; `page.goto("/accounts/login/")` works."""
    return new_page()


# --------------------------------------------------------------------------- helpers


def origin(page: Page) -> str:
    parts = urlsplit(page.url)
    return f"{parts.scheme}://{parts.netloc}"


def assert_no_page_problems(page: Page) -> None:
    problems = _PROBLEMS.get(id(page))
    if problems is not None and (found := problems.blocking()):
        pytest.fail(f"{page.url}:\n  " + "\n  ".join(found), pytrace=False)


def login(page: Page, username: str, password: str) -> None:
    """Sign in through the real form at /accounts/login/ (works in every language)."""
    if urlsplit(page.url).path != "/accounts/login/":
        page.goto("/accounts/login/")
    form = page.locator("main form").filter(has=page.locator('input[name="password"]'))
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()


def switch_language(page: Page, code: str) -> None:
    """Use the header's language switcher, as a person would."""
    switcher = page.locator("form.language-switcher")
    switcher.locator("#language-select").select_option(code)
    with page.expect_navigation():
        switcher.locator('button[type="submit"]').click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def in_language(code: str, message: str) -> str:
    """The application's translation of `message`, as the server renders it."""
    with translation.override(code):
        return translation.gettext(message)


_AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
    html: v.nodes.slice(0, 1).map(n => n.html),
    summary: v.nodes.slice(0, 1).map(n => n.failureSummary || ""),
    count: v.nodes.length,
  }));
}"""


def assert_accessible(page: Page) -> None:
    """Run the vendored axe-core on the current page; fail on serious or critical violations.

    The script is added by URL: the Content-Security-Policy forbids inline scripts.
    Also fails when a static file did not load, the CSP refused something or a
    script threw.
    """
    page.wait_for_load_state("load")
    assert_no_page_problems(page)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=origin(page) + AXE_PATH)
    violations: list[dict[str, Any]] = page.evaluate(_AXE_RUN)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"{len(blocking)} serious/critical accessibility violation(s) on {page.url}:"]
        for v in blocking:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['count']} node(s))")
            lines.append(f"    targets: {', '.join(v['targets'])}")
            lines.extend(f"    html: {h}" for h in v["html"])
            lines.extend("    " + s.replace("\n", "\n    ") for s in v["summary"] if s)
            lines.append(f"    {v['helpUrl']}")
        pytest.fail("\n".join(lines), pytrace=False)


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG for humans to look at; returns its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")
    path = SCREENSHOT_DIR / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
