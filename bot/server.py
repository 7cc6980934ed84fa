"""Run the app with uvicorn, with logging that cannot leak a question or an address, or flood.

Uvicorn's own access log prints the client address and the full path; it is turned off and
replaced by bot.security.AccessLog (method, route template, status, duration). Every other log
line passes two filters on the one handler: errors are reduced to their type (a traceback or an
exception's message can quote the question), and a message repeated in a burst, such as asyncio's
"socket.accept() out of system resource" when file descriptors run out, is written a few times,
then counted, instead of a million times.

Uvicorn has no timeout for reading a request's headers or body (only for idle keep-alive
connections), so a slow client can hold a connection open: in production the bot runs behind
nginx, whose client_header_timeout and client_body_timeout close those (see the README).
"""

from __future__ import annotations

import argparse
import logging
import os
import threading
import time
from typing import Any

import uvicorn

from bot.config import Settings


class TypeOnly(logging.Filter):
    """Replace a record's traceback and exception message with the exception's type."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            exc_type = record.exc_info[0]
            record.msg = f"{record.getMessage()} ({exc_type.__name__ if exc_type else 'error'})"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        record.stack_info = None
        return True


class Throttle(logging.Filter):
    """Let through `burst` warnings or errors of one kind per `period` seconds, then count the rest.

    A kind is the logger and the message template, so "unhandled %s" is one kind whatever the
    type. The first line after a quiet spell says how many were left out. INFO and below (one
    access line per request) are not throttled: their rate is bounded by the requests served.
    """

    def __init__(self, burst: int = 5, period: float = 10.0, clock: Any = time.monotonic) -> None:
        super().__init__()
        self.burst, self.period, self.clock = burst, period, clock
        self._seen: dict[tuple[str, str], tuple[float, int, int]] = {}  # kind -> (start, passed, dropped)
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        kind = (record.name, str(record.msg).split("\n", 1)[0])
        now = self.clock()
        with self._lock:
            start, passed, dropped = self._seen.get(kind, (now, 0, 0))
            if now - start >= self.period:
                start, passed = now, 0
            if passed >= self.burst:
                self._seen[kind] = (start, passed, dropped + 1)
                return False
            self._seen[kind] = (start, passed + 1, 0)
            if len(self._seen) > 1000:  # bounded, whatever an attacker makes us log
                self._seen.clear()
        if dropped:
            record.msg = f"{record.getMessage()} [{dropped} similar lines left out]"
            record.args = None
        return True


def log_config(level: str = "INFO") -> dict[str, Any]:
    handlers = ["stderr"]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "filters": {"type_only": {"()": TypeOnly}, "throttle": {"()": Throttle}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "stream": "ext://sys.stderr",
                "filters": ["type_only", "throttle"],
            }
        },
        "loggers": {
            "uvicorn": {"handlers": handlers, "level": level, "propagate": False},
            "uvicorn.error": {"handlers": handlers, "level": level, "propagate": False},
            # Both print client addresses: the access log always, the ASGI message log at TRACE.
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "uvicorn.asgi": {"handlers": [], "level": "CRITICAL", "propagate": False},
            # The event loop's own errors (accept failures, callbacks that raised).
            "asyncio": {"handlers": handlers, "level": "WARNING", "propagate": False},
            "bot": {"handlers": handlers, "level": level, "propagate": False},
        },
    }


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Everything uvicorn is told, apart from where to listen and how many workers."""
    return {
        "access_log": False,
        "log_config": log_config(settings.log_level),
        "server_header": False,
        "date_header": False,
        # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told not to; a client could then
        # pick its own rate-limit key. Only the proxies named in BOT_TRUSTED_PROXIES are believed.
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": ",".join(settings.trusted_proxies) or None,
        "limit_concurrency": settings.limit_concurrency,
        "timeout_keep_alive": 5,
        "h11_max_incomplete_event_size": 16 * 1024,  # request line and headers
        "http": "h11",
    }


def serve(args: argparse.Namespace) -> int:
    if args.corpus:
        os.environ["BOT_CORPUS"] = str(args.corpus)
    if args.legal_aid:
        os.environ["BOT_LEGAL_AID"] = ",".join(str(p) for p in args.legal_aid)
    # Read (and check) the settings here, so a bad value stops the server before it listens;
    # each worker reads the same environment again in bot.app.create_app.
    settings = Settings.from_env()
    uvicorn.run(
        "bot.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        **uvicorn_options(settings),
    )
    return 0
