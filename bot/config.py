"""Settings for the web server, read once from `BOT_*` environment variables.

One typed class (pydantic-settings). Every default is the safe one, written out, with the reason
beside it. A bad value stops the server at start-up with an error that names the variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# TRACE is left out on purpose: uvicorn's TRACE logging prints client addresses and full paths.
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")

CommaList = Annotated[tuple[str, ...], NoDecode]
PathList = Annotated[tuple[Path, ...], NoDecode]


class SettingsError(ValueError):
    """A BOT_* setting has a value the server cannot start with."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOT_", frozen=True, extra="forbid", env_ignore_empty=True)

    corpus: Path | None = None  # None: the shipped corpus
    legal_aid: PathList = ()  # extra help-resource files; their entries come first
    max_question_chars: int = Field(default=1000, ge=1)
    max_body_bytes: int = Field(default=16 * 1024, ge=1)  # refused before parsing: nobody types 16 KB of question
    # Any site may embed the widget (that is its purpose) and the API sends no cookies and
    # accepts no credentials, so a wildcard origin exposes nothing private.
    cors_origins: CommaList = ("*",)
    # Which sites may show the full-page chat in an <iframe>. Default: only this server.
    frame_ancestors: CommaList = ("'self'",)
    rate_limit: int = Field(default=30, ge=0)  # questions per client in any window; 0 turns it off
    rate_window_seconds: int = Field(default=60, ge=1)
    metrics: bool = False  # aggregate counters at /metrics, off unless the deployment wants them
    templates: Path | None = None  # a folder whose templates override the shipped ones
    # Addresses of reverse proxies whose X-Forwarded-For the server believes. Empty: believe no one,
    # so a client cannot pick its own rate-limit key by sending the header.
    trusted_proxies: CommaList = ()
    # Connections plus requests in flight per worker before new requests get 503 (a flood of slow
    # clients then cannot take every file descriptor). Header-read timeouts are nginx's job.
    limit_concurrency: int = Field(default=500, ge=1)
    log_level: Literal["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"] = "INFO"

    @field_validator("legal_aid", "cors_origins", "frame_ancestors", "trusted_proxies", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(x.strip() for x in value.split(",") if x.strip())
        return value

    @field_validator("cors_origins", "frame_ancestors", mode="after")
    @classmethod
    def _not_empty(cls, value: tuple[str, ...], info: Any) -> tuple[str, ...]:
        if not value:
            return ("*",) if info.field_name == "cors_origins" else ("'self'",)
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Any:
        level = str(value).strip().upper()
        if level == "TRACE":
            raise ValueError("TRACE is refused because it logs client addresses; use DEBUG at most")
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from `env` (default: the process environment), or raise SettingsError."""
        try:
            if env is None:
                return cls()
            values = {
                name: env[key] for name in cls.model_fields if (key := f"BOT_{name.upper()}") in env and env[key] != ""
            }
            return cls.model_validate(values)
        except ValidationError as exc:
            problems = []
            for error in exc.errors():
                name = str(error["loc"][0]) if error["loc"] else "?"
                problems.append(f"Setting 'BOT_{name.upper()}': {error['msg'].removeprefix('Value error, ')}")
            raise SettingsError("; ".join(problems)) from None
