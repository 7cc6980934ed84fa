"""`python -m bot check`: the shipped corpus passes; each kind of mistake is reported as path:line.

The mistakes are made in a two-topic corpus built in a temp folder (the tiny_corpus fixture, tests/helpers.py), which
passes `check` untouched, so each case's error comes from its one change."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import ROOT, TINY_TOPICS

from bot.checks import validate
from bot.cli import main
from bot.corpus import DEFAULT_CORPUS

# The required topics of the shipped corpus (the team's topic list, kept outside this repository), in their documented order. Their ids
# are a public contract: other deployments link to them and the quality benchmark scores answers by them.
SHIPPED_REQUIRED = [
    "irs-ice-agreement",
    "what-ice-must-provide",
    "taxpayer-confidentiality",
    "court-cases",
    "itin-basics",
    "itin-renewal",
    "should-i-file",
    "what-the-irs-knows",
    "mixed-status-households",
    "tax-preparers",
    "credits-and-refunds",
    "getting-legal-help",
    "ice-at-the-door",
    "final-removal-order",
    "scams-and-impersonators",
    "chat-privacy",
    "taxes-immigrants-pay",
]


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


def test_shipped_corpus_passes(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code = main(["check"])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    assert out.out.startswith("ok:") or "\nok:" in out.out


def test_shipped_corpus_requires_every_topic_of_topics_md() -> None:
    report = validate(DEFAULT_CORPUS, editorial=False)
    assert report.corpus is not None, report.errors
    assert list(report.corpus.required_topics) == SHIPPED_REQUIRED


def test_the_tiny_test_corpus_passes(tiny_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Every case below breaks one thing in this corpus; it must pass untouched for that to mean anything.
    code, output = run_check(tiny_corpus, capsys)
    assert code == 0, output
    report = validate(tiny_corpus, editorial=False)
    assert report.corpus is not None and report.corpus.required_topics == TINY_TOPICS
    assert {e.id for e in report.corpus.explainers} == set(TINY_TOPICS)


def test_a_corpus_may_require_no_topic(tiny_corpus: Path) -> None:
    # A deployment's own corpus is not held to the shipped ids: without `required_topics` nothing is required.
    manifest = tiny_corpus / "corpus.yaml"
    manifest.write_text(re.sub(r"^required_topics:.*\n", "", manifest.read_text(), flags=re.M))
    for lang in ("en", "es"):
        (tiny_corpus / lang / "itin-basics.md").unlink()
        set_field(tiny_corpus / lang / "ice-at-the-door.md", "related", "[]")
    report = validate(tiny_corpus, editorial=False)
    assert report.corpus is not None, [str(p) for p in report.errors]
    assert report.corpus.required_topics == ()


Breaker = Callable[[Path], None]


def _missing_field(c: Path) -> None:
    text = (c / "en/itin-basics.md").read_text()
    (c / "en/itin-basics.md").write_text(re.sub(r"^reviewed_by:.*\n", "", text, flags=re.M))


def _duplicate_id(c: Path) -> None:
    # A second file in the same language claiming an existing id.
    (c / "en/itin-basics-copy.md").write_text((c / "en/itin-basics.md").read_text())


def _future_date(c: Path) -> None:
    set_field(c / "en/itin-basics.md", "reviewed", (dt.date.today() + dt.timedelta(days=3)).isoformat())


def _duplicate_question(c: Path) -> None:
    # ice-at-the-door is read first, so itin-basics is the one that repeats a question.
    edit(c / "en/itin-basics.md", "questions:\n", "questions:\n  - What is an ITIN number??\n")
    edit(c / "en/ice-at-the-door.md", "questions:\n", "questions:\n  - what is an itin number\n")


def append_body(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text + "\n", encoding="utf-8")


def _untranslated(c: Path) -> None:
    text = (c / "en/itin-basics.md").read_text().replace("id: itin-basics", "id: extra-topic")
    text = re.sub(r"questions:\n(  - .*\n)+", "questions: [qa one, qa two, qa three, qa four, qa five, qa six]\n", text)
    (c / "en/extra-topic.md").write_text(text)


def _amount_changed(c: Path) -> None:
    # The same sentence in both languages, with the amount changed in the Spanish one.
    append_body(c / "en/itin-basics.md", "Some credits pay up to $500 for each dependent.")
    append_body(c / "es/itin-basics.md", "Algunos créditos pagan hasta $600 por cada dependiente.")


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
        lambda c: (c / "es/itin-basics.md").unlink(),
        "es/itin-basics.md:1",
        "required topic 'itin-basics' is missing in 'es'",
    ),
    (
        "required topics not a list",
        lambda c: edit(c / "corpus.yaml", "required_topics: [", "required_topics: itin-basics\nold: ["),
        "corpus.yaml:",
        "'required_topics' must be a list of explainer ids",
    ),
    (
        "required topic listed twice",
        lambda c: edit(c / "corpus.yaml", "required_topics: [", "required_topics: [itin-basics, "),
        "corpus.yaml:",
        "required topic 'itin-basics' is listed twice",
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
    ("future date", _future_date, "en/itin-basics.md:", "is in the future"),
    (
        "unknown related id",
        lambda c: set_field(c / "en/itin-basics.md", "related", "[ice-at-the-door, no-such-topic]"),
        "en/itin-basics.md:",
        "unknown related id 'no-such-topic'",
    ),
    (
        "a source's title line deleted, leaving two urls in one source",
        lambda c: edit(c / "en/itin-basics.md", '  - title: "IRS: About Form W-7"\n', ""),
        "en/itin-basics.md:",
        "'url' is written twice in the same block",
    ),
    (
        "empty reviewer",
        lambda c: set_field(c / "en/itin-basics.md", "reviewed_by", '""'),
        "en/itin-basics.md:",
        "field 'reviewed_by' is empty",
    ),
    (
        "same question twice in one file",
        lambda c: edit(
            c / "en/itin-basics.md", "questions:\n", "questions:\n  - What is an ITIN?\n  - what is an itin\n"
        ),
        "en/itin-basics.md:",
        "repeats the one on line",
    ),
    (
        "a tab in the metadata",
        lambda c: edit(c / "en/itin-basics.md", "questions:\n  - ", "questions:\n\t- "),
        "en/itin-basics.md:",
        "tab character",
    ),
    (
        "metadata header not closed",
        lambda c: edit(c / "en/itin-basics.md", "\n---\n", "\n--\n"),
        "en/itin-basics.md:1:",
        "no closing line '---'",
    ),
    (
        "same question under two topics",
        _duplicate_question,
        "en/itin-basics.md:",
        "is also listed under 'ice-at-the-door'",
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
        lambda c: set_field(c / "es/itin-basics.md", "reviewed", "2026-06-01"),
        "es/itin-basics.md:",
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
        "script tag in a body",
        lambda c: append_body(c / "en/itin-basics.md", "Read this <script>alert(1)</script> now."),
        "en/itin-basics.md:",
        "raw HTML '<script>' in the body",
    ),
    (
        "iframe in a body",
        lambda c: append_body(c / "es/itin-basics.md", '<iframe src="https://evil.example/"></iframe>'),
        "es/itin-basics.md:",
        "raw HTML '<iframe",
    ),
    (
        "javascript link in a body",
        lambda c: append_body(c / "en/itin-basics.md", "[Click here](javascript:alert(1))"),
        "en/itin-basics.md:",
        "link 'javascript:alert(1)' is not an https://",
    ),
    (
        "protocol-relative link in a body",
        lambda c: append_body(c / "en/itin-basics.md", "[IRS](//evil.example/phish)"),
        "en/itin-basics.md:",
        "link '//evil.example/phish' is not an https://",
    ),
    (
        "relative link in a body",
        lambda c: append_body(c / "en/itin-basics.md", "[Ask](/api/ask)"),
        "en/itin-basics.md:",
        "link '/api/ask' is not an https://",
    ),
    (
        "http link in a body",
        lambda c: append_body(c / "en/itin-basics.md", "<http://www.irs.gov/itin>"),
        "en/itin-basics.md:",
        "link 'http://www.irs.gov/itin' is not an https://",
    ),
    (
        "parity exception without a reason",
        lambda c: edit(c / "en/itin-basics.md", "status: vetted", 'status: vetted\nparity_exceptions: [{value: "9"}]'),
        "en/itin-basics.md:",
        "each parity exception needs a 'value'",
    ),
    (
        "amount changed in translation",
        _amount_changed,
        "en/itin-basics.md:",
        "money '$500' in the body is not in the body of the es twin",
    ),
    (
        "urgent rule naming a word list nobody defined",
        lambda c: edit(c / "urgent.yaml", "  now:\n", '  now:\n    - "ice at the {{shops}}"\n'),
        "urgent.yaml:",
        "uses {{shops}}, which 'en.words' does not name",
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
    name: str, breaker: Breaker, where: str, message: str, tiny_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    breaker(tiny_corpus)
    code, output = run_check(tiny_corpus, capsys)
    assert code == 1, output
    lines = [line for line in output.splitlines() if message in line]
    assert lines, f"expected a line with {message!r} in:\n{output}"
    # The line names the file and the line, in the path:line: message shape.
    assert where in lines[0], lines[0]
    assert re.match(r"^\S+:\d+: ", lines[0]), lines[0]


def test_a_broken_explainer_is_reported_only_in_its_own_file(
    tiny_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One mistake, one message, in the file that has it: the explainer that links to the broken one is not
    told it has no such topic, and its twin is not told it lacks a translation."""
    manifest = tiny_corpus / "corpus.yaml"
    manifest.write_text(
        re.sub(r"^required_topics:.*$", "required_topics: [ice-at-the-door]", manifest.read_text(), flags=re.M)
    )
    set_field(tiny_corpus / "en/itin-basics.md", "status", "Vetted")
    code, output = run_check(tiny_corpus, capsys)
    problems = [line for line in output.splitlines() if re.match(r"^\S+:\d+: ", line)]
    assert code == 1 and problems, output
    assert all(line.split(":")[0].endswith("en/itin-basics.md") for line in problems), output


