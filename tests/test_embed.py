"""The embed on someone else's page, the quick exit on the full pages, and the static site's model size.

Headless Chromium against the real server and the real static export behind a plain static file server.
The host pages are files behind a second static server, so they live on another origin, as a
nonprofit's site would; the hostile one runs, before the widget, the attacks of the 2026-11-29
review (M-2).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import CHROMIUM, MODEL_LIMIT, OPEN_SHADOW, static_server

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, BrowserContext, Frame, Page, expect  # noqa: E402

if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's Chromium at /usr/bin/chromium", allow_module_level=True)

pytestmark = pytest.mark.browser
expect.set_options(timeout=10_000)

W = "taxprivacy-chat"
EXIT_URL = "https://www.google.com/search?q=weather"
CANARY = "zqxcanary can ice get my address from my taxes"
# What a hostile or careless host page can do before the widget runs (security review M-2, PM-05..07).
HOSTILE = """<script>
window.__keys = []; window.__roots = []; window.__fetches = []; window.__engineQs = [];
for (const type of ['keydown', 'keypress', 'keyup', 'input', 'beforeinput']) {
  window.addEventListener(type, (e) => window.__keys.push(e.key || e.data || ''), true);
}
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  const r = attach.call(this, init); window.__roots.push(r); return r;
};
const realFetch = window.fetch;
window.fetch = function (url, init) {
  window.__fetches.push(String(url) + ' ' + String(init && init.body)); return realFetch.apply(this, arguments);
};
let engine;
Object.defineProperty(window, 'TaxPrivacyEngine', { configurable: true, get: () => engine, set: (v) => {
  engine = Object.assign({}, v, { answer: (m, q, l) => { window.__engineQs.push(q); return v.answer(m, q, l); } });
} });
</script>"""
LEAKS = """() => ({
  keys: window.__keys.join(''),
  roots: window.__roots.map((r) => r.textContent).join(' '),
  frameDocs: window.__roots.flatMap((r) => [...r.querySelectorAll('iframe')].map((f) => f.contentDocument !== null)),
  fetches: window.__fetches.join(' '),
  engine: window.__engineQs.join(' '),
})"""


# ---------------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """Someone else's site: a folder of pages behind its own static server (another origin)."""
    folder = tmp_path_factory.mktemp("host")
    with static_server(folder) as url:
        yield folder, url


def new_context(browser: Browser, *, open_shadow: bool = True, **options: object) -> BrowserContext:
    options = {"viewport": {"width": 1280, "height": 800}, "locale": "en-US", "reduced_motion": "reduce", **options}
    ctx = browser.new_context(**options)
    if open_shadow:  # tests look inside the widget's frame; the host page's own root stays as the page made it
        ctx.add_init_script(OPEN_SHADOW)
    ctx.route(
        "https://www.google.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<title>Weather</title><p>Weather</p>"),
    )
    return ctx


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = new_context(browser)
    yield ctx
    ctx.close()


def host_page(host: tuple[Path, str], name: str, body: str, csp: str = "") -> str:
    folder, url = host
    meta = f'<meta http-equiv="Content-Security-Policy" content="{csp}">' if csp else ""
    (folder / name.lstrip("/")).write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">{meta}<title>Host</title></head>'
        f"<body><h1>Host page</h1>{body}</body></html>"
    )
    return f"{url}/{name.lstrip('/')}"


def chat_frame(page: Page) -> Frame:
    def is_chat(frame: Frame) -> bool:
        return urlsplit(frame.url).path.endswith("/embed.html")

    # page.frames is Playwright's own record: no event can slip in between reading it and waiting.
    found = next((f for f in page.frames if is_chat(f)), None)
    return found or page.wait_for_event("framenavigated", predicate=is_chat, timeout=10_000)


def launcher_click(page: Page) -> None:
    """Click the launcher, wherever the host page keeps the widget's root (open in tests, or not)."""
    page.evaluate(
        """() => {
      const host = document.querySelector('taxprivacy-chat');
      const root = host.shadowRoot || window.__roots[0];
      root.querySelector('.launcher').click();
    }"""
    )


def ask_in(where: Page | Frame, question: str, keyboard: Page | None = None):  # noqa: ANN201 - a Locator
    replies = where.locator(f"{W} .log > .msg.bot:not(.greeting)")
    before = replies.count()
    box = where.locator(f"{W} textarea")
    if keyboard is not None:  # real key presses, which a capture listener would see
        expect(box).to_be_focused()
        keyboard.keyboard.type(question)
        # Every key reached the widget's box (a lost key would send another question and get another
        # reply: a stop here names that cause instead of a missing answer).
        expect(box).to_have_value(question)
        keyboard.keyboard.press("Enter")
    else:
        box.fill(question)
        box.press("Enter")
    expect(replies).to_have_count(before + 1)
    return replies.nth(before)


