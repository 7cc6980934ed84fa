"""Errors for whoever asked: the chat form again for the no-JavaScript page, the API's JSON otherwise.

FastAPI's own handlers are replaced because they echo the input back, and the input may hold
personal data. The middleware in security.py (body limit, rate limit, crash guard) answers through
the same `error_response`.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from bot import pages
from bot.messages import catalogue
from bot.reply import Referral
from bot.security import json_error, lang_of

# What the no-JavaScript form shows for an error the page itself did not catch. A form the page did
# not send (a field too long, a broken body) is simply shown again, asking for a question.
_FORM_ERRORS = {"invalid": "error.empty", "too-large": "error.too-large", "rate-limited": "error.rate-limited"}


# Errors that stand in for an answer without anyone reading the question: the rate limit answers before
# the urgent and crisis rules could run, so its answer carries, whatever was asked, the two lines a
# person in danger needs.
_LIFELINE_ERRORS = frozenset({"rate-limited"})


def lifelines(scope: Scope, lang: str) -> list[Referral]:
    """The help directory's emergency and crisis lines, in `lang` (none before the app is set up)."""
    bot = getattr(getattr(scope.get("app"), "state", None), "bot", None)
    return bot.directory.lifelines(lang) if bot is not None else []


def error_response(scope: Scope, status: int, code: str, headers: dict[str, str]) -> Response:
    """An error for whoever asked: the chat form again with the message for the no-JS page
    (POST /), the API's JSON for everything else. A rate-limited answer adds the emergency and
    crisis lines (`referrals`), in the language the request states (`?lang=`, else Accept-Language)."""
    lang = lang_of(scope)
    lines = lifelines(scope, lang) if code in _LIFELINE_ERRORS else []
    if not (scope.get("method") == "POST" and scope.get("path") == "/" and "app" in scope):
        return json_error(scope, status, code, headers, [r.model_dump() for r in lines])
    request = Request(scope)
    msg = catalogue(lang)
    context = {
        "lang": lang,
        "other": "es" if lang == "en" else "en",
        "msg": msg,
        "href": pages.server_href(request),
        "topics": request.app.state.bot.topics(lang),
        "reply": None,
        "question": "",
        "error": msg[_FORM_ERRORS.get(code, "error.server")],
        "lifelines": lines,
    }
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "index.html", context, status_code=status, headers=headers)


async def _invalid(request: Request, exc: Exception) -> Response:
    # Never echo the input back (FastAPI's default does): it may hold personal data.
    return error_response(request.scope, 422, "invalid", {})


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = "not-found" if exc.status_code == 404 else "invalid"
    return error_response(request.scope, exc.status_code, code, dict(exc.headers or {}))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http_error)
