"""The personal-data scrubber against tests/data/personal-data.tsv: what it removes, what it never
gives back, what it leaves alone, what it costs, and the widget warning on the same rules.

The table was written before the patterns were changed, as people type: 343 inputs in English and
Spanish, then 27 more from an audit (numbers spoken as words, e-mails written "arroba ... punto com",
USCIS receipt numbers, "se llama", "nacido en", "March 12, 90"), each missed by the rules before it.
A value counts as removed only when none of its identifying pieces is left (bench/privacy.py explains
the rule), so `123-45-6789` scrubbed to `6789` is a miss.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import time
from pathlib import Path

import httpx
import pytest
from helpers import DATA, OPEN_SHADOW, ROOT, engine_page

from bot import privacy
from bot.browser_model import build_model
from bot.engine import Bot
from bot.privacy import scrub
from bot.text import clean_input

_spec = importlib.util.spec_from_file_location("bench_privacy", ROOT / "bench" / "privacy.py")
assert _spec and _spec.loader
measure = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(measure)

ROWS = measure.read(DATA / "personal-data.tsv")
KINDS = {"ssn", "itin", "a-number", "receipt", "phone", "email", "address", "dob", "name", "mixed"}


def scrubbed(bot: Bot, question: str) -> str:
    return scrub(clean_input(question), bot.known_words).text


# ---------------------------------------------------------------------- the table itself


def test_the_table_is_big_varied_and_well_formed() -> None:
    assert len(ROWS) >= 300
    assert {r["kind"] for r in ROWS} == KINDS
    for lang in ("en", "es"):
        assert sum(r["lang"] == lang for r in ROWS) >= 150
    for r in ROWS:
        for value in measure.values(r):
            assert value and value in r["question"], (value, r["question"])
            assert measure.pieces(value), f"{value!r} has nothing identifying to check"
    questions = " ".join(r["question"] for r in ROWS)
    # Formats the review named, each typed at least once.
    for shape in ["–", "—", "１", "＠", "+52", "+502", "+503", "Av.", "Col.", "#", "apartado postal", "PO Box"]:
        assert shape in questions, shape
    for lead in [
        "soy ",
        "me llamo",
        "mi nombre es",
        "name:",
        "my name is",
        "Sr.",
        "Sra.",
        "Mr.",
        "Mrs.",
        "Don ",
        "Doña",
    ]:
        assert lead in questions, lead


# ---------------------------------------------------------------------- recall and precision


def test_at_least_95_percent_of_values_are_removed(bot: Bot) -> None:
    total = removed = 0
    missed = []
    for row in ROWS:
        cleaned = scrubbed(bot, row["question"])
        for value in measure.values(row):
            total += 1
            left = measure.left(value, cleaned)
            if left:
                missed.append(f"{row['question']!r} -> {cleaned!r} left {sorted(left)}")
            else:
                removed += 1
    assert removed / total >= 0.95, f"{removed}/{total} removed:\n" + "\n".join(missed)


def test_every_row_is_flagged_so_the_person_is_told(bot: Bot) -> None:
    silent = [r["question"] for r in ROWS if not scrub(clean_input(r["question"]), bot.known_words).found]
    assert not silent, silent


@pytest.mark.parametrize("name", ["questions.tsv", "holdout.tsv"])
def test_ordinary_questions_lose_nothing(bot: Bot, name: str) -> None:
    path = DATA / name if name == "questions.tsv" else ROOT / "bench" / name
    flagged = [r["question"] for r in measure.read(path) if scrub(r["question"], bot.known_words).found]
    assert flagged == []


@pytest.mark.parametrize(
    "text",
    [
        "call 1-877-777-4778 for help with my taxes",  # the Taxpayer Advocate Service, published in the corpus
        "is phishing@irs.gov a real irs email",
        "do i need form 1040 1099 and a w-2",
        "can i file for 2023 2024 and 2025 at once",
        "soy madre soltera y tengo itin",
        "I am scared, can ICE see my taxes",
        "PUEDO DECLRAR MIS TAXES CON ITIN",
        "puedo poner a mis papas que viven en El Salvador como dependientes",
        "soy de Guatemala y no tengo papeles",
        "my husband was detained yesterday, should I still file",
        # Headlines and Title Case: capitals are not names there (privacy.is_headline)
        "What Happens To My Tax Return If I Move To Another State",
        "Can ICE Get My Address From The IRS Records",
        "Qué Pasa Con Mis Impuestos Si Cambio De Dirección",
        "Should Mixed Status Families Still File Their Taxes This Year",
        # Federal lines no explainer prints (privacy.GOVERNMENT_LINES): scrubbed before the audit
        "is the 1-800-829-1040 number of the irs real",
        "the irs called me from 800-829-1040 is that legit",
        "es seguro llamar al 1 800 829 1040 o es estafa",
        "uscis contact center 800-375-5283 said to wait",
        # A stop word right after "my name is" is no name: flagged as one before the audit
        "my name is on my husbands return, can ice see it",
        "my name is not on the lease can i still file",
    ],
)
def test_published_numbers_and_plain_words_stay(bot: Bot, text: str) -> None:
    assert scrub(text, bot.known_words).kinds == ()


@pytest.mark.parametrize(
    "text",
    [
        "I have one two or three kids, can i claim them",  # fewer than seven digit words
        "uno dos tres cosas que debo saber del itin",
        "do i email the irs at irs dot gov",  # "at" only before a mail provider
        "can i reach them at gmail",
        "meet @ 5 at the tax clinic",  # a spaced @ needs a dotted domain
        "como se llama el formulario para el itin",  # "se llama" before words the corpus uses
        "el formulario se llama W-7 verdad",
        "i moved from chicago in 2019",  # a year after a city is no ZIP code
        "my receipt from uscis says EAC, is that the vermont center",
    ],
)
def test_the_audits_new_rules_leave_plain_questions_alone(bot: Bot, text: str) -> None:
    """Guards for the rules the audit added (they pass on the old rules too, which lacked them)."""
    assert scrub(text, bot.known_words).kinds == ()


def test_every_published_help_line_and_address_stays(bot: Bot) -> None:
    """Phones of the help directory and phones or e-mails in the served explainers are what the
    person asks about: never scrubbed, however they are written."""
    published = {r.phone for lang in bot.corpus.languages for r in bot.directory.all(lang) if r.phone}
    for lang in bot.corpus.languages:
        for e in bot.corpus.served(lang):
            published |= set(re.findall(r"\+?1?[ -]?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}|[\w.]+@[\w.]+\.\w+", e.text))
    assert len(published) >= 5
    for value in published:
        for text in (f"call {value} please", f"is {value} real", f"llame al {value.replace('-', ' ')}"):
            assert scrub(text, bot.known_words).kinds == (), text


# ---------------------------------------------------------------------- never echoed


def test_no_value_comes_back_from_the_api_the_no_js_page_or_the_logs(live_server) -> None:  # noqa: ANN001
    with httpx.Client(base_url=live_server.url, timeout=20) as client:
        for row in ROWS:
            values = measure.values(row)
            api = client.post("/api/ask", json={"question": row["question"]})
            page = client.post("/", data={"question": row["question"], "lang": row["lang"]})
            confirmed = client.post("/", data={"question": row["question"], "lang": row["lang"], "confirm": "1"})
            assert api.status_code == page.status_code == confirmed.status_code == 200, row["question"]
            assert "personal-data" in api.json()["notices"], row["question"]
            box = re.search(r"<textarea[^>]*>([^<]*)</textarea>", page.text)
            assert box is not None and box.group(1) == "", f"the warning page gave back {box and box.group(1)!r}"
            for value in values:
                for body in (api.text, page.text, confirmed.text):
                    assert value not in body and html.escape(value) not in body, (value, row["question"])
    logs = live_server.logs()
    for row in ROWS:
        for value in measure.values(row):
            assert value not in logs, value


def test_the_warning_page_gives_back_nothing_even_what_was_missed(client) -> None:  # noqa: ANN001
    # The review's PRIV-10: something found, something else missed ("Chicago 60632" is a miss).
    question = "my ssn is 123-45-6789, i rent at 3901 S Kedzie Ave Unit 1, Chicago 60632"
    r = client.post("/", data={"question": question, "lang": "en"})
    assert r.status_code == 200 and 'name="confirm"' in r.text
    assert "60632" not in r.text and "Kedzie" not in r.text and "6789" not in r.text


# ---------------------------------------------------------------------- cost


@pytest.mark.parametrize("unit", ["a.", "1-", "a-", "A", "Aa ", "1 ", "soy ", "calle ", "my name is ", "é,"])
def test_regex_cost_stays_linear_on_a_huge_crafted_input(bot: Bot, unit: str) -> None:
    """40,000 characters, 40 times the longest question: linear patterns take well under a second
    here, a quadratic one minutes (the old e-mail pattern rescanned "a.a.a..." from every position,
    an early name pattern "AAAA..." from every letter). bench/privacy.py times the 1,000-character case."""
    text = unit * (40_000 // len(unit))
    start = time.perf_counter()
    scrub(text, bot.known_words)
    assert time.perf_counter() - start < 5


# ---------------------------------------------------------------------- drafts (L-1)


def test_a_draft_feeds_neither_known_words_nor_the_model(tiny_corpus: Path) -> None:
    text = (tiny_corpus / "en" / "itin-basics.md").read_text()
    text = text.replace("id: itin-basics", "id: secret-draft").replace("status: vetted", "status: draft")
    text = re.sub(r"questions:\n(  - .*\n)+", "questions: [q one, q two, q three, q four, q five, q six]\n", text)
    text = text.replace(
        "\n---\n", "\n---\nCall Zorblaxia Quentinova at 1-212-555-0147 or counsel.private@example.org.\n", 1
    )
    (tiny_corpus / "en" / "secret-draft.md").write_text(text)
    (tiny_corpus / "es" / "secret-draft.md").write_text(text.replace("lang: en", "lang: es"))
    bot = Bot.from_path(tiny_corpus)
    assert "secret-draft" in {e.id for e in bot.corpus.explainers}, "the draft should load"
    model = json.dumps(build_model(bot), ensure_ascii=False)
    for word in ("zorblaxia", "quentinova", "#2125550147", "counsel.private@example.org"):
        assert word not in bot.known_words
        assert word not in model.lower()
    assert scrub("my friend Zorblaxia Quentinova needs help", bot.known_words).found
    assert scrub("call me at 1-212-555-0147", bot.known_words).text == "call me at"


# ---------------------------------------------------------------------- the widget (same rules)


def test_widget_config_carries_the_model_files_rules(bot: Bot, client) -> None:  # noqa: ANN001
    config = client.get("/api/widget-config?lang=es").json()
    model = build_model(bot)
    assert config["privacy"] == model["privacy"]
    # The widget gets every known word; the model file leaves out those of its index rows, which
    # engine.js adds back (tests/test_private.py holds that sum equal to the Bot's).
    assert config["known_words"] == sorted(bot.known_words)
    assert set(model["known_words"]) < set(config["known_words"])
    assert config["text"] == model["text"]
    assert "name_run" in config["privacy"] and "name_after" in config["privacy"]


# One step of one row, inside the page: "ask" types the question into the widget's box and presses
# Enter (the input and keydown events the widget listens for); "send" clicks the warning's "Send
# anyway". Then it waits for what the widget does and says which: "warned", "reply" or "error".
# Driving ~390 rows from inside the page takes seconds, not a minute of Playwright round trips;
# tests/test_browser.py drives the same warning with real key presses and clicks.
ROW_STEP = """async ([question, step]) => {
  const root = document.querySelector('taxprivacy-chat').shadowRoot;
  const count = (selector) => root.querySelectorAll(selector).length;
  const replies = count('.log > .msg.bot:not(.greeting)'), errors = count('.log > .msg.error');
  if (step === 'ask') {
    const box = root.querySelector('textarea');
    box.value = question;
    box.dispatchEvent(new Event('input', { bubbles: true }));
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
  } else {
    const buttons = [...root.querySelectorAll('.warn[role=alert] button')];
    buttons.find((b) => b.textContent.trim() === 'Send anyway').click();
  }
  const outcome = () => count('.log > .msg.bot:not(.greeting)') > replies ? 'reply'
    : count('.log > .msg.error') > errors ? 'error'
    : root.querySelector('.warn[role=alert]') ? 'warned' : null;
  const end = Date.now() + 10000;
  while (!outcome() && Date.now() < end) await new Promise((done) => setTimeout(done, 5));
  return outcome() || 'nothing within 10 s';
}"""


@pytest.mark.browser
def test_widget_warns_on_every_row_and_sends_only_what_the_server_would_keep(bot: Bot, browser, live_server) -> None:  # noqa: ANN001
    """Every row of the table: the widget warns before sending; after "Send anyway" it sends its
    own scrubbed text, which must equal Python's scrub() to the character. Ordinary dev-set
    questions go out unchanged, without a warning. /api/ask is answered in the browser with one
    canned reply, so the test measures the widget, not the server."""
    sync_api = pytest.importorskip("playwright.sync_api")
    canned = json.dumps(bot.ask("what is an itin", "en").model_dump(mode="json"))
    sent: list[str] = []

    def answer(route) -> None:  # noqa: ANN001
        sent.append(json.loads(route.request.post_data or "{}")["question"])
        route.fulfill(status=200, content_type="application/json", body=canned)

    ordinary = [r["question"] for r in measure.read(DATA / "questions.tsv")][::8]
    errors: list[str] = []
    context = browser.new_context(locale="en-US")
    try:
        context.add_init_script(OPEN_SHADOW)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/api/ask", answer)
        box = page.locator("taxprivacy-chat textarea")
        items = [(r["question"], True) for r in ROWS] + [(q, False) for q in ordinary]
        not_warned, differ = [], []
        for i, (question, personal) in enumerate(items):
            if i % 50 == 0:  # a fresh page now and then keeps the transcript short
                page.goto(f"{live_server.url}/demo")
                page.locator("taxprivacy-chat .launcher").click()
                sync_api.expect(box).to_be_focused()
            before = len(sent)
            outcome = page.evaluate(ROW_STEP, [question, "ask"])
            if personal:
                if outcome != "warned":
                    not_warned.append(question)
                    continue
                assert len(sent) == before, "nothing may be sent before the person decides"
                outcome = page.evaluate(ROW_STEP, [question, "send"])
            expected = scrubbed(bot, question) if personal else question
            if not expected:  # nothing would be left to ask: the widget says so and sends nothing
                assert outcome == "error", (question, outcome)
                assert len(sent) == before
                continue
            if outcome != "reply" or sent[before:] != [expected]:
                differ.append(f"{question!r}: {outcome}, sent {sent[before:]!r}, python {expected!r}")
    finally:
        context.close()
    assert not errors, errors
    assert not not_warned, f"{len(not_warned)} rows sent without a warning: {not_warned}"
    assert not differ, "\n".join(differ)


@pytest.mark.browser
def test_private_mode_engine_replies_like_python_on_every_row(bot: Bot, browser, live_server) -> None:  # noqa: ANN001
    """engine.js runs the model file's copy of the rules: on every row, asked with and without a
    language, its reply equals Bot.ask field for field (the dev-set parity of tests/test_private.py)."""
    rows = [[r["question"], lang] for r in ROWS for lang in (None, r["lang"])]
    context = browser.new_context()
    try:
        page = engine_page(context, f"{live_server.url}/topics")
        replies = []
        for i in range(0, len(rows), 150):
            batch = rows[i : i + 150]
            replies += page.evaluate("rows => rows.map(([q, lang]) => TaxPrivacyEngine.answer(M, q, lang))", batch)
    finally:
        context.close()
    assert not page.errors, page.errors
    differ = []
    for (question, lang), js in zip(rows, replies, strict=True):
        py = bot.ask(question, lang).model_dump(mode="json")
        keys = sorted(k for k in py.keys() | js.keys() if k != "confidence" and py.get(k) != js.get(k))
        if keys or abs(py["confidence"] - js["confidence"]) > 1e-6:
            differ.append(f"{question!r} lang={lang}: {keys}")
    assert not differ, "\n".join(differ[:20])


def test_skipping_the_digit_rules_for_text_without_digits_changes_nothing(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """scrub() runs the rules that need a digit only when the text has one; on every question the
    project has (personal-data sets, dev, holdout, real), the result is what running all rules gives."""
    texts = [
        line.split("\t")[2]
        for name in ("personal-data.tsv", "personal_data.tsv", "questions.tsv", "urgent.tsv")
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()[1:]
        if line.count("\t") >= 2
    ]
    texts += [
        line.split("\t")[2]
        for line in (ROOT / "bench" / "real.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    texts += ["Born in 1990, my name is Ana Ruiz", "vivo en Calle Ocho #12", "A-number A 123 456 789"]
    assert len(texts) > 1000
    fast = [privacy.scrub(t, bot.known_words) for t in texts]
    monkeypatch.setattr(privacy, "_DIGIT", re.compile(""))  # every text "has a digit": every rule runs
    assert [privacy.scrub(t, bot.known_words) for t in texts] == fast
