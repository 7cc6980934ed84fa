"""Language parity: `check` reports every figure that is in one language and not in the other."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.checks import validate
from bot.corpus import Problem
from bot.parity import extract, keys

FILLER = " ".join(["People can get free help from a trusted group near them."] * 14)
ES_FILLER = " ".join(["Las personas pueden pedir ayuda gratis a un grupo de confianza."] * 14)


def write_explainer(path: Path, lang: str, summary: str, body: str, header: str = "") -> None:
    questions = "".join(f"  - question {n} about this topic\n" for n in range(6))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"""---
id: pair-topic
lang: {lang}
title: A topic
summary: "{summary}"
questions:
{questions}sources:
  - title: A page
    url: https://www.irs.gov/individuals/itin
reviewed: 2026-11-25
reviewed_by: tests
status: vetted
urgent: false
related: []
refer: [tax-help]
{header}---
{body}

{FILLER if lang == "en" else ES_FILLER}
""",
        encoding="utf-8",
    )


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if line == text)


def pair_problems(
    root: Path,
    en: str,
    es: str,
    *,
    en_summary: str = "Get help.",
    es_summary: str = "Pida ayuda.",
    en_header: str = "",
    es_header: str = "",
) -> list[Problem]:
    """Write a corpus with one pair of twins and return the problems `check` finds in that pair.

    The rest of the corpus is missing on purpose (those errors name other files): one pair is all
    parity needs, and it keeps each case fast.
    """
    root.mkdir()
    (root / "corpus.yaml").write_text("languages: [en, es]\n", encoding="utf-8")
    write_explainer(root / "en/pair-topic.md", "en", en_summary, en, en_header)
    write_explainer(root / "es/pair-topic.md", "es", es_summary, es, es_header)
    return [p for p in validate(root).problems if p.path.endswith("pair-topic.md")]


MISMATCHES = [
    ("number", "About 47,000 addresses were sent.", "Se enviaron unas 48,000 direcciones.", "47,000"),
    ("money", "The credit is worth up to $500.", "El crédito vale hasta $600.", "$500"),
    (
        "date",
        "The judge ruled on September 30, 2025.",
        "La jueza decidió el 30 de octubre de 2025.",
        "September 30, 2025",
    ),
    ("year", "The rule changed in 2025.", "La regla cambió en 2024.", "2025"),
    ("phone", "Call 1-844-363-1423 for help.", "Llame al 1-844-363-1424 para pedir ayuda.", "1-844-363-1423"),
    ("section", "The law is section 6103.", "La ley es la sección 6013.", "section 6103"),
    ("form", "Use Form W-7 to apply.", "Use el formulario W-8 para pedirlo.", "Form W-7"),
    ("percent", "They were almost 5% of workers.", "Eran casi el 6% de los trabajadores.", "5%"),
]


@pytest.mark.parametrize(("kind", "en", "es", "shown"), MISMATCHES, ids=[m[0] for m in MISMATCHES])
def test_each_kind_of_mismatch_is_an_error(kind: str, en: str, es: str, shown: str, tmp_path: Path) -> None:
    problems = pair_problems(tmp_path / "corpus", en, es)
    errors = [p for p in problems if not p.warning and p.path.endswith("en/pair-topic.md")]
    assert any(f"{kind} {shown!r} in the body" in p.message for p in errors), problems
    mine = next(p for p in errors if shown in p.message)
    # Names the twin file, and the line where the value is written.
    assert "es/pair-topic.md" in mine.message
    assert mine.line == line_of(tmp_path / "corpus/en/pair-topic.md", en), mine
    assert any(p.path.endswith("es/pair-topic.md") and not p.warning for p in problems), problems


SAME = [
    (
        "scaled number, decimal point",
        "ICE asked about 1.28 million people.",
        "ICE pidió datos de 1.28 millones de personas.",
    ),
    (
        "scaled number, decimal comma",
        "ICE asked about 1.28 million people.",
        "ICE pidió datos de 1,28 millones de personas.",
    ),
    ("thousands point", "About 47,000 addresses.", "Unas 47.000 direcciones."),
    ("full date", "It was filed on September 30, 2025.", "Se presentó el 30 de septiembre de 2025."),
    ("day and month", "It expires on December 31.", "Vence el 31 de diciembre."),
    ("month and year", "A report in June 2026 said so.", "Un informe de junio de 2026 lo dijo."),
    ("abbreviated month", "Since Sept. 30, 2025.", "Desde el 30 de septiembre de 2025."),
    ("dollars word", "Up to $500.", "Hasta 500 dólares."),
    ("US$", "Up to $500.", "Hasta US$500."),
    ("billions", "They paid $96.7 billion.", "Pagaron 96.7 mil millones de dólares."),
    ("amount without currency", "$59.4 billion was federal.", "59.4 mil millones en impuestos federales."),
    ("phone formats", "Call 1-844-363-1423.", "Llame al (844) 363-1423."),
    ("section sign", "Under section 6103.", "Según el § 6103."),
    ("section list", "Sections 7213 and 7213A.", "Las secciones 7213 y 7213A."),
    ("subsection", "Section 6103(i)(2) sets rules.", "La sección 6103 pone reglas."),
    ("form word", "Use Form W-7.", "Use el Formulario W-7."),
    ("form list", "Forms I-200 or I-205.", "Los formularios I-200 o I-205."),
    ("bare form", "A W-7 form.", "Un formulario W-7."),
    ("percent word", "Almost 5% of workers.", "Casi el 5 por ciento."),
    ("written number", "Three tax years in a row.", "3 años fiscales seguidos."),
    ("ordinal", "By the 3rd year.", "Para el tercer año."),
    ("list markers", "1. Do not open.\n2. Ask.", "- No abra.\n- Pregunte."),
    (
        "links and web addresses",
        "See https://www.irs.gov/pub/irs-pdf/fw7.pdf.",
        "Vea irs.gov/forms-pubs/about-form-w-7.",
    ),
]


@pytest.mark.parametrize(("name", "en", "es"), SAME, ids=[s[0] for s in SAME])
def test_same_figures_written_differently_are_not_flagged(name: str, en: str, es: str, tmp_path: Path) -> None:
    problems = pair_problems(tmp_path / "corpus", en, es)
    assert problems == []


def test_summaries_are_compared_too(tmp_path: Path) -> None:
    problems = pair_problems(
        tmp_path / "corpus",
        "Call 1-800-366-4484.",
        "Llame al 1-800-366-4484.",
        en_summary="Report scams at 1-800-366-4484.",
        es_summary="Denuncie las estafas.",
    )
    assert len(problems) == 1, problems
    assert problems[0].path.endswith("en/pair-topic.md")
    assert "phone '1-800-366-4484' in the summary is not in the summary of the es twin" in problems[0].message
    assert problems[0].line == 5  # the summary's line


EXCEPTION = """parity_exceptions:
  - value: "$500"
    reason: "The English card names the federal credit, the Spanish one a state credit"
