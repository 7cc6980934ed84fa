"""Shared fixtures: the shipped bot, a tiny corpus in a temp folder, the app in-process, one real
server for the tests that need a real process, and one headless Chromium for the browser tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers import BROWSER_ARGS, CHROMIUM, LiveServer, build_tiny_corpus, start_server, static_server, stop_server

from bot.app import create_app
from bot.config import Settings
from bot.corpus import DEFAULT_CORPUS
from bot.engine import Bot


@pytest.fixture(scope="session")
def bot() -> Bot:
    return Bot.from_path()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the whole shipped corpus (most tests can use the faster tiny_corpus)."""
    dest = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS, dest)
    return dest


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """A writable two-topic corpus (the shipped explainers, files and rules), for tests that break one thing."""
    return build_tiny_corpus(tmp_path / "tiny")


@pytest.fixture(scope="session")
def app(bot: Bot) -> Any:
    """The app in-process, as `serve` builds it (rate limit off so many tests can share it, metrics on)."""
    return create_app(Settings(rate_limit=0, metrics=True), bot=bot)


@pytest.fixture(scope="session")
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as c:  # lifespan runs
        yield c


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real server (rate limit off so many tests can share it)."""
    server = start_server(tmp_path_factory.mktemp("server"), {"BOT_RATE_LIMIT": "0", "BOT_METRICS": "1"})
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the whole session (each test makes its own context)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("browser tests need Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def site(bot: Bot, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped bot exported as a static site (`python -m bot export`), once per session."""
    from bot.export import export_site

    dest = tmp_path_factory.mktemp("site") / "public"
    export_site(bot, dest)
    return dest


@pytest.fixture(scope="session")
def site_url(site: Path) -> Iterator[str]:
    """The export behind a plain static server: no compression, no CORS header, no CSP."""
    with static_server(site) as url:
        yield url


def pytest_configure(config: pytest.Config) -> None:
    """In CI (REQUIRE_BROWSER=1) a missing browser is an error, not a quiet skip of every parity test."""
    if os.environ.get("REQUIRE_BROWSER") != "1":
        return
    missing = [] if Path("/usr/bin/chromium").exists() else ["/usr/bin/chromium"]
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package")
    if missing:
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but {' and '.join(missing)} is missing; run sh tests/run.sh")
