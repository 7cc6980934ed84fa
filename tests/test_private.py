"""Private mode: the in-browser engine against Python's, the static site, the model file and print.

The acceptance test is parity: in headless Chromium, web/static/engine.js answers every row of the
dev set (and some awkward Unicode) from the exported model file, and each reply must equal
`Bot.ask` field for field (confidence within 1e-6). The exported site is served by a plain static
file server, as a nonprofit's host would serve it.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote_plus, urlsplit

import pytest
from helpers import MODEL_LIMIT, OPEN_SHADOW, QUESTION_TABLES, ROOT, engine_page, read_table

from bot.browser_model import build_model, model_bytes
from bot.cli import main
from bot.engine import Bot
from bot.export import export_site, page_path
from bot.jsregex import js_regex

# Raised from 5 KB (review 2026-11-29): the engine mirrors six Python modules and must stay readable
# (written with full names and comments it is 7,632 bytes gzipped on 2026-11-29). Raised again to 9 KB
# the same day, when crisis rules, safety subjects and a name check brought it to 8,189 bytes: grow the
# budget with the engine rather than squeeze its code.
ENGINE_LIMIT = 9 * 1024
W = "taxprivacy-chat"

# Awkward input the dev set lacks: accents written as combining marks, Turkish i, fullwidth and
# Arabic-Indic digits, astral characters, invisible characters, names, published numbers.
EDGE = [
    "Mi nombre es José Ñúñez y tengo un ITIN",
    "My name is İsmail Kaya, ICE at my door",
    "my name is ısmail and i need an itin",
    "call me at ٥٥٥-١٢٣-٤٥٦٧ about my itin",
    "ssn １２３-４５-６７８９ can ice see it",
    "ICE\u200b is at my door",
    "\u00bfque\u0301 pasa si declaro impuestos?",
    "𝟏𝟐𝟑-𝟒𝟓-𝟔𝟕𝟖𝟗 is my ssn",
    "🙏 ayuda la migra está afuera 🙏",
    "K-1 visa and \u212aelvin taxes",
    "I live at 12 Main ſtreet, can the irs share it",
    "MY NAME IS CARLOS EDUARDO VEGA",
    "Carlos Eduardo Vega needs an ITIN",
    "Maria de la Cruz y Juan Perez quieren declarar",
    "call 1-877-777-4778 for help with my taxes",
    "is phishing@irs.gov a real irs email",
    "tab\tseparated\nnew lines\r\nin my question about itin",
    "",
    "\u200b\u200e",
    "itin " * 200,
    "ITIN ITIN ITIN itin renewal renewal",
    "how long to bake a cake",
    "taxes",
    "itin renewal",
    "free abogado near me",
    "<script>alert(1)</script> what is an ITIN",
    "ICE İS AT MY DOOR",
    "Ｉ Ｃ Ｅ at my door right now",
    "123 Main St Apt 4B, can ICE get my address",
    "naci el 14 de marzo de 1985, puedo sacar itin",
    "A# 123-456-789 case status",
    "ﬁle my taxes without ssn",
    "ΣΑΣ ICE ΟΔΟΣ",
    "i'm scared\u2014they took my husband this morning",
    "la migra se llevó a mi esposo ahorita",
    "my email is juan.perez@gmail.com what is itin",
    "mi telefono es (555) 123-4567",
    "does the itin give me a work permit",
    "e\u0301\u0301 \u0301 itin",
    "a" * 1000,
    "Me llamo Ana y tengo miedo de declarar",
    "my name's Bob, do immigrants pay taxes",
    # A partner's threat the rules read, declined: the decline speaks to abuse at home (not "try other words").
    "my abusive husband controls my money and wont let me file",
    "el papa de mis hijos dice que me va a reportar a la migra si le pido la manutencion",
]


def parity_rows() -> list[tuple[str, str | None]]:
    """Every dev-set row as asked (language detected) and with its language given, then the edge cases."""
    rows: list[tuple[str, str | None]] = []
    for name in QUESTION_TABLES:
        for r in read_table(name):
            rows += [(r["question"], None), (r["question"], r["lang"])]
    for q in EDGE:
        rows += [(q, None), (q, "en"), (q, "es")]
    return rows


def mismatches(bot: Bot, rows: list[tuple[str, str | None]], replies: list[dict]) -> list[str]:
    out = []
    for (question, lang), js in zip(rows, replies, strict=True):
        py = bot.ask(question, lang).model_dump(mode="json")
        differ = sorted(k for k in py.keys() | js.keys() if k != "confidence" and py.get(k) != js.get(k))
        if abs(py["confidence"] - js["confidence"]) > 1e-6:
            differ.append(f"confidence {py['confidence']} != {js['confidence']}")
        if differ:
            got = (js.get("answer") or {}).get("id")
            want = (py["answer"] or {}).get("id")
            out.append(f"{question[:60]!r} lang={lang}: {', '.join(differ)} (python {want}, browser {got})")
    return out


# ---------------------------------------------------------------------- fixtures


@pytest.fixture
def context(browser):  # noqa: ANN001, ANN201
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US", reduced_motion="reduce")
    ctx.add_init_script(OPEN_SHADOW)
    ctx.route(
        "https://www.google.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>Weather</p>"),
    )
    yield ctx
    ctx.close()


def answer_all(page, rows: list[tuple[str, str | None]]) -> list[dict]:  # noqa: ANN001
    replies: list[dict] = []
    for i in range(0, len(rows), 150):
        batch = [[q, lang] for q, lang in rows[i : i + 150]]
        replies += page.evaluate("rows => rows.map(([q, lang]) => TaxPrivacyEngine.answer(M, q, lang))", batch)
    return replies


# ---------------------------------------------------------------------- parity


@pytest.mark.browser
def test_browser_answers_equal_python_on_every_dev_row(bot: Bot, context, site_url: str) -> None:  # noqa: ANN001
    rows = parity_rows()
    assert len(rows) > 1000
    page = engine_page(context, f"{site_url}/topics/index.html")
    bad = mismatches(bot, rows, answer_all(page, rows))
    assert not bad, f"{len(bad)} of {len(rows)} replies differ:\n" + "\n".join(bad[:20])
    assert page.errors == []


@pytest.mark.browser
def test_a_model_exported_before_the_abuse_rules_still_answers(context, site_url: str) -> None:  # noqa: ANN001
    """A host may cache model.json apart from engine.js: a model without the `abuse` list (exported
    before those rules) answers, and without the hotline the rules would add."""
    page = engine_page(context, f"{site_url}/topics/index.html")
    question = "my husband says if i file my own taxes he will call ice on me"
    reply = page.evaluate(
        """q => { const m = {...M, urgent: {...M.urgent}}; delete m.urgent.abuse;
                  return TaxPrivacyEngine.answer(m, q); }""",
        question,
    )
    assert reply["answered"] and reply["answer"]["id"] == "should-i-file"
    assert reply["referrals"][0]["kind"] != "domestic-violence"
    assert page.errors == []


@pytest.mark.browser
def test_browser_index_has_the_same_features(bot: Bot, context, site_url: str) -> None:  # noqa: ANN001
    page = engine_page(context, f"{site_url}/topics/index.html")
    sizes = page.evaluate(
        """langs => {
      const P = TaxPrivacyEngine.prepare(M), out = {};
      for (const l of langs) out[l] = { words: P.ix(l).words.columns.size, chars: P.ix(l).chars.columns.size };
      return out;
    }""",
        list(bot.indexes),
    )
    for lang, index in bot.indexes.items():
        assert sizes[lang] == {"words": len(index.word_space_.columns), "chars": len(index.char_space_.columns)}


@pytest.mark.browser
def test_browser_without_look_behind_still_answers_the_dev_set(bot: Bot, context, site_url: str) -> None:  # noqa: ANN001
    """Safari before 16.4 has no regex look-behind: the engine falls back to \\b and still agrees."""
    context.add_init_script("""(() => {
      const R = RegExp;
      function NoLookBehind(s, f) {
        if (String(s).includes('(?<=') || String(s).includes('(?<!')) throw new SyntaxError('no look-behind');
        return new R(s, f);
      }
      NoLookBehind.prototype = R.prototype;
      window.RegExp = NoLookBehind;
    })();""")
    rows = [(r["question"], None) for name in QUESTION_TABLES for r in read_table(name)]
    page = engine_page(context, f"{site_url}/topics/index.html")
    bad = mismatches(bot, rows, answer_all(page, rows))
    assert not bad, "\n".join(bad[:20])


def test_case_insensitive_classes_are_translated_like_python() -> None:
    assert js_regex(r"\bmy name is\b", ignorecase=True).count("[i\u0130\u0131]") == 1
    assert js_regex("[a-z'.-]+", ignorecase=True) == "[\u0130\u0131a-z'.-]+"
    assert js_regex(r"\d{3}[\s.-]\D") == r"\p{Nd}{3}[\s.-]\P{Nd}"
    for bad in (r"(?P<x>a)", r"(?i)a", r"\Aa", r"a{,3}"):
        with pytest.raises(ValueError):
            js_regex(bad)


# ---------------------------------------------------------------------- the widget in private mode


def watch_requests(page) -> list:  # noqa: ANN001
    requests: list = []
    page.on("request", lambda r: requests.append(r))
    return requests


def ask_widget(page, question: str):  # noqa: ANN001, ANN201
    replies = page.locator(f"{W} .log > .msg.bot:not(.greeting)")
    before = replies.count()
    page.locator(f"{W} textarea").fill(question)
    page.locator(f"{W} textarea").press("Enter")
    replies.nth(before).wait_for()
    return replies.nth(before)


TEN = [
    "can ICE get my address from my taxes",
    "me pueden deportar si hago mis taxes",
    "what is an ITIN",
    "ICE is at my door",
    "my ssn is 123-45-6789 can i file",
    "como renuevo mi itin",
    "how do i renew my daca",
    "free abogado near me",
    "is the irs call about my refund a scam",
    "la migra está afuera de mi casa",
]


@pytest.mark.browser
def test_private_widget_requests_only_static_files_and_never_the_question(context, site_url: str) -> None:  # noqa: ANN001
    page = context.new_page()
    requests = watch_requests(page)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site_url}/index.html")
    page.wait_for_load_state("networkidle")
    assert sorted(urlsplit(r.url).path for r in requests) == [
        "/index.html",
        "/static/site.css",
        "/static/site.js",
        "/widget.js",
    ]

    page.locator(f"{W} .launcher").click()
    page.locator(f"{W} textarea").wait_for()
    greeting = page.locator(f"{W} .greeting").inner_text()
    assert "never leave" in greeting, greeting
    for q in TEN:
        reply = ask_widget(page, q)
        assert reply.inner_text().strip()
    shown = page.locator(f"{W} .log > .msg.bot:not(.greeting)").count()
    page.locator(f"{W} .chip").first.click()  # a topic button: from the model too
    page.locator(f"{W} .log > .msg.bot:not(.greeting)").nth(shown).wait_for()
    label = page.locator(f"{W} .ask label").inner_text()
    page.locator(f"{W} .switch").click()  # the language switch re-shows the topic in the other language
    page.locator(f"{W} .log > .msg.bot:not(.greeting)").nth(shown + 1).wait_for()
    assert page.locator(f"{W} .ask label").inner_text() != label

    paths = [urlsplit(r.url).path for r in requests]
    assert sorted(paths) == sorted(
        [
            "/index.html",
            "/static/site.css",
            "/static/site.js",
            "/widget.js",
            "/static/widget.css",
            "/static/engine.js",
            "/static/model.json.gz",  # the pre-compressed copy, inflated in the browser
        ]
    ), paths
    for r in requests:
        assert r.method == "GET" and r.post_data is None
        assert r.url.startswith(site_url + "/")
        url = unquote_plus(r.url).lower()
        for q in TEN:
            assert q.lower() not in url
        assert not any(word in url for word in ("deportar", "address", "itin", "ssn", "123")), r.url
    assert errors == []


@pytest.mark.browser
def test_private_widget_renders_replies_like_server_mode(context, site_url: str) -> None:  # noqa: ANN001
    page = context.new_page()
    requests = watch_requests(page)
    page.goto(f"{site_url}/es/index.html")
    page.locator(f"{W} .launcher").click()
    page.locator(f"{W} textarea").wait_for()
    urgent = ask_widget(page, "la migra está tocando mi puerta ahorita")
    assert "urgent" in (urgent.get_attribute("class") or "")
    assert urgent.locator("a.call").get_attribute("href", timeout=2000).startswith("tel:")
    answer = ask_widget(page, "my ssn is 123-45-6789 what is an itin")
    assert answer.locator(".notice").count() == 1  # the personal-data notice
    assert answer.locator(".feedback").count() == 0  # feedback would be a request
    answer.locator(".acts button").click()  # both languages side by side, from the model
    page.locator(f"{W} .msg.both .col").nth(1).wait_for()
    declined = ask_widget(page, "how long do i bake a cake")
    assert declined.locator(".decline").count() == 1
    declined.locator("button.all").click()  # every topic sits behind one "All topics" button
    declined.locator(".chip").first.click()
    page.locator(f"{W} .log > .msg.bot:not(.greeting)").nth(4).wait_for()
    assert not [r for r in requests if "/api/" in r.url]


@pytest.mark.browser
def test_private_mode_against_the_server(context, live_server) -> None:  # noqa: ANN001
    """The server also serves the model file, so data-mode="private" works on any page that embeds it."""
    page = context.new_page()
    host = f"{live_server.url}/private-host-page"
    html = f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title></head><body><h1>Host</h1><script src="{live_server.url}/widget.js" defer data-mode="private"></script></body></html>'
    page.route(host, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    requests = watch_requests(page)
    page.goto(host)
    page.locator(f"{W} .launcher").click()
    page.locator(f"{W} textarea").wait_for()
    ask_widget(page, "what is an ITIN")
    paths = sorted(urlsplit(r.url).path for r in requests)
    assert paths == [
        "/private-host-page",
        "/static/engine.js",
        "/static/model.json.gz",
        "/static/widget.css",
        "/widget.js",
    ], paths


# ---------------------------------------------------------------------- the static site


def test_export_is_byte_for_byte_deterministic(bot: Bot, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two exports, in separate processes with different hash seeds, give identical files."""
    exports = {}
    for seed in ("1", "2"):  # both at once: each spends most of its time importing and indexing
        dest = tmp_path / f"site{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        exports[dest] = subprocess.Popen(
            [sys.executable, "-m", "bot", "export", str(dest), "--base-url", "https://example.org/help"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
    outs = []
    for dest, process in exports.items():
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, output.decode(errors="replace")
        outs.append({p.relative_to(dest).as_posix(): p.read_bytes() for p in sorted(dest.rglob("*")) if p.is_file()})
    assert outs[0].keys() == outs[1].keys()
    differ = [p for p in outs[0] if outs[0][p] != outs[1][p]]
    assert not differ, differ
    # Exporting again into the same folder replaces the previous export and nothing else.
    dest = tmp_path / "site1"
    export_site(bot, dest)
    assert not (dest / "sitemap.xml").exists()
    assert {p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()} == outs[0].keys() - {"sitemap.xml"}
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    code = main(["export", str(taken)])
    assert code != 0 and "not empty" in capsys.readouterr().err
    assert (taken / "notes.txt").read_text() == "mine"


def test_model_is_built_from_the_bot_and_deterministic(bot: Bot) -> None:
    model = build_model(bot)
    assert model["version"] == bot.corpus.version
    assert model_bytes(bot) == model_bytes(Bot.from_path())
    for lang, index in bot.indexes.items():
        assert model["indexes"][lang]["ids"] == index.ids_
        assert model["indexes"][lang]["features"] == {
            "words": len(index.word_space_.columns),
            "chars": len(index.char_space_.columns),
        }
    served = {(e.id, e.lang) for lang in bot.corpus.languages for e in bot.corpus.served(lang)}
    assert {(e["id"], e["lang"]) for e in model["explainers"]} == served
    # The model lists only the known words its index rows do not hold; engine.js adds the rows' words back.
    rows = [
        p for ix in model["indexes"].values() for row in (*ix["short"], *ix["long"]) for p in row if isinstance(p, str)
    ]
    assert set(model["known_words"]) | set(" ".join(rows).split(" ")) == bot.known_words
    assert len(model["known_words"]) < len(bot.known_words) / 10


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_site_has_every_topic_in_both_languages_and_no_broken_link(bot: Bot, site: Path) -> None:
    default = bot.corpus.languages[0]
    ids = {s.id for lang in bot.corpus.languages for s in bot.topics(lang)}
    for lang in bot.corpus.languages:
        for kind in ("home", "topics"):
            assert (site / page_path(kind, lang, default)).is_file()
        for id in ids:
            page = (site / page_path("topic", lang, default, id)).read_text(encoding="utf-8")
            e = bot.explainer(id, lang)
            assert e is not None and e.title in page.replace("&#39;", "'").replace("&amp;", "&")
            assert f'<html lang="{lang}">' in page
            assert e.reviewed.isoformat() in page
            # The only script on a topic page is the quick exit's own small file (no chat, no engine).
            scripts = re.findall(r"<script[^>]*>", page)
            assert len(scripts) == 1 and re.search(r'src="(\.\./)*static/site\.js"', scripts[0]), scripts
    assert (site / page_path("card", "en", default, "ice-at-the-door")).is_file()
    for name in (
        "widget.js",
        "embed.html",
        "static/engine.js",
        "static/model.json",
        "static/model.json.gz",
        "static/widget.css",
        "static/site.css",
        "static/site.js",
    ):
        assert (site / name).is_file()
    broken = []
    for html in site.rglob("*.html"):
        parser = Links()
        parser.feed(html.read_text(encoding="utf-8"))
        for link in parser.links:
            if re.match(r"^(https?:|mailto:|tel:|#|data:,$)", link):  # data:, is the empty icon: no request
                continue
            assert not link.startswith("/"), f"{html}: absolute link {link} breaks in a sub-folder or on disk"
            if not (html.parent / link).resolve().is_file():
                broken.append(f"{html.relative_to(site)} -> {link}")
    assert not broken, broken


@pytest.mark.browser
def test_site_works_with_javascript_off_from_a_host_and_from_disk(browser, site: Path, site_url: str) -> None:  # noqa: ANN001
    for start in (f"{site_url}/index.html", (site / "index.html").as_uri()):
        ctx = browser.new_context(java_script_enabled=False)
        page = ctx.new_page()
        page.goto(start)
        assert page.locator(".topic-list a").count() >= 17
        page.locator(".topic-list a", has_text="ITIN").first.click()
        page.locator("article.explainer h1").wait_for()
        assert page.locator(".summary").inner_text().strip()
        assert page.locator(".sources a").count() >= 1
        assert page.locator(".reviewed").inner_text().strip()
        page.locator("nav a[hreflang=es]").click()
        page.wait_for_url("**/es/topics/*/index.html")
        assert page.locator("html").get_attribute("lang") == "es"
        page.locator("nav a", has_text="Todos los temas").click()
        page.locator("ul.topics li").first.wait_for()
        assert page.locator("ul.topics li").count() >= 17
        ctx.close()


# ---------------------------------------------------------------------- print


@pytest.mark.browser
def test_topic_pages_print_cleanly(context, site_url: str, live_server) -> None:  # noqa: ANN001
    page = context.new_page()
    page.goto(f"{site_url}/topics/itin-basics/index.html")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".sources .url").first.is_visible()
    assert page.locator(".sources .url").first.inner_text().startswith("https://")
    assert page.locator(".reviewed").is_visible()
    assert page.locator(".body").is_visible()
    # The widget on a host page does not print.
    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/demo")
    page.locator(f"{W} .launcher").click()
    page.locator(f"{W} textarea").wait_for()
    page.emulate_media(media="print")
    assert page.locator(f"{W} .launcher").is_hidden()
    assert page.locator(f"{W} #tpc-panel").is_hidden()


