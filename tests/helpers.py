"""What the tests share besides fixtures: paths, the tiny corpus, real servers (the app's own process,
a plain static server), free ports and loopback addresses, the browser's arguments and page helpers.

Test files import these from here (tests/ is on sys.path: pytest puts the rootdir conftest's folder
there); tests/conftest.py turns some of them into fixtures.
"""

from __future__ import annotations

import contextlib
import csv
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

from bot.corpus import DEFAULT_CORPUS

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def read_table(name: str) -> list[dict[str, str]]:
    """A tab-separated table of tests/data (header row first, no quoting) as one dict per row."""
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


# The tables of questions the tests ask (lang, question, ...): private mode must answer each as Python
# does, and the urgent rules' screens must read each as the rules do.
QUESTION_TABLES = ("questions.tsv", "urgent.tsv", "personal_data.tsv", "routes.tsv")

# Private mode's model file, gzipped. Raised from 150 KB on 2026-11-29 when a blind round of emergency
# probes took the urgent rules past it: the widget fetches the model once, when the chat first opens,
# and may cache it; 10 KB more is about 0.2 s on a 400 kbit/s link, and the emergency rules are what
# a frightened person needs most.
MODEL_LIMIT = 160 * 1024

# Two shipped topics, enough for every check `check` makes: ice-at-the-door is the urgent one every
# language needs, itin-basics the plain one the validation cases break.
TINY_TOPICS = ("ice-at-the-door", "itin-basics")


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
