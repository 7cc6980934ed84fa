"""Score a bot against a table of questions and expected topics (the `eval` and `calibrate` commands).

The table is TSV with a header naming at least `lang`, `expect` and `question`; `expect` is a topic
id, several acceptable ids separated by commas, or `none` for a question the bot should decline.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.engine import Bot
from bot.reply import Reply


@dataclass(frozen=True, slots=True)
class Row:
    lang: str
    expect: frozenset[str]  # empty means "should decline"
    question: str

    @property
    def in_scope(self) -> bool:
        return bool(self.expect)


def read_rows(path: Path) -> list[Row]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = {"lang", "expect", "question"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: the header must name the columns {', '.join(sorted(missing))}")
        rows = []
        for r in reader:
            expect = r["expect"].strip()
            ids = frozenset() if expect == "none" else frozenset(x.strip() for x in expect.split(",") if x.strip())
            rows.append(Row(r["lang"].strip(), ids, r["question"]))
        return rows


@dataclass
class LangScore:
    in_scope: int = 0
    correct: int = 0
    off_topic: int = 0
    declined: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.in_scope if self.in_scope else 1.0

    @property
    def decline_rate(self) -> float:
        return self.declined / self.off_topic if self.off_topic else 1.0


@dataclass
class Result:
    by_lang: dict[str, LangScore] = field(default_factory=dict)
    misses: list[dict[str, object]] = field(default_factory=list)
    language_correct: int = 0
    rows: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "languages": {
                lang: {
                    "in_scope": s.in_scope,
                    "top1_accuracy": round(s.accuracy, 4),
                    "off_topic": s.off_topic,
                    "decline_rate": round(s.decline_rate, 4),
                }
                for lang, s in sorted(self.by_lang.items())
            },
            "language_detection": round(self.language_correct / self.rows, 4) if self.rows else 1.0,
            "misses": self.misses,
        }


def is_correct(row: Row, reply: Reply) -> bool:
    if row.in_scope:
        return reply.answered and reply.answer is not None and reply.answer.id in row.expect
    return not reply.answered


def evaluate(bot: Bot, rows: Iterable[Row], *, detect: bool = True) -> Result:
    """Ask every row (with language detection unless `detect` is False) and score the replies."""
    result = Result()
    for row in rows:
        reply = bot.ask(row.question, None if detect else row.lang)
        score = result.by_lang.setdefault(row.lang, LangScore())
        result.rows += 1
        result.language_correct += reply.lang == row.lang
        ok = is_correct(row, reply)
        if row.in_scope:
            score.in_scope += 1
            score.correct += ok
        else:
            score.off_topic += 1
            score.declined += ok
        if not ok:
            result.misses.append(
                {
                    "lang": row.lang,
                    "question": row.question,
                    "expected": ",".join(sorted(row.expect)) or "none",
                    "got": reply.answer.id if reply.answer else "none",
                    "confidence": reply.confidence,
                }
            )
    return result


def calibrate(bot: Bot, rows: list[Row], lang: str, steps: int = 60) -> list[tuple[float, float, float]]:
    """(threshold, accuracy, decline rate) for a sweep of thresholds in one language.

    One search per row, then thresholds are applied to the recorded scores, so the sweep is cheap.
    """
    scored: list[tuple[Row, str, float]] = []
    for row in rows:
        if row.lang != lang:
            continue
        hits = bot.indexes[lang].search(row.question)
        scored.append((row, hits[0].id, hits[0].score))
    table = []
    for i in range(steps + 1):
        th = round(i / steps * 0.6, 4)
        in_scope = [(r, id, s) for r, id, s in scored if r.in_scope]
        off = [(r, id, s) for r, id, s in scored if not r.in_scope]
        # An out-of-scope subject on top is a decline whatever its score.
        acc = sum(1 for r, id, s in in_scope if s >= th and id in r.expect) / max(len(in_scope), 1)
        dec = sum(1 for r, id, s in off if s < th or id in bot.out_of_scope) / max(len(off), 1)
        table.append((th, acc, dec))
    return table
