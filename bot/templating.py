"""The one Jinja environment of the pages, for the server and the static export alike.

An override folder (`BOT_TEMPLATES`) comes first, so a file there replaces the shipped one of the
same name; the shipped templates stay reachable as `default:<name>` (Datasette's layout), so an
override can `{% extends "default:base.html" %}` and change one block instead of copying the file.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, select_autoescape

from bot.resources import shipped

SHIPPED_TEMPLATES = shipped("web") / "templates"


def make_templates(override: Path | None = None) -> Environment:
    """The environment for the pages: `override` first, then the shipped templates, then `default:`."""
    shipped_loader = FileSystemLoader(str(SHIPPED_TEMPLATES))
    loaders: list[BaseLoader] = [FileSystemLoader(str(override))] if override else []
    loaders += [shipped_loader, PrefixLoader({"default": shipped_loader}, delimiter=":")]
    return Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape())
