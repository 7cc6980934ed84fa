"""ASGI middleware that keeps every response private and every request small.

Pure ASGI (not BaseHTTPMiddleware) so the body limit applies before anything parses the body,
and so nothing here ever reads or keeps what a person typed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from bot.messages import t

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("bot.access")


def _lang_of(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            return "es" if value.decode("latin-1").lower().lstrip().startswith("es") else "en"
    return "en"


async def _send_json(send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]] = ()) -> None:  # type: ignore[assignment]
    data = json.dumps(body, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()), *headers],
        }
    )
    await send({"type": "http.response.body", "body": data})


class SecurityHeaders:
    """Strict headers on every response, and never a cookie."""

    def __init__(self, app: ASGIApp, *, frame_ancestors: tuple[str, ...]) -> None:
        self.app = app
        self.csp = (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            f"form-action 'self'; frame-ancestors {' '.join(frame_ancestors)}"
        ).encode()
        # The isolated embed's frame exists to be shown inside any site's page (widget.js draws it).
        self.frame_csp = self.csp.rsplit(b"frame-ancestors", 1)[0] + b"frame-ancestors *"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        is_static = scope["path"].startswith("/static/") or scope["path"] == "/widget.js"
        csp = self.frame_csp if scope["path"] == "/embed.html" else self.csp

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in (b"set-cookie", b"server")]
                headers += [
                    (b"content-security-policy", csp),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (
                        b"permissions-policy",
                        b"camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
                    ),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                # Answers and pages must not sit in a shared device's cache. The widget's own files
                # hold nothing personal and are loaded on every page of a host site, so they may
                # (an hour, then revalidated by ETag).
                if is_static:
                    headers.append((b"cache-control", b"public, max-age=3600"))
                else:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, wrapped)


class BodyLimit:
    """Refuse bodies over `max_bytes` before any parser sees them."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                return await _send_json(
                    send, 413, {"error": "too-large", "message": t("error.too-large", _lang_of(scope))}
                )
        seen = 0
        too_big = False

        async def limited() -> Message:
            nonlocal seen, too_big
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    too_big = True
                    raise _TooLarge
            return message

        async def guarded(message: Message) -> None:
            # Whatever the app answers after the body overflowed (FastAPI turns the error into a
            # 400), the person gets the 413 below instead.
            if not too_big:
                await send(message)

        try:
            await self.app(scope, limited, guarded)
        except _TooLarge:
            pass
        if too_big:
            await _send_json(send, 413, {"error": "too-large", "message": t("error.too-large", _lang_of(scope))})


class _TooLarge(Exception):
    pass


class RateLimit:
    """Fixed-window request counts per client, in memory only.

    The key is a hash of the client address with a random salt that changes every window, so the
    table cannot be turned back into addresses and is thrown away as it ages. It is never logged.
    """

    def __init__(
        self, app: ASGIApp, *, limit: int, window: int, paths: tuple[str, ...] = ("/api/ask", "/api/feedback")
    ) -> None:
        self.app = app
        self.limit = limit
        self.window = max(window, 1)
        self.paths = paths
        self._epoch = -1
        self._salt = b""
        self._counts: dict[bytes, int] = {}

    def _key(self, scope: Scope, epoch: int) -> bytes:
        if epoch != self._epoch:
            self._epoch, self._salt, self._counts = epoch, os.urandom(16), {}
        client = scope.get("client") or ("", 0)
        return hashlib.blake2b(str(client[0]).encode(), key=self._salt, digest_size=16).digest()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.limit <= 0
            or scope["type"] != "http"
            or scope.get("method") != "POST"
            or not (scope["path"] in self.paths or scope["path"] == "/")
        ):
            return await self.app(scope, receive, send)
        now = time.monotonic()
        epoch = int(now // self.window)
        key = self._key(scope, epoch)
        self._counts[key] = self._counts.get(key, 0) + 1
        if self._counts[key] > self.limit:
            retry = str(max(1, int((epoch + 1) * self.window - now) + 1)).encode()
            lang = _lang_of(scope)
            return await _send_json(
                send,
                429,
                {"error": "rate-limited", "message": t("error.rate-limited", lang)},
                [(b"retry-after", retry)],
            )
        await self.app(scope, receive, send)


class AccessLog:
    """One line per request: method, route template, status, duration. No path values, no query,
    no client address, no body: a route template like /topics/{topic_id} says nothing about a person."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        status = 500

        async def wrapped(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, wrapped)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or (
                "/static/*" if scope["path"].startswith("/static/") else "(unmatched)"
            )
            access_log.info(
                "%s %s %d %.1fms", scope.get("method", "-"), template, status, (time.perf_counter() - start) * 1000
            )
