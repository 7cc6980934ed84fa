"""A decline in the widget fits on one 360 x 640 phone screen (newcomer test 2026-11-29, item 10).

Headless Chromium against the real server and the real static export, in all four ways the widget
runs: server or private mode, drawn inline or in the isolated frame on another site's page. A decline
shows its message, at most three close topics (none when nothing is close), the help services and
one "All topics" button; the full topic list opens from that button, by mouse or keyboard.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from helpers import LiveServer, static_server

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, BrowserContext, Frame, Page, expect  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's Chromium at /usr/bin/chromium", allow_module_level=True)

pytestmark = pytest.mark.browser
expect.set_options(timeout=10_000)

W = "taxprivacy-chat"
PHONE = {"width": 360, "height": 640}
OPEN_SHADOW = """(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    return attach.call(this, Object.assign({}, init, { mode: 'open' }));
  };
})();"""
# (question, language of the reply, how many close topics the bot offers)
DECLINES = [
    ("what's the best pizza place downtown?", "en", 0),  # off-topic: nothing is close
    ("can i get a mortgage with my itin", "en", 3),  # out of scope, close to the ITIN topics
    ("puedo sacar una hipoteca con mi numero itin", "es", 3),  # the longest: three Spanish titles, long help names
]
ALL_TOPICS = {"en": "All topics", "es": "Todos los temas"}
# Where the decline box and the transcript's visible area are, in the chat's own document.
PLACES = """() => {
  const root = document.querySelector('taxprivacy-chat').shadowRoot;
  const log = root.querySelector('.log').getBoundingClientRect();
  const box = [...root.querySelectorAll('.log > .msg.bot:not(.greeting)')].pop().getBoundingClientRect();
  return { log: [log.top, log.bottom], box: [box.top, box.bottom], height: innerHeight, width: innerWidth };
}"""


# ---------------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """Someone else's site, on another origin: the widget there draws the chat in its isolated frame."""
    folder = tmp_path_factory.mktemp("decline-host")
    with static_server(folder) as url:
        yield folder, url


# The session's one Chromium (`browser`) and exported static site (`site_url`) come from conftest.py.


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport=PHONE, locale="en-US", reduced_motion="reduce", has_touch=True)
    ctx.add_init_script(OPEN_SHADOW)  # in every frame, so the tests can read the chat inside the isolated one
    yield ctx
    ctx.close()


