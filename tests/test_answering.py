"""Answering, as a specification: the dev set's quality bar, language handling, determinism."""

from __future__ import annotations

from dataclasses import replace

import pytest
from helpers import DATA, read_table

from bot.engine import Bot
from bot.evaluation import evaluate, read_rows
from bot.messages import t


@pytest.fixture(scope="module")
def result(bot: Bot):  # noqa: ANN201
    return evaluate(bot, read_rows(DATA / "questions.tsv"))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_top1_accuracy_on_in_scope_questions(result, lang: str) -> None:  # noqa: ANN001
    score = result.by_lang[lang]
    assert score.in_scope >= 8 * 17
    assert score.accuracy >= 0.90, [m for m in result.misses if m["lang"] == lang and m["expected"] != "none"]


@pytest.mark.parametrize(("lang", "minimum"), [("en", 25), ("es", 20)])
def test_off_topic_questions_are_declined(result, lang: str, minimum: int) -> None:  # noqa: ANN001
    score = result.by_lang[lang]
    assert score.off_topic >= minimum
    assert score.decline_rate >= 0.85, [m for m in result.misses if m["lang"] == lang and m["expected"] == "none"]


def test_language_is_detected(result) -> None:  # noqa: ANN001
    assert result.language_correct / result.rows >= 0.97


def test_every_topic_is_in_the_dev_set_in_both_languages(bot: Bot) -> None:
    rows = read_rows(DATA / "questions.tsv")
    assert len(bot.corpus.required_topics) == 17
    for lang in ("en", "es"):
        for topic in bot.corpus.required_topics:
            assert sum(1 for r in rows if r.lang == lang and topic in r.expect) >= 8, (lang, topic)


def test_same_question_same_reply(bot: Bot) -> None:
    question = "me pueden deportar si declaro mis taxes con el itin"
    assert bot.ask(question) == bot.ask(question)
    assert bot.ask(question).model_dump_json() == Bot.from_path().ask(question).model_dump_json()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("que pasa si ICE pide mi informacion", "¿Qué pasa si ICE pide mi información?"),
        ("QUE ES EL ITIN", "qué es el ITIN"),
        ("what is an itin", "What is an ITIN???"),
    ],
)
def test_accents_case_and_punctuation_do_not_matter(bot: Bot, a: str, b: str) -> None:
    ra, rb = bot.ask(a), bot.ask(b)
    assert (ra.answer and ra.answer.id) == (rb.answer and rb.answer.id)
    assert ra.confidence == pytest.approx(rb.confidence)


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("can ice get my address if i file", "en"),
        ("me pueden deportar si hago mis taxes", "es"),
        ("puedo hacer file de mis taxes con el itin", "es"),  # Spanglish counts as Spanish
        ("mi husband tiene itin, can we file together?", "es"),
        ("¿ITIN?", "es"),
    ],
)
def test_the_reply_is_in_the_questions_language(bot: Bot, question: str, lang: str) -> None:
    assert bot.ask(question).lang == lang


def test_an_explicit_language_wins(bot: Bot) -> None:
    reply = bot.ask("what is an ITIN and who can get one", "es")
    assert reply.lang == "es"
    assert reply.answer is not None and reply.answer.id == "itin-basics" and reply.answer.lang == "es"


@pytest.mark.parametrize(
    ("question", "topics"),
    [
        (
            "can la migra get my adress from the irs",
            {"what-ice-must-provide", "irs-ice-agreement", "what-the-irs-knows"},
        ),
        ("my tax ID expired", {"itin-renewal"}),
        ("mi numero de taxes se vencio", {"itin-renewal"}),
        ("imigration at my dor what do i do", {"ice-at-the-door"}),
        ("el licenciado de la esquina dice que es notario", {"getting-legal-help", "scams-and-impersonators"}),
        # The product's own question: "seguro" is also "Seguro Social", which pulled it to the W-2 topic.
        ("¿Es seguro declarar con ITIN?", {"should-i-file"}),
        ("is it safe to file with an itin", {"should-i-file"}),
    ],
)
def test_community_words_and_typos_reach_the_topic(bot: Bot, question: str, topics: set[str]) -> None:
    reply = bot.ask(question)
    assert reply.answer is not None, reply.message
    assert reply.answer.id in topics


def test_a_topic_missing_in_one_language_falls_back_with_a_notice(bot: Bot) -> None:
    # A deployment's extra topic written only in English, asked about in Spanish.
    base = bot.corpus.get("credits-and-refunds", "en")
    assert base is not None
    questions = (
        "calEITC for itin families in california",
        "california young child tax credit calEITC",
        "does calEITC work with an itin",
        "calEITC yctc itin",
        "who gets calEITC",
        "calEITC yctc how much",
    )
    only_en = replace(base, id="state-tax-credits", title="State tax credits", questions=questions, related=())
    corpus = replace(bot.corpus, explainers=(*bot.corpus.explainers, only_en))
    reply = Bot(corpus).ask("el calEITC y el yctc de california", "es")
    assert reply.answer is not None and reply.answer.id == "state-tax-credits"
    assert reply.lang == "es" and reply.answer.lang == "en"
    assert "language-fallback" in reply.notices
    assert "inglés" in reply.notice_messages[reply.notices.index("language-fallback")]