@pytest.mark.browser
def test_wallet_card_for_ice_at_the_door(context, site_url: str, bot: Bot) -> None:  # noqa: ANN001
    page = context.new_page()
    page.goto(f"{site_url}/topics/ice-at-the-door/index.html")
    page.locator(".card-link a").click()
    page.wait_for_url("**/card/index.html")
    page.wait_for_load_state("load")
    cards = page.locator(".card")
    assert cards.count() == 4 and page.locator(".card:visible").count() == 1
    page.emulate_media(media="print")
    assert page.locator(".card:visible").count() == 4
    assert page.locator(".site-header").is_hidden() and page.locator("main > h1").is_hidden()
    card = cards.first
    box = card.bounding_box()
    assert box is not None and abs(box["width"] - 3.5 * 96) < 2 and abs(box["height"] - 2.25 * 96) < 2
    cols = card.locator(".card-col")
    assert [cols.nth(i).get_attribute("lang") for i in range(2)] == ["en", "es"]
    for lang, col in zip(("en", "es"), (cols.nth(0), cols.nth(1)), strict=True):
        e = bot.corpus.get("ice-at-the-door", lang)
        assert e is not None and e.title in col.inner_text()
        # The date is written out for people; the ISO date stays for machines, in <time datetime>.
        assert col.locator("time").get_attribute("datetime") == e.reviewed.isoformat()
        assert str(e.reviewed.year) in col.locator("time").inner_text() and "-" not in col.locator("time").inner_text()
        assert col.evaluate("el => el.scrollHeight <= el.clientHeight + 1"), f"the {lang} column overflows the card"
    help_line = card.locator(".card-help")
    assert re.search(r"\d-\d{3}-\d{3}-\d{4}", help_line.inner_text())
    assert help_line.evaluate(
        "(el) => el.getBoundingClientRect().bottom <= el.parentElement.getBoundingClientRect().bottom"
    )
    pdf = page.pdf(format="Letter", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1, "the four cards fit on one sheet"


def test_card_and_model_routes_on_the_server(bot: Bot, client) -> None:  # noqa: ANN001
    card = client.get("/topics/ice-at-the-door/card?lang=es")
    assert card.status_code == 200 and "Línea de ayuda" in card.text and "Help line" in card.text
    assert client.get("/topics/itin-basics/card").status_code == 404
    model = client.get("/static/model.json")
    assert model.status_code == 200 and model.headers["content-type"].startswith("application/json")
    assert json.loads(model.content)["version"] == bot.corpus.version


def test_a_rule_a_browser_cannot_run_is_refused_by_check(tiny_corpus: Path) -> None:
    from bot.checks import validate
    from bot.corpus import CorpusError
    from bot.jsregex import js_regex

    rules = tiny_corpus / "urgent.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("  now:\n", "  now:\n    - (?P<who>ice) (is )?at my door\n", 1), encoding="utf-8")
    with pytest.raises(ValueError, match="P<"):
        js_regex("(?P<who>ice) (is )?at my door")
    assert any("cannot run in a browser" in str(p) for p in validate(tiny_corpus).errors)
    with pytest.raises(CorpusError):  # and the server refuses to serve it
        Bot.from_path(tiny_corpus)


# ---------------------------------------------------------------------- sizes


def test_model_file_stays_within_its_gzipped_budget(bot: Bot) -> None:
    size = len(gzip.compress(model_bytes(bot), 9))
    assert size < MODEL_LIMIT, f"model file is {size / 1024:.1f} KB gzipped; the budget is {MODEL_LIMIT // 1024} KB"


def test_engine_is_under_9_kb_gzipped() -> None:
    size = len(gzip.compress((ROOT / "web" / "static" / "engine.js").read_bytes(), 9))
    assert size <= ENGINE_LIMIT, f"engine.js is {size} bytes gzipped; the budget is {ENGINE_LIMIT} bytes (9 KB)"
