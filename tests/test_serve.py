"""`python -m bot serve` as a real process: what the in-process tests cannot see (uvicorn's own headers,
the access log it is given), checked once against the shared live server."""

from __future__ import annotations

import httpx
from conftest import LiveServer


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
