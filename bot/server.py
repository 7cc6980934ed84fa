"""Run the app with uvicorn, with logging that cannot leak a question or an address.

Uvicorn's own access log prints the client address and the full path; it is turned off and
replaced by bot.security.AccessLog (method, route template, status, duration).
"""

from __future__ import annotations

import argparse
import os
from typing import Any

import uvicorn

LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "bot": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


def log_config(level: str = "INFO") -> dict[str, Any]:
    config = {**LOG_CONFIG, "loggers": {k: dict(v) for k, v in LOG_CONFIG["loggers"].items()}}
    for name in ("uvicorn", "uvicorn.error", "bot"):
        config["loggers"][name]["level"] = level
    return config


def serve(args: argparse.Namespace) -> int:
    if args.corpus:
        os.environ["BOT_CORPUS"] = str(args.corpus)
    if args.legal_aid:
        os.environ["BOT_LEGAL_AID"] = ",".join(str(p) for p in args.legal_aid)
    uvicorn.run(
        "bot.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,
        log_config=log_config(os.environ.get("BOT_LOG_LEVEL", "INFO").upper()),
        server_header=False,
        date_header=False,
    )
    return 0
