"""One template environment for the server and the static export: an override folder first, the
shipped templates still reachable as `default:<name>` so an override can extend them."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from bot.app import create_app
from bot.config import Settings
from bot.engine import Bot
from bot.export import render_site

# An override that changes one block and keeps the rest of the shipped page.
OVERRIDE = '{% extends "default:topics.html" %}{% block title %}Our own title{% endblock %}'


def _override(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "topics.html").write_text(OVERRIDE, encoding="utf-8")
    return folder


def test_an_override_can_extend_the_shipped_template_on_the_server(bot: Bot, tmp_path: Path) -> None:
    app = create_app(Settings(rate_limit=0, templates=_override(tmp_path)), bot=bot)
    with TestClient(app) as client:
        page = client.get("/topics?lang=en")
    assert page.status_code == 200
    assert "<title>Our own title</title>" in page.text
    first = bot.topics("en")[0]
    assert f'/topics/{first.id}?lang=en"' in page.text  # the shipped list is still there


def test_an_override_can_extend_the_shipped_template_in_the_export(bot: Bot, tmp_path: Path) -> None:
    files = render_site(bot, _override(tmp_path))
    page = files["topics/index.html"].decode()
    assert "<title>Our own title</title>" in page
    assert bot.topics("en")[0].id in page
    assert "<title>Our own title</title>" not in files["index.html"].decode()  # other pages stay shipped