# ---------------------------------------------------------------------- M-2: the host page is not trusted


@pytest.mark.parametrize("mode", ["server", "private"])
def test_hostile_host_page_sees_nothing_of_the_question(
    host: tuple[Path, str], browser: Browser, live_server, site_url: str, mode: str
) -> None:  # noqa: ANN001
    origin = live_server.url if mode == "server" else site_url
    private = ' data-mode="private"' if mode == "private" else ""
    ctx = new_context(browser, open_shadow=False)
    ctx.add_init_script(f"if (location.origin !== {host[1]!r}) {{ {OPEN_SHADOW} }}")  # only inside the frame
    try:
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        url = host_page(host, "/hostile.html", f'{HOSTILE}<script src="{origin}/widget.js" defer{private}></script>')
        page.goto(url)
        launcher_click(page)
        frame = chat_frame(page)
        reply = ask_in(frame, CANARY, keyboard=page)
        expect(reply.locator(".summary")).not_to_be_empty()
        leaks = page.evaluate(LEAKS)
        # Not one key event: the capture listener logs each key once per event type ("zzzqqqxxx..."), so
        # looking for "zqx" in it could never fail.
        assert leaks["keys"] == "", leaks["keys"]
        assert "zqxcanary" not in leaks["roots"], "the host page read the conversation"
        assert leaks["frameDocs"] == [False], "the host page can reach into the frame"
        assert "zqxcanary" not in leaks["fetches"] and leaks["engine"] == ""
        assert errors == []
    finally:
        ctx.close()


def test_keys_typed_while_the_frame_loads_never_reach_the_host_page(
    host: tuple[Path, str], browser: Browser, live_server
) -> None:  # noqa: ANN001
    """A person who types right after opening, before the chat is ready, types into the frame: focus
    moves there at once. (Before, it moved on the frame's "ready" message, and the first keys went to
    the host page's listeners: seen once in a full test run as "zqxca" missing from the question.)"""
    ctx = new_context(browser, open_shadow=False)
    ctx.add_init_script(f"if (location.origin !== {host[1]!r}) {{ {OPEN_SHADOW} }}")  # only inside the frame
    try:
        page = ctx.new_page()
        page.goto(host_page(host, "/early.html", f'{HOSTILE}<script src="{live_server.url}/widget.js" defer></script>'))
        launcher_click(page)
        page.keyboard.type("zqxearly")  # at once: the frame is still loading
        expect(chat_frame(page).locator(f"{W} textarea")).to_be_visible()
        keys = page.evaluate(LEAKS)["keys"]
        assert keys == "", keys  # each key shows up once per event type ("zzzqqq..."): none at all may
    finally:
        ctx.close()


def test_the_engine_cannot_be_replaced_by_a_setter(
    host: tuple[Path, str], context: BrowserContext, site_url: str
) -> None:
    """A setter planted before engine.js (PM-07) never sees the engine, and nothing can swap it later."""
    page = context.new_page()
    page.goto(host_page(host, "/setter.html", HOSTILE))
    page.add_script_tag(url=f"{site_url}/static/engine.js")
    state = page.evaluate(
        """() => {
      const d = Object.getOwnPropertyDescriptor(window, 'TaxPrivacyEngine');
      const before = window.TaxPrivacyEngine.answer;
      try { window.TaxPrivacyEngine = { answer: () => 'mine' }; } catch (e) { /* strict mode would throw */ }
      try { window.TaxPrivacyEngine.answer = () => 'mine'; } catch (e) { /* frozen */ }
      return { data: 'value' in d, writable: !!d.writable, frozen: Object.isFrozen(d.value),
               wrapped: String(before).includes('__engineQs'), same: window.TaxPrivacyEngine.answer === before };
    }"""
    )
    assert state == {"data": True, "writable": False, "frozen": True, "wrapped": False, "same": True}


