"""What the routes share: the running bot, settings and metrics as FastAPI dependencies, and the
person's language. The API and the pages both import from here, so neither borrows from the other.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from bot.config import Settings
from bot.engine import Bot
from bot.lang import LANGUAGES, Lang
from bot.metrics import Metrics


# The dependencies are `async` only so FastAPI calls them on the event loop: a plain `def` costs a
# thread-pool hop each, three per question, for reading an attribute.
async def get_bot(request: Request) -> Bot:
    return cast(Bot, request.app.state.bot)


async def get_settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


async def get_metrics(request: Request) -> Metrics | None:
    return cast("Metrics | None", request.app.state.metrics)


BotDep = Annotated[Bot, Depends(get_bot)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
MetricsDep = Annotated["Metrics | None", Depends(get_metrics)]


def negotiate_lang(explicit: str | None, accept_language: str) -> Lang:
    """An explicit language wins; otherwise the browser's first Accept-Language entry, else the first language."""
    if explicit in LANGUAGES:
        return explicit
    first = accept_language.lower().lstrip()[:2]
    return first if first in LANGUAGES else LANGUAGES[0]


def request_lang(request: Request, lang: str | None = None) -> Lang:
    return negotiate_lang(lang, request.headers.get("accept-language", ""))
