"""Answering, as a specification: the dev set's quality bar, language handling, determinism."""

from __future__ import annotations

from dataclasses import replace

import pytest
from helpers import DATA

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


def test_a_question_after_a_hello_is_answered(bot: Bot) -> None:
    reply = bot.ask("hola, es seguro declarar con ITIN?")
    assert reply.answer is not None and reply.answer.id == "should-i-file"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("tengo miedo de que la migra venga a mi casa", "ice-at-the-door"),
        ("me da miedo que ICE llegue a mi casa", "ice-at-the-door"),
        ("im scared ice will come to my house", "ice-at-the-door"),
        ("tengo miedo de declarar impuestos", "should-i-file"),
        ("i'm scared to file my taxes this year", "should-i-file"),
    ],
)
def test_fear_of_a_visit_and_fear_of_filing_get_their_own_answers(bot: Bot, question: str, expected: str) -> None:
    """Fear words fill the filing topic's questions ("tengo miedo de declarar"), so a person afraid that
    agents will come to the house got the filing answer instead of what to do at the door."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == expected


@pytest.mark.parametrize(
    "question",
    ["do you work for the government", "is this run by ice", "trabajas para la migra?", "esta pagina es del gobierno?"],
)
def test_a_question_about_who_runs_the_chat_gets_what_the_chat_does(bot: Bot, question: str) -> None:
    """A worried person often asks the bot first whether it is ICE. "ICE" and "gobierno" pulled these to
    the agreement or the door card; what they need is what this chat does with what they type."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "chat-privacy"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("ola kiero saber si es seguro aser los taxes", "should-i-file"),
        ("el itin se bence?", "itin-renewal"),
        ("komo renuebo mi itin", "itin-renewal"),
        ("detubieron a mi primo", "someone-detained"),
    ],
)
def test_spanish_typed_in_a_hurry_is_understood(bot: Bot, question: str, expected: str) -> None:
    """Sound-alike spellings ("aser", "bence", "renuebo", "detubieron") and misspelled function words
    ("ola", "kiero"): the first was declined, the others went to the wrong topic or were declined."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == expected


def test_a_hurried_english_spelling_of_claim_is_understood(bot: Bot) -> None:
    """ "clame" shares only a few letter groups with "claim": the question was declined."""
    reply = bot.ask("can i clame my kids")
    assert reply.answer is not None and reply.answer.id == "credits-and-refunds"


@pytest.mark.parametrize(
    ("question", "topics"),
    [
        ("i clean houses and get paid cash do i need to file", {"should-i-file"}),
        ("i drive for uber with an itin, do i pay taxes", {"should-i-file", "itin-basics"}),
        ("self employed with itin how do i pay taxes", {"should-i-file", "itin-basics"}),
        ("hago yardas y me pagan cash debo reportarlo", {"should-i-file"}),
    ],
)
def test_cash_and_gig_work_reach_the_filing_answers(bot: Bot, question: str, topics: set[str]) -> None:
    """People paid in cash or by an app ask whether that work must be reported: the cash questions
    were declined (pay words pulled them to workplace rights), the ITIN ones went to the page on how
    much immigrants pay in taxes."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id in topics


@pytest.mark.parametrize(
    "question",
    [
        "the irs is auditing me and im undocumented what do i do",
        "el irs me esta auditando que hago",
        "me hicieron una auditoria y no tengo papeles",
    ],
)
def test_an_irs_audit_gets_where_to_find_tax_help(bot: Bot, question: str) -> None:
    """An audit is a dispute with the IRS, which a Low Income Taxpayer Clinic handles for free. No
    explainer said "audit", so these went to what the IRS knows or were declined."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "getting-legal-help"


@pytest.mark.parametrize(
    "question", ["es safe hacer los taxes este year", "todavia tengo que filear si no tengo papeles"]
)
def test_spanglish_about_filing_reaches_the_filing_answer(bot: Bot, question: str) -> None:
    """Spanish with English words mixed in ("safe", "this year") and the Spanglish verb "filear":
    both were declined."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "should-i-file"


