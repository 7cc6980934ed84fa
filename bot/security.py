"""ASGI middleware that keeps every response private and every request small.

Pure ASGI (not BaseHTTPMiddleware) so the body limit applies before anything parses the body,
and so nothing here ever reads or keeps what a person typed.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import logging
import math
import os
import time
from collections.abc import Callable, Sequence

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.deps import negotiate_lang
from bot.messages import t

access_log = logging.getLogger("bot.access")
log = logging.getLogger("bot")

# Anything else a client sends as a method is logged as OTHER: the method is free text to an attacker.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"})


def lang_of(scope: Scope) -> str:
    """The person's language for an error: `?lang=` if the page sent it, else Accept-Language."""
    query: bytes = scope.get("query_string", b"")
    explicit = next((pair[5:].decode() for pair in query.split(b"&") if pair in (b"lang=en", b"lang=es")), None)
    accept = next((v.decode("latin-1") for n, v in scope.get("headers", ()) if n == b"accept-language"), "")
    return negotiate_lang(explicit, accept)


ErrorResponder = Callable[[Scope, int, str, dict[str, str]], Response]


def json_error(
    scope: Scope, status: int, code: str, headers: dict[str, str], referrals: Sequence[dict[str, object]] = ()
) -> Response:
    """The API's error shape, `{"error": code, "message": ...}`, in the person's language; `referrals`
    (a rate-limited answer's emergency and crisis lines) are added when there are any."""
    body: dict[str, object] = {"error": code, "message": t(f"error.{code}", lang_of(scope))}
    if referrals:
        body["referrals"] = list(referrals)
    return JSONResponse(body, status, headers=headers)


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

    def __init__(self, app: ASGIApp, *, max_bytes: int, error: ErrorResponder = json_error) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.error = error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                return await self.error(scope, 413, "too-large", {})(scope, receive, send)
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
            await self.error(scope, 413, "too-large", {})(scope, receive, send)


class _TooLarge(Exception):
    pass


def _client_id(scope: Scope) -> bytes:
    """The address a limit applies to. An IPv6 client usually holds a whole /64, so that is one client."""
    host = str((scope.get("client") or ("", 0))[0])
    if ":" in host:
        try:
            return ipaddress.ip_network(f"{host}/64", strict=False).network_address.packed
        except ValueError:
            pass
    return host.encode()


class RateLimit:
    """At most `limit` requests per client in any `window` seconds (a sliding window), in memory only.

    A client is known by a keyed hash of its address. Each stretch of `window` seconds has its own
    random key and its own table of request times; a table is dropped, key and all, as soon as its
    times are more than a window old, by a timer, so even on a quiet server nothing in memory links
    an address to its requests for longer than about two windows. Nothing here is ever logged.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int,
        window: int,
        paths: tuple[str, ...] = ("/api/ask", "/api/feedback"),
        clock: Callable[[], float] = time.monotonic,
        error: ErrorResponder = json_error,
    ) -> None:
        self.app = app
        self.limit = limit
        self.window = max(window, 1)
        self.paths = paths
        self.clock = clock
        self.error = error
        self._tables: dict[int, tuple[bytes, dict[bytes, list[float]]]] = {}
        self._timer: tuple[asyncio.AbstractEventLoop, asyncio.TimerHandle] | None = None

    def _forget_old(self, now: float) -> None:
        # A table of epoch e holds times before (e + 1) * window: useless from (e + 2) * window on.
        epoch = int(now // self.window)
        for old in [e for e in self._tables if e < epoch - 1]:
            del self._tables[old]

    def _tick(self) -> None:
        self._timer = None
        now = self.clock()
        self._forget_old(now)
        if self._tables:
            self._schedule(now)

    def _schedule(self, now: float) -> None:
        loop = asyncio.get_running_loop()
        if self._timer is None or self._timer[0] is not loop:
            expires = (min(self._tables) + 2) * self.window
            delay = min(max(expires - now, 0.0), 2 * self.window) + 0.01
            self._timer = (loop, loop.call_later(delay, self._tick))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.limit <= 0
            or scope["type"] != "http"
            or scope.get("method") != "POST"
            or not (scope["path"] in self.paths or scope["path"] == "/")
        ):
            return await self.app(scope, receive, send)
        now = self.clock()
        self._forget_old(now)
        client = _client_id(scope)
        recent: list[float] = []
        for salt, table in self._tables.values():
            key = hashlib.blake2b(client, key=salt, digest_size=16).digest()
            recent += [t for t in table.get(key, ()) if t > now - self.window]
        if len(recent) >= self.limit:
            retry = max(1, math.ceil(min(recent) + self.window - now))
            return await self.error(scope, 429, "rate-limited", {"retry-after": str(retry)})(scope, receive, send)
        epoch = int(now // self.window)
        if epoch not in self._tables:
            self._tables[epoch] = (os.urandom(16), {})
        salt, table = self._tables[epoch]
        table.setdefault(hashlib.blake2b(client, key=salt, digest_size=16).digest(), []).append(now)
        self._schedule(now)
        await self.app(scope, receive, send)


class CrashGuard:
    """An unhandled error becomes a 500 in the person's language; only the error's type is logged.

    Starlette's own last-resort handler re-raises, and uvicorn then logs the traceback and the
    message, which can quote the question. This sits inside the header and CORS middleware, so the
    500 carries them like any other response.
    """

    def __init__(self, app: ASGIApp, *, error: ErrorResponder = json_error) -> None:
        self.app = app
        self.error = error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def wrapped(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, wrapped)
        except Exception as exc:  # noqa: BLE001 - every error, by design
            log.error("unhandled %s", type(exc).__name__)
            if not started:
                await self.error(scope, 500, "server", {})(scope, receive, send)


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
            method = scope.get("method", "-")
            access_log.info(
                "%s %s %d %.1fms",
                method if method in KNOWN_METHODS else "OTHER",
                template,
                status,
                (time.perf_counter() - start) * 1000,
            )