def test_isolated_embed_keyboard_escape_and_exit(host: tuple[Path, str], context: BrowserContext, live_server) -> None:  # noqa: ANN001
    page = context.new_page()
    before = host_page(host, "/before.html", "<p>before</p>")
    url = host_page(host, "/page.html", f'<script src="{live_server.url}/widget.js" defer data-lang="es"></script>')
    page.goto(before)
    page.goto(url)
    launcher = page.locator(f"{W} .launcher")
    launcher.click()
    frame_el = page.locator(f"{W} iframe")
    expect(frame_el).to_be_visible()
    assert frame_el.get_attribute("title")
    assert "lang=es" in (frame_el.get_attribute("src") or "")
    frame = chat_frame(page)
    expect(frame.locator(f"{W} textarea")).to_be_focused()
    reply = ask_in(frame, "que es un itin", keyboard=page)
    expect(reply).to_have_attribute("lang", "es")
    page.keyboard.press("Escape")
    expect(frame_el).to_be_hidden()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(launcher).to_be_focused()
    launcher.click()
    expect(frame.locator(f"{W} textarea")).to_be_focused()
    frame.locator(f"{W} .head .exit").click()
    # The frame replaces the top page and asks the launcher to do the same (in case the browser
    # refused): two navigations to one URL, so the first may be aborted. Poll the URL, not the load.
    expect(page).to_have_url(EXIT_URL)
    page.go_back()
    assert page.url == before, "Back must not return to the page with the chat"


@pytest.mark.parametrize(("locale", "lang"), [("es-MX", "es"), ("en-US", "en")])
def test_isolated_launcher_shows_the_chat_title_in_the_page_language_once_opened(
    host: tuple[Path, str],
    browser: Browser,
    live_server,
    locale: str,
    lang: str,  # noqa: ANN001
) -> None:
    """As the inline widget does: the page's language before the first open (nothing fetched yet), then the
    chat's title."""
    from bot.messages import CATALOGUE

    ctx = new_context(browser, locale=locale)
    try:
        page = ctx.new_page()
        page.goto(host_page(host, f"/title-{lang}.html", f'<script src="{live_server.url}/widget.js" defer></script>'))
        launcher = page.locator(f"{W} .launcher")
        expect(launcher).to_have_text({"en": "Questions", "es": "Preguntas"}[lang])
        launcher.click()
        expect(chat_frame(page).locator(f"{W} textarea")).to_be_focused()
        title = CATALOGUE["label.open"][lang]
        expect(launcher).to_have_text(title)
        expect(page.locator(f"{W} iframe")).to_have_attribute("title", title)
        page.keyboard.press("Escape")
        expect(launcher).to_be_focused()
        expect(launcher).to_have_text(title)
    finally:
        ctx.close()


FOOTER = (
    '<footer style="position:fixed;bottom:0;left:0;right:0;height:56px;background:#333;color:#fff">'
    '<a href="/privacy" style="float:right;color:#fff">Privacy</a> (555) 010-0100</footer>'
)


@pytest.mark.parametrize("viewport", [(360, 640), (1280, 800)])
def test_data_offset_keeps_a_sticky_footer_clear(
    host: tuple[Path, str],
    browser: Browser,
    live_server,
    viewport: tuple[int, int],  # noqa: ANN001
) -> None:
    """The review: on a phone the launcher, and after use the Exit button beside it, covered the footer's links."""
    width, height = viewport
    ctx = new_context(browser, viewport={"width": width, "height": height})
    try:
        page = ctx.new_page()
        tag = f'<script src="{live_server.url}/widget.js" defer data-offset="64"></script>'
        page.goto(host_page(host, "/footer.html", FOOTER + tag))
        footer_top = height - 56
        launcher = page.locator(f"{W} .launcher")
        box = launcher.bounding_box()
        assert box and box["y"] + box["height"] <= footer_top, box
        launcher.click()
        expect(chat_frame(page).locator(f"{W} textarea")).to_be_focused()
        if width > 600:  # on a phone the open chat takes the whole screen, as it should
            frame_box = page.locator(f"{W} iframe").bounding_box()
            assert frame_box and frame_box["y"] >= 0 and frame_box["y"] + frame_box["height"] <= footer_top, frame_box
        page.keyboard.press("Escape")
        for button in (launcher, page.locator(f"{W} .dock .exit")):
            expect(button).to_be_visible()
            box = button.bounding_box()
            assert box and box["y"] + box["height"] <= footer_top, box
    finally:
        ctx.close()


