"""The full pages through the whole app in-process: reply language, urgent banner, decline, topic order, HEAD.

The no-JS form is submitted as a browser would: with the fields the page itself renders (hidden
inputs and the selected option), plus the question.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from html import unescape
from html.parser import HTMLParser

import httpx
import pytest
from fastapi.testclient import TestClient
from helpers import ROOT, read_table

from bot.browser_model import model_bytes
from bot.engine import Bot
from bot.export import render_site
from bot.messages import CATALOGUE

URGENT_EN = "ICE is at my door right now"
SPANISH_Q = "es seguro declarar impuestos si no tengo papeles"
PIZZA = "what's the best pizza place downtown?"
# Declined (an out-of-scope subject: mortgages) but close to the ITIN topics, which it suggests.
NEAR_MISS = "can i get a mortgage with my itin"


@pytest.fixture(scope="module")
def http(client: TestClient) -> TestClient:
    return client


class _Form(HTMLParser):
    """The fields form.ask would send: hidden inputs and each select's selected (or first) option."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._first = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and "ask" in (a.get("class") or ""):
            self._in_form = True
        elif self._in_form and tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.fields[a["name"]] = a.get("value") or ""
        elif self._in_form and tag == "select":
            self._select, self._first = a.get("name"), True
        elif self._select and tag == "option":
            if self._first or "selected" in a:
                self.fields[self._select] = a.get("value") or ""
            self._first = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None


def form_fields(html: str) -> dict[str, str]:
    parser = _Form()
    parser.feed(html)
    return parser.fields


def submit(http: httpx.Client, page: httpx.Response, question: str, **override: str) -> httpx.Response:
    data = {**form_fields(page.text), "question": question, **override}
    r = http.post("/", data=data)
    assert r.status_code == 200, r.text
    return r


def html_lang(html: str) -> str:
    return re.search(r'<html lang="(\w+)"', html).group(1)


def answer_title(html: str) -> str:
    return re.search(r'<section class="reply[^"]*".*?<h2[^>]*>(.*?)</h2>', html, re.S).group(1)


# ---------------------------------------------------------------------- 1. one rule for the reply language


def test_english_page_spanish_question_gets_a_spanish_answer(http: httpx.Client, bot: Bot) -> None:
    page = http.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert html_lang(page.text) == "en"
    r = submit(http, page, SPANISH_Q)
    assert html_lang(r.text) == "es"
    assert answer_title(r.text) == bot.explainer("should-i-file", "es").title


def test_spanish_iframe_english_urgent_question_gets_an_english_answer(http: httpx.Client, bot: Bot) -> None:
    page = http.get("/?lang=es")  # the README's iframe
    assert html_lang(page.text) == "es"
    r = submit(http, page, URGENT_EN)
    assert html_lang(r.text) == "en"
    assert answer_title(r.text) == bot.explainer("ice-at-the-door", "en").title


def test_an_explicit_choice_still_wins(http: httpx.Client, bot: Bot) -> None:
    page = http.get("/", headers={"accept-language": "en"})
    r = submit(http, page, URGENT_EN, lang="es")
    assert html_lang(r.text) == "es"
    assert answer_title(r.text) == bot.explainer("ice-at-the-door", "es").title
    assert form_fields(r.text)["lang"] == "es"  # the choice stays selected for the next question


def test_errors_use_the_interface_language(http: httpx.Client) -> None:
    page = http.get("/?lang=es")
    r = http.post("/", data={**form_fields(page.text), "question": "   "})
    assert r.status_code == 400 and html_lang(r.text) == "es"


# ---------------------------------------------------------------------- 2. a number inside every urgent banner


def banner(html: str) -> str:
    m = re.search(r'<div class="urgent-banner" role="alert"[^>]*>(.*?)</div>', html, re.S)
    assert m, "no urgent banner"
    return m.group(1)


def first_emergency_phone(bot: Bot, lang: str) -> str:
    return next(r.phone for r in bot.directory.for_kinds(("emergency",), lang) if r.phone)


@pytest.mark.parametrize(
    ("question", "lang"),
    [("como renuevo mi itin que ya se vencio", "es"), (SPANISH_Q, "es"), ("what is an itin", "en")],
)
def test_an_answers_help_comes_before_its_sources(http: httpx.Client, question: str, lang: str) -> None:
    """The no-JS answer too: free help, with its phone numbers, before the sources."""
    html = submit(http, http.get(f"/?lang={lang}"), question, lang=lang).text
    assert 'class="referrals' in html and 'class="sources"' in html
    assert html.index('class="referrals') < html.index('class="sources"')


