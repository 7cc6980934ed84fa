"""Settings for the web server, read once from `BOT_*` environment variables.

Every default is the safe one, written out, with the reason beside it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _list(value: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (value or "").split(",") if x.strip())


@dataclass(frozen=True, kw_only=True)
class Settings:
    corpus: Path | None = None  # None: the shipped corpus
    legal_aid: tuple[Path, ...] = ()  # extra help-resource files; their entries come first
    max_question_chars: int = 1000
    max_body_bytes: int = 16 * 1024  # refused before parsing: nobody types 16 KB of question
    # Any site may embed the widget (that is its purpose) and the API sends no cookies and
    # accepts no credentials, so a wildcard origin exposes nothing private.
    cors_origins: tuple[str, ...] = ("*",)
    # Which sites may show the full-page chat in an <iframe>. Default: only this server.
    frame_ancestors: tuple[str, ...] = ("'self'",)
    rate_limit: int = 30  # questions per client per window; 0 turns it off
    rate_window_seconds: int = 60
    metrics: bool = False  # aggregate counters at /metrics, off unless the deployment wants them
    templates: Path | None = None  # a folder whose templates override the shipped ones

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)

        def get(name: str) -> str | None:
            value = env.get(f"BOT_{name}")
            return value if value not in (None, "") else None

        def integer(name: str, default: int) -> int:
            raw = get(name)
            if raw is None:
                return default
            try:
                return int(raw)
            except ValueError:
                raise ValueError(f"Setting 'BOT_{name}' must be a whole number, not {raw!r}") from None

        return cls(
            corpus=Path(c) if (c := get("CORPUS")) else None,
            legal_aid=tuple(Path(p) for p in _list(get("LEGAL_AID"))),
            max_question_chars=integer("MAX_QUESTION_CHARS", 1000),
            max_body_bytes=integer("MAX_BODY_BYTES", 16 * 1024),
            cors_origins=_list(get("CORS_ORIGINS")) or ("*",),
            frame_ancestors=_list(get("FRAME_ANCESTORS")) or ("'self'",),
            rate_limit=integer("RATE_LIMIT", 30),
            rate_window_seconds=integer("RATE_WINDOW_SECONDS", 60),
            metrics=(get("METRICS") or "").lower() in ("1", "true", "yes", "on"),
            templates=Path(tp) if (tp := get("TEMPLATES")) else None,
        )
