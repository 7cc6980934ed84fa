"""Findings of the 2026-11-29 security review, each as a test: settings, logs, the rate limit, errors."""

from __future__ import annotations

import logging
import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from helpers import ROOT, listening_port, loopback, start_server, stop_server

from bot.app import create_app
from bot.cli import main
from bot.config import Settings
from bot.engine import Bot
from bot.security import RateLimit

QUESTION = {"question": "what is an itin"}
ORIGIN = {"origin": "https://nonprofit.example"}


# Settings (pydantic-settings): bad values stop the server, naming the variable.


@pytest.mark.parametrize(
    ("env", "variable", "says"),
    [
        ({"BOT_LOG_LEVEL": "TRACE"}, "BOT_LOG_LEVEL", "client addresses"),
        ({"BOT_LOG_LEVEL": "LOUD"}, "BOT_LOG_LEVEL", "DEBUG"),
        ({"BOT_METRICS": "maybe"}, "BOT_METRICS", "boolean"),
        ({"BOT_RATE_LIMIT": "-1"}, "BOT_RATE_LIMIT", "greater than or equal to 0"),
        ({"BOT_RATE_WINDOW_SECONDS": "0"}, "BOT_RATE_WINDOW_SECONDS", "greater than or equal to 1"),
        ({"BOT_MAX_BODY_BYTES": "-5"}, "BOT_MAX_BODY_BYTES", "greater than or equal to 1"),
        ({"BOT_MAX_QUESTION_CHARS": "many"}, "BOT_MAX_QUESTION_CHARS", "integer"),
    ],
)
def test_bad_settings_stop_the_server_before_it_listens(
    env: dict[str, str], variable: str, says: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: started.append(kw))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert variable in err and says in err, err
    assert started == []


def test_settings_read_lists_and_flags_from_the_environment() -> None:
    s = Settings.from_env(
        {"BOT_CORS_ORIGINS": "https://a.example, https://b.example", "BOT_METRICS": "yes", "BOT_LOG_LEVEL": "debug"}
    )
    assert s.cors_origins == ("https://a.example", "https://b.example")
    assert s.metrics is True and s.log_level == "DEBUG"
    assert Settings.from_env({}) == Settings()
    assert Settings(rate_limit=0).rate_limit == 0  # keyword construction, as the tests use it


def uvicorn_kwargs(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: seen.append(kw))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["serve"]) == 0
    return seen[0]


def test_proxy_headers_are_off_unless_a_proxy_is_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    # uvicorn's own default believes X-Forwarded-For from 127.0.0.1 (H-1).
    kw = uvicorn_kwargs(monkeypatch)
    assert kw["proxy_headers"] is False
    kw = uvicorn_kwargs(monkeypatch, BOT_TRUSTED_PROXIES="127.0.0.1,::1")
    assert kw["proxy_headers"] is True and kw["forwarded_allow_ips"] == "127.0.0.1,::1"


def test_uvicorn_limits_connections_and_incomplete_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    kw = uvicorn_kwargs(monkeypatch, BOT_LIMIT_CONCURRENCY="200")
    assert kw["limit_concurrency"] == 200
    assert kw["timeout_keep_alive"] <= 5
    assert kw["h11_max_incomplete_event_size"] <= 16 * 1024 and kw["http"] == "h11"
    levels = {name: cfg["level"] for name, cfg in kw["log_config"]["loggers"].items()}
    assert levels["uvicorn.asgi"] == "CRITICAL"  # its TRACE lines hold the client address (M-4)


# The rate limit: a sliding window whose keys expire on their own.


