"""Safety rails: emergencies happening now, personal data, and questions the bot must decline."""

from __future__ import annotations

import logging
import re

import pytest
from helpers import QUESTION_TABLES, read_table

from bot.engine import Bot
from bot.messages import t
from bot.privacy import scrub
from bot.text import fold
from bot.urgency import RULE_KINDS, _screen

URGENT = read_table("urgent.tsv")
PERSONAL = read_table("personal_data.tsv")


@pytest.mark.parametrize("row", URGENT, ids=[f"{r['lang']}-{r['urgent']}-{i}" for i, r in enumerate(URGENT)])
def test_urgent_now_versus_hypothetical_or_past(bot: Bot, row: dict[str, str]) -> None:
    reply = bot.ask(row["question"])
    if row["urgent"] == "yes":
        assert reply.urgent is True
        # Agents at the door or a stop -> the door card; someone taken -> the detention card.
        assert reply.answer is not None and reply.answer.urgent and reply.answer.id == row["answer"]
        assert reply.referrals[0].kind == "emergency"
    else:
        assert reply.urgent is False


def test_urgent_table_is_big_enough() -> None:
    for lang in ("en", "es"):
        for flag in ("yes", "no"):
            assert sum(1 for r in URGENT if r["lang"] == lang and r["urgent"] == flag) >= 10
    assert sum(1 for r in URGENT if r["urgent"] == "yes") >= 20
    assert sum(1 for r in URGENT if r["urgent"] == "no") >= 20


# A message of despair or abuse is not about taxes, but it must never get only a legal-aid list:
# the crisis line (988) or the domestic violence line comes first. Worded apart from the corpus lines.
CRISIS = [
    ("en", "i really want to kill myself tonight", "lifeline-988"),
    ("en", "i dont want to be alive anymore", "lifeline-988"),
    ("es", "ya no quiero estar viva", "lifeline-988"),
    ("es", "estoy pensando en matarme", "lifeline-988"),
    ("en", "my husband beats me and says ICE will take me if i tell anyone", "national-domestic-violence-hotline"),
    ("es", "mi pareja me golpea y me amenaza con la migra", "national-domestic-violence-hotline"),
    ("es", "siento que ya no vale la pena vivir", "lifeline-988"),
    ("en", "nobody would miss me if i was gone", "lifeline-988"),
    # A threat with immigration, without violence named, is abuse too (it went to the detention card).
    ("es", "mi esposo me amenaza con la migra", "national-domestic-violence-hotline"),
    ("en", "my husband threatens me with ice", "national-domestic-violence-hotline"),
    ("en", "my ex says he will call immigration on me", "national-domestic-violence-hotline"),
    # The second user test: despair in few words, and threats told other ways (each missed before).
    ("es", "si me deportan me mato", "lifeline-988"),
    ("es", "ya no puedo mas con todo esto", "lifeline-988"),
    ("en", "i cant take this anymore", "lifeline-988"),
    (
        "es",
        "el papa de mis hijos dice que me va a reportar a la migra si le pido la manutencion",
        "national-domestic-violence-hotline",
    ),
    ("en", "my abusive husband controls my money and wont let me file", "national-domestic-violence-hotline"),
]


@pytest.mark.parametrize(("lang", "question", "first"), CRISIS)
def test_despair_or_abuse_gets_its_hotline_first(bot: Bot, lang: str, question: str, first: str) -> None:
    reply = bot.ask(question)
    assert reply.answered is False and reply.lang == lang
    assert reply.referrals[0].id == first and reply.referrals[0].phone, reply.referrals
    # The decline speaks to it and names the line, instead of "try other words".
    reason = "crisis" if first == "lifeline-988" else "domestic-violence"
    assert reply.message == t(f"decline.{reason}", lang) and "911" in reply.message


def test_despair_inside_a_tax_question_declines_with_the_crisis_line_and_the_topic_close_by(bot: Bot) -> None:
    reply = bot.ask("taxes make me want to die, is it safe to file with an itin")
    assert reply.answered is False and reply.referrals[0].id == "lifeline-988"
    assert "should-i-file" in [s.id for s in reply.suggestions]


def test_an_emergency_with_despair_keeps_its_card_and_puts_the_crisis_line_first(bot: Bot) -> None:
    reply = bot.ask("ICE took my husband this morning and i want to die")
    assert reply.urgent and reply.answer is not None and reply.answer.id == "someone-detained"
    assert [r.kind for r in reply.referrals[:2]] == ["crisis", "emergency"]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("my husband says if i file my own taxes he will call ice on me", "should-i-file"),
        ("mi esposo dice que si hago mis taxes aparte me reporta a la migra", "should-i-file"),
        ("my ex says he will call immigration on me", None),
        ("my boyfriend said if i do my own taxes hes calling ice", "mixed-status-households"),
        ("my ex keeps my itin papers and says he will call immigration", "itin-basics"),
    ],
)
def test_a_partners_threat_with_immigration_puts_the_abuse_line_first(
    bot: Bot, question: str, answer: str | None
) -> None:
    """A tax question asked under a partner's threat keeps its answer; the domestic violence line leads
    the help (before, the filing page came with legal-aid lists only)."""
    reply = bot.ask(question)
    assert (reply.answer.id if reply.answer else None) == answer
    assert reply.referrals[0].id == "national-domestic-violence-hotline"


