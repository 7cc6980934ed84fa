"""`python -m bot serve` as a real process: what the in-process tests cannot see (uvicorn's own headers,
the access log it is given), checked once against the shared live server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import numpy as np
import pytest
from fastapi.testclient import TestClient
from helpers import LiveServer, build_tiny_corpus

from bot import isolation
from bot.app import create_app
from bot.browser_model import model_bytes
from bot.config import Settings
from bot.corpus import CorpusError
from bot.engine import Bot


def test_serve_answers_over_real_http(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        assert http.get("/healthz").json()["status"] == "ok"
        r = http.post("/api/ask", json={"question": "what is an itin"})
        assert r.status_code == 200 and r.json()["answered"] is True
        for path in ("/", "/api/topics", "/widget.js"):
            h = http.get(path).headers
            # uvicorn adds these unless told not to (bot.server.uvicorn_options): they name the software.
            assert "server" not in h, path
            assert "date" not in h, path
            assert "content-security-policy" in h and "set-cookie" not in h, path
        assert http.get("/widget.js", headers={"accept-encoding": "gzip"}).headers["content-encoding"] == "gzip"
    assert "POST /api/ask 200" in live_server.logs(), "the access log records method, route and status"


def test_the_serving_process_never_loads_scikit_learn_or_scipy(live_server: LiveServer) -> None:
    """The Bot is fitted in a child process (bot/isolation.py): the server answers from arrays, without
    the 60 MB those libraries cost per worker. Their compiled modules would be mapped into the process."""
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        assert http.post("/api/ask", json={"question": "what is an itin"}).json()["answered"] is True
    maps = Path(f"/proc/{live_server.process.pid}/maps").read_text()
    assert "/numpy/" in maps, "the check reads the right process"
    assert "/sklearn/" not in maps and "/scipy/" not in maps


def test_a_broken_corpus_stops_the_server_with_its_problems(tmp_path: Path) -> None:
    corpus = build_tiny_corpus(tmp_path / "corpus")
    page = next((corpus / "en").glob("*.md"))
    page.write_text(page.read_text(encoding="utf-8").replace("reviewed:", "reviewd:", 1), encoding="utf-8")
    with pytest.raises(CorpusError) as raised, TestClient(create_app(Settings(corpus=corpus))):
        pass
    # The error crossed from the child process whole: its problems, each with its file and line.
    assert any(p.path.endswith(page.name) and p.line == 1 for p in raised.value.problems)


def test_the_bot_a_server_receives_answers_alike_and_its_index_is_read_only(bot: Bot) -> None:
    """isolation.build sends the arrays apart from the pickle: each becomes a read-only array over the
    received bytes (one copy in memory, and nothing can change an index while it answers)."""
    built = isolation.build(None)
    assert built.model == model_bytes(bot)
    for lang, index in built.bot.indexes.items():
        for space in (index.word_space_, index.char_space_):
            assert not space.data.flags.writeable and not space.indices.flags.writeable
        assert np.array_equal(index.char_space_.data, bot.indexes[lang].char_space_.data)
    for question in ("what is an itin", "la migra está en mi puerta", "best pizza downtown"):
        assert built.bot.ask(question) == bot.ask(question)


def test_an_app_started_from_a_script_without_a_main_guard_starts_once(tmp_path: Path) -> None:
    """A deployment's own script (no `if __name__ == "__main__":`) creating the app: the build child
    must not re-run that script, as a spawned multiprocessing child does (it then refused to start)."""
    script = tmp_path / "site_app.py"
    script.write_text(
        "from fastapi.testclient import TestClient\n"
        "from bot.app import create_app\n"
        "with TestClient(create_app()) as client:\n"
        "    print('answered', client.post('/api/ask', json={'question': 'what is an itin'}).json()['answered'])\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.splitlines() == ["answered True"]