def test_demo_can_show_the_isolated_frame_a_separate_site_gets(context: BrowserContext, live_server) -> None:  # noqa: ANN001
    """/demo runs inline (the bot's own origin); /demo?embed=frame is what any other site gets, as the README says."""
    page = context.new_page()
    page.goto(f"{live_server.url}/demo?lang=en&embed=frame")
    page.locator(f"{W} .launcher").click()
    expect(page.locator(f"{W} iframe")).to_be_visible()
    expect(chat_frame(page).locator(f"{W} textarea")).to_be_focused()
    expect(page.locator(f"{W} .panel")).to_have_count(0)  # nothing of the chat in the demo page itself
    page.goto(f"{live_server.url}/demo?lang=en")
    page.locator(f"{W} .launcher").click()
    expect(page.locator(f"{W} textarea")).to_be_focused()
    expect(page.locator(f"{W} iframe")).to_have_count(0)


def test_isolated_embed_shift_three_times_inside_the_frame(
    host: tuple[Path, str], context: BrowserContext, live_server
) -> None:  # noqa: ANN001
    page = context.new_page()
    url = host_page(host, "/page.html", f'<script src="{live_server.url}/widget.js" defer></script>')
    page.goto(url)
    page.locator(f"{W} .launcher").click()
    frame = chat_frame(page)
    expect(frame.locator(f"{W} textarea")).to_be_focused()
    for _ in range(3):
        page.keyboard.press("Shift")
    expect(page).to_have_url(EXIT_URL)  # two navigations to one URL, as above


def test_only_the_embed_frame_may_be_framed_by_any_site(client) -> None:  # noqa: ANN001
    frame = client.get("/embed.html")
    assert frame.status_code == 200 and "data-frame" in frame.text
    assert frame.headers["content-security-policy"].endswith("frame-ancestors *")
    assert "script-src 'self';" in frame.headers["content-security-policy"]
    page = client.get("/topics")
    assert page.headers["content-security-policy"].endswith("frame-ancestors 'self'")


# ---------------------------------------------------------------------- M-3: exit that exits


def test_full_page_exit_replaces_the_page(context: BrowserContext, live_server) -> None:  # noqa: ANN001
    page = context.new_page()
    page.goto(f"{live_server.url}/topics")
    page.goto(f"{live_server.url}/topics/ice-at-the-door")
    page.locator("a.quick-exit").click()
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert urlsplit(page.url).path == "/topics", "Back must not return to the answer"

    page.goto(f"{live_server.url}/topics/ice-at-the-door")
    page.locator("h1").click()
    for _ in range(3):
        page.keyboard.press("Shift")
    expect(page).to_have_url(EXIT_URL)  # two navigations to one URL, as above
    page.go_back()
    assert urlsplit(page.url).path == "/topics"


def test_exit_inside_an_iframe_leaves_the_host_page(
    host: tuple[Path, str], context: BrowserContext, site_url: str
) -> None:
    page = context.new_page()
    url = host_page(
        host,
        "/framed.html",
        f'<iframe src="{site_url}/topics/index.html" title="Chat" width="600" height="500"></iframe>',
    )
    page.goto(url)
    page.frame_locator("iframe").locator("a.quick-exit").click()
    page.wait_for_url(EXIT_URL)


def test_exit_inside_an_iframe_without_javascript(host: tuple[Path, str], browser: Browser, site_url: str) -> None:
    ctx = new_context(browser, java_script_enabled=False)
    try:
        page = ctx.new_page()
        url = host_page(host, "/framed.html", f'<iframe src="{site_url}/topics/index.html" title="Chat"></iframe>')
        page.goto(url)
        page.frame_locator("iframe").locator("a.quick-exit").click()
        page.wait_for_url(EXIT_URL)
    finally:
        ctx.close()


def test_static_start_page_mentions_the_chat_button_only_with_javascript(browser: Browser, site_url: str) -> None:
    for js in (False, True):
        ctx = new_context(browser, java_script_enabled=js)
        try:
            page = ctx.new_page()
            page.goto(f"{site_url}/index.html")
            hint = page.get_by_text("Press the chat button")
            if js:
                expect(hint).to_be_visible()
            else:
                expect(hint).to_be_hidden()
        finally:
            ctx.close()


# ---------------------------------------------------------------------- errors are visible


def test_load_failure_is_shown_in_both_languages(context: BrowserContext, live_server) -> None:  # noqa: ANN001
    page = context.new_page()
    page.route(f"{live_server.url}/api/widget-config*", lambda route: route.abort())
    page.goto(f"{live_server.url}/demo?lang=en")
    page.locator(f"{W} .launcher").click()
    oops = page.locator(f"{W} .oops[role=alert]")
    expect(oops).to_be_visible()
    expect(oops).to_contain_text("could not load")
    expect(oops).to_contain_text("no pudo cargar")
    expect(oops.locator("a").first).to_have_attribute("href", f"{live_server.url}/?lang=en")
    expect(page.locator(f"{W} .dock .exit")).to_be_visible()


