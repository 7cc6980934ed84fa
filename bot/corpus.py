"""One corpus file -> a checked, frozen explainer (the whole folder is loaded by `bot.checks.load_corpus`).

A corpus folder holds `corpus.yaml` (which languages it serves, calibrated thresholds),
`<lang>/<id>.md` explainers, `synonyms.yaml`, `legal-aid.yaml` and `urgent.yaml`. Loading never
guesses: every problem is reported with the file, the line and how to fix it, and a corpus with
errors is not served. Markdown is rendered and sanitized here, once, so the pages only ever mark
our own sanitized HTML as safe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import nh3
import yaml
from markdown_it import MarkdownIt

from bot.resources import shipped
from bot.text import fold

DEFAULT_CORPUS = shipped("corpus")

HELP_KINDS = (
    "emergency",
    "immigration-legal",
    "tax-help",
    "case-status",
    "know-your-rights",
    "fraud-report",
    "crisis",
    "domestic-violence",
)
STATUSES = ("vetted", "draft")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "br", "blockquote", "code"}
LINK_SCHEMES = ("https", "mailto", "tel")
# An HTML tag or comment written into the Markdown; "<https://...>" autolinks and "a < b" are not tags.
_RAW_HTML = re.compile(r"<!--|</?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])[^<>]*>")
_CODE_SPAN = re.compile(r"`+[^`]*`+")
_HREF = re.compile(r"""<a\s[^>]*?href=(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
MIN_WORDS, MAX_WORDS, MIN_QUESTIONS = 120, 450, 6


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Explainer:
    id: str
    lang: str
    title: str
    summary: str
    questions: tuple[str, ...]
    sources: tuple[Source, ...]
    reviewed: dt.date
    reviewed_by: str
    status: str
    urgent: bool
    related: tuple[str, ...]
    refer: tuple[str, ...]
    body: str  # Markdown as written
    html: str  # sanitized HTML of the body
    text: str  # the body as plain text
    path: str
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    # (value, reason) pairs: figures allowed to differ from the other-language twin (bot/parity.py)
    parity_exceptions: tuple[tuple[str, str], ...] = ()

    @property
    def served(self) -> bool:
        return self.status == "vetted"


@dataclass(frozen=True, slots=True)
class OutOfScope:
    """A subject the corpus does not cover, with examples of how people ask about it."""

    id: str
    refer: tuple[str, ...]
    questions: dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a corpus file, printed as `path:line: message`."""

    path: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {kind}{self.message}"


class CorpusError(Exception):
    """The corpus has errors and cannot be served."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self) -> tuple[type[CorpusError], tuple[list[Problem]]]:
        # Rebuilt from its problems, not its message: a server gets it from a child process (bot/isolation.py).
        return (CorpusError, (self.problems,))


@dataclass(frozen=True)
class Resource:
    """One help resource of the directory (corpus/legal-aid.yaml, or a deployment's own file)."""

    id: str
    kind: str  # one of HELP_KINDS
    names: tuple[tuple[str, str], ...]  # (language, name); every resource has "en" and "es"
    descriptions: tuple[tuple[str, str], ...]
    languages: tuple[str, ...]  # languages its staff speak
    coverage: tuple[str, ...]  # ("national",) or state codes
    verified: dt.date  # when someone last checked it answers
    phone: str | None = None
    url: str | None = None
    featured: bool = False  # the deployment's own organisation: shown first
    line: int = 1  # where it starts in its file, for check's messages

    @property
    def national(self) -> bool:
        return self.coverage == ("national",)

    def name(self, lang: str) -> str:
        return _in(self.names, lang)

    def description(self, lang: str) -> str:
        return _in(self.descriptions, lang)


def _in(texts: tuple[tuple[str, str], ...], lang: str) -> str:
    """The text in `lang`, else the English one."""
    by_lang = dict(texts)
    return by_lang.get(lang) or by_lang["en"]


@dataclass(frozen=True)
class Corpus:
    """Everything loaded from one corpus folder, read-only after loading."""

    languages: tuple[str, ...]
    explainers: tuple[Explainer, ...]
    thresholds: dict[str, float]
    synonyms: tuple[tuple[str, ...], ...]
    urgent_rules: dict[str, dict[str, tuple[str, ...]]]
    legal_aid: tuple[Resource, ...]
    version: str
    out_of_scope: tuple[OutOfScope, ...] = ()
    # Ids `corpus.yaml` says every language must have (`required_topics`), in the order pages list them.
    required_topics: tuple[str, ...] = ()

    def served(self, lang: str) -> list[Explainer]:
        return [e for e in self.explainers if e.lang == lang and e.served]

    def get(self, id: str, lang: str) -> Explainer | None:
        return self._served_by_key.get((id, lang))

    @cached_property
    def _served_by_key(self) -> dict[tuple[str, str], Explainer]:
        # A dict, not a scan: answering looks explainers up several times per question.
        return {(e.id, e.lang): e for e in reversed(self.explainers) if e.served}  # the first one wins


# ---------------------------------------------------------------- reading files


# libyaml's parser (PyYAML's C extension) reads a corpus about ten times faster than the pure-Python
# one; the constructors (what YAML may build) are SafeLoader's either way.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKey(yaml.constructor.ConstructorError):
    """A key written twice in one mapping: plain YAML keeps the last value without a word, so a deleted
    `title:` line would quietly give a source the next source's address."""


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that leaves dates as text (a bad date is our error message, not a crash) and refuses a
    key written twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise DuplicateKey(
                        None,
                        None,
                        f"'{key.value}' is written twice in the same block; the second would silently replace "
                        "the first, so keep one (a source has one 'title' and one 'url')",
                        key.start_mark,
                    )
                seen.add(key.value)
        return super().construct_mapping(node, deep)  # type: ignore[no-any-return]


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


def _load_with_node(text: str) -> tuple[Any, yaml.Node | None]:
    """The data and its node tree (which knows each value's line), from one parse."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def parse_date(value: object) -> dt.date | None:
    """A YYYY-MM-DD date, or None."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


# CommonMark, as GitHub previews it, so an author's Markdown renders here the way they saw it
# (markdown-it-py: about twice as fast as Python-Markdown on these bodies). Raw HTML and every link
# pass through to nh3, which decides what stays: markdown-it's own link filter would turn a
# "javascript:" link into plain text, and then `check` could not tell the author about it.
_MARKDOWN = MarkdownIt("commonmark", {"html": True})
_MARKDOWN.validateLink = lambda url: True  # type: ignore[method-assign]


def _markdown_html(body: str) -> str:
    """The body as Markdown renders it, before sanitizing."""
    return str(_MARKDOWN.render(body)).rstrip("\n")


def render_markdown(body: str, raw: str | None = None) -> tuple[str, str]:
    """Markdown -> (sanitized HTML, plain text); `raw` is the body already rendered, if it was."""
    raw = _markdown_html(body) if raw is None else raw
    # Absolute https, mailto and tel links only: a relative ("/api/ask") or protocol-relative
    # ("//evil.example") link would point wherever the page happens to be served from.
    clean = nh3.clean(
        raw,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes=set(LINK_SCHEMES),
        url_relative="deny",
    )
    text = html.unescape(nh3.clean(clean.replace("</p>", "</p>\n\n").replace("</li>", "</li>\n"), tags=set()))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return clean, text


def _sentences(text: str) -> int:
    """Count sentences, not abbreviations: "U.S." and "EE. UU." do not end one."""
    text = re.sub(r"\b(?:U\.S|EE\. ?UU|e\.g|i\.e|etc|No|Sr|Sra|Dr)\.", "X", text.strip())
    return len(re.findall(r"[.!?]+(?=\s+[\"¿¡(]?[A-ZÁÉÍÓÚÑ]|\s*$)", text))


def _split_front_matter(source: str) -> tuple[str, str, int] | None:
    """(header, body, line where the body starts), or None when there is no `---` header."""
    lines = source.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    return None


def _key_lines(node: yaml.Node | None) -> dict[str, int]:
    """Map each top-level key (and `sources[i]`, `questions[i]`) to its 1-based file line."""
    lines: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key, value in node.value:
        name = str(key.value)
        lines[name] = key.start_mark.line + 2
        if isinstance(value, yaml.SequenceNode):
            for i, item in enumerate(value.value):
                lines[f"{name}[{i}]"] = item.start_mark.line + 2
    return lines


_FIELDS: dict[str, type] = {
    "id": str,
    "lang": str,
    "title": str,
    "summary": str,
    "questions": list,
    "sources": list,
    "reviewed": dt.date,
    "reviewed_by": str,
    "status": str,
    "urgent": bool,
    "related": list,
    "refer": list,
}
_TYPE_NAMES = {str: "text", list: "a list", dt.date: "a date (YYYY-MM-DD)", bool: "true or false"}


_Bad = Callable[[int, str], None]  # report a problem at a line of the file


def read_explainer(path: Path, rel: str, today: dt.date) -> tuple[Explainer | None, list[Problem]]:
    """Parse one explainer file; return it (None if unusable) and the problems found."""
    problems: list[Problem] = []

    def bad(line: int, message: str) -> None:
        problems.append(Problem(rel, line, message))

    parsed = _read_header(path, bad)
    if parsed is None:
        return None, problems
    meta, where, body, body_line = parsed
    _check_types(meta, where, bad)
    if problems:  # the checks below rely on every field having its type
        return None, problems
    _check_identity(meta, where, path, today, bad)
    _check_questions(meta["questions"], where, bad)
    sources = _read_sources(meta["sources"], where, bad)
    _check_references(meta, where, bad)
    raw = _markdown_html(body)
    _check_body(body, body_line, raw, bad)
    exceptions = _read_parity_exceptions(meta, where, bad)
    if problems:
        return None, problems
    page_html, text = render_markdown(body, raw)
    explainer = Explainer(
        id=meta["id"],
        lang=meta["lang"],
        title=meta["title"].strip(),
        summary=" ".join(meta["summary"].split()),
        questions=tuple(q.strip() for q in meta["questions"]),
        sources=tuple(sources),
        reviewed=meta["reviewed"],
        reviewed_by=meta["reviewed_by"].strip(),
        status=meta["status"],
        urgent=meta["urgent"],
        related=tuple(meta["related"]),
        refer=tuple(meta["refer"]),
        body=body,
        html=page_html,
        text=text,
        path=rel,
        lines={**where, "body": body_line},
        parity_exceptions=tuple(exceptions),
    )
    return explainer, problems


def _read_header(path: Path, bad: _Bad) -> tuple[dict[str, Any], dict[str, int], str, int] | None:
    """(metadata, line of each field, body, line where the body starts), or None if unreadable."""
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        bad(1, "file is not UTF-8 text; save it as UTF-8")
        return None
    parts = _split_front_matter(source)
    if parts is None:
        if source.split("\n", 1)[0].strip() == "---":
            bad(1, "the metadata header has no closing line '---' (exactly three dashes) after its fields")
        else:
            bad(1, "no metadata header: the file must start with a line '---', the YAML fields, and another '---'")
        return None
    header, body, body_line = parts
    try:
        meta, node = _load_with_node(header)
        where = _key_lines(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        reason = getattr(exc, "problem", None) or "invalid YAML"
        if isinstance(exc, DuplicateKey):
            bad(line, f"metadata: {reason}")
        elif mark and "\t" in "".join(header.split("\n")[mark.line : mark.line + 1]):
            bad(line, "metadata has a tab character; YAML allows only spaces for indentation")
        else:
            # YAML notices a bad indent where it stops making sense, often a few lines below the mistake.
            bad(
                line,
                f"metadata is not valid YAML ({reason}); check quotes and indentation on this line and the lines "
                "above it (quote text with a colon; indent list items alike)",
            )
        return None
    if not isinstance(meta, dict):
        bad(2, "metadata must be 'field: value' lines")
        return None
    return meta, where, body, body_line


def _check_types(meta: dict[str, Any], where: dict[str, int], bad: _Bad) -> None:
    """Every required field present with its type; dates parsed in place."""
    for name, kind in _FIELDS.items():
        if name not in meta:
            bad(1, f"missing field '{name}'")
            continue
        value = meta[name]
        if kind is dt.date:
            date = parse_date(value)
            if date is None:
                bad(where[name], f"'{name}' is not a valid date: {value!r}; write it as YYYY-MM-DD")
                continue
            value = meta[name] = date
        if isinstance(value, str) and kind is str and not value.strip():
            bad(where.get(name, 1), f"field '{name}' is empty; fill it in")
        elif not isinstance(value, kind):
            bad(where.get(name, 1), f"field '{name}' must be {_TYPE_NAMES[kind]} (got {type(value).__name__})")


def _check_identity(meta: dict[str, Any], where: dict[str, int], path: Path, today: dt.date, bad: _Bad) -> None:
    """The id names the file, the language its folder; a known status; a review date not in the future."""
    if not _SLUG.match(meta["id"]):
        bad(where["id"], f"id {meta['id']!r} must be a lowercase slug like 'itin-basics'")
    elif meta["id"] != path.stem:
        bad(where["id"], f"id {meta['id']!r} does not match the file name '{path.name}'; rename one of them")
    if meta["lang"] != path.parent.name:
        bad(where["lang"], f"lang {meta['lang']!r} does not match the folder '{path.parent.name}/'")
    if meta["status"] not in STATUSES:
        bad(where["status"], f"status must be 'vetted' or 'draft', not {meta['status']!r}")
    if meta["reviewed"] > today:
        bad(
            where["reviewed"], f"'reviewed' date {meta['reviewed']} is in the future; use the date the text was checked"
        )


def _check_questions(questions: list[Any], where: dict[str, int], bad: _Bad) -> None:
    first: dict[str, int] = {}  # folded question -> its line
    for i, q in enumerate(questions):
        line = where.get(f"questions[{i}]", where["questions"])
        if not isinstance(q, str) or not fold(q):
            bad(line, "each question must be non-empty text")
        elif fold(q) in first:
            # Case and punctuation aside, the same words twice add nothing, and would pass the count below.
            bad(
                line,
                f"question {q!r} repeats the one on line {first[fold(q)]}; write another way people ask, or delete it",
            )
        else:
            first[fold(q)] = line
    if len(first) < MIN_QUESTIONS:
        bad(
            where["questions"],
            f"only {len(first)} different questions; write at least {MIN_QUESTIONS} ways people ask this",
        )


def _read_sources(items: list[Any], where: dict[str, int], bad: _Bad) -> list[Source]:
    sources: list[Source] = []
    if not items:
        bad(where["sources"], "at least one source is required: every explainer must say where its facts come from")
    for i, s in enumerate(items):
        line = where.get(f"sources[{i}]", where["sources"])
        if not isinstance(s, dict) or not isinstance(s.get("title"), str) or not isinstance(s.get("url"), str):
            bad(line, "each source needs a 'title' and a 'url'")
            continue
        if not s["url"].startswith("https://") or " " in s["url"]:
            bad(line, f"source url must start with https:// : {s['url']!r}")
        sources.append(Source(s["title"].strip(), s["url"].strip()))
    return sources


def _check_references(meta: dict[str, Any], where: dict[str, int], bad: _Bad) -> None:
    """`related` and `refer` are lists of ids (help kinds known), and the summary is 1-3 sentences."""
    for name in ("related", "refer"):
        for item in meta[name]:
            if not isinstance(item, str):
                bad(where[name], f"'{name}' must be a list of ids")
    for kind in meta["refer"]:
        if isinstance(kind, str) and kind not in HELP_KINDS:
            bad(where["refer"], f"unknown help kind {kind!r} in 'refer'; use one of: {', '.join(HELP_KINDS)}")
    summary_sentences = _sentences(meta["summary"])
    if summary_sentences > 3:
        bad(where["summary"], f"summary has {summary_sentences} sentences; keep it to 1-3")


def _check_body(body: str, body_line: int, raw: str, bad: _Bad) -> None:
    words = len(body.split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        bad(body_line, f"body has {words} words; keep it between {MIN_WORDS} and {MAX_WORDS}")
    if re.search(r"^# ", body, flags=re.M):
        bad(body_line, "do not start a line with '# ' in the body: the title is shown separately")
    for line, message in body_markup_problems(body, raw):
        bad(body_line + line - 1, message)


def _read_parity_exceptions(meta: dict[str, Any], where: dict[str, int], bad: _Bad) -> list[tuple[str, str]]:
    """The declared {value, reason} pairs: figures that may differ between the languages, and why."""
    exceptions: list[tuple[str, str]] = []
    declared = meta.get("parity_exceptions") or []
    if not isinstance(declared, list):
        bad(where["parity_exceptions"], "'parity_exceptions' must be a list of {value, reason}")
        declared = []
    for item in declared:
        value = item.get("value") if isinstance(item, dict) else None
        reason = item.get("reason") if isinstance(item, dict) else None
        if not isinstance(value, str) or not value.strip() or not isinstance(reason, str) or not reason.strip():
            bad(
                where.get("parity_exceptions", 1),
                "each parity exception needs a 'value' (as written in the text) and a 'reason' (why the "
                'languages differ), like {value: "$500", reason: "..."}',
            )
            continue
        exceptions.append((value.strip(), reason.strip()))
    return exceptions


def body_markup_problems(body: str, raw: str) -> list[tuple[int, str]]:
    """(line within the body, message) for raw HTML and for links that are not https, mailto or tel.

    The sanitizer removes both at render time; reporting them tells the author the text they wrote
    is not the text people will see. `raw` is the body rendered by `_markdown_html`.
    """
    problems: list[tuple[int, str]] = []
    lines = body.split("\n")
    for n, line in enumerate(lines, start=1):
        for m in _RAW_HTML.finditer(_CODE_SPAN.sub("", line)):
            problems.append((n, f"raw HTML {m.group()[:40]!r} in the body; write Markdown (it would be removed)"))
    for m in _HREF.finditer(raw):
        url = html.unescape(next(g for g in m.groups() if g is not None))
        if url.lower().startswith(("https://", "mailto:", "tel:")):
            continue
        n = next((i for i, line in enumerate(lines, start=1) if url in line), 1)
        problems.append(
            (n, f"link {url!r} is not an https://, mailto: or tel: address; write the full https:// address")
        )
    return problems


def version_of(root: Path, files: list[Path]) -> str:
    """A short content hash of the corpus: same files, same version."""
    digest = hashlib.sha256()
    for f in sorted(files):
        # Files of the corpus by their place in it; extra files (a deployment's directory) by name.
        name = f.relative_to(root).as_posix() if f.is_relative_to(root) else f.name
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(f.read_bytes())
    return digest.hexdigest()[:12]
