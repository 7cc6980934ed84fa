"""Tell an emergency happening now from a question about one that might happen someday.

Mirrored in web/static/engine.js (private mode); tests/test_private.py holds the two equal.

The rules are data (`corpus/urgent.yaml`) so a deployment's lawyer can read and extend them, and
a browser can run the same list. Folded text keeps them simple: no accents, no punctuation.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.jsregex import js_regex
from bot.text import fold

RULE_KINDS = ("now", "certain", "not_now", "crisis", "abuse", "scene")
# A language's `words:` names a list a rule uses more than once ("places: school|store|church"), so a
# lawyer edits one line; a rule says `{{places}}` where it belongs, and loading puts the list in.
WORDS = "words"
_WORD = re.compile(r"\{\{(\w+)\}\}")
# The standard library's regex parser (Python >= 3.11; typeshed has no stubs for it), whose tree
# `_required` reads. If a later Python changes it, every rule simply runs unscreened.
_sre: Any = importlib.import_module("re._parser")
# A rule's screen: the first three letters of its words, and the words (`_screen`).
Screen = tuple[frozenset[str], tuple[str, ...]]


def expand_words(raw: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, tuple[str, ...]]]:
    """Each language's rules with its named word lists put in, as groups; `words` itself is dropped."""
    return {
        lang: {
            kind: tuple(_put_words(p, by_kind.get(WORDS) or {}) for p in patterns or ())
            for kind, patterns in by_kind.items()
            if kind != WORDS
        }
        for lang, by_kind in raw.items()
    }


def _put_words(pattern: str, words: Mapping[str, str]) -> str:
    return _WORD.sub(lambda m: f"(?:{words[m.group(1)]})", pattern)


class UrgencyRules:
    def __init__(self, rules: Mapping[str, Mapping[str, Sequence[str]]]) -> None:
        self._compiled = {
            kind: [re.compile(p) for lang_rules in rules.values() for p in lang_rules.get(kind, ())]
            for kind in RULE_KINDS
        }
        # Each kind's rules with the screens that skip them, found by the grams of their words.
        self._lookup = {kind: _Lookup(patterns) for kind, patterns in self._compiled.items()}

    def is_urgent(self, question: str) -> bool:
        return self.urgent_folded(fold(question))

    def urgent_folded(self, text: str, grams: frozenset[str] | None = None) -> bool:
        """`is_urgent` for text already folded (`bot.text.fold`); `grams` as `matches` takes them."""
        grams = trigrams(text) if grams is None else grams
        if self.matches("certain", text, grams):
            return True
        return self.matches("now", text, grams) and not self.matches("not_now", text, grams)

    def scene_folded(self, text: str, grams: frozenset[str] | None = None) -> bool:
        """Whether `text` tells a scene happening now ("the officer is asking me for papers here"),
        read only once retrieval has answered with an urgent card: the `now` rules missed it, but
        the card and the present tense together make it an emergency."""
        grams = trigrams(text) if grams is None else grams
        return self.matches("scene", text, grams) and not self.matches("not_now", text, grams)

    def is_crisis(self, question: str) -> bool:
        """Words of despair ("quiero morir", "kill myself"): whatever else the reply says, the crisis
        line leads its help. A missed one is worse than a needless one, so there is no `not_now`."""
        return self.matches("crisis", fold(question))

    def matches(self, kind: str, text: str, grams: frozenset[str] | None = None) -> bool:
        """Whether a rule of `kind` matches `text`, already folded. `abuse` (a partner's threat with
        immigration) works like `crisis`: the answer stays, its help line leads, no `not_now`.

        `grams` is `trigrams(text)`, for a caller that asks of several kinds. A rule whose words
        the text cannot contain is skipped without running it: most rules start with `\\b`,
        which keeps Python's regex engine from jumping to a literal, so running every rule cost
        about 0.1 ms, a fifth of answering.
        """
        grams = trigrams(text) if grams is None else grams
        has = text.__contains__
        for pattern, words in self._lookup[kind].candidates(grams):
            if words and not any(map(has, words)):
                continue
            if pattern.search(text):
                return True
        return False


