"""Find and remove personal data from a question before anything else reads it.

Mirrored in web/static/engine.js (private mode); tests/test_private.py holds the two equal.

The bot never needs a person's numbers, address, birth date or name to explain the law, and a
question may sit on a shared screen or pass through a proxy. So the scrubbed text is the only text
retrieval, metrics or error handling ever see; the values found are dropped on the spot.

Patterns are plain regular expressions (case-insensitive, no look-behind) so that a browser can run
the very same list to warn before sending.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.text import fold

_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y"})

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    "ene|abr|ago|dic"
)
_STREET = (
    "street|st|avenue|ave|av|road|rd|boulevard|blvd|drive|dr|lane|ln|court|ct|way|place|pl|terrace|"
    "circle|cir|highway|hwy|parkway|pkwy|trail|loop"
)
_CALLE = (
    "calle|c/|avenida|avda|av|calzada|callej[oó]n|cerrada|privada|andador|bulevar|boulevard|blvd|camino|"
    "carretera|paseo|prolongaci[oó]n|circuito"
)
# Letters of a name, Vietnamese included ("Nguyễn Văn An"); no digits.
_WORD = "[a-z\u00c0-\u024f\u1e00-\u1eff'\u2019.-]+"
_TOKEN = r"[\w'.-]+"  # a word of a street name: "42nd", "O'Farrell", "5"
# Words that are never part of a street's name: "3 ice trucks on my street" counts trucks, it is not
# an address (scrubbed as one, the emergency went unseen).
_NOT_IN_A_NAME = r"(?!(?:my|our|your|his|her|their|on|in|at|near|by|and|are|is)\s)"
_UNIT = r"(?:[ ,]+(?:apt|apartment|unit|suite|ste|depto|departamento|dept|int|interior|#)\.?\s*#?\s*[a-z0-9-]+)?"
# Dashes people type between digit groups: ASCII, the Unicode hyphens and dashes that phone keyboards
# autocorrect to, fullwidth; also slashes, dots, underscores and brackets.
_DASH = "\\-\u2010-\u2015\uff0d"
_SLASH = "/\uff0f"
_SEP = rf"(?:\s?[{_DASH}.{_SLASH}_()]\s?|\s)"
_DATE_SEP = rf"[{_DASH}.{_SLASH}]"
# Postal abbreviations of US states, leaving out those that are everyday words (in, or, me, de, la...).
_STATES = (
    "ak|az|ar|ca|ct|dc|fl|ga|ia|il|ks|ky|ma|md|mn|ms|mt|nc|nd|nh|nj|nm|nv|ny|pr|ri|sc|sd|tn|tx|ut|va|vt|wa|wi|wv|wy"
)
# Digits spoken or typed as words: "nine one two seven eight...", "nueve uno dos siete ocho...".
_DIGIT_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|cero|uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve"
)
_AT = "@\uff20"  # and the fullwidth at sign
# A mailbox, whole: it ends where the spaced @, "(at)" or " arroba " begins, so a long run of
# letters and dots fails at once at each shorter length ("a.a.a..." stays cheap).
_LOCAL = "\\b[\\w.%+'-]{1,64}(?=[\\s(\\[" + _AT + "])"
_DOT = r"(?:\s*[(\[]\s*(?:dot|punto)\s*[)\]]\s*|\s+(?:dot|punto)\s+|\.)"
_MAIL_HOSTS = "gmail|yahoo|hotmail|outlook|icloud|aol|live|msn|protonmail|proton|prodigy|prodigymovil|mail"
# A ZIP code after a city people name without "zip" ("Chicago 60632", "san francisco 94110").
_CITIES = (
    "chicago|houston|dallas|los angeles|miami|phoenix|atlanta|san diego|san francisco|san antonio|san jose|"
    "denver|seattle|boston|new york|brooklyn|bronx|queens|austin|fort worth|el paso|las vegas|charlotte|"
    "raleigh|nashville|orlando|tampa|newark|oakland|sacramento|fresno|santa ana|riverside|portland"
)
# What comes before a name. Strong: the rest is a name up to a stop word, whatever its case.
_NAME_LEADS = (
    "my name is|my name's|my full name is|full name:|name:|name -|i am called|"
    "me llamo|me yamo|mi nombre es|mi nombre completo es|nombre completo:|nombre:"
)

# (kind, pattern). Order matters: longer, more specific shapes first. Every repetition is bounded
# or cannot overlap itself, so a 1,000-character question costs linear time (bench/privacy.py).
PATTERNS: tuple[tuple[str, str], ...] = (
    # At most 64 characters before the @ (RFC 5321): an unbounded run made "a.a.a..." quadratic.
    ("email", "[\\w.%+'-]{1,64}[@\uff20][\\w-]+(?:\\.[\\w-]+)*"),
    # An e-mail written around filters, in one pattern so the mailbox is scanned once: "rosa_g @
    # hotmail.com" (a space beside the @ needs a dotted domain: "meet @ 5" stays), "pedro(at)outlook.com",
    # "juan arroba gmail punto com", "ana at yahoo dot com" (an English "at" only before a mail provider).
    (
        "email",
        rf"{_LOCAL}(?:(?:\s[{_AT}]\s?|[{_AT}]\s)[\w-]{{1,63}}(?:\.[\w-]{{1,63}}){{1,3}}"
        rf"|(?:\s*[(\[]\s*(?:at|arroba)\s*[)\]]\s*|\s+arroba\s+)[\w-]{{1,63}}(?:{_DOT}[\w-]{{1,63}}){{0,3}}"
        rf"|\s+at\s+(?:{_MAIL_HOSTS})(?:{_DOT}[\w-]{{1,63}}){{1,3}})",
    ),
    (
        "date",
        rf"\b(?:\d{{1,2}}(?:ro|er|do|to|º|°)?|primero)\s+(?:de\s+|del\s+mes\s+de\s+)?(?:{_MONTHS})\.?,?\s+(?:(?:de|del)\s+)?(?:año\s+)?(?:\d{{4}}|\d{{2}})\b",
    ),
    ("date", rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{4}}\b"),
    # "March 12, 1990"; a two-digit year after a comma or an apostrophe: "March 12, 90", "may 3 '85".
    ("date", rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}}|,\s*'?\d{{2}}|\s+'\d{{2}})\b"),
    ("date", rf"\b\d{{1,2}}{_DATE_SEP}(?:{_MONTHS}){_DATE_SEP}(?:\d{{4}}|\d{{2}})\b"),
    ("date", rf"\b(?:{_MONTHS}){_DATE_SEP}\d{{1,2}}{_DATE_SEP}(?:\d{{4}}|\d{{2}})\b"),
    ("date", rf"\b\d{{1,2}}{_DATE_SEP}\d{{1,2}}{_DATE_SEP}(?:\d{{4}}|\d{{2}})\b"),
    ("date", rf"\b\d{{4}}{_DATE_SEP}\d{{1,2}}{_DATE_SEP}\d{{1,2}}\b"),
    # A year of birth on its own: "nací en 1987", "born in 1990", "naci en el 90".
    (
        "date",
        r"\b(?:nac[ií]|naci[oó]|nacid[oa]|born)(?:\s+(?:en|in|el|on))?\s+(?:el\s+)?(?:a[ñn]o\s+)?(?:(?:19|20)\d{2}|'?[4-9]\d)\b",
    ),
    # USCIS receipt numbers: a service centre and ten digits ("EAC 21 123 45678", "LIN-21-901-23456").
    ("receipt", r"\b(?:ioe|eac|wac|lin|src|nbc|msc|ysc)(?:[\s.#:-]{0,3}\d){10}\b"),
    ("a-number", r"\ba\s*(?:#|no\.?|number|numero|número)?\s*[-.:]?\s*(?:\d[ .-]?){7,8}\d\b"),
    # Not when more digits follow ("521 55 4321 8765"): the longer number is taken whole below.
    ("phone", rf"(?:\+?1[\s.-]?)?(?:\(\d{{3}}\)|\b\d{{3}})[\s.-]?\d{{3}}[\s.-]\d{{4}}\b(?!{_SEP}?\d)"),
    ("ssn-itin", rf"\b\d{{3}}[\s.-]?\d{{2}}[\s.-]?\d{{4}}\b(?!{_SEP}?\d)"),
    # Any other run of seven digits or more, however it is spaced or dashed: SSNs and ITINs typed
    # "123 - 45 - 6789" or "1 2 3 4 5 6 7 8 9", 10-digit and Mexican or Central American phones,
    # A-numbers, "07221990". A run made only of words the corpus uses ("1040 1099") stays.
    ("number", rf"\+?\(?\d(?:{_SEP}?\d){{6,}}"),
    # Seven digit words or more in a row: an SSN, ITIN or phone spoken into the keyboard's microphone.
    ("spoken-number", rf"\b(?:(?:{_DIGIT_WORDS})\b[\s,.-]{{1,3}}){{6,}}(?:{_DIGIT_WORDS})\b"),
    (
        "address",
        r"\b(?:p\.?\s?o\.?\s?box|post office box|apartado postal|apdo\.?)\s*"
        r"(?:es\s+el\s+|#|no\.?|n[uú]m(?:ero)?\.?)?\s*\d{1,6}\b",
    ),
    ("address", rf"\b(?:{_CITIES}),?\s+(?:(?:{_STATES})\.?\s+)?\d{{5}}(?:-\d{{4}})?\b"),
    ("address", rf"\b(?:{_STATES}|c\.\s?p\.|cp|zip|zip code|c[oó]digo postal)\.?:?\s*\d{{5}}(?:-\d{{4}})?\b"),
    (
        "address",
        rf"\b\d{{1,6}}\s+(?:[nsew]\.?\s+)?(?:{_NOT_IN_A_NAME}{_TOKEN}\s+){{0,4}}(?:{_STREET})\b\.?(?:\s+(?:nw|ne|sw|se)\b)?{_UNIT}",
    ),
    ("address", rf"\b\d{{1,6}}\s+(?:{_TOKEN}\s+){{1,3}}(?:apt|apartment|unit|suite|ste)\.?\s*#?\s*[a-z0-9-]+"),
    (
        "address",
        rf"\b\d{{1,6}}\s+(?:de\s+la\s+)?(?:{_CALLE})\.?\s+(?:{_WORD}\s*){{1,3}}{_UNIT}",
    ),
    (
        "address",
        rf"\b(?:{_CALLE})\.?\s+(?:{_TOKEN},?\s+){{0,4}}(?:(?:#|no\.?|n[uú]m\.?|n[uú]mero|casa)\s*)?#?\s*\d{{1,6}}[a-z]?\b{_UNIT}",
    ),
    (
        "address",
        r"\b(?:live at|live on|living at|rent at|address is|address:|home:|vivo en(?: el| la)?|direcci[oó]n es|"
        rf"direcci[oó]n:|domicilio es|domicilio:)\s+\d{{1,6}}\s+{_TOKEN}(?:\s+{_TOKEN})?",
    ),
    ("name", rf"\b((?:{_NAME_LEADS})\s+){_WORD}(?:\s+{_WORD}){{0,5}}"),  # group 1: the lead-in, kept
)
_COMPILED = tuple((kind, re.compile(p, re.IGNORECASE)) for kind, p in PATTERNS)
# Every pattern but "email" and "name" needs a digit (a year, a number): a question without one,
# like most, skips them. Python's \d, any Unicode digit, decides, as in the patterns themselves.
_DIGIT = re.compile(r"\d")
_NO_DIGIT_NEEDED = frozenset({"email", "name", "spoken-number"})
# What a published value can be, by what it cannot be without: a digit (phones, numbers) or an @ (emails).
_PUBLIC_DIGITS = tuple(p for kind, p in _COMPILED if kind in ("phone", "number"))
_PUBLIC_AT = tuple(p for kind, p in _COMPILED if kind == "email")

# Words that end a name: "me llamo Juan y tengo..." keeps "y tengo".
_NAME_STOP = re.compile(
    r"\s+(?:and|i|im|my|from|but|so|with|who|because|y|e|que|porque|tengo|soy|vivo|mi|de\s+(?:\d|aqui)|pero|con|"
    r"quiero|necesito|have|live|was|am|is|the|a|an|in|on|at|for|to|en|es|no|not|yo|mis|born|naci|y\s+naci)\b.*$",
    re.IGNORECASE | re.DOTALL,
)

# A weaker lead ("soy", "I'm", a title such as "Sra." or "Don"), then up to six words. The name is
# the words up to the first one the corpus uses; it is removed after a title, when it has two
# words, or when it is capitalised: "soy Araceli", "soy juan perez", "Mr. Hernandez", but not
# "soy de Guatemala" or "I am scared".
_TITLES = "mr|mrs|ms|sr|sra|srta|don|doña|dona|señor|señora|senor|senora"
_SELF = (
    # "mi esposa se llama lucia torres", "my son's name is kevin": first, or "mi esposa" alone would win
    "(?:(?:my|his|her|mi|su)\\s+[\\w'\u2019]{1,20}\\s+)?(?:se llama|name is|nombre es)|"
    "soy|i am|i'm|i\u2019m|im|call me|me dicen|my son|my daughter|my husband|my wife|my brother|my sister|"
    "mi hijo|mi hija|mi esposo|mi esposa|mi hermano|mi hermana"
)
# A name ends before another title: "Mr. Smith and Mrs. Smith".
NAME_AFTER = (
    rf"\b(?:(?:(?:{_SELF})\s+(?:(?:el|la)\s+)?)?({_TITLES})\.?|({_SELF}))\s+"
    rf"({_WORD}(?:\s+(?!(?:{_TITLES})\b){_WORD}){{0,5}})"
)
_NAME_AFTER = re.compile(NAME_AFTER, re.IGNORECASE)

# Two to five capitalised words in a row ("Carlos Eduardo Vega", "Maria de la Cruz"), or two to
# five in capitals ("MARIA GARCIA"): a name, unless every word is one the corpus itself uses
# ("Social Security", "ICE IRS"). Each starts at a word boundary, or a long word in capitals would
# be rescanned from every letter.
NAME_RUN = (
    "\\b[A-Z\u00c0-\u00de][a-z\u00df-\u00ff']+(?:\\s+(?:(?:de|del|la|las|los|y)\\s+)?[A-Z\u00c0-\u00de][a-z\u00df-\u00ff']+){1,4}"
    "|\\b[A-Z\u00c0-\u00de]{2,}(?:\\s+[A-Z\u00c0-\u00de]{2,}){1,4}"
)
_NAME_RUN = re.compile(NAME_RUN)

# A headline ("How Can I File a Tax Return If I Don't Have a Social Security Number?") capitalises
# most of its words, so there capitals say little about names: a run of capitalised words is then
# cut to its stretches of two or more words the corpus does not use ("Maria Lopez" in "Can Maria
# Lopez File Taxes"), and the rest stays. A text is a headline when at least HEADLINE_MIN of its
# words of two letters or more, and HEADLINE_SHARE of them, start with a capital (not all capitals).
HEADLINE_WORD = "[A-Za-z\u00c0-\u00ff][A-Za-z\u00c0-\u00ff']+"
_HEADLINE_WORD = re.compile(HEADLINE_WORD)
HEADLINE_MIN = 3
HEADLINE_SHARE = 0.6


def is_headline(text: str) -> bool:
    words = _HEADLINE_WORD.findall(text)
    capital = sum(1 for w in words if w[0].isupper() and not w.isupper())
    return capital >= HEADLINE_MIN and capital >= HEADLINE_SHARE * len(words)


# Places people name in their questions ("El Salvador", "Nueva York") and words they describe
# themselves with ("soy madre soltera"): not names. Private mode and the widget get them inside
# known_words (bot/browser_model.py).
COMMON_WORDS = frozenset(
    "mexico guatemala honduras salvador nicaragua colombia venezuela peru ecuador cuba haiti dominicana "
    "republica puerto rico estados unidos united states america california texas florida arizona nevada "
    "illinois georgia carolina north south new york jersey nueva washington oregon colorado chicago houston "
    "dallas angeles miami phoenix atlanta san diego francisco antonio denver seattle boston oaxaca jalisco "
    "michoacan guerrero chiapas puebla veracruz tijuana juarez monterrey guadalajara "
    "madre padre mama papa soltera soltero casada casado viuda viudo divorciada divorciado ciudadano ciudadana "
    "residente mexicano mexicana guatemalteco guatemalteca salvadoreno salvadorena hondureno hondurena "
    "americano americana latino latina trabajador trabajadora estudiante indocumentada campesino campesina "
    "single mom dad mother father widow widowed married divorced citizen resident student worker farmworker "
    "undocumented immigrant latina latino mexican guatemalan salvadoran honduran american".split()
)


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
    text = _drop_patterns(text, known_words, kinds)
    names = _Names(known_words, kinds)
    text = _NAME_AFTER.sub(names.after, text)
    text = _NAME_RUN.sub(names.stretches if is_headline(text) else names.run, text)
    return Scrubbed(re.sub(r"\s{2,}", " ", text).strip(), tuple(dict.fromkeys(kinds)))


def _drop_patterns(text: str, known_words: frozenset[str], kinds: list[str]) -> str:
    """`text` without what PATTERNS match, each kind found added to `kinds`."""
    has_digit = _DIGIT.search(text) is not None  # removing text never adds one
    for kind, pattern in _COMPILED:
        if not has_digit and kind not in _NO_DIGIT_NEEDED:
            continue
        if kind == "name":
            names: list[str] = []
            text = pattern.sub(functools.partial(_drop_name, names=names), text)
            n = len(names)
        else:
            found = 0

            def drop(match: re.Match[str], kind: str = kind) -> str:
                # A help line or address the corpus itself publishes ("1-877-777-4778",
                # phishing@irs.gov) is not personal: keep it, it is what the person asks about.
                nonlocal found
                value = match.group(0)
                if public_key(value) in known_words or (kind == "number" and _corpus_numbers(value, known_words)):
                    return value
                found += 1
                return " "

            text = pattern.sub(drop, text)
            n = found
        if n:
            kinds.append(kind)
    return text


class _Names:
    """The name rules of one scrub, as replacement functions; each name removed adds "name" to `kinds`."""

    def __init__(self, known_words: frozenset[str], kinds: list[str]) -> None:
        self.known_words = known_words
        self.kinds = kinds

    def unknown_words(self, text: str) -> int:
        known = self.known_words
        return sum(1 for w in fold(text).split() if w not in _PARTICLES and w not in known and w not in COMMON_WORDS)

    def after(self, match: re.Match[str]) -> str:
        """A name after "soy", "I'm" or a title (NAME_AFTER), up to the first word the corpus uses."""
        words = match.group(3).split()
        end, unknown, capital = 0, 0, False
        for i, word in enumerate(words):
            folded = fold(word)
            if folded in _PARTICLES:
                continue
            if all(w in self.known_words or w in COMMON_WORDS for w in folded.split()):
                break
            end, unknown, capital = i + 1, unknown + 1, capital or word != word.lower()
        if not end or not (match.group(1) or unknown >= 2 or capital):
            return match.group(0)
        self.kinds.append("name")
        lead = match.group(0)[: len(match.group(0)) - len(match.group(3))]
        return lead + " " + " ".join(words[end:])

    def run(self, match: re.Match[str]) -> str:
        """Capitalised words in a row (NAME_RUN) with a word the corpus does not use."""
        # A run in capitals needs two unknown words: "PUEDO DECLRAR MIS TAXES" has a typo, not a name.
        if self.unknown_words(match.group(0)) < (2 if match.group(0) == match.group(0).upper() else 1):
            return match.group(0)
        self.kinds.append("name")
        return " "

    def stretches(self, match: re.Match[str]) -> str:
        """In a headline: each stretch of two or more unknown words of the run (particles inside it too)."""
        kept: list[str] = []
        stretch: list[str] = []  # unknown words in a row, with the particles between them
        for word in [*match.group(0).split(), ""]:  # "" ends the last stretch
            if word and stretch and fold(word) in _PARTICLES:
                stretch.append(word)
            elif word and fold(word) not in _PARTICLES and self.unknown_words(word):
                stretch.append(word)
            else:
                if len([w for w in stretch if fold(w) not in _PARTICLES]) >= 2:
                    self.kinds.append("name")
                    kept.append("")
                else:
                    kept += stretch
                stretch = []
                if word:
                    kept.append(word)
        return " ".join(kept)


def _corpus_numbers(value: str, known_words: frozenset[str]) -> bool:
    """ "1040 1099" or "2024 2025": every group has three digits or more and is a word of the corpus."""
    words = fold(value).split()
    return bool(words) and all(len(w) >= 3 and (w in known_words or w in COMMON_WORDS) for w in words)


def public_key(value: str) -> str:
    """How a published phone number or email is recognised: its last 10 digits, or lowercase."""
    if "@" in value:
        return value.strip().lower()
    digits = re.sub(r"\D", "", value)
    return "#" + digits[-10:] if len(digits) >= 10 else value.lower()


# Federal help lines people quote in their questions ("the irs called me from 800-829-1040"), though
# no explainer prints them: the IRS (individuals, businesses and EINs, forms, identity protection),
# the USCIS Contact Center and Social Security. Nobody's own number. Checked 2026-11-29 against
# public pages: 1040, 4933 https://pixelation.org/irs-phone-number-why-calling-1-800-829-1040-isnt-always-the-fix-28d
# and the IRS's Form 1040 instructions (taxmap.ntis.gov archive: 1040, 3676 "1-800-TAX-FORM", 4490
# "Identity Theft Hotline"); 5283 https://www.dhs.gov/ombudsman-update-getting-most-out-your-call-uscis-contact-center;
# 1213 the SSA's FAQ (uswds page templates copy) and other SSA guides.
GOVERNMENT_LINES = (
    "1-800-829-1040",
    "1-800-829-4933",
    "1-800-829-3676",
    "1-800-908-4490",
    "1-800-375-5283",
    "1-800-772-1213",
)


def public_values(texts: Iterable[str]) -> set[str]:
    """Phone numbers and emails published in `texts` (the corpus and the help directory), and GOVERNMENT_LINES."""
    found = {public_key(line) for line in GOVERNMENT_LINES}
    for text in texts:
        if _DIGIT.search(text) is not None:
            found |= {public_key(m.group(0)) for pattern in _PUBLIC_DIGITS for m in pattern.finditer(text)}
        if "@" in text or "\uff20" in text:
            found |= {public_key(m.group(0)) for pattern in _PUBLIC_AT for m in pattern.finditer(text)}
    return found


def _drop_name(match: re.Match[str], names: list[str]) -> str:
    # Keep the lead-in words (they carry no identity) and whatever followed the name. A stop word
    # right after the lead is no name ("my name is on my husband's return"): nothing to drop or tell.
    lead = match.group(1)
    tail = _NAME_STOP.search(" " + match.group(0)[len(lead) :])
    if tail and tail.start() == 0:
        return match.group(0)
    names.append("name")
    return " " + lead + " " + (tail.group(0) if tail else "")
