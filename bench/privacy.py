"""Personal-data scrubber: recall per kind on tests/data/personal-data.tsv, false positives on the dev set.

Run: .venv/bin/python bench/privacy.py

A value counts as removed only when none of its identifying pieces survives `scrub()` (the call the
server makes): every number of two digits or more and every word that is not a generic word such as
"street", "calle", "box" or a month. So `123-45-6789` scrubbed to `6789` is a miss, not a pass.
False positives: ordinary questions of tests/data/questions.tsv and bench/holdout.tsv that lose
anything at all to the scrubber. Also times the slowest of a few crafted 1,000-character inputs.
"""

from __future__ import annotations

import csv
import re
import time
import unicodedata
from collections import Counter
from pathlib import Path

from bot.engine import Bot
from bot.privacy import scrub
from bot.text import clean_input

ROOT = Path(__file__).resolve().parent.parent

PERSONAL = ROOT / "tests" / "data" / "personal-data.tsv"
ORDINARY = (ROOT / "tests" / "data" / "questions.tsv", ROOT / "bench" / "holdout.tsv")

# Words that say what a value is, not whose it is: they may stay.
GENERIC = frozenset(
    "street st avenue ave av road rd boulevard blvd drive dr lane ln court ct way terrace hwy apt unit suite "
    "po p o box north south east west n s e w nw ne sw se jr casa calle avenida callejon callejón calzada camino "
    "colonia col depto interior num no numero número apartado postal es el de del la las los los mes dia día año "
    "of the on st nd rd th ro º o mr mrs ms sr sra don doña señora señor "
    "january february march april may june july august september sept october november december "
    "jan feb mar apr jun jul aug sep oct nov dec enero febrero marzo abril mayo junio julio agosto "
    "septiembre setiembre octubre noviembre diciembre primero "
    "tx ca az il tn wa ny dc".split()
)


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def words(text: str) -> list[str]:
    """Lower-case letters-and-digits runs, fullwidth forms folded to ASCII."""
    return re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text).lower())


def numbers(text: str) -> list[str]:
    """Digit runs; digits typed one by one ("1 2 3 4") count as one run."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<![0-9])([0-9]) (?=[0-9](?![0-9]))", r"\1", text)
    return re.findall(r"[0-9]+", text)


def pieces(value: str) -> set[str]:
    """The identifying parts of a value: numbers of two or more digits and non-generic words."""
    if "@" in value or "＠" in value:
        value = re.split("[@＠]", value)[0]  # an e-mail's mailbox names the person; the domain may stay
    named = {w for w in words(value) if len(w) >= 2 and w not in GENERIC and not any(c.isdigit() for c in w)}
    return named | {n for n in numbers(value) if len(n) >= 2}


def left(value: str, text: str) -> set[str]:
    """The pieces of `value` still in `text`: a word or short number as a whole word, or any four
    digits in a row of a longer number (`6789` left of `123-45-6789`)."""
    found = set(words(text)) | set(numbers(text))
    stream = "".join(numbers(text))
    out = set()
    for p in pieces(value):
        if p in found or (len(p) > 4 and any(p[i : i + 4] in stream for i in range(len(p) - 3))):
            out.add(p)
    return out


def personal_rows() -> list[dict[str, str]]:
    return read(PERSONAL)


def values(row: dict[str, str]) -> list[str]:
    return [v.strip() for v in row["values"].split(" | ")]


def main() -> None:
    bot = Bot.from_path()
    rows = personal_rows()
    total: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    misses = []
    for row in rows:
        cleaned = scrub(clean_input(row["question"]), bot.known_words).text
        for value in values(row):
            total[row["kind"]] += 1
            rest = left(value, cleaned)
            if rest:
                misses.append((row["kind"], row["question"], cleaned, sorted(rest)))
            else:
                removed[row["kind"]] += 1
    print(f"Recall on {PERSONAL.relative_to(ROOT)} ({len(rows)} inputs, {sum(total.values())} values)")
    for kind in sorted(total):
        print(f"  {kind:10} {removed[kind]:4}/{total[kind]:<4} {removed[kind] / total[kind]:6.1%}")
    all_removed, all_total = sum(removed.values()), sum(total.values())
    print(f"  {'all':10} {all_removed:4}/{all_total:<4} {all_removed / all_total:6.1%}")
    for kind, question, cleaned, rest in misses:
        print(f"  miss [{kind}] {question!r} -> {cleaned!r} left {rest}")

    print("\nFalse positives (ordinary questions that lose something to the scrubber)")
    for path in ORDINARY:
        ordinary = read(path)
        flagged = [
            (r["question"], found.kinds) for r in ordinary if (found := scrub(r["question"], bot.known_words)).found
        ]
        print(f"  {path.relative_to(ROOT)}: {len(flagged)}/{len(ordinary)}")
        for question, kinds in flagged:
            print(f"    {kinds} {question!r}")

    crafted = ["1-" * 500, "a." * 500, "a" * 999 + "@", "1 " * 500, "Aa " * 333, "calle " * 166, "my name is " * 90]
    worst = 0.0
    for text in crafted:
        best = float("inf")
        for _ in range(5):  # best of five: the machine is shared, one run measures the neighbours
            start = time.perf_counter()
            scrub(text, bot.known_words)
            best = min(best, time.perf_counter() - start)
        worst = max(worst, best)
    print(f"\nSlowest crafted 1,000-character input (best of 5 runs): {worst * 1000:.1f} ms")


if __name__ == "__main__":
    main()