"""


def test_declared_exception_excuses_the_mismatch(tmp_path: Path) -> None:
    both = EXCEPTION + '  - value: "600 dólares"\n    reason: "the state credit"\n'
    assert pair_problems(tmp_path / "corpus", "Up to $500.", "Hasta $600.", en_header=both) == []


def test_exception_covers_only_its_value(tmp_path: Path) -> None:
    problems = pair_problems(tmp_path / "corpus", "Up to $500.", "Hasta $600.", en_header=EXCEPTION)
    assert [p.path.split("/")[-2] for p in problems] == ["es"], problems
    assert "money '$600'" in problems[0].message


def test_exception_without_reason_is_an_error(tmp_path: Path) -> None:
    header = 'parity_exceptions:\n  - value: "$500"\n'
    problems = pair_problems(tmp_path / "corpus", "Up to $500.", "Hasta $600.", en_header=header)
    assert any("needs a 'value'" in p.message and "'reason'" in p.message for p in problems), problems
    assert all(not p.warning for p in problems)


def test_stale_exception_is_reported(tmp_path: Path) -> None:
    problems = pair_problems(tmp_path / "corpus", "Up to $500.", "Hasta $500.", en_header=EXCEPTION)
    assert len(problems) == 1, problems
    assert "parity exception '$500' no longer matches any difference with" in problems[0].message
    assert problems[0].message.endswith("es/pair-topic.md; remove it")
    assert problems[0].line == line_of(tmp_path / "corpus/en/pair-topic.md", "parity_exceptions:")
    assert not problems[0].warning


def test_exception_that_names_no_figure_is_reported(tmp_path: Path) -> None:
    header = 'parity_exceptions:\n  - value: "the address warning"\n    reason: "shorter card"\n'
    problems = pair_problems(tmp_path / "corpus", "Up to $500.", "Hasta $500.", en_header=header)
    assert any("names no number" in p.message for p in problems), problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ICE asked about 1.28 million people", {"1280000"}),
        ("unos 1,28 millones", {"1280000"}),
        ("$1.28 million", {"$1280000"}),
        ("30 de septiembre de 2025", {"2025-09-30"}),
        ("September 30, 2025", {"2025-09-30"}),
        ("500 dólares y US$500", {"$500"}),
        ("1-844-363-1423 or (844) 363-1423", {"tel:8443631423"}),
        ("sección 6103 and § 7213A", {"6103", "7213A"}),
        ("Form W7, formulario I-205, Form 1040", {"W-7", "I-205", "1040"}),
        ("you may 5 times", {"5"}),
    ],
)
def test_keys(text: str, expected: set[str]) -> None:
    assert keys(text) == expected


def test_written_numbers_are_never_required() -> None:
    assert keys("one of the three first ones") == set()
    assert {v.key for v in extract("tres")} == {"3"}


def test_a_parity_error_does_not_stop_serving(tiny_corpus: Path) -> None:
    """`check` reports it; loading for the server skips the editorial checks."""
    from bot.checks import load_corpus

    root = tiny_corpus
    for lang, sentence in (("en", "Some credits pay up to $500."), ("es", "Algunos créditos pagan hasta $600.")):
        path = root / lang / "itin-basics.md"
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{sentence}\n", encoding="utf-8")
    assert any("money '$500'" in str(p) for p in validate(root).errors)
    corpus = load_corpus(root)
    assert corpus.get("itin-basics", "es") is not None
