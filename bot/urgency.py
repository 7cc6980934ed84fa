"""Tell an emergency happening now from a question about one that might happen someday.

Mirrored in web/static/engine.js (private mode); tests/test_private.py holds the two equal.

The rules are data (`corpus/urgent.yaml`) so a deployment's lawyer can read and extend them, and
a browser can run the same list. Folded text keeps them simple: no accents, no punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.jsregex import js_regex
from bot.text import fold

RULE_KINDS = ("now", "certain", "not_now", "crisis")


class UrgencyRules:
    def __init__(self, rules: Mapping[str, Mapping[str, Sequence[str]]]) -> None:
        self._compiled = {
            kind: [re.compile(p) for lang_rules in rules.values() for p in lang_rules.get(kind, ())]
            for kind in RULE_KINDS
        }

    def is_urgent(self, question: str) -> bool:
        text = fold(question)
        if any(p.search(text) for p in self._compiled["certain"]):
            return True
        if not any(p.search(text) for p in self._compiled["now"]):
            return False
        return not any(p.search(text) for p in self._compiled["not_now"])

    def is_crisis(self, question: str) -> bool:
        """Words of despair ("quiero morir", "kill myself"): whatever else the reply says, the crisis
        line leads its help. A missed one is worse than a needless one, so there is no `not_now`."""
        text = fold(question)
        return any(p.search(text) for p in self._compiled["crisis"])


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
        for kind, patterns in rules.items():
            if kind not in RULE_KINDS:
                problems.append((f"{lang}.{kind}", f"unknown rule kind; use one of {', '.join(RULE_KINDS)}"))
                continue
            for p in patterns or ():
                try:
                    re.compile(p)
                except (re.error, TypeError) as exc:
                    problems.append((f"{lang}.{kind}", f"bad pattern {p!r}: {exc}"))
                    continue
                # Private mode runs the same rules in the browser: refuse Python-only syntax now,
                # not when a deployment exports its site.
                try:
                    js_regex(p)
                except ValueError as exc:
                    problems.append((f"{lang}.{kind}", f"pattern {p!r} cannot run in a browser: {exc}"))
    return problems
