"""The JSON API and the pages, through the whole app (middleware included) in-process.

What only the real process shows (uvicorn's headers, the logs) is in test_serve.py and test_privacy.py.
"""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.config import Settings


@pytest.fixture(scope="module")
def http(client: TestClient) -> TestClient:
    return client


def test_ask_returns_the_same_reply_object_as_the_cli(http: httpx.Client, bot) -> None:  # noqa: ANN001
    question = "can ICE get my address from my tax return"
    r = http.post("/api/ask", json={"question": question, "lang": None})
    assert r.status_code == 200
    assert r.json() == json.loads(bot.ask(question).model_dump_json())


def test_explicit_lang_wins(http: httpx.Client) -> None:
    r = http.post("/api/ask", json={"question": "what is an ITIN", "lang": "es"})
    assert r.status_code == 200
    assert r.json()["lang"] == "es"
    assert r.json()["answer"]["lang"] == "es"


def test_topics_list_and_one_topic(http: httpx.Client) -> None:
    topics = http.get("/api/topics", params={"lang": "es"}).json()
    assert len(topics) >= 17
    assert set(topics[0]) == {"id", "title", "summary", "urgent"}
    assert topics[0]["id"] == "ice-at-the-door" and topics[0]["urgent"]
    assert {t["id"] for t in topics if t["urgent"]} == {"ice-at-the-door", "someone-detained"}
    one = http.get("/api/topics/itin-renewal", params={"lang": "es"}).json()
    assert one["id"] == "itin-renewal" and one["lang"] == "es"
    assert one["sources"] and one["reviewed"] and one["referrals"]
    missing = http.get("/api/topics/no-such-topic")
    assert missing.status_code == 404
    assert missing.json()["error"] == "not-found"


def test_legal_aid_directory_in_both_languages(http: httpx.Client) -> None:
    en = http.get("/api/legal-aid", params={"lang": "en"}).json()
    es = http.get("/api/legal-aid", params={"lang": "es"}).json()
    assert [r["id"] for r in en] == [r["id"] for r in es]
    assert {r["kind"] for r in en} >= {"immigration-legal", "tax-help", "case-status"}
    assert en[0]["description"] != es[0]["description"]


def test_healthz_and_openapi(http: httpx.Client) -> None:
    assert http.get("/healthz").json()["status"] == "ok"
    schema = http.get("/openapi.json").json()
    assert "/api/ask" in schema["paths"]
    assert "Reply" in schema["components"]["schemas"]


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"question": ""}, 400, "empty"),
        ({"question": "   \n\t "}, 400, "empty"),
        ({"question": "\u200b\u202e\u0007"}, 400, "empty"),
        ({"question": "a" * 1001}, 400, "too-long"),
        ({"question": 42}, 422, "invalid"),
        ({"question": "hi", "lang": "fr"}, 422, "invalid"),
        ({"lang": "en"}, 422, "invalid"),
        ([], 422, "invalid"),
    ],
)
def test_bad_input_gets_a_clear_error(http: httpx.Client, body: object, status: int, error: str) -> None:
    r = http.post("/api/ask", json=body)
    assert r.status_code == status
    assert r.json()["error"] == error
    assert r.json()["message"]
    assert "Traceback" not in r.text


def test_errors_speak_the_requests_language(http: httpx.Client) -> None:
    r = http.post("/api/ask", json={"question": "", "lang": "es"})
    assert r.json()["message"] == "Por favor, escriba una pregunta."
    r = http.post("/api/ask", json={"question": 1}, headers={"accept-language": "es-MX,es;q=0.9"})
    assert r.json()["message"].startswith("La solicitud no es válida")


def test_invalid_json_does_not_echo_the_input(http: httpx.Client) -> None:
    r = http.post(
        "/api/ask", content=b'{"question": "my ssn is 123-45-6789', headers={"content-type": "application/json"}
    )
    assert r.status_code == 422
    assert "123-45-6789" not in r.text