async def ok_app(scope: dict, receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            kind = (await receive())["type"].removeprefix("lifespan.")
            await send({"type": f"lifespan.{kind}.complete"})
            if kind == "shutdown":
                return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_twice_the_limit_cannot_pass_at_a_window_boundary() -> None:
    # L-9: a fixed window let 30 asks through just before a minute turned and 30 just after.
    clock = Clock(59.5)
    limiter = RateLimit(ok_app, limit=30, window=60, clock=clock)
    with TestClient(limiter) as client:
        before = [client.post("/api/ask").status_code for _ in range(30)]
        clock.now = 60.5
        after = [client.post("/api/ask").status_code for _ in range(30)]
        assert before == [200] * 30
        assert after == [429] * 30
        retry = client.post("/api/ask").headers["retry-after"]
        assert 59 <= int(retry) <= 60  # the oldest ask leaves the window at 119.5
        clock.now = 119.6
        assert client.post("/api/ask").status_code == 200


def test_no_window_of_real_time_lets_more_than_the_limit_through() -> None:
    # The same property on the real clock: ask without pause for just over one window, and check
    # that between sending any accepted ask and the answer `limit` accepted asks later, at least
    # a whole window passed.
    limit, window = 5, 1
    limiter = RateLimit(ok_app, limit=limit, window=window)
    accepted: list[tuple[float, float]] = []
    with TestClient(limiter) as client:
        end = time.monotonic() + window * 1.3
        while time.monotonic() < end:
            sent = time.monotonic()
            if client.post("/api/ask").status_code == 200:
                accepted.append((sent, time.monotonic()))
    assert len(accepted) >= limit + 1
    for (first_sent, _), (_, later_answered) in zip(accepted, accepted[limit:], strict=False):
        assert later_answered - first_sent >= window, f"{limit + 1} asks accepted within {window} s"


def test_an_ipv6_client_is_its_whole_slash_64() -> None:
    limiter = RateLimit(ok_app, limit=2, window=60)
    codes = []
    for host in ("2001:db8:1:2::1", "2001:db8:1:2::ff", "2001:db8:1:2:aaaa::3"):
        with TestClient(limiter, client=(host, 4000)) as client:
            codes.append(client.post("/api/ask").status_code)
    with TestClient(limiter, client=("2001:db8:1:3::1", 4000)) as client:
        codes.append(client.post("/api/ask").status_code)
    assert codes == [200, 200, 429, 200]


def test_a_quiet_server_forgets_every_key_after_the_window() -> None:
    # L-4: the salt and the table used to stay until the next request, however long that took.
    limiter = RateLimit(ok_app, limit=5, window=1)

    def held() -> dict[str, Any]:
        return {k: v for k, v in vars(limiter).items() if k.startswith("_") and v}

    with TestClient(limiter) as client:
        assert client.post("/api/ask").status_code == 200
        assert held(), "the limiter should hold something while the window is open"
        deadline = time.monotonic() + 5
        while held():
            assert time.monotonic() < deadline, f"still held after 5 s of quiet: {held()}"
            time.sleep(0.05)


# Errors: every response carries the headers; the form shows pages; logs hold types only.


def make_client(bot: Bot, **settings: Any) -> TestClient:
    app = create_app(Settings(**settings), bot=bot)  # the session's Bot: building one takes seconds

    @app.post("/api/crash", include_in_schema=False)
    def crash(body: dict[str, str]) -> None:
        raise RuntimeError(f"could not answer: {body['question']}")

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize("case", ["413", "429", "500"])
def test_error_responses_carry_security_headers_and_cors(bot: Bot, case: str, caplog: pytest.LogCaptureFixture) -> None:
    with make_client(bot, rate_limit=1, max_body_bytes=100) as client:
        if case == "413":
            r = client.post("/api/ask", json={"question": "x" * 200}, headers=ORIGIN)
        elif case == "429":
            client.post("/api/ask", json=QUESTION, headers=ORIGIN)
            r = client.post("/api/ask", json=QUESTION, headers={**ORIGIN, "accept-language": "es"})
        else:
            with caplog.at_level(logging.DEBUG):
                r = client.post("/api/crash", json={"question": "CANARY my ssn is 123-45-6789"}, headers=ORIGIN)
    assert r.status_code == int(case)
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["access-control-allow-origin"] == "*"
    # A 429 also carries the emergency and crisis lines (test_rate_limited_answers_carry_the_lifelines).
    assert set(r.json()) == ({"error", "message", "referrals"} if case == "429" else {"error", "message"})
    if case == "429":
        assert r.json()["message"].startswith("Demasiadas preguntas")
    if case == "500":
        assert "unhandled RuntimeError" in caplog.text
        assert "CANARY" not in caplog.text and "6789" not in caplog.text


@pytest.mark.parametrize(
    ("case", "status", "lang", "says"),
    [
        ("too-large", 413, "es", "El mensaje es demasiado grande"),
        ("too-large", 413, "en", "That message is too large"),
        ("rate-limited", 429, "es", "Demasiadas preguntas"),
        ("invalid", 422, "es", "Por favor, escriba una pregunta"),
    ],
)
def test_the_no_js_form_shows_errors_as_a_page_in_the_persons_language(
    bot: Bot, case: str, status: int, lang: str, says: str
) -> None:
    with make_client(bot, rate_limit=1, max_body_bytes=2000) as client:
        headers = {"accept-language": f"{lang}-US,{lang};q=0.9"}
        form = {"question": "what is an itin", "lang": lang}
        if case == "too-large":
            form["question"] = "x" * 3000
        elif case == "rate-limited":
            client.post("/", data=form, headers=headers)
        else:
            form["lang"] = "not-a-language"  # longer than the form field allows
        r = client.post("/", data=form, headers=headers)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert f'lang="{lang}"' in r.text and says in r.text
    assert "<form" in r.text and "default-src 'self'" in r.headers["content-security-policy"]


# The rate limit answers before the urgent and crisis rules can read the question (user test, 2026-11-30):
# every rate-limited answer carries the emergency hotline and the crisis line, in the request's language.

HOTLINE, CRISIS = "1-844-363-1423", "988"


@pytest.mark.parametrize(
    ("headers", "query", "lang", "names"),
    [
        ({"accept-language": "es-US,es;q=0.9"}, "", "es", ("Línea MigraWatch", "Línea 988")),
        ({"accept-language": "es-US,es;q=0.9"}, "?lang=en", "en", ("United We Dream", "988 Suicide & Crisis Lifeline")),
        ({}, "", "en", ("United We Dream", "988 Suicide & Crisis Lifeline")),
    ],
)
def test_rate_limited_api_answers_carry_the_lifelines(
    bot: Bot, headers: dict[str, str], query: str, lang: str, names: tuple[str, str]
) -> None:
    with make_client(bot, rate_limit=1) as client:
        assert client.post("/api/ask", json=QUESTION).status_code == 200
        r = client.post(f"/api/ask{query}", json={"question": "la migra esta en mi puerta"}, headers=headers)
    assert r.status_code == 429
    body = r.json()
    assert body["error"] == "rate-limited"
    assert body["message"].startswith("Demasiadas" if lang == "es" else "Too many")
    lines = body["referrals"]
    assert [(x["kind"], x["phone"]) for x in lines] == [("emergency", HOTLINE), ("crisis", CRISIS)]
    assert lines[0]["name"].startswith(names[0]) and lines[1]["name"].startswith(names[1])
    assert lines[1]["description"].startswith("Llame" if lang == "es" else "Call")


def test_the_lifelines_are_the_same_whatever_was_asked(bot: Bot) -> None:
    # Nothing in the answer depends on the question: the limiter never reads it.
    bodies = []
    for question in ("me quiero morir", "what is an itin", "x"):
        with make_client(bot, rate_limit=1) as client:
            client.post("/api/ask", json=QUESTION)
            bodies.append(client.post("/api/ask", json={"question": question}).json())
    assert bodies[0] == bodies[1] == bodies[2] and len(bodies[0]["referrals"]) == 2


def test_the_openapi_error_model_documents_the_lifelines(bot: Bot) -> None:
    with make_client(bot) as client:
        schema = client.get("/openapi.json").json()
    ask = schema["paths"]["/api/ask"]["post"]["responses"]["429"]["content"]["application/json"]["schema"]
    assert ask["$ref"].endswith("/ErrorOut")
    props = schema["components"]["schemas"]["ErrorOut"]["properties"]
    assert (
        props["referrals"]["items"]["$ref"].endswith("/Referral")
        and "rate-limited" in props["referrals"]["description"]
    )


@pytest.mark.parametrize(
    ("lang", "says"), [("es", "Si está en peligro ahora, llame:"), ("en", "If you are in danger now")]
)
def test_the_rate_limited_no_js_page_gives_the_lifelines_in_the_pages_language(bot: Bot, lang: str, says: str) -> None:
    with make_client(bot, rate_limit=1) as client:
        home = client.get(f"/?lang={lang}", headers={"accept-language": "en"}).text
        action = f'action="/?lang={lang}"'
        assert action in home, "the form states the page's language where the limiter can see it"
        form = {"question": "me quiero morir", "lang": "", "ui": lang}
        client.post(f"/?lang={lang}", data=form, headers={"accept-language": "en"})
        r = client.post(f"/?lang={lang}", data=form, headers={"accept-language": "en"})
    assert r.status_code == 429 and f'<html lang="{lang}"' in r.text
    assert says in r.text
    assert f'href="tel:{HOTLINE}"' in r.text and f'href="tel:{CRISIS}"' in r.text
    assert "me quiero morir" not in r.text


def test_an_unknown_method_is_logged_as_other(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    # L-3: the method is free text to an attacker.
    with make_client(bot) as client, caplog.at_level(logging.INFO, logger="bot.access"):
        client.request("MCANARYA9F05", "/api/ask")
        client.get("/healthz")
    assert "MCANARY" not in caplog.text
    assert "OTHER /api/ask 405" in caplog.text and "GET /healthz 200" in caplog.text


# The real server: what reaches its logs.

CLIENT_IP = loopback("127.0.0.2")  # searched for in the logs
CRASHING_INDEX = "{{ question.format() if question else '' }}"


def test_the_real_server_logs_no_address_no_traceback_and_no_question(tmp_path: Path) -> None:
    # A template that fails on a question with {braces}: str.format raises KeyError('<the text>'),
    # the way a real bug would put the question in an exception (L-2).
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "index.html").write_text(CRASHING_INDEX)
    server = start_server(tmp_path, {"BOT_TEMPLATES": str(templates), "BOT_LOG_LEVEL": "DEBUG"})
    try:
        transport = httpx.HTTPTransport(local_address=CLIENT_IP)
        with httpx.Client(base_url=server.url, timeout=10, transport=transport) as client:
            r = client.post("/", data={"question": "call me at 555-123-4567 {CANARYZ9Q}", "lang": "en"})
            assert r.status_code == 500
            assert "default-src 'self'" in r.headers["content-security-policy"]
            assert client.request("MCANARYX", "/api/ask").status_code == 405
            assert client.post("/api/ask", json=QUESTION).status_code == 200
            deadline = time.monotonic() + 10
            while "POST /api/ask 200" not in server.logs():
                assert time.monotonic() < deadline, server.logs()
                time.sleep(0.05)
    finally:
        stop_server(server)
    logs = server.logs()
    assert "unhandled KeyError" in logs
    for secret in ("CANARYZ9Q", "555-123-4567", "Traceback", "MCANARYX", CLIENT_IP):
        assert secret not in logs, f"{secret!r} reached the log:\n{logs}"


def test_running_out_of_file_descriptors_does_not_flood_the_log(tmp_path: Path) -> None:
    # M-5: with the file descriptors used up, asyncio logged "socket.accept() out of system
    # resource" with a traceback 1.15 million times in 25 s.
    fds = 128
    log_path = tmp_path / "server.log"
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", "0"],  # it reports the port it bound
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "BOT_LOG_LEVEL": "INFO"},
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (fds, hard)),
        )

    def wait_for(what: str, ok: Any, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not ok():
            assert process.poll() is None, log_path.read_text(errors="replace")[-2000:]
            assert time.monotonic() < deadline, f"{what} within {seconds} s"
            time.sleep(0.05)

    def healthy() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def accept_errors() -> int:
        return log_path.read_text(errors="replace").count("out of system resource")

    held: list[socket.socket] = []
    try:
        wait_for("the server reports its port", lambda: listening_port(log_path), 120)
        port = listening_port(log_path)
        wait_for("the server starts", healthy, 30)
        for _ in range(fds + 50):
            held.append(socket.create_connection(("127.0.0.1", port)))
        wait_for("accept() runs out of file descriptors", lambda: accept_errors() > 0, 15)
        # Measure for 3 s while the descriptors stay used up (the review's run wrote 46,000 lines a second).
        end = time.monotonic() + 3
        wait_for("the measurement ends", lambda: time.monotonic() >= end, 5)
        for s in held:
            s.close()
        held.clear()
        wait_for("the server recovers", healthy, 20)
    finally:
        for s in held:
            s.close()
        process.terminate()
        process.wait(timeout=10)
    text = log_path.read_text(errors="replace")
    assert accept_errors() <= 10, f"{accept_errors()} accept errors logged, {len(text)} bytes"
    assert "Traceback" not in text
    assert len(text) < 20_000, f"{len(text)} bytes of log"


def test_the_log_throttle_counts_what_it_leaves_out() -> None:
    from bot.server import Throttle, TypeOnly

    clock = Clock(0.0)
    throttle, type_only = Throttle(burst=5, period=10, clock=clock), TypeOnly()
    written: list[str] = []

    def log(level: int, msg: str, *args: object, exc: BaseException | None = None) -> None:
        record = logging.LogRecord("asyncio", level, __file__, 1, msg, args, (type(exc), exc, None) if exc else None)
        if type_only.filter(record) and throttle.filter(record):
            written.append(record.getMessage())

    for _ in range(10_000):
        log(logging.ERROR, "socket.accept() out of system resource", exc=OSError(24, "Too many open files"))
    log(logging.INFO, "one line per request")
    clock.now = 10.0
    log(logging.ERROR, "socket.accept() out of system resource", exc=OSError(24, "Too many open files"))
    assert written == [
        *["socket.accept() out of system resource (OSError)"] * 5,
        "one line per request",
        "socket.accept() out of system resource (OSError) [9995 similar lines left out]",
    ]