@pytest.mark.parametrize("lang", ["en", "es"])
def test_urgent_views_on_the_server_have_a_tel_link_in_the_banner(http: httpx.Client, bot: Bot, lang: str) -> None:
    phone = first_emergency_phone(bot, lang)
    nojs = submit(http, http.get(f"/?lang={lang}"), URGENT_EN, lang=lang)
    topic = http.get(f"/topics/ice-at-the-door?lang={lang}")
    card = http.get(f"/topics/ice-at-the-door/card?lang={lang}")
    for r in (nojs, topic, card):
        assert f'href="tel:{phone}"' in banner(r.text)


@pytest.mark.parametrize(
    "question",
    ["my dad was detained by immigration how do i find him", "how do i find someone in ice detention"],
)
def test_an_urgent_explainer_gets_the_banner_even_when_the_question_is_not_flagged(
    http: httpx.Client, bot: Bot, question: str
) -> None:
    """The user test's panicking son: the detention card came without the number, nine links down."""
    reply = bot.ask(question)
    assert reply.answer is not None and reply.answer.urgent and not reply.urgent
    page = submit(http, http.get("/?lang=en"), question, lang="en")
    assert f'href="tel:{first_emergency_phone(bot, "en")}"' in banner(page.text)
    assert page.text.index("urgent-banner") < page.text.index(f">{reply.answer.title}</h2>")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_banner_fits_every_urgent_card(http: httpx.Client, bot: Bot, lang: str) -> None:
    """The banner heads the detention card too ("they took my husband yesterday"): its door advice
    must say when it applies, not order everyone to keep a door shut."""
    urgent = [e.id for e in bot.served(lang) if e.urgent]
    assert len(urgent) >= 2
    for id in urgent:
        text = re.sub(r"<[^>]+>", "", banner(http.get(f"/topics/{id}?lang={lang}").text))
        door = [s.strip() for s in re.split(r"[.:]", text) if re.search(r"\b(door|puerta)\b", s)]
        assert door, text
        assert all(s.split()[0] in ("If", "Si") for s in door), door


def test_static_pages_of_the_urgent_topic_have_a_tel_link_in_the_banner(bot: Bot) -> None:
    files = render_site(bot)
    pages = [p for p in files if re.search(r"topics/ice-at-the-door/(card/)?index\.html$", p)]
    assert len(pages) == 4  # topic and card, in both languages
    for path in pages:
        lang = "es" if path.startswith("es/") else "en"
        assert f'href="tel:{first_emergency_phone(bot, lang)}"' in banner(files[path].decode())


# ---------------------------------------------------------------------- 3. a short decline


def reply_section(html: str) -> str:
    return re.search(r'<section class="reply.*?</section>\s*(?=<form)', html, re.S).group(0)


def test_off_topic_decline_has_no_suggestions_and_no_topic_list(http: httpx.Client) -> None:
    r = submit(http, http.get("/?lang=en"), PIZZA)
    section = reply_section(r.text)
    assert 'class="decline"' in section
    assert 'class="suggestions"' not in section
    assert 'class="topic-list"' not in r.text
    assert 'class="referrals' in section
    assert 'class="all-topics"><a href="/topics?lang=en"' in section
    assert "/topics/" not in section  # not one topic link


def test_near_miss_decline_offers_at_most_three_close_topics_once(http: httpx.Client) -> None:
    r = submit(http, http.get("/?lang=en"), NEAR_MISS)
    section = reply_section(r.text)
    links = re.findall(r'href="/topics/([\w-]+)\?lang=en"', r.text.split("<form", 1)[0])
    assert 1 <= len(links) <= 3 and len(set(links)) == len(links)
    assert "itin-basics" in links
    assert 'class="topic-list"' not in r.text and 'class="all-topics"' in section


def test_engine_and_engine_js_agree_on_the_decline_floor(bot: Bot, tmp_path) -> None:  # noqa: ANN001
    replies = run_engine_js(bot, tmp_path, [[PIZZA, None], [NEAR_MISS, None]])
    assert replies[0]["suggestions"] == [] == bot.ask(PIZZA).model_dump()["suggestions"]
    python = [s.id for s in bot.ask(NEAR_MISS).suggestions]
    assert [s["id"] for s in replies[1]["suggestions"]] == python and "itin-basics" in python


# ---------------------------------------------------------------------- 4. topic order


