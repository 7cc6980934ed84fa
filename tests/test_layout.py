"""The full pages on a 360 x 640 phone in Chromium: the urgent call above the fold, a decline on one
screen, and axe with no violation of any impact (server pages, the open widget, the static site).
"""

from __future__ import annotations

import pytest
from helpers import CHROMIUM, OPEN_SHADOW, LiveServer

from bot.engine import Bot

PHONE = {"width": 360, "height": 640}
URGENT_EN = "ICE is at my door right now"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"),
]


@pytest.fixture
def phone(browser):  # noqa: ANN001, ANN201 - a page without JavaScript, the size of a small phone
    ctx = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="en-US")
    yield ctx.new_page()
    ctx.close()


def ask_nojs(page, base: str, question: str, lang: str = "en") -> None:  # noqa: ANN001
    page.goto(f"{base}/?lang={lang}")
    page.fill("#question", question)
    page.click("form.ask button[type=submit]")
    page.wait_for_selector("section.reply")


# ---------------------------------------------------------------------- the call button above the fold

DETENTION = {"en": "how do i find someone in ice detention", "es": "como encuentro a alguien detenido por ice"}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_urgent_call_is_inside_the_banner_above_the_fold(
    phone,  # noqa: ANN001
    live_server: LiveServer,
    site_url: str,
    bot: Bot,
    lang: str,
) -> None:
    hotline = next(r for r in bot.directory.for_kinds(("emergency",), lang) if r.phone)
    prefix = "" if lang == "en" else "es/"
    views = {
        "no-JS answer": lambda: ask_nojs(phone, live_server.url, URGENT_EN, lang),
        # Not flagged urgent, but the detention card is: its banner and number lead too (the user test).
        "no-JS calm detention answer": lambda: ask_nojs(phone, live_server.url, DETENTION[lang], lang),
        "topic page": lambda: phone.goto(f"{live_server.url}/topics/ice-at-the-door?lang={lang}"),
        "card": lambda: phone.goto(f"{live_server.url}/topics/ice-at-the-door/card?lang={lang}"),
        "static topic page": lambda: phone.goto(f"{site_url}/{prefix}topics/ice-at-the-door/index.html"),
        "static card": lambda: phone.goto(f"{site_url}/{prefix}topics/ice-at-the-door/card/index.html"),
    }
    for label, open_view in views.items():
        open_view()
        call = phone.locator(f'.urgent-banner a[href="tel:{hotline.phone}"]')
        assert call.count() == 1, label
        box = call.bounding_box()
        assert box is not None and box["y"] + box["height"] < PHONE["height"], (label, box)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], label


# ---------------------------------------------------------------------- a decline on one screen


@pytest.mark.parametrize("lang", ["en", "es"])
def test_quick_exit_is_the_first_thing_on_a_phone(phone, live_server: LiveServer, lang: str) -> None:  # noqa: ANN001
    """On a small phone the red Exit button sits at the top, above the links, not wrapped below them."""
    phone.goto(f"{live_server.url}/?lang={lang}")
    exit_box = phone.locator(".quick-exit").bounding_box()
    nav_box = phone.locator(".site-header nav").bounding_box()
    assert exit_box and nav_box and exit_box["y"] + exit_box["height"] <= nav_box["y"] + 1, (exit_box, nav_box)


def test_off_topic_decline_is_short_and_suggests_nothing(phone, live_server: LiveServer) -> None:  # noqa: ANN001
    ask_nojs(phone, live_server.url, "what's the best pizza place downtown?")
    reply = phone.locator("section.reply")
    assert phone.locator("section.reply .suggestions").count() == 0
    assert phone.locator(".topic-list").count() == 0
    assert reply.locator(".referrals li").count() >= 1
    link = reply.locator(".all-topics a")
    box = link.bounding_box()
    assert box is not None and box["y"] + box["height"] < PHONE["height"]  # the whole decline on the first screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize(
    "question",
    [
        "como me cambio el nombre legalmente",  # three close topics with long Spanish titles
        "can i get a mortgage with my itin",  # an out-of-scope subject close to the ITIN topics
    ],
)
def test_decline_with_suggestions_fits_one_phone_screen(phone, live_server: LiveServer, question: str) -> None:  # noqa: ANN001
    ask_nojs(phone, live_server.url, question)
    reply = phone.locator("section.reply")
    links = reply.locator(".suggestions a")
    assert 1 <= links.count() <= 3
    hrefs = links.evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert len(set(hrefs)) == len(hrefs)
    assert phone.locator(".topic-list").count() == 0 and reply.locator(".all-topics a").count() == 1
    assert reply.bounding_box()["height"] <= PHONE["height"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


# ---------------------------------------------------------------------- axe, every impact


def violations(page, label: str) -> list[str]:  # noqa: ANN001
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{label}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}" for v in found]


def test_axe_finds_nothing_on_the_pages_the_widget_and_the_static_site(
    browser,  # noqa: ANN001
    live_server: LiveServer,
    site_url: str,
) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US", reduced_motion="reduce")
    ctx.add_init_script(OPEN_SHADOW)
    page = ctx.new_page()
    found: list[str] = []
    try:
        for path in ("/", "/?lang=es", "/topics", "/topics/ice-at-the-door", "/topics/itin-basics?lang=es"):
            page.goto(live_server.url + path)
            found += violations(page, path)
        for question in (URGENT_EN, "what's the best pizza place downtown?", "what is an itin"):
            ask_nojs(page, live_server.url, question)
            found += violations(page, f"POST / {question!r}")
        for path in ("/index.html", "/es/index.html", "/topics/ice-at-the-door/index.html"):
            page.goto(site_url + path)
            found += violations(page, f"static {path}")
        page.goto(f"{live_server.url}/demo")
        page.locator("taxprivacy-chat .launcher").click()
        box = page.locator("taxprivacy-chat textarea")
        for question in ("can ICE get my address from my taxes", URGENT_EN, "what is the weather on mars"):
            before = page.locator("taxprivacy-chat .log > .msg.bot:not(.greeting)").count()
            box.fill(question)
            box.press("Enter")
            page.locator("taxprivacy-chat .log > .msg.bot:not(.greeting)").nth(before).wait_for()
        found += violations(page, "/demo with the widget open")
    finally:
        ctx.close()
    assert found == []
