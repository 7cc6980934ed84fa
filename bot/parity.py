"""Language parity: every figure in an explainer is also in its other-language twin.

A translation that drops a phone number, changes a date or loses a form number is wrong in a way a
reader cannot see. `extract` finds the numbers, money amounts, percentages, dates, years, phone
numbers, law sections and form numbers in a text and writes each as a key that is the same in
English and Spanish ("$1.28 million" = "1.28 millones de dólares", "September 30, 2025" = "30 de
septiembre de 2025", "1-844-363-1423" = "(844) 363-1423", "section 6103" = "sección 6103" = "§ 6103",
"Form W-7" = "formulario W-7"). `check_pairs` compares the title, summary and body of every pair of
twins (same id) field by field and reports every key in one and not the other, unless an explainer
declares it in `parity_exceptions` with a reason.

Number formats: a "." or "," followed by exactly three digits groups thousands ("47,000" = "47.000"),
followed by one or two digits it is a decimal point ("1.28" = "1,28"), in both languages.
Written numbers ("three", "tres", "third", "tercer") never need a twin, because "one"/"un" and
"first"/"primer" are ordinary words, but they count as the twin of a figure ("3 years" = "tres años").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.corpus import Explainer, Problem

FIELDS = ("title", "summary", "body")

_EN_MONTHS = "January February March April May June July August September October November December".split()
_ES_MONTHS = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()
_MONTH = {m.lower(): i + 1 for i, m in enumerate(_EN_MONTHS)} | {m: i + 1 for i, m in enumerate(_ES_MONTHS)}
_MONTH |= {m.lower()[:3]: i + 1 for i, m in enumerate(_EN_MONTHS)} | {"sept": 9, "setiembre": 9}
# English month names are capitalised, which keeps "you may 5 ..." from being read as a date.
_EN_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
)
_ES_MONTH = r"(?i:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)"
_NUM = r"\d+(?:[.,]\d+)*"
_SCALE = r"(?:thousand|million|billion|trillion|mil\s+millones|millones|millón|millon|billones|billón|billon|mil)"
_SCALES = {
    "thousand": 10**3,
    "mil": 10**3,
    "million": 10**6,
    "millones": 10**6,
    "millón": 10**6,
    "millon": 10**6,
    "billion": 10**9,
    "mil millones": 10**9,
    "trillion": 10**12,
    "billones": 10**12,
    "billón": 10**12,
    "billon": 10**12,
}
_DAY_ES = r"\d{1,2}|1\.?[ºo]|primero"  # "1.º de enero" and "primero de enero" are January 1

# Order matters: each pattern blanks what it matched, so later ones never see it again.
_URL = re.compile(
    r"https?://\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:org|gov|com|net|edu|us|info)\b(?:/\S*)?",
    re.I,
)
_LIST_MARKER = re.compile(r"^[ \t]*\d+[.)][ \t]", re.M)  # "1. Do not open the door." numbers a list, not a fact
_PHONE = re.compile(r"(?<![\w-])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}(?![\w-])")
_DATES = (
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),  # ISO
    re.compile(rf"\b(?P<m>{_EN_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}})\b)?"),
    re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{_EN_MONTH})\s+(?P<y>\d{{4}})\b"),
    re.compile(rf"(?<!\w)(?P<d>{_DAY_ES})\s+de\s+(?P<m>{_ES_MONTH})\b(?:\s+(?i:de|del)\s+(?P<y>\d{{4}})\b)?"),
    re.compile(rf"\b(?P<m>{_EN_MONTH}),?\s+(?:of\s+)?(?P<y>\d{{4}})\b"),
    re.compile(rf"\b(?P<m>{_ES_MONTH})\s+(?i:de|del)\s+(?P<y>\d{{4}})\b"),
)
_SECTION = re.compile(
    r"(?:\b(?i:sections?|secci[oó]n(?:es)?|sec\.)|§§?)\s*"
    r"(?P<list>\d{3,5}[A-Z]?(?:\([a-z0-9]+\))*(?:\s*(?:,|and|or|y|o|&|–|-)\s*\d{3,5}[A-Z]?(?:\([a-z0-9]+\))*)*)"
)
_FORM_ID = r"(?:[A-Z]{1,2}-?\d{1,5}[A-Z]?(?:-[A-Z]{1,3})?|\d{3,5}(?:-[A-Z]{1,3})?)\b"
_FORM = re.compile(
    rf"\b(?i:forms?|formularios?|formas?|planillas?)\s+(?P<list>{_FORM_ID}(?:\s*(?:,|and|or|y|o|/)\s*{_FORM_ID})*)"
)
_FORM_BARE = re.compile(r"(?<![\w-])(?:W|I|SS|N|G|DS)-\d{1,4}[A-Z]?(?:-[A-Z]{1,3})?(?=s?(?![\w-]))")  # "W-2s" too
_PERCENT = re.compile(rf"(?<![\w.,])(?P<n>{_NUM})\s*(?:%|(?i:percent|per\s+cent|por\s+ciento)\b)")
_MONEY = (
    re.compile(rf"(?:\bUS\$|\bUSD\s?|\$)\s?(?P<n>{_NUM})(?:\s+(?P<s>{_SCALE})\b)?"),
    re.compile(
        rf"(?<![\w.,])(?P<n>{_NUM})(?:\s+(?P<s>{_SCALE}))?\s+(?:de\s+)?(?i:dólares|dolares|dollars|USD)\b",
    ),
)
_SCALED = re.compile(rf"(?<![\w.,])(?P<n>{_NUM})\s+(?P<s>{_SCALE})\b")
_ORDINAL = re.compile(r"(?<![\w.,])(?P<n>\d+)(?:st|nd|rd|th|\.?º|\.?ª|\.?er)(?!\w)")
_YEAR = re.compile(r"(?<![\w.,$-])(?:19|20)\d{2}(?![\w]|[.,]\d)")
_NUMBER = re.compile(rf"(?<![\w.,$]){_NUM}(?![\w]|[.,]\d)")

_WRITTEN = {
    # English cardinals and ordinals
    **dict.fromkeys(["one", "first", "once"], 1),
    **dict.fromkeys(["two", "second", "twice"], 2),
    **dict.fromkeys(["three", "third"], 3),
    **dict.fromkeys(["four", "fourth"], 4),
    **dict.fromkeys(["five", "fifth"], 5),
    **dict.fromkeys(["six", "sixth"], 6),
    **dict.fromkeys(["seven", "seventh"], 7),
    **dict.fromkeys(["eight", "eighth"], 8),
    **dict.fromkeys(["nine", "ninth"], 9),
    **dict.fromkeys(["ten", "tenth"], 10),
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "sixty": 60,
    "ninety": 90,
    "hundred": 100,
    # Spanish cardinals and ordinals
    **dict.fromkeys(["un", "uno", "una", "primer", "primero", "primera"], 1),
    **dict.fromkeys(["dos", "segundo", "segunda"], 2),
    **dict.fromkeys(["tres", "tercer", "tercero", "tercera"], 3),
    **dict.fromkeys(["cuatro", "cuarto", "cuarta"], 4),
    **dict.fromkeys(["cinco", "quinto", "quinta"], 5),
    **dict.fromkeys(["seis", "sexto", "sexta"], 6),
    **dict.fromkeys(["siete", "séptimo", "séptima"], 7),
    **dict.fromkeys(["ocho", "octavo", "octava"], 8),
    **dict.fromkeys(["nueve", "noveno", "novena"], 9),
    **dict.fromkeys(["diez", "décimo", "décima"], 10),
    "doce": 12,
    "quince": 15,
    "veinte": 20,
    "treinta": 30,
    "sesenta": 60,
    "noventa": 90,
    **dict.fromkeys(["cien", "ciento"], 100),
}
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Value:
    """One figure found in a text: its kind, a language-neutral key, and the words as written."""

    kind: str  # number, money, percent, date, year, phone, section, form
    key: str
    text: str
    start: int = 0
    required: bool = True  # written numbers ("three") match a twin's "3" but are never required


def _number(raw: str, scale: str | None = None) -> Decimal | None:
    """'47,000' -> 47000, '1,28' -> 1.28, '1.28' + 'millones' -> 1280000."""
    parts = re.split(r"[.,]", raw)
    try:
        if len(parts) > 1 and len(parts[-1]) != 3:
            value = Decimal("".join(parts[:-1]) + "." + parts[-1])
        else:
            value = Decimal("".join(parts))
    except InvalidOperation:
        return None
    if scale:
        value *= _SCALES[" ".join(scale.lower().split())]
    return value


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def extract(text: str) -> list[Value]:
    """Every figure in `text`, in either language, in the order the patterns find them."""
    found: list[Value] = []
    work = text

    def take(pattern: re.Pattern[str], make: Callable[[re.Match[str]], list[Value]]) -> None:
        nonlocal work
        for m in list(pattern.finditer(work)):
            for value in make(m):
                found.append(value)
            work = _blank(work, m.start(), m.end())

    take(_URL, lambda m: [])
    take(_LIST_MARKER, lambda m: [])
    take(_PHONE, lambda m: [Value("phone", "tel:" + re.sub(r"\D", "", m.group())[-10:], m.group(), m.start())])

    def date(m: re.Match[str]) -> list[Value]:
        groups = m.groupdict()
        y: int | None
        d: int | None
        if not groups:
            y, mo, d = (int(g) for g in m.groups())
        else:
            mo = _MONTH[m.group("m").lower().rstrip(".")]
            raw_day = groups.get("d")
            d = 1 if raw_day and not raw_day[0].isdigit() else int(re.sub(r"\D", "", raw_day)) if raw_day else None
            y = int(groups["y"]) if groups.get("y") else None
        if d is not None and not 1 <= d <= 31:
            return []
        key = (f"{y}-{mo:02d}" if y else f"--{mo:02d}") + (f"-{d:02d}" if d is not None else "")
        return [Value("date", key, m.group(), m.start())]

    for pattern in _DATES:
        take(pattern, date)

    def listed(kind: str, normalise: Callable[[str], str]) -> Callable[[re.Match[str]], list[Value]]:
        def make(m: re.Match[str]) -> list[Value]:
            start = m.start("list")
            # "6103(i)(2)" is section 6103: subsections are compared as part of the words around them.
            ids = re.sub(r"\([a-z0-9]+\)", lambda p: " " * len(p.group()), m.group("list"))
            items = list(re.finditer(r"[A-Z]{0,2}-?\d+[A-Z]?(?:-[A-Z]{1,3})?", ids))
            return [
                Value(kind, normalise(i.group()), m.group() if len(items) == 1 else i.group(), start + i.start())
                for i in items
            ]

        return make

    take(_SECTION, listed("section", lambda s: s))

    def form_key(s: str) -> str:  # "W7" -> "W-7"
        return re.sub(r"^([A-Z]{1,2})-?(\d)", r"\1-\2", s.upper())

    take(_FORM, listed("form", form_key))
    take(_FORM_BARE, lambda m: [Value("form", form_key(m.group()), m.group(), m.start())])

    def amount(kind: str, prefix: str = "", suffix: str = "") -> Callable[[re.Match[str]], list[Value]]:
        def make(m: re.Match[str]) -> list[Value]:
            groups = m.groupdict()
            value = _number(groups.get("n") or m.group(), groups.get("s"))
            return [] if value is None else [Value(kind, prefix + _plain(value) + suffix, m.group(), m.start())]

        return make

    take(_PERCENT, amount("percent", suffix="%"))
    for pattern in _MONEY:
        take(pattern, amount("money", prefix="$"))
    take(_SCALED, amount("number"))
    take(_ORDINAL, amount("number"))
    take(_YEAR, lambda m: [Value("year", m.group(), m.group(), m.start())])
    take(_NUMBER, amount("number"))
    for m in _WORD.finditer(work):
        word = m.group().lower()
        if word in _WRITTEN:
            found.append(Value("number", str(_WRITTEN[word]), m.group(), m.start(), required=False))
    return found


def _covered(value: Value, keys: set[str]) -> bool:
    if value.key in keys:
        return True
    # A money amount matches the same amount written without a currency in the twin: Spanish lists
    # often say "dólares" once ("59.4 mil millones en impuestos federales").
    if value.kind == "money":
        return value.key[1:] in keys
    return value.kind == "number" and "$" + value.key in keys


def _field_text(e: Explainer, field: str) -> str:
    return e.body if field == "body" else getattr(e, field)


def _line(e: Explainer, field: str, text: str, start: int) -> int:
    if field == "body":
        return e.lines.get("body", 1) + text.count("\n", 0, start)
    return e.lines.get(field, 1)


def _exception_keys(e: Explainer) -> list[tuple[str, set[str]]]:
    return [(value, {v.key for v in extract(value)}) for value, _reason in e.parity_exceptions]


def check_pairs(explainers: Sequence[Explainer], languages: Sequence[str]) -> list[Problem]:
    """Compare every explainer with its twins in the other languages; one Problem per missing figure."""
    problems: list[Problem] = []
    by_id: dict[str, dict[str, Explainer]] = {}
    for e in explainers:
        by_id.setdefault(e.id, {}).setdefault(e.lang, e)
    for twins in by_id.values():
        present = [twins[lang] for lang in languages if lang in twins]
        for i, a in enumerate(present):
            for b in present[i + 1 :]:
                problems += _compare(a, b)
    return problems


def _compare(a: Explainer, b: Explainer) -> list[Problem]:
    problems: list[Problem] = []
    exceptions = {e.path: _exception_keys(e) for e in (a, b)}
    used: set[tuple[str, str]] = set()
    for e, values in exceptions.items():
        line = next(x for x in (a, b) if x.path == e).lines.get("parity_exceptions", 1)
        for value, keys in values:
            if not keys:
                problems.append(
                    Problem(
                        e,
                        line,
                        f"parity exception {value!r} names no number, amount, date, year, phone, section or form; "
                        "write the value as it appears in the text",
                    )
                )
                used.add((e, value))
    for field in FIELDS:
        text_a, text_b = _field_text(a, field), _field_text(b, field)
        values_a, values_b = extract(text_a), extract(text_b)
        for this, other, text, mine, theirs in ((a, b, text_a, values_a, values_b), (b, a, text_b, values_b, values_a)):
            keys = {v.key for v in theirs}
            seen: set[str] = set()
            for v in mine:
                if not v.required or v.key in seen or _covered(v, keys):
                    continue
                seen.add(v.key)
                excused = [
                    (path, value) for path, pairs in exceptions.items() for value, ks in pairs if _covered(v, ks)
                ]
                if excused:
                    used.update(excused)
                    continue
                problems.append(
                    Problem(
                        this.path,
                        _line(this, field, text, v.start),
                        f"{v.kind} {v.text.strip()!r} in the {field} is not in the {field} of the {other.lang} "
                        f"twin {other.path}; fix the translation, or list it under 'parity_exceptions' with a reason",
                    )
                )
    for path, pairs in exceptions.items():
        twin = b if path == a.path else a
        line = (a if path == a.path else b).lines.get("parity_exceptions", 1)
        for value, _keys in pairs:
            if (path, value) not in used:
                problems.append(
                    Problem(
                        path,
                        line,
                        f"parity exception {value!r} no longer matches any difference with {twin.path}; remove it",
                    )
                )
    return problems


def keys(text: str) -> set[str]:
    """The required keys of a text (for tests and for reading a report)."""
    return {v.key for v in extract(text) if v.required}


__all__ = ["FIELDS", "Value", "check_pairs", "extract", "keys"]