def open_chat(
    context: BrowserContext, surface: str, live_server: LiveServer, site_url: str, host: tuple[Path, str]
) -> Page | Frame:
    """Open the widget on a phone; return the document the chat is drawn in."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    mode, embed = surface.split("-")
    if embed == "inline":  # the widget's own site: the server's demo page, the static site's start page
        page.goto(f"{live_server.url}/demo?lang=en" if mode == "server" else f"{site_url}/index.html")
        page.locator(f"{W} .launcher").click()
        where: Page | Frame = page
    else:
        folder, url = host
        src = f"{live_server.url}/widget.js" if mode == "server" else f"{site_url}/widget.js"
        extra = ' data-mode="private"' if mode == "private" else ""
        name = f"{mode}.html"
        (folder / name).write_text(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f'<body><h1>Host page</h1><script src="{src}" defer data-lang="en"{extra}></script></body></html>'
        )
        page.goto(f"{url}/{name}")
        page.locator(f"{W} .launcher").click()
        where = chat_frame(page)
        assert page.locator(f"{W} iframe").bounding_box() == {"x": 0, "y": 0, **PHONE}  # the whole phone screen
    expect(where.locator(f"{W} textarea")).to_be_visible()
    return where


def chat_frame(page: Page) -> Frame:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for f in page.frames:
            if urlsplit(f.url).path.endswith("/embed.html"):
                return f
        page.wait_for_timeout(50)
    raise AssertionError(f"no chat frame among {[f.url for f in page.frames]}")


def ask(where: Page | Frame, question: str):  # noqa: ANN201 - a Locator
    replies = where.locator(f"{W} .log > .msg.bot:not(.greeting)")
    before = replies.count()
    where.locator(f"{W} textarea").fill(question)
    where.locator(f"{W} textarea").press("Enter")
    expect(replies).to_have_count(before + 1)
    return replies.nth(before)


def server_reply(live_server: LiveServer, question: str) -> dict:
    res = httpx.post(f"{live_server.url}/api/ask", json={"question": question}, timeout=30)
    res.raise_for_status()
    return res.json()


# ---------------------------------------------------------------------- one phone screen, every way of embedding


@pytest.mark.parametrize("surface", ["server-inline", "server-frame", "private-inline", "private-frame"])
def test_decline_fits_one_phone_screen(
    phone: BrowserContext, live_server: LiveServer, site_url: str, host: tuple[Path, str], surface: str
) -> None:
    where = open_chat(phone, surface, live_server, site_url, host)
    for question, lang, close in DECLINES:
        expected = server_reply(live_server, question)
        assert expected["answered"] is False and len(expected["suggestions"]) == close, expected["suggestions"]
        assert len(expected["topics"]) >= 10  # the API keeps every topic for other sites; the widget folds them
        reply = ask(where, question)
        expect(reply).to_have_attribute("lang", lang)
        expect(reply.locator(".decline")).to_have_text(expected["message"])
        # Up to three close topics, the same as the server's and none repeated; no heading when there are none.
        chips = reply.locator("button.chip:visible")
        assert chips.all_inner_texts() == [s["title"] for s in expected["suggestions"]]
        # Help is there, and exactly one more button: "All topics", closed.
        assert reply.locator(".refs li:visible").count() >= 1
        toggle = reply.get_by_role("button", name=ALL_TOPICS[lang])
        expect(toggle).to_have_attribute("aria-expanded", "false")
        assert reply.locator("button:visible").count() == close + 1
        # The whole decline is in view at once, inside the chat and inside the phone screen.
        where.wait_for_timeout(100)
        at = where.evaluate(PLACES)
        assert at["width"] == PHONE["width"] and at["height"] == PHONE["height"], at
        assert at["log"][0] - 1 <= at["box"][0] and at["box"][1] <= at["log"][1] + 1, (question, at)
        assert 0 <= at["log"][0] and at["log"][1] <= PHONE["height"], at
    overflow = where.evaluate(
        """() => [...document.querySelector('taxprivacy-chat').shadowRoot.querySelectorAll('.panel *')]
             .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'hidden'
                          && e.tagName !== 'TEXTAREA').map(e => e.className || e.tagName)"""
    )
    assert overflow == []
    page = where.page if isinstance(where, Frame) else where
    assert page.errors == []  # type: ignore[attr-defined]


def test_all_topics_opens_by_keyboard_and_lists_every_topic(
    phone: BrowserContext, live_server: LiveServer, site_url: str, host: tuple[Path, str]
) -> None:
    where = open_chat(phone, "server-inline", live_server, site_url, host)
    assert isinstance(where, Page)
    question = "what's the best pizza place downtown?"
    topics = [t["title"] for t in server_reply(live_server, question)["topics"]]
    reply = ask(where, question)
    toggle = reply.get_by_role("button", name="All topics")
    listed = reply.locator(f"#{toggle.get_attribute('aria-controls')}")
    expect(listed).to_be_hidden()
    toggle.focus()
    where.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(listed).to_be_visible()
    expect(listed.get_by_role("heading")).to_have_text("Topics I can help with")
    assert listed.locator("button").all_inner_texts() == topics
    # The list starts in view, right under the button.
    where.wait_for_timeout(100)
    box = toggle.bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]
    # Tab goes from the button into the list; Enter on a topic shows it.
    where.keyboard.press("Tab")
    first = listed.locator("button").first
    expect(first).to_be_focused()
    where.keyboard.press("Enter")
    shown = where.locator(f"{W} .log > .msg.bot:not(.greeting)").last
    expect(shown.locator(".atitle")).to_have_text(topics[0])
    # Space closes it again.
    toggle.focus()
    where.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(listed).to_be_hidden()


def test_decline_with_the_list_open_has_no_axe_violation(
    phone: BrowserContext, live_server: LiveServer, site_url: str, host: tuple[Path, str]
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    where = open_chat(phone, "server-inline", live_server, site_url, host)
    assert isinstance(where, Page)
    reply = ask(where, "can i get a mortgage with my itin")
    reply.get_by_role("button", name="All topics").click()
    found = Axe().run(where).response["violations"]
    assert [f"{v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}" for v in found] == []


# ---------------------------------------------------------------------- the decline message on every surface


@pytest.mark.parametrize(("question", "lang"), [("what is the weather on mars", "en"), ("que hora es en paris", "es")])
def test_decline_message_does_not_point_to_topics_below(live_server: LiveServer, question: str, lang: str) -> None:
    """No surface lists every topic under the message any more: it names "all topics" instead."""
    reply = server_reply(live_server, question)
    assert reply["answered"] is False and reply["lang"] == lang
    below = re.compile(r"below|abajo|debajo", re.I)
    assert not below.search(reply["message"]), reply["message"]
    assert ALL_TOPICS[lang].lower() in reply["message"].lower()
    page = httpx.post(f"{live_server.url}/", data={"question": question, "ui": lang, "lang": ""}, timeout=30)
    section = page.text[page.text.index('<section class="reply') :]
    section = section[: section.index("</section>")]
    assert reply["message"].replace("'", "&#39;") in section
    assert not below.search(section)
    assert f">{ALL_TOPICS[lang]}</a>" in page.text


# ---------------------------------------------------------------------- what the README says about the widget


def widget_section() -> str:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Put the chat on your website")
    return readme[start : readme.index("\n## ", start + 1)]


def test_readme_gives_the_widget_size_the_server_really_sends(live_server: LiveServer) -> None:
    """The README's "About N KB gzipped" is the widget's JavaScript and CSS as the real server sends them."""
    sent = 0
    for path in ("/widget.js", "/static/widget.css"):
        res = httpx.get(f"{live_server.url}{path}", headers={"Accept-Encoding": "gzip"}, timeout=30)
        assert res.status_code == 200 and res.headers["content-encoding"] == "gzip", path
        sent += res.num_bytes_downloaded
    said = re.search(r"About (\d+) KB gzipped", widget_section())
    assert said, "the README no longer gives the widget's size"
    assert abs(sent / 1000 - int(said.group(1))) <= 0.5, (
        f"the README says {said.group(1)} KB; the server sends {sent} B"
    )


def test_readme_says_how_the_pre_send_warning_works() -> None:
    """The warning uses the server's own rules, and "Send anyway" sends the already-scrubbed text
    (tested in tests/test_scrubber.py, row by row, against Python's scrub())."""
    text = " ".join(widget_section().split())
    assert "server's own personal-data rules" in text
    assert "sends the question with those details already removed" in text