def run_engine_js(bot: Bot, tmp_path, questions: list) -> list[dict]:  # noqa: ANN001
    """engine.js under Node, answering from the model file the export writes."""
    model = tmp_path / "model.json"
    model.write_bytes(model_bytes(bot))
    script = (
        "globalThis.self = globalThis; require(process.argv[2]);"
        "const M = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));"
        "const qs = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(qs.map(([q, l]) => self.TaxPrivacyEngine.answer(M, q, l))));"
    )
    out = subprocess.run(
        ["node", "-e", script, str(model), str(ROOT / "web/static/engine.js")],
        input=json.dumps(questions),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def first_topic_link(html: str) -> str:
    return re.search(r'href="[^"]*topics/([\w-]+)(?:/index\.html|\?lang=\w+)"', html).group(1)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_urgent_topic_comes_first_everywhere(http: httpx.Client, bot: Bot, lang: str, tmp_path) -> None:  # noqa: ANN001
    assert bot.topics(lang)[0].id == "ice-at-the-door"
    assert http.get(f"/api/topics?lang={lang}").json()[0]["id"] == "ice-at-the-door"
    assert first_topic_link(http.get(f"/?lang={lang}").text.split("topic-list", 1)[1]) == "ice-at-the-door"
    assert first_topic_link(http.get(f"/topics?lang={lang}").text.split("<main", 1)[1]) == "ice-at-the-door"
    assert bot.ask(PIZZA, lang).topics[0].id == "ice-at-the-door"
    assert run_engine_js(bot, tmp_path, [[PIZZA, lang]])[0]["topics"][0]["id"] == "ice-at-the-door"
    files = render_site(bot)
    start = files["index.html" if lang == "en" else "es/index.html"].decode()
    assert first_topic_link(start.split("topic-list", 1)[1]) == "ice-at-the-door"


def test_then_the_required_topics_in_their_documented_order(bot: Bot) -> None:
    required = bot.corpus.required_topics  # in the order corpus.yaml lists them
    assert len(required) == 17
    ids = [s.id for s in bot.topics("en")]
    urgent = [id for id in ids if bot.explainer(id, "en").urgent]
    assert ids[: len(urgent)] == urgent  # every urgent topic first, the door card leading
    rest = ids[len(urgent) :]
    assert rest == [t for t in required if t not in urgent] + sorted(t for t in rest if t not in required)


class _Links(HTMLParser):
    """Each link's target and accessible name (aria-label, else its text); these pages use no aria-labelledby."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[list[str]] = []
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.open.append([a["href"] or "", a.get("aria-label") or "", ""])

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.open:
            href, label, text = self.open.pop()
            self.links.append((href, label or " ".join(text.split())))

    def handle_data(self, data: str) -> None:
        for link in self.open:
            link[2] += data


def test_no_two_links_of_a_reply_share_a_name_with_different_targets(http: httpx.Client) -> None:
    """As in the widget (tests/test_browser.py): a screen reader's list of links must tell each one apart."""
    start = http.get("/?lang=en")
    clashes, seen = [], 0
    for row in read_table("questions.tsv"):
        parser = _Links()
        parser.feed(reply_section(submit(http, start, row["question"]).text))
        seen += len(parser.links)
        names: dict[str, str] = {}
        for href, name in parser.links:
            if names.setdefault(name, href) != href:
                clashes.append((row["question"], name, names[name], href))
    assert seen > 1000 and not clashes, (seen, clashes[:5])


# ---------------------------------------------------------------------- 5. HEAD for uptime monitors


@pytest.mark.parametrize(
    "path", ["/", "/?lang=es", "/topics", "/topics/ice-at-the-door", "/topics/ice-at-the-door/card", "/demo"]
)
def test_head_answers_200_like_get(http: httpx.Client, path: str) -> None:
    head = http.head(path)
    assert head.status_code == 200
    assert head.headers["content-type"].startswith("text/html")
    assert head.content == b""


# ---------------------------------------------------------------------- 6. no favicon request


ICON = re.compile(r'<link rel="icon" href="(?P<href>[^"]*)"')


@pytest.mark.parametrize(
    "path",
    ["/", "/?lang=es", "/?q=what+is+an+itin", "/topics", "/topics/ice-at-the-door", "/topics/ice-at-the-door/card"]
    + ["/demo", "/embed.html", "/topics/no-such-topic"],
)
def test_every_page_declares_an_icon_so_the_browser_asks_for_no_favicon(http: httpx.Client, path: str) -> None:
    """A page that declares no icon makes the browser request /favicon.ico: one 404 on every page load.

    The icon is an empty data: URL (allowed by the CSP's img-src), so no request at all, and none to a third party.
    """
    page = http.get(path).text
    found = ICON.search(page.split("</head>", 1)[0])
    assert found and found["href"] == "data:,", path


def test_every_exported_page_declares_an_icon(bot: Bot) -> None:
    pages = {path: body.decode() for path, body in render_site(bot).items() if path.endswith(".html")}
    assert "index.html" in pages and "embed.html" in pages
    missing = [p for p, text in pages.items() if '<link rel="icon" href="data:,">' not in text.split("</head>", 1)[0]]
    assert not missing, missing


# ---------------------------------------------------------------------- the answer page names itself


def page_title(html: str) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_answer_page_title_names_the_answer_or_the_decline(http: httpx.Client, bot: Bot, lang: str) -> None:
    """A screen reader says the title first on the new page: it was the same before and after a question."""
    site = CATALOGUE["site.title"][lang]
    start = http.get(f"/?lang={lang}")
    assert page_title(start.text) == site
    question = {"en": "what is an itin number", "es": "que es un itin"}[lang]
    answer = bot.ask(question, lang).answer
    assert answer is not None
    assert page_title(submit(http, start, question, lang=lang).text) == f"{answer.title} · {site}"
    declined = submit(http, start, PIZZA, lang=lang)
    assert page_title(declined.text) == f"{CATALOGUE['title.declined'][lang]} · {site}"
    empty = http.post("/", data={**form_fields(start.text), "question": " "})
    assert page_title(empty.text) == f"{CATALOGUE['error.empty'][lang]} · {site}"


def test_each_help_link_says_whose_it_is(http: httpx.Client, bot: Bot) -> None:
    """The help links were named by bare addresses (www.justice.gov/eoir/...): the owner is in the name."""
    page = submit(http, http.get("/?lang=en"), "what is an itin number", lang="en")
    section = re.search(r'<section class="referrals".*?</section>', page.text, re.S).group(0)
    links = re.findall(r'<a href="(https://[^"]+)"[^>]*>(.*?)</a>', section, re.S)
    assert links
    names = {r.url: r.name for r in bot.ask("what is an itin number", "en").referrals if r.url}
    for url, inner in links:
        text = unescape(re.sub(r"<[^>]+>", "", inner))
        assert names[unescape(url)] in text, (url, text)


# ---------------------------------------------------------------------- review dates, read the same everywhere
# User test 2026-11-30: pages and the card said "Revisado el 2026-11-29", the widget "Reviewed on November 30, 2026".

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
    + ["November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre"]
    + ["noviembre", "diciembre"],
}


