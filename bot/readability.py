"""Readability: the summaries, the first thing a person reads, and the length of every sentence.

English is scored with the Flesch–Kincaid grade level and Spanish with the Fernández-Huerta
reading ease (its 60–70 band is the 7th–8th-grade level), both from `textstat`. Above grade 8 is a
warning, not an error: a formula counts syllables and sentences, it does not understand the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.corpus import Explainer, Problem

EN_MAX_GRADE = 8.0
ES_MIN_EASE = 60.0
# Plain-language guides aim at sentences of 15-20 words; past 40 a reader on a small screen loses the
# thread. A warning, as for the summary: some sentences carry a list that reads fine.
MAX_SENTENCE_WORDS = 40
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")  # a Markdown link counts as its text
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def score(text: str, lang: str) -> float:
    """Flesch–Kincaid grade for English, Fernández-Huerta ease for Spanish."""
    # Imported here: only `check` scores text, and the server should not pay for the import.
    import textstat

    textstat.set_lang(lang)
    return float(textstat.flesch_kincaid_grade(text) if lang == "en" else textstat.fernandez_huerta(text))


def too_hard(value: float, lang: str) -> bool:
    return value > EN_MAX_GRADE if lang == "en" else value < ES_MIN_EASE


def summary_problems(explainers: Sequence[Explainer]) -> list[Problem]:
    """A warning for each summary that reads above grade 8."""
    problems: list[Problem] = []
    for e in explainers:
        if e.lang not in ("en", "es"):
            continue
        value = score(e.summary, e.lang)
        if not too_hard(value, e.lang):
            continue
        if e.lang == "en":
            message = f"summary reads at Flesch-Kincaid grade {value:.1f} (over {EN_MAX_GRADE:g})"
        else:
            message = f"summary scores {value:.1f} on the Fernández-Huerta scale (under {ES_MIN_EASE:g}: above grade 8)"
        problems.append(
            Problem(
                e.path,
                e.lines.get("summary", 1),
                f"{message}; use shorter sentences and shorter words",
                warning=True,
            )
        )
    return problems


def long_sentence_problems(explainers: Sequence[Explainer]) -> list[Problem]:
    """A warning, at its line, for each sentence of a body longer than MAX_SENTENCE_WORDS words."""
    problems: list[Problem] = []
    for e in explainers:
        start = e.lines.get("body", 1)
        for n, line in enumerate(e.body.split("\n")):
            for sentence in _SENTENCE_END.split(_LINK.sub(r"\1", _LIST_MARK.sub("", line))):
                words = len(sentence.split())
                if words > MAX_SENTENCE_WORDS:
                    problems.append(
                        Problem(
                            e.path,
                            start + n,
                            f"a sentence of {words} words ({sentence[:40].strip()}...); split it: plain language "
                            f"keeps sentences short, {MAX_SENTENCE_WORDS} words at most",
                            warning=True,
                        )
                    )
    return problems
