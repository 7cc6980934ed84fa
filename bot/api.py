"""The JSON API: the same reply object as the CLI, plus topics, the help directory and messages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from bot.browser_model import privacy_rules, text_rules
from bot.deps import BotDep, MetricsDep, SettingsDep, request_lang
from bot.engine import Bot
from bot.lang import Lang
from bot.messages import catalogue, t
from bot.reply import Answer, Referral, Reply, Suggestion
from bot.text import clean_input

router = APIRouter(prefix="/api", tags=["api"])


LangQuery = Annotated[Lang | None, Query(description="en or es (default: from Accept-Language)")]


class AskRequest(BaseModel):
    question: str = Field(
        # maxLength is the server's own limit, BOT_MAX_QUESTION_CHARS, filled in by `document_limits`.
        description="The question, as the person typed it (at least one visible character, at most maxLength)",
        json_schema_extra={"minLength": 1},
    )
    lang: Lang | None = Field(default=None, description="Answer in this language; null means detect")


class ErrorOut(BaseModel):
    error: str = Field(description='A code such as "rate-limited", "too-large", "invalid" or "server"')
    message: str = Field(description="What to tell the person, in the request's language")
    referrals: list[Referral] = Field(
        default=[],
        description="Only on rate-limited: the emergency hotline and the crisis line, whatever was asked "
        "(the limit answers before the question is read), in the language of `?lang=` or Accept-Language",
    )


class TopicSummary(BaseModel):
    id: str
    title: str
    summary: str
    urgent: bool


class TopicOut(Answer):
    related: list[Suggestion]
    referrals: list[Referral]


class FeedbackRequest(BaseModel):
    topic: str = Field(max_length=80)
    helpful: bool


def document_limits(app: FastAPI, max_question_chars: int) -> None:
    """State the running server's question limit in the OpenAPI schema, not a copy of its default."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        schema = build()  # built once and cached by FastAPI; setting the limit again changes nothing
        schema["components"]["schemas"]["AskRequest"]["properties"]["question"]["maxLength"] = max_question_chars
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema


def error(status: int, code: str, lang: str, **values: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": t(f"error.{code}", lang, **values)}, status_code=status)


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut},
    413: {"model": ErrorOut},
    422: {"model": ErrorOut},
    429: {"model": ErrorOut},
}


@router.post("/ask", response_model=Reply, responses=_ERRORS, summary="Answer a question")
async def ask(
    body: AskRequest, request: Request, bot: BotDep, settings: SettingsDep, metrics: MetricsDep
) -> Reply | Response:
    # async on purpose: answering is under a millisecond of pure CPU and touches no disk or network,
    # so running it on the event loop beats the thread-pool hop a plain `def` route costs.
    lang = request_lang(request, body.lang)
    question = clean_input(body.question)
    if not question:
        return error(400, "empty", lang)
    if len(question) > settings.max_question_chars:
        return error(400, "too-long", lang, limit=str(settings.max_question_chars))
    reply = bot.ask(question, body.lang)
    if metrics is not None:
        metrics.record_reply(reply)
    # The Reply is already a validated model: serialize it once, skipping FastAPI's re-validation.
    return Response(reply.model_dump_json(), media_type="application/json")


@router.get("/topics", response_model=list[TopicSummary], summary="List the topics")
def topics(request: Request, bot: BotDep, lang: LangQuery = None) -> list[TopicSummary]:
    lang = request_lang(request, lang)
    out = []
    for s in bot.topics(lang):
        e = bot.explainer(s.id, lang)
        assert e is not None
        out.append(TopicSummary(id=e.id, title=e.title, summary=e.summary, urgent=e.urgent))
    return out


@router.get(
    "/topics/{topic_id}", response_model=TopicOut, responses={404: {"model": ErrorOut}}, summary="One explainer"
)
def topic(topic_id: str, request: Request, bot: BotDep, lang: LangQuery = None) -> TopicOut | JSONResponse:
    lang = request_lang(request, lang)
    e = bot.explainer(topic_id, lang)
    if e is None:
        return error(404, "not-found", lang)
    answer = bot.answer_of(e)
    return TopicOut(
        **answer.model_dump(), related=bot.titles(e.related, lang), referrals=bot.directory.for_kinds(e.refer, lang)
    )


@router.get(
    "/legal-aid", response_model=list[Referral], summary="The whole help directory (filter by state in the browser)"
)
def legal_aid(request: Request, bot: BotDep, lang: LangQuery = None) -> list[Referral]:
    return bot.directory.all(request_lang(request, lang))


@router.get("/messages", response_model=dict[str, str], summary="The bot's own interface text in one language")
def messages(request: Request, lang: LangQuery = None) -> dict[str, str]:
    lang = request_lang(request, lang)
    return catalogue(lang)


class WidgetConfig(BaseModel):
    messages: dict[str, str]
    privacy: dict[str, Any] = Field(
        description="The personal-data rules of bot/privacy.py for JavaScript (the model file's `privacy`)"
    )
    text: dict[str, str] = Field(description="The text-cleaning and folding patterns the rules run with")
    known_words: list[str] = Field(description="Words the corpus uses: a capitalised run of them is not a name")
    corpus_version: str
    max_question_chars: int = Field(
        description="The longest question the server takes (BOT_MAX_QUESTION_CHARS): the widget's text box stops there"
    )


@router.get(
    "/widget-config",
    response_model=WidgetConfig,
    summary="Interface text and the personal-data rules, for the widget",
)
async def widget_config(request: Request, lang: LangQuery = None) -> Response:
    return Response(request.app.state.widget_config[request_lang(request, lang)], media_type="application/json")


def widget_config_json(bot: Bot, lang: str, max_question_chars: int) -> bytes:
    """The widget's start-up data in `lang`, built once per language when the app starts.

    The very rules and words private mode's model file carries, so the widget warns before
    sending on exactly what the server would remove."""
    return (
        WidgetConfig(
            messages=catalogue(lang),
            privacy=privacy_rules(),
            text=text_rules(),
            known_words=sorted(bot.known_words),
            corpus_version=bot.corpus.version,
            max_question_chars=max_question_chars,
        )
        .model_dump_json()
        .encode()
    )


@router.post(
    "/feedback",
    status_code=204,
    responses={400: {"model": ErrorOut}},
    summary="Did this help? (topic id and yes/no only)",
)
def feedback(body: FeedbackRequest, request: Request, bot: BotDep, metrics: MetricsDep) -> Response:
    if bot.explainer(body.topic, "en") is None:  # falls back to every corpus language
        return error(400, "invalid", request_lang(request))
    if metrics is not None:
        metrics.record_feedback(body.topic, body.helpful)
    return Response(status_code=204)