def test_private_inline_embed_without_cors_says_so(
    host: tuple[Path, str], context: BrowserContext, site_url: str
) -> None:
    """A plain static host sends no CORS header: inline, the model is blocked; the page must say so."""
    page = context.new_page()
    url = host_page(
        host,
        "/inline.html",
        f'<script src="{site_url}/widget.js" defer data-mode="private" data-embed="inline"></script>',
    )
    page.goto(url)
    page.locator(f"{W} .launcher").click()
    oops = page.locator(f"{W} .oops")
    expect(oops).to_be_visible()
    expect(oops.locator("a").first).to_have_attribute("href", f"{site_url}/index.html")


def test_host_csp_that_forbids_the_frame_is_reported(
    host: tuple[Path, str], context: BrowserContext, live_server
) -> None:  # noqa: ANN001
    page = context.new_page()
    url = host_page(
        host,
        "/strict.html",
        f'<script src="{live_server.url}/widget.js" defer></script>',
        csp=f"script-src {live_server.url} 'unsafe-inline'; style-src {live_server.url}; frame-src 'none'",
    )
    page.goto(url)
    page.locator(f"{W} .launcher").click()
    expect(page.locator(f"{W} .oops")).to_be_visible()


@pytest.mark.parametrize("status", [500, 429, 0])
def test_answer_failure_links_to_the_full_page_chat(context: BrowserContext, live_server, status: int) -> None:  # noqa: ANN001
    page = context.new_page()
    page.goto(f"{live_server.url}/demo?lang=en")
    page.locator(f"{W} .launcher").click()
    if status:
        page.route(f"{live_server.url}/api/ask", lambda route: route.fulfill(status=status, body="oops"))
    else:
        page.route(f"{live_server.url}/api/ask", lambda route: route.abort())
    page.locator(f"{W} textarea").fill("what is an itin")
    page.locator(f"{W} textarea").press("Enter")
    error = page.locator(f"{W} .log .error[role=alert]")
    expect(error).to_be_visible()
    expect(error.locator("a[lang=en], [lang=en] a")).to_have_attribute("href", f"{live_server.url}/?lang=en")
    expect(error.locator("[lang=es] a")).to_have_attribute("href", f"{live_server.url}/?lang=es")


# ---------------------------------------------------------------------- keyboard


def test_tab_after_send_stays_in_the_widget(context: BrowserContext, live_server) -> None:  # noqa: ANN001
    page = context.new_page()
    page.goto(f"{live_server.url}/demo?lang=en")
    page.locator(f"{W} .launcher").click()
    ask_in(page, "can ICE get my address from my taxes", keyboard=page)
    inside = "() => !!document.querySelector('taxprivacy-chat').shadowRoot.activeElement"
    for _ in range(4):
        page.keyboard.press("Tab")
        assert page.evaluate(inside), "Tab left the widget for the host page"
    page.locator(f"{W} .head .exit").focus()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(inside)
    expect(page.locator(f"{W} .send")).to_be_focused()


# ---------------------------------------------------------------------- the model on a host that does not compress


def test_first_open_fetches_the_model_within_budget_from_a_plain_host(context: BrowserContext, site_url: str) -> None:
    page = context.new_page()
    sizes: dict[str, int] = {}
    page.on("requestfinished", lambda r: sizes.__setitem__(urlsplit(r.url).path, r.sizes()["responseBodySize"]))
    page.goto(f"{site_url}/index.html")
    page.locator(f"{W} .launcher").click()
    reply = ask_in(page, "what is an ITIN")
    expect(reply.locator(".summary")).not_to_be_empty()
    model = {p: n for p, n in sizes.items() if "model" in p}
    assert model and sum(model.values()) <= MODEL_LIMIT, model


def test_without_decompression_stream_the_plain_model_still_works(context: BrowserContext, site_url: str) -> None:
    page = context.new_page()
    page.add_init_script("delete window.DecompressionStream;")
    paths: list[str] = []
    page.on("request", lambda r: paths.append(urlsplit(r.url).path))
    page.goto(f"{site_url}/index.html")
    page.locator(f"{W} .launcher").click()
    ask_in(page, "what is an ITIN")
    assert "/static/model.json" in paths and "/static/model.json.gz" not in paths