def test_body_over_16_kb_is_refused_before_parsing(http: httpx.Client) -> None:
    r = http.post("/api/ask", content=b"{" + b" " * 17000 + b"}", headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"] == "too-large"


def test_chunked_body_over_the_limit_is_refused(http: httpx.Client) -> None:
    def chunks():  # noqa: ANN202 - a generator body is sent without Content-Length
        for _ in range(20):
            yield b" " * 1024

    r = http.post("/api/ask", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_html_and_script_in_a_question_are_never_reflected_unescaped(http: httpx.Client) -> None:
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)> what is an itin"
    r = http.post("/api/ask", json={"question": payload})
    assert r.status_code == 200
    assert "<script>" not in r.text and "onerror" not in r.text
    page = http.post("/", data={"question": payload, "lang": "en"})
    assert "<script>alert" not in page.text and "<img src=x" not in page.text


def test_emoji_and_bidi_characters_are_handled(http: httpx.Client) -> None:
    r = http.post("/api/ask", json={"question": "\u202eECI\u202c 😟😟 what is an itin??"})
    assert r.status_code == 200
    assert r.json()["answered"] is True


@pytest.mark.parametrize(
    "path", ["/", "/topics", "/topics/itin-basics", "/demo", "/api/topics", "/healthz", "/static/site.css"]
)
def test_security_headers_on_every_response(http: httpx.Client, path: str) -> None:
    r = http.get(path)
    assert r.status_code == 200
    h = r.headers
    csp = h["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "http" not in csp
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "no-referrer"
    assert "camera=()" in h["permissions-policy"] and "geolocation=()" in h["permissions-policy"]
    assert "set-cookie" not in h
    assert "server" not in h


def test_api_replies_are_not_cached(http: httpx.Client) -> None:
    r = http.post("/api/ask", json={"question": "what is an itin"})
    assert r.headers["cache-control"] == "no-store"
    assert "set-cookie" not in r.headers


def test_cors_allows_embedding_without_credentials(http: httpx.Client) -> None:
    r = http.options(
        "/api/ask",
        headers={
            "origin": "https://nonprofit.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers


def test_question_never_travels_in_a_url(http: httpx.Client) -> None:
    page = http.get("/").text
    assert 'method="post"' in page and 'action="/?lang=' in page


def test_no_js_form_answers_and_shows_sources(http: httpx.Client) -> None:
    r = http.post("/", data={"question": "what is an itin", "lang": "en"})
    assert r.status_code == 200
    assert "Reviewed on" in r.text and "https://www.irs.gov" in r.text
    assert "not legal advice" in r.text


def test_no_js_form_warns_about_personal_data_and_gives_back_a_scrubbed_question(http: httpx.Client) -> None:
    r = http.post("/", data={"question": "my ssn is 123-45-6789 can i still file", "lang": "en"})
    assert r.status_code == 200
    assert "123-45-6789" not in r.text
    assert 'name="confirm"' in r.text
    confirmed = http.post("/", data={"question": "my ssn is can i still file", "lang": "en", "confirm": "1"})
    assert confirmed.status_code == 200


def test_pages_follow_accept_language(http: httpx.Client) -> None:
    r = http.get("/topics", headers={"accept-language": "es-US,es;q=0.9,en;q=0.5"})
    assert '<html lang="es">' in r.text
    r = http.get("/topics?lang=en", headers={"accept-language": "es"})
    assert '<html lang="en">' in r.text


def test_feedback_takes_only_a_known_topic_and_yes_no(http: httpx.Client) -> None:
    assert http.post("/api/feedback", json={"topic": "itin-basics", "helpful": True}).status_code == 204
    assert http.post("/api/feedback", json={"topic": "not-a-topic", "helpful": True}).status_code == 400
    assert http.post("/api/feedback", json={"topic": "itin-basics", "helpful": "maybe"}).status_code == 422


def test_rate_limit_answers_429_with_retry_after(bot, caplog: pytest.LogCaptureFixture) -> None:  # noqa: ANN001
    app = create_app(Settings(rate_limit=3, rate_window_seconds=60), bot=bot)
    caplog.set_level(logging.DEBUG)
    # A distinct client address, so "not in the logs" means something.
    with TestClient(app, client=("127.0.0.3", 50123)) as client:
        codes = [client.post("/api/ask", json={"question": "what is an itin"}).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = client.post("/api/ask", json={"question": "what is an itin"}, headers={"accept-language": "es"})
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["retry-after"]) <= 61
        assert limited.json()["message"].startswith("Demasiadas preguntas")
        # Reading topics is not limited.
        assert client.get("/api/topics").status_code == 200
    access = [r.getMessage() for r in caplog.records if r.name == "bot.access"]
    assert any(" 429 " in line for line in access), "the access log records the refusals, without the address"
    assert "127.0.0.3" not in caplog.text


def test_the_question_limit_is_the_servers_own_in_the_schema_and_the_text_box(bot) -> None:  # noqa: ANN001
    # BOT_MAX_QUESTION_CHARS is the one source: the schema and the no-JS text box follow it.
    with TestClient(create_app(Settings(rate_limit=0, max_question_chars=2000), bot=bot)) as client:
        schema = client.get("/openapi.json").json()
        assert schema["components"]["schemas"]["AskRequest"]["properties"]["question"]["maxLength"] == 2000
        assert 'maxlength="2000"' in client.get("/?lang=en").text
        assert client.post("/api/ask", json={"question": "what is an itin " * 100}).status_code == 200  # 1,600
        too_long = client.post("/api/ask", json={"question": "x" * 2001})
        assert too_long.status_code == 400 and too_long.json()["error"] == "too-long"


def test_widget_files_are_cacheable_and_compressed(http: httpx.Client) -> None:
    r = http.get("/widget.js", headers={"accept-encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers["content-encoding"] == "gzip"
    assert "max-age=3600" in r.headers["cache-control"]
    assert "etag" in r.headers
    assert http.get("/").headers["cache-control"] == "no-store"


def test_every_setting_is_documented() -> None:
    from helpers import ROOT

    from bot.config import Settings

    readme = (ROOT / "README.md").read_text()
    for name in Settings.model_fields:
        assert f"BOT_{name.upper()}" in readme, f"setting {name} is not documented in the README"


def test_widget_config_carries_the_servers_question_limit(bot) -> None:  # noqa: ANN001
    """The widget's text box stops where this server's limit is, not at a number written into widget.js."""
    with TestClient(create_app(Settings(max_question_chars=240), bot=bot)) as c:
        for lang in ("en", "es"):
            assert c.get(f"/api/widget-config?lang={lang}").json()["max_question_chars"] == 240
