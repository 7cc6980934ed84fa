"""The one Jinja environment of the pages, for the server and the static export alike.

An override folder (`BOT_TEMPLATES`) comes first, so a file there replaces the shipped one of the
same name; the shipped templates stay reachable as `default:<name>` (Datasette's layout), so an
override can `{% extends "default:base.html" %}` and change one block instead of copying the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, select_autoescape
from markupsafe import Markup

from bot.resources import shipped

SHIPPED_TEMPLATES = shipped("web") / "templates"

# Spelled out here, not taken from the system's locale: a server without es_US installed must say the same.
_MONTHS = {
    "en": "January February March April May June July August September October November December".split(),
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(),
}


def long_date(value: dt.date | str, lang: str) -> Markup:
    """A date as people read it ("November 29, 2026", "29 de noviembre de 2026"), inside a
    `<time datetime="2026-11-29">` for machines: the widget writes review dates the same way."""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
    month = _MONTHS.get(lang, _MONTHS["en"])[day.month - 1]
    text = f"{day.day} de {month} de {day.year}" if lang == "es" else f"{month} {day.day}, {day.year}"
    return Markup('<time datetime="{}">{}</time>').format(day.isoformat(), text)


def make_templates(override: Path | None = None) -> Environment:
    """The environment for the pages: `override` first, then the shipped templates, then `default:`."""
    shipped_loader = FileSystemLoader(str(SHIPPED_TEMPLATES))
    loaders: list[BaseLoader] = [FileSystemLoader(str(override))] if override else []
    loaders += [shipped_loader, PrefixLoader({"default": shipped_loader}, delimiter=":")]
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape())
    env.filters["long_date"] = long_date
    return env
