"""Shared fixtures: the shipped bot, tiny corpora in temp folders, and the real server over HTTP."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.corpus import DEFAULT_CORPUS
from bot.engine import Bot

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def bot() -> Bot:
    return Bot.from_path()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped corpus, for tests that break one thing in it."""
    dest = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS, dest)
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def logs(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def start_server(tmp: Path, env_extra: dict[str, str] | None = None, cwd: Path | None = None) -> LiveServer:
    """Run `python -m bot serve` as a real process and wait until it answers /healthz."""
    port = free_port()
    log_path = tmp / f"server-{port}.log"
    env = {**os.environ, "BOT_LOG_LEVEL": "DEBUG", "PYTHONUNBUFFERED": "1", **(env_extra or {})}
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        cwd=cwd or ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return LiveServer(url, process, log_path)
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start in 30 s")


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