class _Lookup:
    """A kind's rules found by the three-letter grams of their screens' words, so a question looks
    only at the rules it could match: most questions share a gram with a handful of a kind's
    rules, and visiting all of them in Python cost more than running the few that remain."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        screened = [(pattern, _screen(pattern)) for pattern in patterns]
        self._rules = [(pattern, screen[1] if screen else ()) for pattern, screen in screened]
        self._always = frozenset(i for i, (_, screen) in enumerate(screened) if screen is None)
        by_gram: dict[str, set[int]] = {}
        for i, (_, screen) in enumerate(screened):
            for gram in screen[0] if screen else ():
                by_gram.setdefault(gram, set()).add(i)
        self._by_gram = {gram: frozenset(rules) for gram, rules in by_gram.items()}
        self._grams = frozenset(self._by_gram)

    def candidates(self, grams: frozenset[str]) -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
        """The rules whose screens share a gram with `grams`, and those without a screen, in the
        rules' order, each with the words of which the text must contain one (none: always run)."""
        found = set(self._always)
        for gram in self._grams & grams:
            found |= self._by_gram[gram]
        return [self._rules[i] for i in sorted(found)]


def trigrams(text: str) -> frozenset[str]:
    """Every run of three characters in `text`: the set a rule's screen is checked against."""
    return frozenset(text[i : i + 3] for i in range(len(text) - 2))


def _screen(pattern: re.Pattern[str]) -> Screen | None:
    """Words of which every match of `pattern` contains at least one, with their first three
    letters; None when no such words of three letters or more can be told (then the rule always
    runs). Skipping a rule whose words are all absent cannot change a result, only its cost."""
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        words = _required(_sre.parse(pattern.pattern))
    except Exception:  # a parser from another Python version: run the rule, as before screens
        return None
    if not words or min(map(len, words)) < 3:
        return None
    return frozenset(w[:3] for w in words), tuple(sorted(words))


def _required(items: Any) -> frozenset[str] | None:
    """Strings of which every match of a parsed sequence contains one, or None if unknown.

    Of the parts that must match (a run of literal letters; a group; a choice whose every branch
    has such strings; a part repeated at least once; a lookahead, which the text must contain
    too), the one with the longest shortest string is kept. Anything else tells nothing.
    """
    found: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in [*items, (None, None)]:  # a last stop to close a run of letters
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            found.append(frozenset({"".join(run)}))
            run = []
        part: frozenset[str] | None = None
        if op is _sre.SUBPATTERN and not av[1] & re.IGNORECASE:  # (group, add_flags, del_flags, items)
            part = _required(av[3])
        elif op is _sre.BRANCH:
            branches = [_required(branch) for branch in av[1]]
            part = None if None in branches else frozenset().union(*branches)  # type: ignore[arg-type]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            part = _required(av[2])
        elif op is _sre.ATOMIC_GROUP:
            part = _required(av)
        elif op is _sre.ASSERT:  # (direction, items): a lookahead or lookbehind that must hold
            part = _required(av[1])
        if part:
            found.append(part)
    return max(found, key=lambda words: (min(map(len, words)), -len(words)), default=None)


def check_rules(raw: object) -> list[tuple[str, str]]:
    """Problems in an urgent-rules mapping, as (where, message) pairs."""
    problems: list[tuple[str, str]] = []
    if not isinstance(raw, dict):
        return [("", "must map a language code to its rules")]
    for lang, rules in raw.items():
        if not isinstance(rules, dict):
            kinds = ", ".join(f"'{k}'" for k in RULE_KINDS)
            problems.append((str(lang), f"must map {kinds} to lists of patterns"))
            continue
        words = rules.get(WORDS) or {}
        if not isinstance(words, dict) or not all(isinstance(v, str) and v for v in words.values()):
            problems.append((f"{lang}.{WORDS}", "must map a name to one list of words ('school|store|church')"))
            continue
        for kind, patterns in rules.items():
            if kind == WORDS:
                continue
            if kind not in RULE_KINDS:
                problems.append((f"{lang}.{kind}", f"unknown rule kind; use one of {', '.join(RULE_KINDS)}"))
                continue
            for p in patterns or ():
                message = _pattern_problem(p, words, lang)
                if message:
                    problems.append((f"{lang}.{kind}", message))
    return problems


def _pattern_problem(pattern: object, words: Mapping[str, str], lang: str) -> str | None:
    """What is wrong with one rule, once its word lists are put in; None if nothing."""
    unknown = [m.group(1) for m in _WORD.finditer(str(pattern)) if m.group(1) not in words]
    if unknown:
        return f"pattern {pattern!r} uses {{{{{unknown[0]}}}}}, which '{lang}.{WORDS}' does not name"
    if not isinstance(pattern, str):
        return f"bad pattern {pattern!r}: not text"
    full = _put_words(pattern, words)
    try:
        re.compile(full)
    except re.error as exc:
        return f"bad pattern {pattern!r}: {exc}"
    # Private mode runs the same rules in the browser: refuse Python-only syntax now, not when a
    # deployment exports its site.
    try:
        js_regex(full)
    except ValueError as exc:
        return f"pattern {pattern!r} cannot run in a browser: {exc}"
    return None
