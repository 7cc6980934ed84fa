"""Find and remove personal data from a question before anything else reads it.

The bot never needs a person's numbers, address, birth date or name to explain the law, and a
question may sit on a shared screen or pass through a proxy. So the scrubbed text is the only text
retrieval, metrics or error handling ever see; the values found are dropped on the spot.

Patterns are plain regular expressions (case-insensitive, no look-behind) so that a browser can run
the very same list to warn before sending.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.text import fold

_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y"})

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
)
_STREET = (
    "street|st|avenue|ave|av|road|rd|boulevard|blvd|drive|dr|lane|ln|court|ct|way|place|pl|terrace|"
    "circle|cir|highway|hwy|parkway|pkwy|trail|loop"
)
_WORD = "[a-z\u00c0-\u024f'.-]+"
_UNIT = r"(?:[ ,]+(?:apt|apartment|unit|suite|ste|depto|departamento|#)\.?\s*#?\s*[a-z0-9-]+)?"

# (kind, pattern). Order matters: longer, more specific shapes first.
PATTERNS: tuple[tuple[str, str], ...] = (
    ("email", r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"),
    ("a-number", r"\ba\s*(?:#|no\.?|number|numero|número)?\s*[-.:]?\s*(?:\d[ .-]?){7,8}\d\b"),
    ("phone", r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\b\d{3})[\s.-]?\d{3}[\s.-]\d{4}\b"),
    ("ssn-itin", r"\b\d{3}[\s.-]?\d{2}[\s.-]?\d{4}\b"),
    ("date", rf"\b\d{{1,2}}\s+de\s+(?:{_MONTHS})\s+(?:de|del)\s+\d{{4}}\b"),
    ("date", rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"),
    ("date", rf"\b\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}\b"),
    ("date", r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b"),
    ("date", r"\b\d{4}[/.-]\d{1,2}[/.-]\d{1,2}\b"),
    ("address", rf"\b\d{{1,6}}\s+(?:[nsew]\.?\s+)?(?:{_WORD}\s+){{0,3}}(?:{_STREET})\b\.?{_UNIT}"),
    (
        "address",
        rf"\b\d{{1,6}}\s+(?:calle|avenida|av\.?|camino|carretera|calzada|bulevar)\s+(?:{_WORD}\s*){{1,3}}{_UNIT}",
    ),
    (
        "address",
        rf"\b(?:calle|avenida|camino|carretera|calzada|bulevar)\s+(?:{_WORD}\s+){{1,3}}#?\s*\d{{1,6}}\b{_UNIT}",
    ),
    (
        "name",
        rf"\b(?:my name is|my name's|my full name is|i am called|me llamo|mi nombre es|mi nombre completo es)\s+(?:{_WORD}\s*){{1,4}}",
    ),
)
_COMPILED = tuple((kind, re.compile(p, re.IGNORECASE)) for kind, p in PATTERNS)

# Words that end a name: "me llamo Juan y tengo..." keeps "y tengo".
_NAME_STOP = re.compile(
    r"\s+(?:and|i|im|my|from|but|so|with|y|e|tengo|soy|vivo|mi|de\s+(?:\d|aqui)|pero|con|quiero|necesito|"
    r"have|live|was|am|is|the|a|an|in|en|es|no|not|yo|mis|born|naci|y\s+naci)\b.*$",
    re.IGNORECASE | re.DOTALL,
)
_NAME_LEAD = re.compile(
    r"^(?:my name is|my name's|my full name is|i am called|me llamo|mi nombre es|mi nombre completo es)\s+", re.I
)


# Two to four capitalised words in a row ("Carlos Eduardo Vega", "Maria de la Cruz"): a name,
# unless every word is one the corpus itself uses ("Social Security", "Taxpayer Advocate").
NAME_RUN = "[A-Z\u00c0-\u00de][a-z\u00df-\u00ff']+(?:\\s+(?:(?:de|del|la|las|los|y)\\s+)?[A-Z\u00c0-\u00de][a-z\u00df-\u00ff']+){1,3}"
_NAME_RUN = re.compile(NAME_RUN)


@dataclass(frozen=True, slots=True)
class Scrubbed:
    text: str
    kinds: tuple[str, ...]  # what was found (e.g. "phone"), never the values

    @property
    def found(self) -> bool:
        return bool(self.kinds)


def scrub(text: str, known_words: frozenset[str] = frozenset()) -> Scrubbed:
    """Remove personal data from `text`; say which kinds were found, keep none of the values.

    `known_words` are folded words the corpus uses; a capitalised run made only of them is a
    term ("Social Security"), not a name.
    """
    kinds: list[str] = []
    for kind, pattern in _COMPILED:
        if kind == "name":
            text, n = pattern.subn(_drop_name, text)
        else:
            found = 0

            def drop(match: re.Match[str]) -> str:
                # A help line or address the corpus itself publishes ("1-877-777-4778",
                # phishing@irs.gov) is not personal: keep it, it is what the person asks about.
                nonlocal found
                if public_key(match.group(0)) in known_words:
                    return match.group(0)
                found += 1
                return " "

            text = pattern.sub(drop, text)
            n = found
        if n:
            kinds.append(kind)

    def drop_run(match: re.Match[str]) -> str:
        words = [w for w in fold(match.group(0)).split() if w not in _PARTICLES]
        if all(w in known_words for w in words):
            return match.group(0)
        kinds.append("name")
        return " "

    text = _NAME_RUN.sub(drop_run, text)
    return Scrubbed(re.sub(r"\s{2,}", " ", text).strip(), tuple(dict.fromkeys(kinds)))


def public_key(value: str) -> str:
    """How a published phone number or email is recognised: its last 10 digits, or lowercase."""
    if "@" in value:
        return value.strip().lower()
    digits = re.sub(r"\D", "", value)
    return "#" + digits[-10:] if len(digits) >= 10 else value.lower()


def public_values(texts: Iterable[str]) -> set[str]:
    """Phone numbers and emails published in `texts` (the corpus and the help directory)."""
    found: set[str] = set()
    for text in texts:
        for kind, pattern in _COMPILED:
            if kind in ("email", "phone"):
                found |= {public_key(m.group(0)) for m in pattern.finditer(text)}
    return found


def _drop_name(match: re.Match[str]) -> str:
    phrase = match.group(0)
    lead = _NAME_LEAD.match(phrase)
    rest = phrase[lead.end() :] if lead else phrase
    tail = _NAME_STOP.search(" " + rest)
    kept = tail.group(0) if tail else ""
    # Keep the lead-in words (they carry no identity) and whatever followed the name.
    return " " + (lead.group(0) if lead else "") + " " + kept