def test_a_bosss_threat_is_not_abuse_at_home(bot: Bot) -> None:
    reply = bot.ask("my boss threatens to call ice on me")
    assert "domestic-violence" not in [r.kind for r in reply.referrals]


@pytest.mark.parametrize("name", ["questions.tsv", "../../bench/holdout.tsv"])
def test_no_ordinary_question_reads_as_despair(bot: Bot, name: str) -> None:
    """The crisis rules stay narrow: "I'm dying to know", "this form is killing me" are not despair."""
    questions = [r["question"] for r in read_table(name)] + [
        "i am dying to know if i can file",
        "this form is killing me",
        "me mato trabajando todo el dia y no me alcanza para los taxes",
        "el precio de los taxes me mato",
        "i cant do this form anymore where do i mail it",
        "i cant go on the irs website",
        "ya no puedo pagar los taxes",
        "my boss said he is calling ice if we complain",
    ]
    assert [q for q in questions if bot.urgency.is_crisis(q)] == []
    assert [q for q in questions if bot.urgency.matches("abuse", fold(q))] == []


@pytest.mark.parametrize("row", PERSONAL, ids=[f"{r['lang']}-{i}" for i, r in enumerate(PERSONAL)])
def test_personal_data_is_removed_and_never_returned(
    bot: Bot, row: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    values = [v.strip() for v in row["values"].split("|")]
    caplog.set_level(logging.DEBUG)
    reply = bot.ask(row["question"])
    dumped = reply.model_dump_json()
    assert "personal-data" in reply.notices
    assert reply.notice_messages[reply.notices.index("personal-data")]
    cleaned = scrub(row["question"], bot.known_words).text
    for value in values:
        assert value not in dumped
        assert value not in cleaned
        assert value not in caplog.text


def test_answers_survive_the_scrubbing(bot: Bot) -> None:
    right = 0
    for row in PERSONAL:
        reply = bot.ask(row["question"])
        got = reply.answer.id if reply.answer else "none"
        right += got in row["expect"].split(",")
    assert right / len(PERSONAL) >= 0.75, right


@pytest.mark.parametrize(
    "question",
    [
        "how do i renew my daca",
        "green card through marriage how long",
        "can i get a drivers license without papers",
        "how do i file for divorce",
        "what is the capital gains tax rate",
        "como saco mi permiso de trabajo",
        "cuanto cuesta la ciudadania",
        "puedo comprar una casa con mi itin",
        "best pupusa recipe",
        "quien gano el partido del america",
    ],
)
def test_near_misses_are_declined_with_help(bot: Bot, question: str) -> None:
    reply = bot.ask(question)
    assert reply.answered is False, reply.answer and reply.answer.id
    assert reply.referrals and reply.topics and reply.message


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("my ssn is 123-45-6789", {"ssn-itin"}),
        ("itin 912 78 1234", {"ssn-itin"}),
        ("my A number is A-123-456-789", {"a-number"}),
        ("call (555) 123-4567 please", {"phone"}),
        ("write to ana@example.org", {"email"}),
        ("i live at 4521 W Maple Ave apt 3", {"address"}),
        ("vivo en calle Morelos 45", {"address"}),
        ("born 03/14/1985", {"date"}),
        ("naci el 14 de marzo de 1985", {"date"}),
        ("my name is Maria Lopez and", {"name"}),
        ("mi esposo Jose Ramirez Soto tiene itin", {"name"}),
    ],
)
def test_each_kind_of_personal_data_is_found(bot: Bot, text: str, kinds: set[str]) -> None:
    found = scrub(text, bot.known_words)
    assert kinds <= set(found.kinds), found


@pytest.mark.parametrize(
    "text",
    [
        "Can ICE see my Social Security Number?",
        "what does section 6103 say",
        "the agreement was signed in April 2025",
        "what is Form W-7",
        "Taxpayer Advocate Service phone",
        "call the Low Income Taxpayer Clinic",
        # A count before "on my street" is not a street number: scrubbed as an address, the
        # emergency went unseen.
        "there are 3 ice trucks on my street",
        "like 5 agents on our street",
    ],
)
def test_ordinary_questions_are_not_flagged(bot: Bot, text: str) -> None:
    assert scrub(text, bot.known_words).kinds == ()


@pytest.mark.parametrize(
    ("question", "urgent"),
    [
        # "right now" about the news is not an emergency at the door.
        ("What have the judges decided about the IRS giving addresses to ICE? Is it blocked right now?", False),
        ("si me para inmigracion en la calle tengo que contestar?", False),
        ("immigration officers are in my building hallway right now", True),
        ("hay agentes de ICE afuera de la casa ahorita, ayuda", True),
    ],
)
def test_urgency_regressions(bot: Bot, question: str, urgent: bool) -> None:
    assert bot.ask(question).urgent is urgent


