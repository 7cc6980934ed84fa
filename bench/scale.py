"""How the bot scales with the size of its corpus: load + validate, index build, `ask` latency, peak RSS.

Each size gets a corpus generated from the shipped one in a temp folder: the shipped explainers,
then copies of them in both languages with new ids (`<id>-s<k>`) and questions made distinct by
deterministic word changes, until the corpus holds SIZE explainer files (SIZE / 2 topics in each of
the two languages). The generated corpus passes `check` (the child process loads it with the same
validation the server uses, and fails on any error). Each size is measured in a fresh child process,
so peak RSS is that size's own. Load + build is also given in CPU seconds ("(CPU)"), which the
load of a shared machine inflates much less than wall-clock time.

The same corpus is then built the way a server builds it (bot/isolation.py: a child process
loads and fits, the serving process receives the fitted Bot): "serving RSS" is the serving
process's peak, which holds no scikit-learn or SciPy, and "fit child" the child's peak.

Run: .venv/bin/python bench/scale.py [--sizes 1000,4000,10000]
Targets at 10,000 explainers: load + build <= 20 s, peak RSS <= 1 GB, `ask` p50 <= 2 ms.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bot.corpus import DEFAULT_CORPUS, load_yaml

ROOT = Path(__file__).resolve().parent.parent

QUESTIONS = ROOT / "tests" / "data" / "questions.tsv"
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]  # 70 syllables


def code_word(k: int) -> str:
    """A made-up word unique to copy k ("baba", "babe", ...), so copies' questions differ."""
    out = ""
    while True:
        k, r = divmod(k, len(SYLLABLES))
        out = SYLLABLES[r] + out
        if k == 0:
            break
    return "zo" + out


def mutate(question: str, k: int, j: int) -> str:
    """Question j of copy k: one word changed (a letter doubled), two words swapped, the copy's code word added."""
    words = question.split()
    i = (k + j) % len(words)
    w = words[i]
    if len(w) > 2:
        p = (k * 7 + j) % len(w)
        words[i] = w[:p] + w[p] + w[p:]
    if len(words) > 3:
        s = (k * 3 + j) % (len(words) - 1)
        words[s], words[s + 1] = words[s + 1], words[s]
    words.insert((k + 2 * j) % (len(words) + 1), code_word(k))
    return " ".join(words)


def split(source: str) -> tuple[dict, str]:
    lines = source.split("\n")
    end = lines.index("---", 1)
    return load_yaml("\n".join(lines[1:end])), "\n".join(lines[end + 1 :])


def generate(dst: Path, size: int, src: Path = DEFAULT_CORPUS) -> int:
    """Write a corpus of `size` explainer files to `dst`; return how many it holds."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.md"))
    languages = load_yaml((src / "corpus.yaml").read_text(encoding="utf-8"))["languages"]
    per_lang = max(size // len(languages), 1)
    for lang in languages:
        originals = sorted((src / lang).glob("*.md"))
        out = dst / lang
        out.mkdir(exist_ok=True)
        for path in originals:
            shutil.copy(path, out / path.name)
        written, k = len(originals), 1
        while written < per_lang:
            for path in originals:
                if written >= per_lang:
                    break
                meta, body = split(path.read_text(encoding="utf-8"))
                meta["id"] = f"{meta['id']}-s{k}"
                meta["title"] = f"{meta['title']} ({code_word(k)})"
                meta["questions"] = [mutate(q, k, j) for j, q in enumerate(meta["questions"])]
                header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
                (out / f"{meta['id']}.md").write_text(f"---\n{header}---\n{body}", encoding="utf-8")
                written += 1
            k += 1
    return sum(len(list((dst / lang).glob("*.md"))) for lang in languages)


def child(corpus: Path) -> None:
    """Measure one corpus in this process and print the figures as JSON."""
    from bot.checks import load_corpus
    from bot.engine import Bot
    from bot.evaluation import read_rows

    t0, c0 = time.perf_counter(), time.process_time()
    loaded = load_corpus(corpus)
    t1, c1 = time.perf_counter(), time.process_time()
    bot = Bot(loaded)
    t2, c2 = time.perf_counter(), time.process_time()
    questions = [r.question for r in read_rows(QUESTIONS)]
    for q in questions[:30]:  # warm up
        bot.ask(q)
    times = []
    for q in questions:
        start = time.perf_counter()
        bot.ask(q)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(
        json.dumps(
            {
                "explainers": len(loaded.explainers),
                "load_s": t1 - t0,
                "build_s": t2 - t1,
                "load_cpu_s": c1 - c0,  # CPU time: what the shared machine's load inflates much less
                "build_cpu_s": c2 - c1,
                "ask_p50_ms": times[len(times) // 2],
                "ask_p99_ms": times[int(len(times) * 0.99)],
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def serving_child(corpus: Path) -> None:
    """Build the Bot as a server does and print the serving process's and the fitting child's peaks."""
    from bot import isolation

    t0 = time.perf_counter()
    built = isolation.build(corpus)
    seconds = time.perf_counter() - t0
    assert built.bot.ask("what is an itin").answered
    print(
        json.dumps(
            {
                "serve_build_s": seconds,
                "serving_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "fit_child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            }
        )
    )


def measure(corpus: Path, flag: str) -> dict[str, float]:
    run = subprocess.run([sys.executable, __file__, flag, str(corpus)], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        sys.exit(f"{corpus}: the child failed:\n{run.stderr[-3000:]}")
    result: dict[str, float] = json.loads(run.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", default="1000,4000,10000", help="explainer counts, comma-separated (default: %(default)s)"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--serving-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    if args.serving_child:
        serving_child(args.serving_child)
        return
    print(
        f"{'explainers':>10} {'load+validate':>14} {'build':>8} {'load+build':>11} {'(CPU)':>8}"
        f" {'ask p50':>9} {'ask p99':>9} {'peak RSS':>9} | {'as served':>9} {'serving RSS':>11} {'fit child':>9}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="bot-scale-") as tmp:
            corpus = Path(tmp) / "corpus"
            generate(corpus, size)
            r = measure(corpus, "--child")
            served = measure(corpus, "--serving-child")
            print(
                f"{r['explainers']:>10} {r['load_s']:>12.1f} s {r['build_s']:>6.1f} s {r['load_s'] + r['build_s']:>9.1f} s"
                f" {r['load_cpu_s'] + r['build_cpu_s']:>6.1f} s"
                f" {r['ask_p50_ms']:>6.2f} ms {r['ask_p99_ms']:>6.2f} ms {r['rss_mb']:>6.0f} MB"
                f" | {served['serve_build_s']:>7.1f} s {served['serving_rss_mb']:>8.0f} MB"
                f" {served['fit_child_rss_mb']:>6.0f} MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
