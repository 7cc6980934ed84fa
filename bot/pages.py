"""HTML pages that work with JavaScript turned off: the chat form, the topics, the demo.

The question travels only in a POST body, never in a URL, where it would land in browser history,
server logs and Referer headers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from bot.cards import card_context
from bot.deps import BotDep, MetricsDep, SettingsDep, request_lang
from bot.lang import LANGUAGES
from bot.messages import CATALOGUE, catalogue
from bot.privacy import scrub
from bot.text import clean_input

router = APIRouter(include_in_schema=False)


def server_href(request: Request) -> Callable[..., str]:
    """`href(kind, id, lang)` in the templates: this server's URLs (the static export makes its own)."""

    def href(kind: str, id: str = "", lang: str = "") -> str:
        paths = {"home": "/", "topics": "/topics", "topic": f"/topics/{id}", "card": f"/topics/{id}/card"}
        paths |= {"same": request.url.path, "static": f"/static/{id}", "widget": "/widget.js"}
        return f"{paths[kind]}?lang={lang}" if lang else paths[kind]

    return href


def _render(request: Request, name: str, lang: str, status: int = 200, **context: object) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    msg = catalogue(lang)
    other = "es" if lang == "en" else "en"
    context = {"lang": lang, "other": other, "msg": msg, "href": server_href(request), **context}
    return templates.TemplateResponse(request, name, context, status_code=status)


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def home(request: Request, bot: BotDep, lang: str | None = None) -> HTMLResponse:
    lang = request_lang(request, lang)
    return _render(request, "index.html", lang, topics=bot.topics(lang), reply=None, question="")


@router.post("/", response_class=HTMLResponse)
def home_ask(
    request: Request,
    bot: BotDep,
    settings: SettingsDep,
    metrics: MetricsDep,
    question: Annotated[str, Form(max_length=20000)] = "",
    lang: Annotated[str, Form(max_length=5)] = "",
    ui: Annotated[str, Form(max_length=5)] = "",
    confirm: Annotated[str, Form(max_length=5)] = "",
) -> HTMLResponse:
    # One rule on every surface: the reply is in the question's language unless the person chose
    # one (`lang`, empty for "the language of my question"); the page's own language (`ui`, from
    # the page the form was on) is only the interface default, for errors and the warning.
    chosen = lang if lang in LANGUAGES else None
    page_lang = request_lang(request, chosen or ui or None)
    asked = clean_input(question)
    topics = bot.topics(page_lang)
    if not asked:
        return _render(
            request,
            "index.html",
            page_lang,
            400,
            topics=topics,
            reply=None,
            question="",
            error=CATALOGUE["error.empty"][page_lang],
        )
    if len(asked) > settings.max_question_chars:
        error = CATALOGUE["error.too-long"][page_lang].format(limit=settings.max_question_chars)
        return _render(request, "index.html", page_lang, 400, topics=topics, reply=None, question="", error=error)
    scrubbed = scrub(asked, bot.known_words)
    if scrubbed.found and not confirm:
        # Without JavaScript we cannot warn before sending, so we warn now and give back the text
        # with the personal details already removed, for the person to check and send again.
        return _render(
            request,
            "index.html",
            page_lang,
            topics=topics,
            reply=None,
            question=scrubbed.text,
            warn=True,
            chosen=chosen,
        )
    reply = bot.ask(scrubbed.text, chosen)
    if scrubbed.found and "personal-data" not in reply.notices:
        reply = reply.model_copy(update={"notices": ["personal-data", *reply.notices]})
    if metrics is not None:
        metrics.record_reply(reply)
    return _render(request, "index.html", reply.lang, topics=topics, reply=reply, question="", chosen=chosen)


@router.api_route("/topics", methods=["GET", "HEAD"], response_class=HTMLResponse)
def topics_page(request: Request, bot: BotDep, lang: str | None = None) -> HTMLResponse:
    lang = request_lang(request, lang)
    items = [bot.explainer(s.id, lang) for s in bot.topics(lang)]
    return _render(request, "topics.html", lang, items=items)


@router.api_route("/topics/{topic_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def topic_page(topic_id: str, request: Request, bot: BotDep, lang: str | None = None) -> HTMLResponse:
    lang = request_lang(request, lang)
    e = bot.explainer(topic_id, lang)
    if e is None:
        return _render(request, "error.html", lang, 404, message=CATALOGUE["error.not-found"][lang])
    return _render(
        request,
        "topic.html",
        lang,
        e=e,
        related=bot.titles(e.related, lang),
        referrals=bot.directory.for_kinds(e.refer, lang),
    )


@router.api_route("/topics/{topic_id}/card", methods=["GET", "HEAD"], response_class=HTMLResponse)
def card_page(topic_id: str, request: Request, bot: BotDep, lang: str | None = None) -> HTMLResponse:
    lang = request_lang(request, lang)
    context = card_context(bot, topic_id, lang)
    if context is None:
        return _render(request, "error.html", lang, 404, message=CATALOGUE["error.not-found"][lang])
    return _render(request, "card.html", lang, **context)


@router.api_route("/demo", methods=["GET", "HEAD"], response_class=HTMLResponse)
def demo(request: Request, lang: str | None = None) -> HTMLResponse:
    lang = request_lang(request, lang)
    return _render(request, "demo.html", lang)


@router.get("/embed.html", response_class=HTMLResponse)
def embed_frame(request: Request) -> HTMLResponse:
    """The isolated embed's frame: the chat on this origin, inside an <iframe> that widget.js draws."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "frame.html", {"lang": "en", "widget": "/widget.js", "home": "/"})