# Rules are skipped when their words cannot be in the text (bot/urgency.py, `_screen`). A screen
# may only save time: it must never tell a rule's words wrongly, or a real emergency goes unseen.
@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"\bsuicid\w*", {"suicid"}),
        (r"\b(kill|hurting)\s+(myself|my self)\b", {"hurting", "kill"}),  # the longest shortest word
        (r"\bagents?\s+(is|are)\s+outside\b", {"outside"}),
        (r"\b(ice|agents?)\s+(is|are)\b", {"ice", "agent"}),  # "agents?": the "s" may be missing
        (r"^(?=.*\b(migra|ice)\b)(?!.*\b(rumor|taxes)\b).*\bya\b", {"migra", "ice"}),  # lookahead: yes, negative: no
        (r"\b(la\s+)?(policia|migra)\b", {"policia", "migra"}),  # optional parts tell nothing
        (r"\b(esta|estan)(\s+aqui)?", {"esta"}),
        (r"(?i)\bice\b", None),  # any case: the text's letters cannot be looked up as written
        (r"\b(at|in)\b", None),  # words under three letters are in almost every text
        (r"\b(migra|)\s+ya", None),  # a branch with no words
        (r"\b(19|20)\d\d\b", None),
    ],
)
def test_a_rules_screen_names_only_words_every_match_contains(pattern: str, words: set[str] | None) -> None:
    screen = _screen(re.compile(pattern))
    assert (None if screen is None else set(screen[1])) == words


def _every_text(bot: Bot) -> list[str]:
    texts = [q for e in bot.corpus.explainers for q in e.questions]
    return texts + [r["question"] for name in QUESTION_TABLES for r in read_table(name)]


def test_screened_rules_give_what_running_every_rule_gives(bot: Bot) -> None:
    """The screens change no result on any question the tests know, for any kind of rule."""
    rules, texts = bot.urgency, [fold(q) for q in _every_text(bot)]
    assert len(texts) > 2000
    screens = [_screen(p) for kind in RULE_KINDS for p in rules._compiled[kind]]
    assert sum(s is not None for s in screens) >= len(screens) * 0.9  # screens that skip something
    for kind in RULE_KINDS:
        patterns = rules._compiled[kind]
        differ = [t for t in texts if rules.matches(kind, t) != any(p.search(t) for p in patterns)]
        assert differ == [], kind


@pytest.mark.parametrize(
    "question",
    ["ice agents are asking the irs for our addresses", "la migra esta pidiendo los datos al irs"],
)
def test_a_scene_in_the_present_is_urgent_only_when_the_answer_is_an_urgent_card(bot: Bot, question: str) -> None:
    """The `scene` rules match these (agents doing something, in the present), but retrieval answers
    with a topic about the IRS sharing data: no emergency help first."""
    assert bot.urgency.scene_folded(fold(question))
    reply = bot.ask(question)
    assert reply.answer is not None and not reply.answer.urgent and reply.urgent is False


@pytest.mark.parametrize(
    "question",
    [
        "suéltenlo, es mi hermano, no ha hecho nada",
        "please help they are hurting him he didnt do anything",
        "what is the weather on mars",
    ],
)
def test_a_decline_ends_its_help_with_the_emergency_hotline(bot: Bot, question: str) -> None:
    """An emergency the rules do not read (a shout, a plea) is declined; the hotline's number is still
    there, after the legal and tax help that a calm question needs first."""
    reply = bot.ask(question)
    assert reply.answer is None and reply.urgent is False
    kinds = [r.kind for r in reply.referrals]
    assert kinds[0] == "immigration-legal" and kinds[-1] == "emergency"
    assert any(r.phone for r in reply.referrals if r.kind == "emergency")


@pytest.mark.parametrize(
    "question",
    [
        "Mamá, date prisa. Lo tiraron al suelo y se le echaron encima",
        "Esa es mi esposa y mi hijo, se me está partiendo el corazón",
        "Folks at 35th and Park report that ICE hit a man with their vehicle",
    ],
)
def test_a_chance_match_to_a_subject_is_a_plain_decline(bot: Bot, question: str) -> None:
    """Words that happen to touch an out-of-scope subject below the threshold (a shout sharing one word with
    the visa questions) are not that subject: the reply is the plain decline, whose help ends with the
    emergency line, not the subject's help alone."""
    reply = bot.ask(question)
    hits = bot.indexes[reply.lang].search(question)
    assert hits[0].id in bot.out_of_scope and hits[0].score < bot.corpus.thresholds[reply.lang]
    assert reply.answer is None and reply.message == t("decline", reply.lang)
    assert [r.kind for r in reply.referrals][-1] == "emergency"