def said_date(d, lang: str) -> str:  # noqa: ANN001 - a datetime.date
    month = MONTHS[lang][d.month - 1]
    text = f"{d.day} de {month} de {d.year}" if lang == "es" else f"{month} {d.day}, {d.year}"
    label = CATALOGUE["label.reviewed"][lang].replace("{date}", "")
    return f'{label}<time datetime="{d.isoformat()}">{text}</time>'


@pytest.mark.parametrize("lang", ["en", "es"])
def test_review_dates_are_written_out_on_every_server_page(http: httpx.Client, bot: Bot, lang: str) -> None:
    e = bot.corpus.get("ice-at-the-door", lang)
    assert e is not None
    topic = http.get(f"/topics/ice-at-the-door?lang={lang}").text
    assert said_date(e.reviewed, lang) in topic
    card = http.get(f"/topics/ice-at-the-door/card?lang={lang}").text
    for other in ("en", "es"):
        version = bot.corpus.get("ice-at-the-door", other)
        assert version is not None and said_date(version.reviewed, other) in card
    question = URGENT_EN if lang == "en" else SPANISH_Q
    answer = bot.ask(question, lang).answer
    assert answer is not None
    nojs = http.post("/", data={"question": question, "lang": lang, "ui": lang}).text
    assert said_date(dt.date.fromisoformat(str(answer.reviewed)), lang) in nojs
    assert not re.search(r"(Reviewed on|Revisado el) \d{4}-", topic + card + nojs)


def test_review_dates_are_written_out_in_the_static_export(bot: Bot) -> None:
    files = render_site(bot)
    for path in (p for p in files if re.search(r"topics/[^/]+/(card/)?index\.html$", p)):
        page = files[path].decode()
        assert not re.search(r"(Reviewed on|Revisado el) \d{4}-", page), path
    for lang, path in (("en", "topics/ice-at-the-door/index.html"), ("es", "es/topics/ice-at-the-door/index.html")):
        e = bot.corpus.get("ice-at-the-door", lang)
        assert e is not None and said_date(e.reviewed, lang) in files[path].decode()