@pytest.mark.parametrize(
    "question", ["where can i get my taxes done for free", "need somebody to do my taxes who wont report me"]
)
def test_looking_for_someone_to_do_the_taxes_gets_the_preparer_answer(bot: Bot, question: str) -> None:
    """ "do my taxes" is a filing phrase, so a person looking for someone (free, or safe) to prepare
    the return got the page on whether to file instead of the one on preparers and VITA."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "tax-preparers"


@pytest.mark.parametrize(
    "question", ["mi itin no lo he usado en años sirve todavia", "no he declarado desde 2019 mi itin sigue activo"]
)
def test_an_itin_left_unused_for_years_gets_the_renewal_answer(bot: Bot, question: str) -> None:
    """Whether an ITIN not used for years still works is the expiry rule; asked without "vencido",
    these went to what an ITIN is or to whether to file."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "itin-renewal"


@pytest.mark.parametrize(
    "question",
    [
        "got an irs notice in the mail what do i do",
        "the irs wrote me asking for more documents",
        "me llego una carta del irs y me da miedo abrirla",
        "me llego un sobre del irs",
    ],
)
def test_a_letter_from_the_irs_gets_how_to_tell_a_real_one(bot: Bot, question: str) -> None:
    """The scams page says the IRS writes first by mail and who helps read a letter; these went to
    what the IRS knows, the door card or whether to file."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "scams-and-impersonators"


@pytest.mark.parametrize(
    "question",
    ["how do i get a passport for my baby", "us passport for my son born here", "como saco pasaporte para mi bebe"],
)
def test_a_passport_for_a_child_is_declined(bot: Bot, question: str) -> None:
    """A passport for a child is for a consulate or the passport office, not the ITIN page, whose
    questions about passports for a child's ITIN answered it."""
    reply = bot.ask(question)
    assert reply.answer is None


@pytest.mark.parametrize("question", ["should my tax lady know im illegal", "the tax guy wants to see my id"])
def test_the_everyday_names_for_a_preparer_reach_the_preparer_answer(bot: Bot, question: str) -> None:
    """People call the preparer "my tax guy" or "la de los taxes": the first question went to the page
    on how much immigrants pay, the second was declined."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "tax-preparers"


@pytest.mark.parametrize("question", ["fake ice agent", "un tipo se hizo pasar por ice"])
def test_someone_posing_as_ice_gets_the_scams_answer(bot: Bot, question: str) -> None:
    """ "fake ICE" and "se hizo pasar" (posed as) are how people name an impostor: the first got the door
    card, the second was declined."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "scams-and-impersonators"


def test_side_jobs_paid_in_cash_reach_the_filing_answer(bot: Bot) -> None:
    """ "side jobs" and "cash only" had no shared word with the filing page's questions: declined."""
    reply = bot.ask("i do construction side jobs cash only should i report it")
    assert reply.answer is not None and reply.answer.id == "should-i-file"


def test_a_short_year_of_work_gets_the_filing_answer(bot: Bot) -> None:
    """Whether a few months of work must be filed is the duty to file; "trabaje" pulled it to the page
    on wages reported under another number."""
    reply = bot.ask("solo trabaje 3 meses tengo que hacer taxes")
    assert reply.answer is not None and reply.answer.id == "should-i-file"


@pytest.mark.parametrize("question", ["como arreglo mis papeles", "como le hago para arreglar papeles"])
def test_a_question_about_getting_papers_is_declined_with_immigration_help(bot: Bot, question: str) -> None:
    """ "Arreglar papeles" is how many people ask about getting legal status, which no explainer covers.
    A banking line ("como arreglo mi credito") shared its verb and sent the decline to tax clinics."""
    reply = bot.ask(question)
    assert reply.answered is False
    assert reply.referrals and {r.kind for r in reply.referrals} == {"immigration-legal"}


