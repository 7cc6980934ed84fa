"""The wallet card of an urgent explainer, shared by the server's pages and the static export."""

from __future__ import annotations

from typing import Any

from bot.engine import Bot
from bot.messages import catalogue


def card_context(bot: Bot, topic_id: str, lang: str) -> dict[str, Any] | None:
    """The wallet card of an urgent explainer: each language's version side by side and a help line."""
    first = bot.explainer(topic_id, lang)
    if first is None or not first.urgent:
        return None
    versions = [e for e in (bot.corpus.get(topic_id, each) for each in (lang, *bot.corpus.languages)) if e is not None]
    cards = [{"e": e, "msg": catalogue(e.lang)} for e in dict.fromkeys(versions)]
    hotlines = [r for r in bot.directory.for_kinds(("emergency",), lang) if r.phone]
    return {"cards": cards, "help": hotlines[0] if hotlines else None}
