"""Speed and memory of the engine: index build time, in-process `ask` latency, peak RSS.

Run: .venv/bin/python bench/speed.py   (targets, issue 15: build <= 1 s, median <= 0.4 ms, p99 <= 2 ms; earlier: RSS < 150 MB)
"""

from __future__ import annotations

import importlib
import resource
import statistics
import time
from pathlib import Path

from bot.checks import load_corpus
from bot.engine import Bot
from bot.evaluation import read_rows

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def main() -> None:
    # Building imports scikit-learn on first use (bot/fitting.py); time that apart from the build.
    start = time.perf_counter()
    importlib.import_module("bot.fitting")
    imported = time.perf_counter() - start
    t0 = time.perf_counter()
    corpus = load_corpus()
    t1 = time.perf_counter()
    bot = Bot(corpus)
    t2 = time.perf_counter()
    questions = [r.question for r in read_rows(DATA / "questions.tsv")]
    for q in questions[:50]:  # warm up
        bot.ask(q)
    times = []
    for _ in range(5):
        for q in questions:
            start = time.perf_counter()
            bot.ask(q)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"import scikit-learn    : {1000 * imported:7.1f} ms  (a server does it in its build child)")
    print(f"load + validate corpus : {1000 * (t1 - t0):7.1f} ms")
    print(f"build indexes          : {1000 * (t2 - t1):7.1f} ms")
    print(f"ask, median            : {statistics.median(times):7.3f} ms  ({len(times)} questions)")
    print(f"ask, p99               : {times[int(len(times) * 0.99)]:7.3f} ms")
    print(f"peak RSS               : {rss_mb:7.1f} MB")


if __name__ == "__main__":
    main()
