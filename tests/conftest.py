"""Shared fixtures: the register, paths to ../shared data, a real browser with an axe-core audit."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("RATUSZ_SHARED", ROOT.parent / "shared"))
CHROMIUM = os.environ.get("RATUSZ_CHROMIUM", "/usr/bin/chromium")


def _required(var: str) -> bool:
    return os.environ.get(var, "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture
def shared_data() -> Path:
    """Path of ../shared/data; skips (or fails in CI) when it is absent."""
    data = SHARED / "data"
    if not data.is_dir():
        if _required("RATUSZ_REQUIRE_SHARED"):
            pytest.fail(f"../shared/data is required in CI but missing at {data}")
        pytest.skip(f"../shared/data not found at {data} (only training and evaluation need it)")
    return data


@pytest.fixture
def registry(db) -> None:
    """Load the whole shipped unit register into the test database."""
    from ratusz.registry.services import load_register

    load_register()


@pytest.fixture(scope="session")
def browser_instance() -> Iterator:
    """A headless Debian Chromium driven by Playwright; skips (or fails in CI) without it."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if _required("RATUSZ_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is required in CI but missing at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in the test thread; Django would then refuse the
    # (synchronous, single-threaded) database calls of the test itself. They are safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser_instance, live_server) -> Iterator:
    """A fresh browser page; `page.base_url` is the live server's address."""
    context = browser_instance.new_context(locale="pl-PL", base_url=live_server.url)
    pg = context.new_page()
    pg.base_url = live_server.url
    yield pg
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; return the violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    return results.response["violations"]


@pytest.fixture
def assert_accessible():
    """Call with a page: fails listing every axe-core violation (WCAG 2.1 AA)."""

    def check(pg) -> None:
        violations = axe_violations(pg)
        summary = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in violations
        ]
        assert not violations, f"axe-core violations on {pg.url}:\n" + "\n".join(summary)

    return check
