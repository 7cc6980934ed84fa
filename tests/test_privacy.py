"""Privacy promises: nothing of a question is logged, written to disk, counted or kept, and no client
address is recorded. Logs and disk are proven against the real server process; the rest in-process."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from helpers import loopback, start_server, stop_server

from bot.app import create_app
from bot.config import Settings

CLIENT_IP = loopback("127.0.0.7")  # the tests connect from here, so the logs can be searched for it

PERSONAL = [
    "my ssn is 123-45-6789 and my itin is 912-78-1234",
    "my A-number is A123456789, call me at (555) 123-4567",
    "email me at maria.lopez@example.com, I live at 1234 Elm Street",
    "me llamo Juan Carlos Perez y naci el 14 de marzo de 1985",
]


def snapshot(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.fixture
def sandbox(tmp_path: Path) -> dict[str, Path]:
    dirs = {name: tmp_path / name for name in ("cwd", "home", "tmp")}
    for d in dirs.values():
        d.mkdir()
    return dirs


def traffic(url: str, marker: str) -> None:
    transport = httpx.HTTPTransport(local_address=CLIENT_IP)
    with httpx.Client(base_url=url, timeout=10, transport=transport) as client:
        for i, text in enumerate(PERSONAL):
            question = f"{marker} {text} can ICE get my address from the IRS"
            assert client.post("/api/ask", json={"question": question}).status_code == 200
            assert client.post("/", data={"question": question, "lang": "en", "confirm": "1"}).status_code == 200
            client.post("/api/ask", json={"question": question, "lang": "xx"})  # a 422
            client.post(
                "/api/ask",
                content=f'{{"question": "{marker} {i}'.encode(),
                headers={"content-type": "application/json"},
            )
        client.post("/api/feedback", json={"topic": "itin-basics", "helpful": False})
        client.get(f"/topics/{marker}")  # a 404 with the marker in the path
        client.get("/topics", params={"lang": "es", "q": marker})


def test_nothing_of_a_question_reaches_any_log_or_the_disk(sandbox: dict[str, Path]) -> None:
    # One real server for both promises (a server start costs seconds): HOME, TMPDIR and the working
    # folder are watched for any new file, and the logs and /metrics are searched for the questions.
    marker = f"MARKER{uuid.uuid4().hex}"
    before = {name: snapshot(d) for name, d in sandbox.items()}
    env = {"HOME": str(sandbox["home"]), "TMPDIR": str(sandbox["tmp"]), "BOT_LOG_LEVEL": "DEBUG", "BOT_METRICS": "1"}
    log_dir = sandbox["cwd"].parent  # the test's own log file lives outside the watched folders
    server = start_server(log_dir, env, cwd=sandbox["cwd"])
    try:
        traffic(server.url, marker)
        metrics = httpx.get(f"{server.url}/metrics").text
    finally:
        stop_server(server)
    after = {name: snapshot(d) for name, d in sandbox.items()}
    assert after == before
    logs = server.logs()
    assert "POST /api/ask 200" in logs, "the access log should still record method, route and status"
    assert "GET /topics/{topic_id} 404" in logs, "paths are logged as route templates"
    for secret in [
        marker,
        CLIENT_IP,
        "123-45-6789",
        "912-78-1234",
        "A123456789",
        "123-4567",
        "maria.lopez",
        "Elm Street",
        "Juan Carlos",
        "1985",
        "ICE get my address",
    ]:
        assert secret not in logs, f"{secret!r} leaked into the logs"
        assert secret not in metrics, f"{secret!r} leaked into /metrics"
    assert "bot_replies_total{" in metrics and 'bot_feedback_total{helpful="false",topic="itin-basics"} 1' in metrics


def test_metrics_are_off_unless_enabled(bot) -> None:  # noqa: ANN001
    with TestClient(create_app(Settings(metrics=False), bot=bot)) as client:
        assert client.get("/metrics").status_code == 404
    with TestClient(create_app(Settings(metrics=True), bot=bot)) as client:
        assert client.get("/metrics").status_code == 200


def test_replies_never_contain_the_personal_data_they_were_given(bot) -> None:  # noqa: ANN001
    for text in PERSONAL:
        reply = bot.ask(text + " should I keep filing my taxes")
        dumped = reply.model_dump_json()
        assert "personal-data" in reply.notices
        for value in [
            "123-45-6789",
            "912-78-1234",
            "A123456789",
            "(555) 123-4567",
            "maria.lopez@example.com",
            "1234 Elm Street",
            "Juan Carlos Perez",
            "14 de marzo de 1985",
        ]:
            assert value not in dumped


def test_the_server_sets_no_cookie_anywhere(client: TestClient) -> None:
    for method, path in [
        ("GET", "/"),
        ("POST", "/"),
        ("GET", "/topics"),
        ("GET", "/demo"),
        ("POST", "/api/ask"),
        ("GET", "/widget.js"),
    ]:
        kwargs = (
            {"json": {"question": "what is an itin"}}
            if path == "/api/ask"
            else {"data": {"question": "itin"}}
            if method == "POST"
            else {}
        )
        r = client.request(method, path, **kwargs)
        assert "set-cookie" not in r.headers, path
    assert not client.cookies