@pytest.mark.parametrize(
    "question",
    [
        "i worked with my cousins social security, how do i file",
        "my w2 is under my brother in laws name",
        "will the person whose ssn i used get in trouble",
        "al dueño del social que uso le llego una carta del irs",
    ],
)
def test_a_relatives_number_on_the_w2_reaches_the_wages_answer(bot: Bot, question: str) -> None:
    """Wages under a relative's or a friend's number, and what happens to that person: declined as
    identity theft or too far, or sent to the scams page by "carta del irs"."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "wages-under-another-number"


@pytest.mark.parametrize(
    "question",
    [
        "el que me hizo los taxes se quedo con mi reembolso",
        "the tax guy kept my refund money",
        "tax lady stole my refund",
        "the lady who does my taxes says she can get me a green card",
    ],
)
def test_a_preparer_who_keeps_the_refund_or_promises_papers_gets_the_preparer_answer(bot: Bot, question: str) -> None:
    """The preparers page says the refund goes to your own account and warns about notarios; "refund"
    pulled these to the credits page and "green card" to a decline."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "tax-preparers"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("writing for my dad, he is 70 no papers, does he still have to do taxes", "should-i-file"),
        (
            "mi nieta me esta ayudando a escribir esto, necesito un numero para los impuestos como lo saco",
            "itin-basics",
        ),
        ("necesito numero para impuestos y no tengo social", "itin-basics"),
        ("my dad is old with no papers still have to do taxes?", "should-i-file"),
    ],
)
def test_an_elder_or_a_helper_writing_for_one_reaches_the_topic(bot: Bot, question: str, topic: str) -> None:
    """Older people, often with a grandchild typing, ask whether they still must file and for "un numero
    para los impuestos" (the ITIN): the first went to mixed-status families, the others were declined."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == topic


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("my daughter is daca and my son is citizen and i have nothing, who claims who", "mixed-status-households"),
        (
            "mi hijo tiene 16 y va a hacer sus taxes por primera vez, eso nos pone en riesgo a nosotros que no tenemos papeles?",
            "mixed-status-households",
        ),
        ("can i claim my parents in mexico i send them money every month", "credits-and-refunds"),
        ("mi mama vive en honduras y le mando dinero cada mes, cuenta como dependiente", "credits-and-refunds"),
    ],
)
def test_mixed_status_families_and_relatives_abroad_reach_the_family_answers(
    bot: Bot, question: str, topic: str
) -> None:
    """Children with different statuses, a teenager's first return, and parents abroad who get the money
    one sends: declined as DACA or as sending money (the credits page says relatives abroad do not qualify)."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == topic


@pytest.mark.parametrize(
    "question", ["el irs sigue dando direcciones a ice o ya pararon", "todavia le pasan direcciones a la migra del irs"]
)
def test_whether_the_irs_still_sends_addresses_gets_the_court_cases(bot: Bot, question: str) -> None:
    """Whether the sharing goes on or was stopped is what the court cases decide; "direcciones" pulled
    these to the page on what ICE must send the IRS."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "court-cases"


@pytest.mark.parametrize(
    "question",
    [
        "puedo usar un apartado postal pa que el irs no sepa donde vivo",
        "pongo el apartado postal en la declaracion o mi casa",
    ],
)
def test_a_po_box_in_spanish_reaches_the_address_answers(bot: Bot, question: str) -> None:
    """ "Apartado postal" is the Spanish for a PO box; the first was declined, the second went to mixed-status
    families. Whether to file says which address to put is a question for a clinic and a lawyer."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id in {"should-i-file", "what-the-irs-knows"}


def test_reporting_an_employer_who_pays_under_the_table_is_declined(bot: Bot) -> None:
    """Reporting one's employer is a workplace question no explainer covers; it got the page on what the
    IRS knows."""
    reply = bot.ask("how do i report my employer for paying under the table")
    assert reply.answer is None


