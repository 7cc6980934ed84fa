"""The static site: `python -m bot export DIR`, for hosts that can only publish files.

It holds the topic pages of every language as plain HTML (they work with JavaScript off), a start
page with the chat in private mode (the topic list is its no-JavaScript fallback), the wallet card
of the urgent explainer, the widget with engine.js and the model file, and the stylesheets. The
pages are rendered with the server's own templates; their links are relative and name index.html,
so the site works from any folder of any static host and, where browsers allow it, from disk.

Same corpus, same bytes: no timestamps, sorted model keys, files written in a fixed order. A
manifest of what was written lets the next export into the same folder remove what it no longer
writes, and nothing else: every path is checked to stay inside the folder, and symlinks are refused,
so a manifest someone else edited cannot make the export delete or overwrite anything outside it.
"""

from __future__ import annotations

import posixpath
from pathlib import Path, PurePosixPath
from typing import Any
from xml.sax.saxutils import escape

from bot.browser_model import gzipped, model_bytes
from bot.cards import card_context
from bot.engine import Bot
from bot.messages import catalogue
from bot.resources import shipped
from bot.templating import make_templates

WEB = shipped("web")
MANIFEST = ".taxprivacy-export"
# (source under web/static, path in the site)
STATIC_FILES = (
    ("widget.js", "widget.js"),
    ("engine.js", "static/engine.js"),
    ("widget.css", "static/widget.css"),
    ("site.css", "static/site.css"),
    ("site.js", "static/site.js"),
)
# Hosts that read a `_headers` file (Netlify, Cloudflare Pages): let pages on other sites fetch the
# model for the in-page embed (the isolated embed fetches it from this site and needs nothing), and
# keep the chat's own pages out of shared caches. GitHub Pages needs nothing: it sends
# `Access-Control-Allow-Origin: *` on every file.
HEADERS = """/static/*
  Access-Control-Allow-Origin: *
/embed.html
  Cache-Control: no-store
  Referrer-Policy: no-referrer
"""


class ExportError(ValueError):
    """The destination cannot be used (a folder with other files in it, a link, a path leaving it)."""


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


def render_site(bot: Bot, templates: Path | None = None) -> dict[str, bytes]:
    """Every file of the site, path -> bytes, in a fixed order."""
    env = make_templates(templates)
    langs = bot.corpus.languages
    default = langs[0]
    files: dict[str, bytes] = {}

    def render(template: str, kind: str, lang: str, id: str = "", **context: Any) -> None:
        here = page_path(kind, lang, default, id)
        other = next((other for other in langs if other != lang), lang)

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

        msg = catalogue(lang)
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
    # The isolated embed: the chat in a page of this site, shown by widget.js in an <iframe>.
    msg = catalogue(default)
    files["embed.html"] = (
        env.get_template("frame.html").render(lang=default, msg=msg, widget="widget.js", home="index.html").encode()
    )
    for source, target in STATIC_FILES:
        files[target] = (WEB / "static" / source).read_bytes()
    files["static/model.json"] = model_bytes(bot)
    # For hosts that do not compress: the widget fetches this copy and inflates it in the browser.
    files["static/model.json.gz"] = gzipped(files["static/model.json"])
    files["_headers"] = HEADERS.encode()
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
        raise ExportError(f"--base-url must start with https:// (or http:// for a local test), not {base_url!r}")
    if dest.is_symlink():
        raise ExportError(f"{dest} is a symbolic link: export into a real folder")
    previous = _previous_export(dest)
    files = render_site(bot, templates)
    if base_url:
        files["sitemap.xml"] = sitemap(list(files), base_url)
    files[MANIFEST] = "".join(f"{p}\n" for p in sorted(files)).encode()
    for rel in files:  # check every target before removing or writing anything
        _inside(dest, rel)
    _remove(dest, previous)
    for rel, data in files.items():
        path = _inside(dest, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def _inside(dest: Path, rel: str) -> Path:
    """`dest / rel`, refusing any path that is absolute, climbs out with `..`, or passes a symlink."""
    pure = PurePosixPath(rel)
    if not rel or pure.is_absolute() or "\\" in rel or ":" in pure.parts[0] or ".." in pure.parts:
        raise ExportError(f"refusing {rel!r}: export paths must stay inside {dest}")
    path = dest
    for part in pure.parts:
        path = path / part
        if path.is_symlink():
            raise ExportError(f"refusing {path}: it is a symbolic link, and export writes only real files in {dest}")
    if not path.resolve().is_relative_to(dest.resolve()):
        raise ExportError(f"refusing {rel!r}: it leads outside {dest}")
    return path


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
    if manifest.is_symlink():
        raise ExportError(f"refusing {manifest}: it is a symbolic link")
    # Every line is checked before anything is removed: one bad line and nothing is touched.
    return [_inside(dest, line) for line in manifest.read_text(encoding="utf-8").splitlines() if line]


def _remove(dest: Path, old: list[Path]) -> None:
    for path in old:
        if path.is_file() and not path.is_symlink():
            path.unlink()
    # Then the folders those files left empty, deepest first, never `dest` itself or anything above it.
    for folder in sorted({p.parent for p in old}, key=lambda p: len(p.parts), reverse=True):
        while folder != dest and folder.is_relative_to(dest) and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def embed_snippet(base_url: str | None) -> str:
    """The tag that puts the chat on a page; without a base URL, relative to the exported folder.

    No data-lang: the widget then follows the browser's language, as the README's table says.
    """
    src = f"{base_url.rstrip('/')}/widget.js" if base_url else "widget.js"
    return f'<script src="{src}" defer data-mode="private"></script>'


def embed_note(base_url: str | None) -> str:
    """What `export` prints about embedding, with or without a base URL."""
    tag = embed_snippet(base_url)
    if base_url:
        return f"embed the private-mode chat on any page with:\n  {tag}"
    return (
        f"embed the private-mode chat with:\n  {tag}\n"
        "(this src is relative to the exported folder: on another site, replace widget.js with its full URL,"
        " or export again with --base-url)"
    )


__all__ = ["export_site", "render_site", "page_path", "embed_snippet", "embed_note", "ExportError"]
