"""The legal-aid directory: who to send a person to, for every reply.

The shipped directory lists national services; a deployment adds its own organisation (marked
`featured`, shown first) and local services in an extra file, without editing the shipped one.
Replies carry every resource of the relevant kinds, state-specific ones included, so the browser
can filter by the person's state locally: a person's state is never sent to the server.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from bot.corpus import HELP_KINDS, Problem, Resource, load_yaml, parse_date
from bot.lang import LANGUAGES
from bot.reply import Referral

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM "
    "NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP".split()
)
_PHONE = re.compile(r"^(?:1-\d{3}-\d{3}-\d{4}|\d{3})$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PER_KIND = 2  # national resources per kind in a reply; featured and local ones always show
LIFELINE_KINDS = ("emergency", "crisis")  # what a person in danger needs, whatever they asked


def read_directory(path: Path, rel: str, today: dt.date) -> tuple[list[Resource], list[Problem]]:
    """Parse and validate one directory file; return the valid entries and the problems."""
    problems: list[Problem] = []
    try:
        text = path.read_text(encoding="utf-8")
        data = load_yaml(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError) as exc:
        return [], [Problem(rel, 1, f"cannot read the directory: {exc}")]
    items = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [], [Problem(rel, 1, "the file must have a 'resources:' list")]
    lines = _item_lines(node)
    valid: list[Resource] = []
    for i, item in enumerate(items):
        line = lines[i] if i < len(lines) else 1
        found = [Problem(rel, line, m) for m in _check_entry(item, today)]
        problems += found
        if not found:
            valid.append(_resource(item, line))
    return valid, problems


def _resource(item: dict[str, Any], line: int) -> Resource:
    """A checked entry (`_check_entry` found nothing wrong) as a Resource."""
    coverage = item["coverage"]
    verified = parse_date(item["verified"])
    assert verified is not None, "checked by _check_entry"
    return Resource(
        id=item["id"],
        kind=item["kind"],
        names=tuple((lang, item["name"][lang].strip()) for lang in LANGUAGES),
        descriptions=tuple((lang, item["description"][lang].strip()) for lang in LANGUAGES),
        languages=tuple(item["languages"]),
        coverage=("national",) if coverage == "national" else tuple(coverage),
        verified=verified,
        phone=item.get("phone"),
        url=item.get("url"),
        featured=bool(item.get("featured", False)),
        line=line,
    )


def _item_lines(node: yaml.Node | None) -> list[int]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "resources" and isinstance(value, yaml.SequenceNode):
                return [item.start_mark.line + 1 for item in value.value]
    return []


def _check_entry(item: object, today: dt.date) -> list[str]:
    if not isinstance(item, dict):
        return ["each resource must be a set of 'field: value' lines"]
    out: list[str] = []
    rid = item.get("id")
    label = f"resource {rid!r}" if rid else "resource"
    if not isinstance(rid, str) or not _SLUG.match(rid):
        out.append(f"{label}: 'id' must be a lowercase slug like 'taxpayer-advocate-service'")
    for name in ("name", "description"):
        value = item.get(name)
        if not isinstance(value, dict):
            out.append(f"{label}: '{name}' must have 'en' and 'es' text")
            continue
        for lang in LANGUAGES:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                out.append(f"{label}: '{name}' has no {'English' if lang == 'en' else 'Spanish'} text ('{lang}:')")
    if item.get("kind") not in HELP_KINDS:
        out.append(f"{label}: unknown kind {item.get('kind')!r}; use one of: {', '.join(HELP_KINDS)}")
    langs = item.get("languages")
    if (
        not isinstance(langs, list)
        or not langs
        or not all(isinstance(x, str) and re.fullmatch(r"[a-z]{2}", x) for x in langs)
    ):
        out.append(f"{label}: 'languages' must list two-letter codes like [en, es]")
    phone, url = item.get("phone"), item.get("url")
    if phone is None and url is None:
        out.append(f"{label}: give a 'phone' or a 'url' (or both)")
    if phone is not None and not (isinstance(phone, str) and _PHONE.match(phone)):
        out.append(f'{label}: phone {phone!r} must look like "1-800-555-0100" (quoted)')
    if url is not None and not (isinstance(url, str) and url.startswith("https://") and " " not in url):
        out.append(f"{label}: url {url!r} must start with https://")
    coverage = item.get("coverage")
    if coverage != "national":
        if not isinstance(coverage, list) or not coverage:
            out.append(f"{label}: 'coverage' must be 'national' or a list of state codes like [CA, TX]")
        else:
            unknown = [s for s in coverage if s not in US_STATES]
            if unknown:
                out.append(f"{label}: unknown state code(s) {', '.join(map(str, unknown))} in 'coverage'")
    verified = parse_date(item.get("verified"))
    if verified is None:
        out.append(f"{label}: 'verified' must be a date (YYYY-MM-DD)")
    elif verified > today:
        out.append(f"{label}: 'verified' date {verified} is in the future")
    if "featured" in item and not isinstance(item["featured"], bool):
        out.append(f"{label}: 'featured' must be true or false")
    return out


class Directory:
    """All help resources, in order: featured first, then as listed (extra files before shipped)."""

    def __init__(self, entries: Sequence[Resource]) -> None:
        featured = [e for e in entries if e.featured]
        local = [e for e in entries if not e.featured and not e.national]
        national = [e for e in entries if not e.featured and e.national]
        self._entries = featured + local + national
        self._featured = featured
        # Each kind's share of a reply, worked out once: its local resources, then PER_KIND national ones.
        self._by_kind: dict[str, list[Resource]] = {}
        for kind in dict.fromkeys(e.kind for e in entries):
            mine = [e for e in local if e.kind == kind]
            self._by_kind[kind] = mine + [e for e in national if e.kind == kind][:PER_KIND]
        # Replies share these read-only objects instead of building them for every question.
        self._referrals: dict[str, dict[str, Referral]] = {
            lang: {e.id: _referral(e, lang) for e in self._entries} for lang in LANGUAGES
        }
        # The lines an answer given without reading the question carries (the rate limit): the first
        # service with a phone of each kind, a national one before a local one, since nothing there
        # knows where the person is.
        self._lifelines: list[Resource] = []
        for kind in LIFELINE_KINDS:
            callable_ = [e for e in self._entries if e.kind == kind and e.phone]
            self._lifelines += ([e for e in callable_ if e.national] or callable_)[:1]

    def all(self, lang: str) -> list[Referral]:
        return [self._referrals[lang][e.id] for e in self._entries]

    def lifelines(self, lang: str) -> list[Referral]:
        """The emergency line and the crisis line, whatever was asked (see LIFELINE_KINDS)."""
        return [self._referrals[lang][e.id] for e in self._lifelines]

    def for_kinds(self, kinds: Sequence[str], lang: str) -> list[Referral]:
        """Featured resources, then each kind's local and (up to PER_KIND) national resources."""
        chosen = [*self._featured]
        for kind in dict.fromkeys(kinds):
            chosen += self._by_kind.get(kind, [])
        return [self._referrals[lang][e.id] for e in chosen]


def _referral(e: Resource, lang: str) -> Referral:
    return Referral(
        id=e.id,
        name=e.name(lang),
        kind=e.kind,
        description=e.description(lang),
        phone=e.phone,
        url=e.url,
        languages=list(e.languages),
        coverage=list(e.coverage),
        featured=e.featured,
        verified=e.verified.isoformat(),
    )