@pytest.mark.parametrize(
    "question",
    [
        "buenos dias, tengo 20 años aqui, mis hijos nacieron aqui y siempre pague impuestos con itin, pero en las "
        "noticias dicen que el irs le entrega la informacion a inmigracion y mi esposa no quiere que declare este año, "
        "el contador dice que si, que me pasa si no declaro",
        "mi esposa vio en las noticias que el irs le pasa los datos a inmigracion y ya no quiere que hagamos taxes pero "
        "nuestro contador dice que hay que hacerlos, que hacemos",
    ],
)
def test_a_family_torn_over_the_news_gets_the_filing_answer(bot: Bot, question: str) -> None:
    """A long story where the news scares the family off filing and the accountant says to file asks whether
    to file; the news words pulled it to the agreement page."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "should-i-file"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("irs whatsapp message asking for my bank info", "scams-and-impersonators"),
        ("got a whatsapp from the irs asking for my social", "scams-and-impersonators"),
        ("will this show in my google history", "chat-privacy"),
        ("esto sale en mi historial de google", "chat-privacy"),
        ("i never went to court, did i get deported automatically", "final-removal-order"),
    ],
)
def test_whatsapp_scams_browser_history_and_a_missed_court_reach_their_topics(
    bot: Bot, question: str, topic: str
) -> None:
    """A fake IRS message on WhatsApp went to what the IRS knows; whether a visit shows in one's history
    and whether missing court means an automatic order were declined."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == topic


def test_a_missed_hearing_in_spanish_gets_the_removal_order_answer(bot: Bot) -> None:
    """Missing the hearing can bring an order "in absentia", which the removal-order page explains; the
    word "audiencia" sent this to the court-procedures decline."""
    reply = bot.ask("falte a mi audiencia de inmigracion ya me deportaron?")
    assert reply.answer is not None and reply.answer.id == "final-removal-order"


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


@pytest.mark.parametrize(
    "question",
    [
        "wey mi itin ya caduco q hago",
        "oye se me caduco el itin",
        "i didnt file for 2022 2023 2024 is my itin dead",
        "haven't filed since covid, is the itin dead",
    ],
)
def test_an_itin_that_lapsed_after_years_without_filing_gets_the_renewal_answer(bot: Bot, question: str) -> None:
    """An ITIN that "caducó", a "dead" ITIN, or the years without a return listed one by one: these ask
    about renewal, and they got the page on what an ITIN is."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "itin-renewal"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("our church helps families get itins, is there a safe way to do the w7 for them", "itin-basics"),
        ("volunteers at our mosque want to help families get itin numbers", "itin-basics"),
        (
            "I volunteer at a food pantry and the families we serve ask whether filing puts them at risk",
            "should-i-file",
        ),
        ("trabajo en una organizacion y queremos saber que puede pedir ice al irs", "what-ice-must-provide"),
    ],
)
def test_a_volunteer_asking_for_the_families_they_serve_reaches_the_topic(bot: Bot, question: str, topic: str) -> None:
    """Church, food-pantry and nonprofit helpers ask in the third person ("families we serve"): "families"
    and "itins" together pulled to credits or mixed-status families, and "organizacion" to the court cases."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == topic


@pytest.mark.parametrize(
    "question",
    [
        "turbotax le pasa mis datos a inmigracion?",
        "h&r block le da informacion a la migra",
        "cash app taxes comparte mis datos con ice",
        "do tax apps tell immigration about you",
    ],
)
def test_a_tax_app_or_a_preparer_chain_named_by_brand_gets_the_preparer_page(bot: Bot, question: str) -> None:
    """Whether the app or the chain that files the return passes data to immigration is the preparers'
    privacy rule; the brand names were unknown words and the question went to the agreement pages."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "tax-preparers"


def test_which_law_protects_my_data_at_the_irs_gets_the_confidentiality_page(bot: Bot) -> None:
    """Asking which law "protege mis datos" is the tax privacy law; it got the page on what the IRS knows."""
    reply = bot.ask("que ley protege mis datos en el irs")
    assert reply.answer is not None and reply.answer.id == "taxpayer-confidentiality"


@pytest.mark.parametrize(
    "question",
    [
        "honestly im freaking out, my dad got a letter from the irs and he doesnt have papers",
        "me llego un letter del irs y estoy bien asustada",
        "tengo una carta del irs y me da miedo abrirla",
        "porfa ayudenme estoy llorando me llamaron que son de inmigracion y que pague o me llevan",
        "me hablaron de inmigracion que si no pago se llevan a mi hijo",
        "a man says hes from immigration and if i dont pay hell arrest me",
    ],
)
def test_fear_first_about_an_irs_letter_or_a_pay_or_be_taken_call_gets_the_scams_page(bot: Bot, question: str) -> None:
    """Panic written before the question, or a "letter" typed in English inside Spanish, left an IRS letter
    or a caller who demands money under threat of arrest below the threshold, at the filing page or at the
    detention page; the scams page says how real agencies contact people and who helps read a letter."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "scams-and-impersonators"


