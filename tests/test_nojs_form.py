"""The no-JavaScript form sends nothing to third parties: browser spellcheck is off, as in the widget (L-5)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from bot.app import create_app
from bot.config import Settings
from bot.engine import Bot


def test_question_box_turns_spellcheck_off(bot: Bot) -> None:
    # "Enhanced" browser spellcheckers send what is typed to a third party.
    with TestClient(create_app(Settings(rate_limit=0), bot=bot)) as client:
        for lang in ("en", "es"):
            page = client.get("/", params={"lang": lang}).text
            (box,) = re.findall(r"<textarea[^>]*>", page)
            assert 'spellcheck="false"' in box, box
