"""Retrieval quality on the dev set: this engine beside a BM25 baseline over the same explainers.

Run: .venv/bin/pip install -e '.[bench]' && .venv/bin/python bench/quality.py [FILE.tsv]

The baseline indexes the same text per explainer (title, summary, questions, body) with bm25s,
one index per language, and declines below a threshold calibrated the same way (the best
accuracy + decline rate with at least 85% of off-topic questions declined).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.engine import Bot  # noqa: E402
from bot.evaluation import evaluate, read_rows  # noqa: E402
from bot.lang import STOPWORDS  # noqa: E402
from bot.text import tokens  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "questions.tsv"


def bm25_baseline(bot: Bot, rows: list) -> dict[str, tuple[float, float, float]]:  # noqa: ANN001
    import bm25s

    out = {}
    for lang in bot.corpus.languages:
        explainers = bot.corpus.served(lang)
        docs = [
            [t for t in tokens(" ".join((e.title, e.summary, *e.questions, e.text))) if t not in STOPWORDS[lang]]
            for e in explainers
        ]
        retriever = bm25s.BM25()
        retriever.index(docs, show_progress=False)
        scored = []
        for row in (r for r in rows if r.lang == lang):
            query = [t for t in tokens(row.question) if t not in STOPWORDS[lang]]
            scores = retriever.get_scores(query) if query else np.zeros(len(explainers))
            best = int(np.argmax(scores))
            scored.append((row, explainers[best].id, float(scores[best])))
        best_key = None
        for th in sorted({s for _, _, s in scored} | {0.0}):
            ins = [(r, i, s) for r, i, s in scored if r.in_scope]
            off = [(r, i, s) for r, i, s in scored if not r.in_scope]
            acc = sum(s >= th and i in r.expect for r, i, s in ins) / len(ins)
            dec = sum(s < th for r, i, s in off) / len(off)
            raw = sum(i in r.expect for r, i, s in ins) / len(ins)
            key = (dec >= 0.85, acc + dec)
            if best_key is None or key > best_key[0]:
                best_key = (key, acc, dec, raw)
        out[lang] = best_key[1:]
    return out


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    rows = read_rows(path)
    bot = Bot.from_path()
    start = time.perf_counter()
    ours = evaluate(bot, rows).as_dict()["languages"]
    elapsed = time.perf_counter() - start
    base = bm25_baseline(bot, rows)
    print(f"dev set: {path.name}, {len(rows)} rows ({elapsed:.2f} s for ours)\n")
    print("| language | engine | top-1 accuracy (in scope) | off-topic declined |")
    print("|---|---|---|---|")
    for lang in bot.corpus.languages:
        o = ours[lang]
        print(
            f"| {lang} | this bot (TF-IDF words + chars, synonyms, out-of-scope) | {o['top1_accuracy']:.1%} | {o['decline_rate']:.1%} |"
        )
        acc, dec, raw = base[lang]
        print(f"| {lang} | BM25 baseline (bm25s, calibrated threshold) | {acc:.1%} (raw top-1 {raw:.1%}) | {dec:.1%} |")


if __name__ == "__main__":
    main()