def test_evaluation_questions_are_not_copied_into_the_corpus(bot: Bot) -> None:
    # The dev set and the held-out set only measure generalisation if no corpus question
    # (alternate or out-of-scope) is one of their rows. Short canonical questions ("what is an
    # itin") are written independently by everyone; a longer identical one would be a copy.
    from helpers import ROOT

    from bot.text import fold

    corpus = {fold(q) for e in bot.corpus.explainers for q in e.questions}
    corpus |= {fold(q) for s in bot.corpus.out_of_scope for qs in s.questions.values() for q in qs}
    for path in (DATA / "questions.tsv", ROOT / "bench" / "holdout.tsv"):
        copied = [
            r.question for r in read_rows(path) if fold(r.question) in corpus and len(fold(r.question).split()) >= 6
        ]
        assert not copied, f"{path.name}: {copied}"


@pytest.mark.parametrize(
    ("question", "lang", "kind"),
    [
        ("hola", "es", "greeting"),
        ("Hi there!", "en", "greeting"),
        ("buenas tardes", "es", "greeting"),
        ("gracias", "es", "thanks"),
        ("thank you so much", "en", "thanks"),
    ],
)
def test_a_hello_or_a_thank_you_is_answered_in_kind(bot: Bot, question: str, lang: str, kind: str) -> None:
    """Their words are stop words, so nothing matches; the decline greets (or thanks) back and says what the
    bot can do, instead of "I'm not sure I can answer that"."""
    reply = bot.ask(question, lang)
    assert reply.answered is False and reply.message == t(f"decline.{kind}", lang) and reply.topics


@pytest.mark.parametrize(
    ("question", "lang", "message"),
    [
        ("how do i renew my daca", "en", "decline.out-of-scope"),
        ("como renuevo el daca", "es", "decline.out-of-scope"),
        ("can i get a mortgage with my itin", "en", "decline.out-of-scope"),
        ("asdf qwerty zxcv", "en", "decline"),
        ("kjhg lkjh poiu", "es", "decline"),
    ],
)
def test_a_subject_the_corpus_does_not_cover_is_declined_as_such(
    bot: Bot, question: str, lang: str, message: str
) -> None:
    """A question matched to a subject the corpus lists as out of scope is not told to "try other words"
    (other words would find the same subject): it hears that the chat does not cover it, with that subject's
    help. A question that matches nothing keeps the decline that invites other words."""
    reply = bot.ask(question, lang)
    assert reply.answered is False and reply.message == t(message, lang) and reply.referrals


ROUTES = read_table("routes.tsv")


@pytest.mark.parametrize("row", ROUTES, ids=[f"{r['lang']}-{i}" for i, r in enumerate(ROUTES)])
def test_the_ways_people_really_ask_reach_the_topic_that_helps(bot: Bot, row: dict[str, str]) -> None:
    """tests/data/routes.tsv: questions written while probing the bot as its users type (typos, Spanglish,
    fears first, helpers asking for others). Each one got a wrong topic or a decline until a corpus change
    (the commit that added it says which); `expect` lists the topics that help, `-` a near miss to decline."""
    reply = bot.ask(row["question"])
    got = reply.answer.id if reply.answer else "-"
    assert got in row["expect"].split(","), f"{row['question']!r} ({row['kind']}) got {got}"


@pytest.mark.parametrize("question", ["como arreglo mis papeles", "como le hago para arreglar papeles"])
def test_a_question_about_getting_papers_is_declined_with_immigration_help(bot: Bot, question: str) -> None:
    """ "Arreglar papeles" is how many people ask about getting legal status, which no explainer covers.
    A banking line ("como arreglo mi credito") shared its verb and sent the decline to tax clinics."""
    reply = bot.ask(question)
    assert reply.answered is False
    assert reply.referrals and {r.kind for r in reply.referrals} == {"immigration-legal"}


@pytest.mark.parametrize(
    "question",
    ["my boyfriend checks my phone will he see i used this", "mi pareja me revisa el celular, va a ver que use esto"],
)
def test_a_partner_who_checks_the_phone_gets_the_chat_page_with_the_abuse_hotline(bot: Bot, question: str) -> None:
    """Someone whose partner checks their phone needs how to use the chat safely, and a partner who
    watches one's phone can be a sign of abuse: the page also gives the domestic violence hotline."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "chat-privacy"
    assert "1-800-799-7233" in reply.answer.html
    assert any("ovc.ojp.gov" in s.url for s in reply.answer.sources)