@pytest.mark.parametrize("question", ["can i get eic if i only got itin", "eic with itin?", "itin eic"])
def test_the_eic_asked_by_its_short_name_with_an_itin_gets_the_credits_page(bot: Bot, question: str) -> None:
    """Many call the Earned Income Tax Credit "EIC"; with "itin" beside it the question went to the
    page on what an ITIN is, whose own questions are short "itin" questions."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "credits-and-refunds"


@pytest.mark.parametrize(
    "question",
    [
        "as an employer do i need to e-verify my workers",
        "can i evict a tenant because he is undocumented",
        "puedo sacar a un inquilino porque no tiene papeles",
        "how do i set up a payment plan with the irs",
    ],
)
def test_an_employer_a_landlord_or_a_tax_debt_question_is_declined(bot: Bot, question: str) -> None:
    """E-Verify, evicting a tenant and paying a tax bill in parts are subjects no explainer covers; they got
    the pages on what the IRS knows, on ITINs, and on scams."""
    reply = bot.ask(question)
    assert reply.answer is None


@pytest.mark.parametrize(
    "question",
    [
        "es seguro q mi ama haga taxes?",
        "es seguro que mi mama haga sus taxes",
        "mi tia pregunta si es seguro que haga taxes este año",
    ],
)
def test_is_it_safe_for_a_parent_to_do_taxes_in_spanish_gets_the_filing_answer(bot: Bot, question: str) -> None:
    """Asking if it is safe that someone "haga (sus) taxes" is whether to file, and "mi amá" is a mother;
    "seguro" (also Social Security) and "haga" sent these to the preparers' page or to ITIN renewal."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "should-i-file"


@pytest.mark.parametrize(
    "question",
    ["tengo 19 con daca y mis papas me quieren poner en sus taxes se puede", "con daca mis papas me pueden claimear"],
)
def test_a_daca_recipient_on_the_parents_return_is_not_declined_as_daca(bot: Bot, question: str) -> None:
    """A young person with DACA whose parents want to list them on their return asks about a mixed-status
    family's return; the word "daca" sent it to the DACA decline."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "mixed-status-households"


@pytest.mark.parametrize(
    "question",
    [
        "Esta herramienta guarda los datos que escriben las familias que le referimos?",
        "mis papas pueden ver lo que busco aqui",
        "oye mi novio puede ver lo q busco aqui",
    ],
)
def test_this_tool_and_what_i_search_here_ask_about_the_chats_privacy(bot: Bot, question: str) -> None:
    """A caseworker calls the chat "esta herramienta", a teenager asks who sees "lo que busco aquí": both ask
    what this chat keeps, and both were declined."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "chat-privacy"


@pytest.mark.parametrize("question", ["la migra puede ver mi w2", "la migra ve mis formas de trabajo del irs"])
def test_whether_ice_sees_my_wage_forms_gets_what_ice_gets_back(bot: Bot, question: str) -> None:
    """Whether ICE can see one's W-2 asks what the IRS sends back (an address, not returns); "la migra puede"
    sent it to the page on agents at the door."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.id == "what-ice-must-provide"
