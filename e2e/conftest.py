"""Browser tests: the journeys of a citizen and of each staff role, in headless Chromium.

A session serves the demo data (`seed_demo` in a temporary SQLite database, gunicorn with DEBUG
off on a free 127.0.0.1 port: `bench/common.py`'s `demo_server`, which the accessibility audit
uses too) and drives the system's Chromium (Debian package `chromium`; Playwright never downloads
a browser here) at a phone's 360x640 and a desktop's 1280x800. A test fails on any JavaScript
error, any answer 5xx, any missing stylesheet, script, image or font and any id used twice in a
page (after it loads and after each htmx swap); a failing test leaves a
screenshot and the page's HTML under var/e2e-artifacts/ (and the server's log there).

    .venv/bin/python -m pytest e2e -p no:xdist                     # `make e2e`
    .venv/bin/python -m pytest e2e -p no:xdist --e2e-base http://127.0.0.1:8000
        # against a running `make run` (same SQLITE_PATH/DATABASE_URL); its data changes
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from common import CHROMIUM_ARGS, demo_server  # noqa: E402 - bench/ holds scripts, no package

ARTIFACTS = ROOT / "var" / "e2e-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
VIEWPORTS = {"phone": {"width": 360, "height": 640}, "desktop": {"width": 1280, "height": 800}}
DEMO_PASSWORD = "urna-demo-2026"  # noqa: S105 - urna/accounts/demo.py, demo sites only
TIMEOUT_MS = 20_000  # a busy CI machine; a page normally answers in well under a second
# Subresources whose 4xx is a broken page (an htmx or fetch call may answer 4xx on purpose).
STATIC_TYPES = {"stylesheet", "script", "image", "font"}
expect.set_options(timeout=TIMEOUT_MS)
# Run in every page before its own scripts (through the DevTools protocol, so the pages'
# Content-Security-Policy does not apply): an id used twice is reported as a console error,
# which ``_watch`` collects. axe-core's WCAG tags no longer check it, and a label, an
# aria-describedby or a skip link pointing at a repeated id may land on the wrong element.
DUPLICATE_IDS_SCRIPT = """
(() => {
  const check = () => {
    const seen = new Set();
    const repeated = new Set();
    for (const el of document.querySelectorAll("[id]")) {
      if (seen.has(el.id)) repeated.add(el.id);
      seen.add(el.id);
    }
    if (repeated.size) console.error("duplicate id in the DOM: " + [...repeated].join(", "));
  };
  document.addEventListener("DOMContentLoaded", check);
  document.addEventListener("htmx:afterSettle", check);
})();
"""

# The demo rows the journeys act on, read once from the site's database: each journey takes its
# own (one per viewport), so no two runs answer, extend or transfer the same query.
DEMO_SNIPPET = """
import json
from django.utils import timezone
from urna.queries.models import Query
today = timezone.localdate()
running = Query.objects.filter(entity__acronym="MINAGRICULTURA", state__in=["new", "assigned"])
extend = list(running.filter(due_date__gte=today, extended_at__isnull=True)
              .order_by("pk").values_list("receipt", flat=True)[:2])
others = running.exclude(receipt__in=extend).order_by("-pk").values_list("receipt", flat=True)
answered = Query.objects.filter(state="answered").exclude(answer="").order_by("pk")[:2]
print("DEMO" + json.dumps({
    "extend": extend,
    "answer": list(others[:2]),
    "transfer": list(others[2:4]),
    "answered": [{"receipt": q.receipt, "answer": q.answer} for q in answered],
}))
"""


@dataclass
class Site:
    base: str
    env: dict[str, str]
    demo: dict[str, list] = field(default_factory=dict)

    def take(self, kind: str):
        """One demo row of ``kind`` (see DEMO_SNIPPET) no other journey has used."""
        rows = self.demo[kind]
        if not rows:
            pytest.fail(f"the demo data has no more rows of kind {kind!r} for the journeys")
        return rows.pop(0)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--e2e-base",
        help="drive this running server (its database: same environment) instead of a fresh one",
    )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _demo_rows(env: dict[str, str]) -> dict[str, list]:
    python = str(ROOT / ".venv" / "bin" / "python")
    out = subprocess.run(
        [python, "manage.py", "shell", "-c", DEMO_SNIPPET],
        env=env, cwd=ROOT, check=True, text=True, stdout=subprocess.PIPE,
    )  # fmt: skip
    return json.loads(out.stdout.split("DEMO", 1)[1])


@pytest.fixture(scope="session")
def site(pytestconfig: pytest.Config) -> Iterator[Site]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ARTIFACTS.iterdir():  # a previous run's failures
        if stale.is_file():
            stale.unlink()
    base = pytestconfig.getoption("--e2e-base")
    if base:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "urna.settings"}
        yield Site(base.rstrip("/"), env, _demo_rows(env))
        return
    with demo_server("urna-e2e-", log=ARTIFACTS / "server.log") as (base, env):
        yield Site(base, env, _demo_rows(env))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _watch(page: Page, problems: list[str]) -> None:
    """Collect JavaScript errors (and the duplicate ids DUPLICATE_IDS_SCRIPT reports), answers
    5xx and missing static files of ``page``."""

    def on_console(message) -> None:
        # A failed load is logged too; the response handler judges those by status and kind.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console error on {page.url}: {message.text}")

    def on_response(response) -> None:
        kind = response.request.resource_type
        if response.status >= 500 or (response.status >= 400 and kind in STATIC_TYPES):
            problems.append(f"{response.status} for {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error on {page.url}: {error}"))
    page.on("response", on_response)


def _keep_artifacts(page: Page, name: str, problems: list[str]) -> Path:
    stem = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")
    try:
        page.screenshot(path=f"{stem}.png", full_page=True)
        Path(f"{stem}.html").write_text(f"<!-- {page.url} -->\n" + page.content())
    except Exception as error:  # noqa: BLE001 - a crashed page still reports the test's failure
        problems.append(f"(no screenshot: {error})")
    if problems:
        Path(f"{stem}.problems.txt").write_text("\n".join(problems) + "\n")
    return stem


@pytest.fixture(params=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, browser: Browser, site: Site) -> Iterator[Page]:
    """A fresh browser context (no cookies) at the parametrised viewport, in Spanish."""
    context = browser.new_context(
        viewport=VIEWPORTS[request.param], base_url=site.base, locale="es-CO"
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(DUPLICATE_IDS_SCRIPT)
    page = context.new_page()
    problems: list[str] = []
    _watch(page, problems)
    yield page
    report = getattr(request.node, "report_call", None)
    failed = report is None or report.failed
    if failed or problems:
        stem = _keep_artifacts(page, request.node.nodeid, list(problems))
        request.node.add_report_section("teardown", "artifacts", f"{stem}.png, {stem}.html")
        if problems:
            request.node.add_report_section("teardown", "broken pages", "\n".join(problems))
    context.close()
    if problems and not failed:
        pytest.fail("the journey met broken pages:\n" + "\n".join(problems))


@pytest.fixture
def login(page: Page):
    """Log in as a demo staff user through the one login page; lands on the staff office."""

    def log_in(username: str) -> None:
        page.goto("/cuenta/entrar/")
        page.get_by_label("Usuario").fill(username)
        page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Entrar").click()
        expect(page).to_have_url(re.compile(r"/staff/$"))
        expect(page.get_by_role("heading", level=1)).to_be_visible()

    return log_in
