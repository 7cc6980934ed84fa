"""`python -m bot check`: the shipped corpus passes; each kind of mistake is reported as path:line."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT

from bot.cli import main


def run_check(corpus: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["check", "--corpus", str(corpus), *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def set_field(path: Path, name: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(rf"^{name}:.*$", f"{name}: {value}", text, count=1, flags=re.M)
    assert n == 1
    path.write_text(new, encoding="utf-8")


def test_shipped_corpus_passes() -> None:
    result = subprocess.run([sys.executable, "-m", "bot", "check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok:") or "\nok:" in result.stdout


Breaker = Callable[[Path], None]


def _missing_field(c: Path) -> None:
    text = (c / "en/itin-basics.md").read_text()
    (c / "en/itin-basics.md").write_text(re.sub(r"^reviewed_by:.*\n", "", text, flags=re.M))


def _duplicate_id(c: Path) -> None:
    # A second file in the same language claiming an existing id.
    (c / "en/itin-basics-copy.md").write_text((c / "en/itin-basics.md").read_text())


def _future_date(c: Path) -> None:
    set_field(c / "en/court-cases.md", "reviewed", (dt.date.today() + dt.timedelta(days=3)).isoformat())


def _duplicate_question(c: Path) -> None:
    edit(c / "en/itin-renewal.md", "questions:\n", "questions:\n  - What is an ITIN number??\n")
    edit(c / "en/itin-basics.md", "questions:\n", "questions:\n  - what is an itin number\n")


def _untranslated(c: Path) -> None:
    text = (c / "en/itin-basics.md").read_text().replace("id: itin-basics", "id: extra-topic")
    text = re.sub(r"questions:\n(  - .*\n)+", "questions: [qa one, qa two, qa three, qa four, qa five, qa six]\n", text)
    (c / "en/extra-topic.md").write_text(text)


CASES: list[tuple[str, Breaker, str, str]] = [
    ("translation missing", _untranslated, "en/extra-topic.md:1", "'extra-topic' has no 'es' translation"),
    ("missing field", _missing_field, "en/itin-basics.md:1", "missing field 'reviewed_by'"),
    (
        "wrong type",
        lambda c: set_field(c / "en/itin-basics.md", "urgent", '"no"'),
        "en/itin-basics.md:",
        "field 'urgent' must be true or false",
    ),
    (
        "questions not a list",
        lambda c: edit(c / "es/itin-basics.md", "questions:\n", "questions: una sola\nxquestions:\n"),
        "es/itin-basics.md:",
        "field 'questions' must be a list",
    ),
    ("duplicate id", _duplicate_id, "en/itin-basics-copy.md:", "id 'itin-basics' does not match the file name"),
    (
        "required topic missing",
        lambda c: (c / "es/court-cases.md").unlink(),
        "es/court-cases.md:1",
        "required topic 'court-cases' is missing in 'es'",
    ),
    (
        "non-https source",
        lambda c: edit(c / "en/itin-basics.md", "url: https://", "url: http://"),
        "en/itin-basics.md:",
        "source url must start with https://",
    ),
    (
        "unparsable date",
        lambda c: set_field(c / "en/itin-basics.md", "reviewed", "2026-13-45"),
        "en/itin-basics.md:",
        "'reviewed' is not a valid date",
    ),
    ("future date", _future_date, "en/court-cases.md:", "is in the future"),
    (
        "unknown related id",
        lambda c: set_field(c / "en/itin-basics.md", "related", "[itin-renewal, no-such-topic]"),
        "en/itin-basics.md:",
        "unknown related id 'no-such-topic'",
    ),
    (
        "same question under two topics",
        _duplicate_question,
        "en/itin-renewal.md:",
        "is also listed under 'itin-basics'",
    ),
    (
        "bad status",
        lambda c: set_field(c / "en/itin-basics.md", "status", "final"),
        "en/itin-basics.md:",
        "status must be 'vetted' or 'draft'",
    ),
    (
        "unknown help kind",
        lambda c: set_field(c / "en/itin-basics.md", "refer", "[tax-help, psychic]"),
        "en/itin-basics.md:",
        "unknown help kind 'psychic'",
    ),
    (
        "too few questions",
        lambda c: edit(c / "en/itin-basics.md", "questions:\n", "questions: [a, b]\nold_questions:\n"),
        "en/itin-basics.md:",
        "write at least 6",
    ),
    (
        "no header",
        lambda c: (c / "en/itin-basics.md").write_text("Just text\n"),
        "en/itin-basics.md:1",
        "no metadata header",
    ),
    (
        "broken yaml",
        lambda c: edit(c / "en/itin-basics.md", "title:", "title: [unclosed\nx:"),
        "en/itin-basics.md:",
        "not valid YAML",
    ),
    (
        "translations reviewed far apart",
        lambda c: set_field(c / "es/itin-renewal.md", "reviewed", "2026-06-01"),
        "es/itin-renewal.md:",
        "more than 30 days apart",
    ),
    (
        "bad phone in directory",
        lambda c: edit(c / "legal-aid.yaml", '"1-877-777-4778"', '"877 777 4778"'),
        "legal-aid.yaml:",
        "must look like",
    ),
    (
        "http url in directory",
        lambda c: edit(c / "legal-aid.yaml", "url: https://www.taxpayeradvocate", "url: http://www.taxpayeradvocate"),
        "legal-aid.yaml:",
        "must start with https://",
    ),
    (
        "unknown kind in directory",
        lambda c: edit(c / "legal-aid.yaml", "kind: case-status", "kind: astrology"),
        "legal-aid.yaml:",
        "unknown kind 'astrology'",
    ),
    (
        "unknown state in directory",
        lambda c: edit(c / "legal-aid.yaml", "coverage: national", "coverage: [CA, XX]"),
        "legal-aid.yaml:",
        "unknown state code(s) XX",
    ),
    (
        "directory entry without Spanish",
        lambda c: edit(c / "legal-aid.yaml", "    es: ", "    fr: "),
        "legal-aid.yaml:",
        "has no Spanish text",
    ),
    (
        "synonym phrase in two groups",
        lambda c: edit(c / "synonyms.yaml", "groups:\n", "groups:\n  - [zzz, la migra]\n"),
        "synonyms.yaml:",
        "'la migra' is in groups",
    ),
    (
        "urgent pattern a browser cannot run",
        lambda c: edit(c / "urgent.yaml", "  now:\n", '  now:\n    - "(?P<who>ice) at the door"\n'),
        "urgent.yaml:",
        "cannot run in a browser",
    ),
    (
        "bad urgent pattern",
        lambda c: edit(c / "urgent.yaml", "  now:\n", '  now:\n    - "(unclosed"\n'),
        "urgent.yaml:",
        "bad pattern",
    ),
]


@pytest.mark.parametrize(("name", "breaker", "where", "message"), CASES, ids=[c[0] for c in CASES])
def test_each_problem_is_reported(
    name: str, breaker: Breaker, where: str, message: str, corpus_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    breaker(corpus_copy)
    code, output = run_check(corpus_copy, capsys)
    assert code == 1, output
    lines = [line for line in output.splitlines() if message in line]
    assert lines, f"expected a line with {message!r} in:\n{output}"
    # The line names the file and the line, in the path:line: message shape.
    assert where in lines[0], lines[0]
    assert re.match(r"^\S+:\d+: ", lines[0]), lines[0]


def test_stale_review_is_a_warning_not_an_error(corpus_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run_check(corpus_copy, capsys, "--max-age-days", "0")
    # Reviewed today or earlier: with a zero-day window everything older than today is flagged.
    assert code == 0, output
    old = dt.date.today() - dt.timedelta(days=400)
    for lang in ("en", "es"):
        set_field(corpus_copy / lang / "itin-basics.md", "reviewed", old.isoformat())
    code, output = run_check(corpus_copy, capsys)
    assert code == 0, output
    assert "warning: last reviewed 400 days ago (over 180)" in output


def test_draft_is_validated_but_not_served(corpus_copy: Path) -> None:
    from bot.engine import Bot

    extra = corpus_copy / "en" / "extra-topic.md"
    text = (corpus_copy / "en" / "itin-basics.md").read_text()
    text = text.replace("id: itin-basics", "id: extra-topic").replace("status: vetted", "status: draft")
    text = re.sub(r"questions:\n(  - .*\n)+", "questions: [q one, q two, q three, q four, q five, q six]\n", text)
    extra.write_text(text)
    (corpus_copy / "es" / "extra-topic.md").write_text(text.replace("lang: en", "lang: es"))
    bot = Bot.from_path(corpus_copy)
    assert all(e.id != "extra-topic" for e in bot.corpus.served("en"))
    assert bot.explainer("extra-topic", "en") is None
