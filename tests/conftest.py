"""Shared fixtures: the shipped bot, a tiny corpus in a temp folder, the app in-process, one real
server for the tests that need a real process, and one headless Chromium for the browser tests."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.config import Settings
from bot.corpus import DEFAULT_CORPUS
from bot.engine import Bot

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def bot() -> Bot:
    return Bot.from_path()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the whole shipped corpus (most tests can use the faster tiny_corpus)."""
    dest = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS, dest)
    return dest


# Two shipped topics, enough for every check `check` makes: ice-at-the-door is the urgent one every
# language needs, itin-basics the plain one the validation cases break.
TINY_TOPICS = ("ice-at-the-door", "itin-basics")


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """A writable two-topic corpus (the shipped explainers, files and rules), for tests that break one thing."""
    return build_tiny_corpus(tmp_path / "tiny")


def build_tiny_corpus(dest: Path) -> Path:
    """Copy two shipped topics, with the shipped synonyms, rules and directory, into `dest`."""
    for name in ("synonyms.yaml", "urgent.yaml", "legal-aid.yaml", "out-of-scope.yaml"):
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DEFAULT_CORPUS / name, dest / name)
    manifest = (DEFAULT_CORPUS / "corpus.yaml").read_text(encoding="utf-8")
    manifest = re.sub(r"^required_topics:\n(  - .*\n)+", "", manifest, flags=re.M)
    (dest / "corpus.yaml").write_text(manifest + f"required_topics: [{', '.join(TINY_TOPICS)}]\n", encoding="utf-8")
    for lang in ("en", "es"):
        (dest / lang).mkdir()
        for topic in TINY_TOPICS:
            text = (DEFAULT_CORPUS / lang / f"{topic}.md").read_text(encoding="utf-8")
            other = next(t for t in TINY_TOPICS if t != topic)
            text, n = re.subn(r"^related: .*$", f"related: [{other}]", text, count=1, flags=re.M)
            assert n == 1, f"{lang}/{topic}.md has no 'related:' line"
            (dest / lang / f"{topic}.md").write_text(text, encoding="utf-8")
    return dest


@pytest.fixture(scope="session")
def app(bot: Bot) -> Any:
    """The app in-process, as `serve` builds it (rate limit off so many tests can share it, metrics on)."""
    return create_app(Settings(rate_limit=0, metrics=True), bot=bot)


@pytest.fixture(scope="session")
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as c:  # lifespan runs
        yield c


def free_port() -> int:
    """A port that was free a moment ago. Another process can take it before it is used, so prefer
    letting the server bind port 0 (start_server, static_server) and use this only with a retry."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loopback(address: str) -> str:
    """`address` if this machine can connect from it (Linux binds all of 127/8), else 127.0.0.1.

    Tests connect from a distinct loopback address so that "the address is not in the logs" cannot
    pass just because the logs happen to hold 127.0.0.1 for another reason."""
    with socket.socket() as s:
        try:
            s.bind((address, 0))
        except OSError:
            return "127.0.0.1"
    return address


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """`folder` behind a plain static HTTP server (no compression, no CORS, no CSP) in a thread.

    It binds port 0 itself, so no other process can take the port between choosing and binding."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def logs(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


_LISTENING = re.compile(rb"Uvicorn running on http://127\.0\.0\.1:(\d+)")


def listening_port(log_path: Path) -> int | None:
    """The port a `serve --port 0` process reports in its log (uvicorn's INFO "running on" line), once it does."""
    found = _LISTENING.search(log_path.read_bytes()) if log_path.exists() else None
    return int(found.group(1)) if found else None


def start_server(tmp: Path, env_extra: dict[str, str] | None = None, cwd: Path | None = None) -> LiveServer:
    """Run `python -m bot serve` as a real process and wait until it answers /healthz.

    At log level INFO or DEBUG the server binds port 0 and the port is read from uvicorn's "running
    on" line, so no other process can take it first. Quieter servers (bench/load.py) get a port that
    was free a moment ago and, if another process took it meanwhile, another. Start-up (importing
    scikit-learn, loading the corpus, building the index) takes seconds, far more on a loaded
    machine: the deadline is generous and the wait ends as soon as the server answers or exits.
    """
    env = {**os.environ, "BOT_LOG_LEVEL": "DEBUG", "PYTHONUNBUFFERED": "1", **(env_extra or {})}
    reports_port = env["BOT_LOG_LEVEL"] in ("DEBUG", "INFO")
    for _attempt in range(5):
        port = 0 if reports_port else free_port()
        log_path = tmp / f"server-{time.monotonic_ns()}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve", "--port", str(port)],
                cwd=cwd or ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                text = log_path.read_text(errors="replace")
                if not reports_port and "address already in use" in text:
                    break  # another process took the port: try another
                raise RuntimeError(f"server exited: {text}")
            bound = listening_port(log_path) if reports_port else port
            if bound:
                url = f"http://127.0.0.1:{bound}"
                try:
                    if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                        return LiveServer(url, process, log_path)
                except httpx.HTTPError:
                    pass
            time.sleep(0.05)  # polling interval while the server starts, not a wait for an outcome
        else:
            process.kill()
            raise RuntimeError(f"server did not start in 120 s: {log_path.read_text(errors='replace')}")
    raise RuntimeError("no free port for the server after 5 tries")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real server (rate limit off so many tests can share it)."""
    server = start_server(tmp_path_factory.mktemp("server"), {"BOT_RATE_LIMIT": "0", "BOT_METRICS": "1"})
    yield server
    stop_server(server)


BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHROMIUM = Path("/usr/bin/chromium")
# The widget renders into a closed shadow root; tests look inside, so an init script opens it.
OPEN_SHADOW = """(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { return attach.call(this, Object.assign({}, init, { mode: 'open' })); };
})();"""


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


def engine_page(context: Any, page_url: str) -> Any:
    """A page at `page_url` with engine.js and its origin's model file loaded (`window.M`); the
    page's script errors collect in `page.errors`."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_url)
    page.add_script_tag(url="/static/engine.js")
    page.evaluate("async () => { window.M = await (await fetch('/static/model.json')).json(); }")
    page.errors = errors
    return page
