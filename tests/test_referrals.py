"""Every reply ends at real help: the directory, a deployment's own entries, and what each reply carries."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine import Bot

LOCAL = """
resources:
  - id: our-center
    featured: true
    name: {en: Our Community Center, es: Nuestro Centro Comunitario}
    kind: immigration-legal
    languages: [en, es]
    phone: "1-555-555-0100"
    url: https://example.org/help
    description:
      en: Free immigration and tax help in Springfield, by appointment.
      es: Ayuda gratuita con inmigración e impuestos en Springfield, con cita.
    coverage: [IL]
    verified: 2026-11-20
  - id: springfield-tax-clinic
    name: {en: Springfield Tax Clinic, es: Clínica de Impuestos de Springfield}
    kind: tax-help
    languages: [en, es]
    url: https://example.org/tax
    description:
      en: A local tax clinic for families with low income.
      es: Una clínica local de impuestos para familias de bajos ingresos.
    coverage: [IL, IN]
    verified: 2026-11-20
"""


@pytest.fixture(scope="module")
def local_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("local") / "our-help.yaml"
    path.write_text(LOCAL)
    return path


@pytest.fixture(scope="module")
def local_bot(local_file: Path) -> Bot:
    return Bot.from_path(extra_directories=[local_file])


def test_every_reply_carries_referrals(bot: Bot) -> None:
    for question in [
        "what is an itin",
        "how do I bake bread",
        "ICE is at my door right now",
        "que es una orden final de deportacion",
    ]:
        assert bot.ask(question).referrals, question


def test_referrals_follow_the_explainers_kinds(bot: Bot) -> None:
    reply = bot.ask("i got a text saying my itin is suspended, click the link")
    assert reply.answer is not None and reply.answer.id == "scams-and-impersonators"
    assert reply.referrals[0].kind == "fraud-report"
    removal = bot.ask("how do i check my immigration court case with my a-number")
    assert {"case-status", "immigration-legal"} <= {r.kind for r in removal.referrals}


@pytest.mark.parametrize(
    "question",
    ["quien me hace los taxes gratis", "where can i get my taxes done for free", "should i still file taxes this year"],
)
def test_a_filing_answer_names_free_tax_preparation(bot: Bot, question: str) -> None:
    """Filing for free is what most people asking here need: the free tax preparation line (VITA/TCE) is in the
    help of every answer that refers to tax help, not cut by the two-per-kind limit."""
    reply = bot.ask(question)
    kinds = [r.kind for r in reply.referrals]
    assert "tax-help" in kinds
    assert "vita-tce" in [r.id for r in reply.referrals]


def test_referrals_are_in_the_replys_language(bot: Bot) -> None:
    en = bot.ask("what is an itin", "en").referrals
    es = bot.ask("what is an itin", "es").referrals
    assert [r.id for r in en] == [r.id for r in es]
    assert en[0].description != es[0].description


def test_a_deployments_featured_entry_comes_first(local_bot: Bot) -> None:
    for question in ["what is an itin", "ICE is at my door right now", "how do I bake bread"]:
        reply = local_bot.ask(question)
        assert reply.referrals[0].id == "our-center"
        assert reply.referrals[0].featured is True


def test_local_entries_carry_their_states_for_filtering_in_the_browser(local_bot: Bot) -> None:
    reply = local_bot.ask("where can i get free help with my taxes and itin")
    local = [r for r in reply.referrals if r.id == "springfield-tax-clinic"]
    assert local and local[0].coverage == ["IL", "IN"]
    assert local_bot.directory.all("en")[0].id == "our-center"


def test_check_validates_an_extra_directory(
    local_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--legal-aid", str(local_file)]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(LOCAL.replace("coverage: [IL, IN]", "coverage: [IL, ZZ]").replace('"1-555-555-0100"', '"555-0100"'))
    capsys.readouterr()
    assert main(["check", "--legal-aid", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "bad.yaml:" in out and "unknown state code(s) ZZ" in out and "must look like" in out


def test_help_resources_are_read_only_values(bot: Bot) -> None:
    """A loaded corpus cannot be changed by accident: each resource is a frozen value (hashable), not a dict."""
    resources = bot.corpus.legal_aid
    assert hash(resources) == hash(tuple(resources))
    first = resources[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.phone = "1-800-555-0100"  # type: ignore[misc]
    assert first.name("es") and first.name("xx") == first.name("en")
