"""The static site: `python -m bot export DIR`, for hosts that can only publish files.

It holds the topic pages of every language as plain HTML (they work with JavaScript off), a start
page with the chat in private mode (the topic list is its no-JavaScript fallback), the wallet card
of the urgent explainer, the widget with engine.js and the model file, and the stylesheets. The
pages are rendered with the server's own templates; their links are relative and name index.html,
so the site works from any folder of any static host and, where browsers allow it, from disk.

Same corpus, same bytes: no timestamps, sorted model keys, files written in a fixed order. A
manifest of what was written lets the next export into the same folder remove what it no longer
writes, and nothing else.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from bot.engine import Bot
from bot.messages import CATALOGUE
from bot.model import model_bytes
from bot.pages import card_context
from bot.resources import shipped

WEB = shipped("web")
MANIFEST = ".taxprivacy-export"
# (source under web/static, path in the site)
STATIC_FILES = (
    ("widget.js", "widget.js"),
    ("engine.js", "static/engine.js"),
    ("widget.css", "static/widget.css"),
    ("site.css", "static/site.css"),
)


class ExportError(ValueError):
    """The destination cannot be used (a folder with other files in it)."""


def page_path(kind: str, lang: str, default_lang: str, id: str = "") -> str:
    """Where a page lives in the site: the default language at the top, the others in a folder."""
    prefix = "" if lang == default_lang else f"{lang}/"
    return (
        prefix
        + {
            "home": "index.html",
            "topics": "topics/index.html",
            "topic": f"topics/{id}/index.html",
            "card": f"topics/{id}/card/index.html",
        }[kind]
    )


def _environment(templates: Path | None) -> Environment:
    loaders = [FileSystemLoader(str(templates))] if templates else []
    return Environment(
        loader=ChoiceLoader([*loaders, FileSystemLoader(str(WEB / "templates"))]), autoescape=select_autoescape()
    )


def render_site(bot: Bot, templates: Path | None = None) -> dict[str, bytes]:
    """Every file of the site, path -> bytes, in a fixed order."""
    env = _environment(templates)
    langs = bot.corpus.languages
    default = langs[0]
    files: dict[str, bytes] = {}

    def render(template: str, kind: str, lang: str, id: str = "", **context: Any) -> None:
        here = page_path(kind, lang, default, id)
        other = next((l for l in langs if l != lang), lang)

        def href(target: str, target_id: str = "", lang: str = "") -> str:
            if target == "static":
                path = f"static/{target_id}"
            elif target == "widget":
                path = "widget.js"
            elif target == "same":
                path = page_path(kind, lang or other, default, id)
            else:
                path = page_path(target, lang or default, default, target_id)
            return posixpath.relpath(path, posixpath.dirname(here) or ".")

        msg = {key: entry[lang] for key, entry in CATALOGUE.items()}
        msg["label.privacy-line"] = msg["label.privacy-private"]  # the site's chat answers on the device
        html = env.get_template(template).render(lang=lang, other=other, msg=msg, href=href, **context)
        files[here] = html.encode("utf-8")

    for lang in langs:
        topics = bot.topics(lang)
        render("start.html", "home", lang, topics=topics)
        render("topics.html", "topics", lang, items=[bot.explainer(s.id, lang) for s in topics])
        for s in topics:
            e = bot.explainer(s.id, lang)
            assert e is not None
            render(
                "topic.html",
                "topic",
                lang,
                e.id,
                e=e,
                related=bot.titles(e.related, lang),
                referrals=bot.directory.for_kinds(e.refer, lang),
            )
            card = card_context(bot, e.id, lang)
            if card is not None:
                render("card.html", "card", lang, e.id, **card)
    for source, target in STATIC_FILES:
        files[target] = (WEB / "static" / source).read_bytes()
    files["static/model.json"] = model_bytes(bot)
    return files


def sitemap(paths: list[str], base_url: str) -> bytes:
    base = base_url.rstrip("/") + "/"
    urls = sorted(
        base + (p[: -len("index.html")] if p.endswith("index.html") else p) for p in paths if p.endswith(".html")
    )
    body = "".join(f"  <url><loc>{escape(u)}</loc></url>\n" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}</urlset>\n'.encode()


def export_site(
    bot: Bot, dest: Path, *, base_url: str | None = None, templates: Path | None = None
) -> dict[str, bytes]:
    """Write the site into `dest` (new, empty, or a previous export) and return what was written."""
    if base_url is not None and not base_url.startswith(("https://", "http://")):
        raise ExportError(f"--base-url must start with https:// (got {base_url!r})")
    previous = _previous_export(dest)
    files = render_site(bot, templates)
    if base_url:
        files["sitemap.xml"] = sitemap(list(files), base_url)
    files[MANIFEST] = "".join(f"{p}\n" for p in sorted(files)).encode()
    _remove(dest, previous)
    for rel, data in files.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def _previous_export(dest: Path) -> list[Path]:
    """The files of a previous export in `dest` (from its manifest); refuse a folder holding anything else."""
    if not dest.exists():
        return []
    if not dest.is_dir():
        raise ExportError(f"{dest} is a file, not a folder")
    manifest = dest / MANIFEST
    if not manifest.exists():
        if any(dest.iterdir()):
            raise ExportError(f"{dest} is not empty and holds no previous export: choose a new or empty folder")
        return []
    return [
        dest / line
        for line in manifest.read_text(encoding="utf-8").splitlines()
        if line and ".." not in line.split("/")
    ]


def _remove(dest: Path, old: list[Path]) -> None:
    for path in old:
        if path.is_file():
            path.unlink()
    # Then the folders those files left empty, deepest first.
    for folder in sorted({p.parent for p in old}, key=lambda p: len(p.parts), reverse=True):
        while folder != dest and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def embed_snippet(base_url: str, lang: str = "en") -> str:
    return f'<script src="{base_url.rstrip("/")}/widget.js" defer data-mode="private" data-lang="{lang}"></script>'


__all__ = ["export_site", "render_site", "page_path", "embed_snippet", "ExportError"]