def test_a_question_shared_with_a_draft_is_reported_in_the_draft(
    tiny_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Step 1 of writing an explainer copies a vetted file; until its questions are rewritten they repeat the
    vetted file's. The messages point at the new draft, never at the vetted file people must not edit."""
    for lang in ("en", "es"):
        text = (tiny_corpus / lang / "itin-basics.md").read_text().replace("id: itin-basics", "id: aaa-new-topic")
        (tiny_corpus / lang / "aaa-new-topic.md").write_text(text.replace("status: vetted", "status: draft"))
    code, output = run_check(tiny_corpus, capsys)
    shared = [line for line in output.splitlines() if "is also listed under" in line]
    assert code == 1 and shared, output
    assert all("aaa-new-topic.md:" in line.split(": ")[0] for line in shared), shared[:3]
    assert all("itin-basics.md:" in line for line in shared)  # and each says where the other copy is


def test_stale_review_is_a_warning_not_an_error(tiny_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Compared with the errors the copy already has, so the test holds whatever else the corpus says.
    errors = [str(p) for p in validate(tiny_corpus).errors]
    # Reviewed today or earlier: with a zero-day window everything older than today is flagged.
    assert [str(p) for p in validate(tiny_corpus, max_age_days=0).errors] == errors
    old = dt.date.today() - dt.timedelta(days=400)
    for lang in ("en", "es"):
        set_field(tiny_corpus / lang / "itin-basics.md", "reviewed", old.isoformat())
    report = validate(tiny_corpus)
    assert [str(p) for p in report.errors] == errors
    assert any("warning: last reviewed 400 days ago (over 180)" in str(p) for p in report.warnings)


def test_a_long_body_sentence_is_a_warning_at_its_line(tiny_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Plain language: a 45-word sentence in a body is named at its line (a warning: the file still serves);
    a list item or a link does not make a sentence longer than it reads."""
    path = tiny_corpus / "en/itin-basics.md"
    lines = path.read_text().split("\n")
    body = lines.index("---", 1) + 1
    line = next(i for i in range(body, len(lines)) if len(lines[i].split()) > 45 and lines[i][0].isalpha())
    lines[line] = " ".join(["word"] * 44) + " end. [A short link text](https://www.irs.gov/itin) is short."
    lines[line + 1 : line + 1] = ["", "- A list item that is short."]
    path.write_text("\n".join(lines))
    line += 1
    code, output = run_check(tiny_corpus, capsys)
    assert code == 0, output
    flagged = [x for x in output.splitlines() if "a sentence of" in x]
    assert flagged == [x for x in flagged if f"itin-basics.md:{line}: warning: a sentence of 45 words" in x] and flagged


def warnings_for(corpus: Path, name: str) -> list[str]:
    return [p.message for p in validate(corpus).warnings if p.path.endswith(name)]


@pytest.mark.parametrize("url", ["https://www.irs.gov/", "https://www.irs.gov", "https://www.irs.gov/#top"])
def test_source_that_is_a_home_page_is_a_warning(url: str, tiny_corpus: Path) -> None:
    edit(tiny_corpus / "en/itin-basics.md", "url: https://www.irs.gov/forms-pubs/about-form-w-7", f"url: {url}")
    found = [m for m in warnings_for(tiny_corpus, "en/itin-basics.md") if "home page" in m]
    assert found == [f"source {url!r} is a site's home page; link the page, report or ruling that says it"]


def test_source_deep_link_is_not_a_home_page(tiny_corpus: Path) -> None:
    edit(
        tiny_corpus / "en/itin-basics.md",
        "url: https://www.irs.gov/forms-pubs/about-form-w-7",
        "url: https://x.org/?p=7",
    )
    assert not [m for m in warnings_for(tiny_corpus, "en/itin-basics.md") if "home page" in m]


HARD_EN = (
    "Individual taxpayer identification numbers are administered by the Internal Revenue Service "
    "for individuals who are required to file federal income tax returns but are ineligible for "
    "Social Security numbers."
)
HARD_ES = (
    "El número de identificación personal del contribuyente es administrado por el Servicio de Impuestos "
    "Internos para individuos obligados a presentar declaraciones federales que no son elegibles para números "
    "del Seguro Social."
)


@pytest.mark.parametrize(
    ("lang", "summary", "message"),
    [
        ("en", HARD_EN, "summary reads at Flesch-Kincaid grade"),
        ("es", HARD_ES, "summary scores"),
    ],
)
def test_hard_summary_is_a_readability_warning(lang: str, summary: str, message: str, tiny_corpus: Path) -> None:
    path = tiny_corpus / lang / "itin-basics.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^summary: >-\n(  .*\n)+", f"summary: {summary}\n", text, flags=re.M), encoding="utf-8")
    report = validate(tiny_corpus)
    found = [p for p in report.warnings if p.path.endswith(f"{lang}/itin-basics.md") and message in p.message]
    assert len(found) == 1, report.warnings
    assert found[0].line == 5
    assert not any(p.path.endswith(f"{lang}/itin-basics.md") and message in p.message for p in report.errors)


@pytest.mark.parametrize(
    ("lang", "summary"),
    [
        ("en", "Do not open the door. Ask for a warrant signed by a judge."),
        ("es", "No abra la puerta. Pida ver la orden."),
    ],
)
def test_plain_summary_has_no_readability_warning(lang: str, summary: str, tiny_corpus: Path) -> None:
    path = tiny_corpus / lang / "itin-basics.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^summary: >-\n(  .*\n)+", f"summary: {summary}\n", text, flags=re.M), encoding="utf-8")
    assert not [m for m in warnings_for(tiny_corpus, f"{lang}/itin-basics.md") if m.startswith("summary")]


def _verified_days_ago(corpus: Path, days: int) -> None:
    path = corpus / "legal-aid.yaml"
    when = (dt.date.today() - dt.timedelta(days=days)).isoformat()
    path.write_text(re.sub(r"verified: \S+", f"verified: {when}", path.read_text(encoding="utf-8")), encoding="utf-8")


def test_emergency_lines_are_verified_every_90_days(tiny_corpus: Path) -> None:
    _verified_days_ago(tiny_corpus, 91)
    stale = [m for m in warnings_for(tiny_corpus, "legal-aid.yaml") if "last verified" in m]
    assert stale, "the shipped directory has an emergency entry"
    assert all(m.startswith("emergency resource ") and "91 days ago (over 90)" in m for m in stale), stale
    assert any("united-we-dream-migrawatch" in m for m in stale)


def test_other_resources_are_verified_every_180_days(tiny_corpus: Path) -> None:
    _verified_days_ago(tiny_corpus, 180)
    assert not [m for m in warnings_for(tiny_corpus, "legal-aid.yaml") if m.startswith("resource ")]
    _verified_days_ago(tiny_corpus, 181)
    stale = [m for m in warnings_for(tiny_corpus, "legal-aid.yaml") if m.startswith("resource ")]
    assert stale and all("181 days ago (over 180)" in m for m in stale), stale


def test_draft_is_validated_but_not_served(tiny_corpus: Path) -> None:
    from bot.engine import Bot

    extra = tiny_corpus / "en" / "extra-topic.md"
    text = (tiny_corpus / "en" / "itin-basics.md").read_text()
    text = text.replace("id: itin-basics", "id: extra-topic").replace("status: vetted", "status: draft")
    text = re.sub(r"questions:\n(  - .*\n)+", "questions: [q one, q two, q three, q four, q five, q six]\n", text)
    extra.write_text(text)
    (tiny_corpus / "es" / "extra-topic.md").write_text(text.replace("lang: en", "lang: es"))
    bot = Bot.from_path(tiny_corpus)
    assert all(e.id != "extra-topic" for e in bot.corpus.served("en"))
    assert bot.explainer("extra-topic", "en") is None
