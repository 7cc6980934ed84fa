"""Tell an emergency happening now from a question about one that might happen someday.

Mirrored in web/static/engine.js (private mode); tests/test_private.py holds the two equal.

The rules are data (`corpus/urgent.yaml`) so a deployment's lawyer can read and extend them, and
a browser can run the same list. Folded text keeps them simple: no accents, no punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.jsregex import js_regex
from bot.text import fold

RULE_KINDS = ("now", "certain", "not_now", "crisis", "abuse")
# A language's `words:` names a list a rule uses more than once ("places: school|store|church"), so a
# lawyer edits one line; a rule says `{{places}}` where it belongs, and loading puts the list in.
WORDS = "words"
_WORD = re.compile(r"\{\{(\w+)\}\}")


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

    def is_urgent(self, question: str) -> bool:
        return self.urgent_folded(fold(question))

    def urgent_folded(self, text: str) -> bool:
        """`is_urgent` for text already folded (`bot.text.fold`)."""
        if self.matches("certain", text):
            return True
        return self.matches("now", text) and not self.matches("not_now", text)

    def is_crisis(self, question: str) -> bool:
        """Words of despair ("quiero morir", "kill myself"): whatever else the reply says, the crisis
        line leads its help. A missed one is worse than a needless one, so there is no `not_now`."""
        return self.matches("crisis", fold(question))

    def matches(self, kind: str, text: str) -> bool:
        """Whether a rule of `kind` matches `text`, already folded. `abuse` (a partner's threat with
        immigration) works like `crisis`: the answer stays, its help line leads, no `not_now`."""
        return any(p.search(text) for p in self._compiled[kind])


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
