"""The ASGI app: wiring only. Routes live in api.py and pages.py, middleware in security.py."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot import __version__, api, pages
from bot.browser_model import model_bytes
from bot.config import Settings
from bot.deps import request_lang
from bot.engine import Bot
from bot.messages import CATALOGUE
from bot.metrics import Metrics
from bot.resources import shipped
from bot.security import AccessLog, BodyLimit, CrashGuard, RateLimit, Scope, SecurityHeaders, json_error

WEB = shipped("web")
log = logging.getLogger("bot")

# What the no-JavaScript form shows for an error the page itself did not catch. A form the page did
# not send (a field too long, a broken body) is simply shown again, asking for a question.
_FORM_ERRORS = {"invalid": "error.empty", "too-large": "error.too-large", "rate-limited": "error.rate-limited"}


def error_response(scope: Scope, status: int, code: str, headers: dict[str, str]) -> Response:
    """An error for whoever asked: the chat form again with the message for the no-JS page
    (POST /), the API's JSON for everything else."""
    if not (scope.get("method") == "POST" and scope.get("path") == "/" and "app" in scope):
        return json_error(scope, status, code, headers)
    request = Request(scope)
    lang = request_lang(request, request.query_params.get("lang"))
    msg = {key: entry[lang] for key, entry in CATALOGUE.items()}
    context = {
        "lang": lang,
        "other": "es" if lang == "en" else "en",
        "msg": msg,
        "href": pages.server_href(request),
        "topics": request.app.state.bot.topics(lang),
        "reply": None,
        "question": "",
        "error": msg[_FORM_ERRORS.get(code, "error.server")],
    }
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "index.html", context, status_code=status, headers=headers)


def create_app(settings: Settings | None = None, *, bot: Bot | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Load, validate and index once; every request then answers from memory.
        app.state.bot = bot or Bot.from_path(settings.corpus, extra_directories=settings.legal_aid)
        # Private mode's model file, from this very Bot. Loading refused any rule a browser cannot run.
        app.state.model = model_bytes(app.state.bot)
        log.info("corpus %s loaded", app.state.bot.corpus.version)
        yield

    app = FastAPI(
        title="Tax-filing privacy know-your-rights bot",
        version=__version__,
        description="Answers questions about tax filing and immigration privacy from vetted explainers only.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.metrics = Metrics() if settings.metrics else None
    loaders = [FileSystemLoader(str(settings.templates))] if settings.templates else []
    templates = Jinja2Templates(directory=str(WEB / "templates"))
    templates.env.loader = ChoiceLoader([*loaders, FileSystemLoader(str(WEB / "templates"))])
    app.state.templates = templates

    app.include_router(api.router)
    app.include_router(pages.router)

    # Before the /static mount, which would otherwise answer for it.
    @app.get("/static/model.json", include_in_schema=False)
    def model(request: Request) -> Response:
        return Response(request.app.state.model, media_type="application/json")

    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")

    @app.get("/widget.js", include_in_schema=False)
    def widget() -> FileResponse:
        return FileResponse(WEB / "static" / "widget.js", media_type="text/javascript")

    @app.get("/healthz", tags=["ops"], summary="Liveness and the corpus version")
    def healthz(request: Request) -> dict[str, str]:
        return {"status": "ok", "corpus_version": request.app.state.bot.corpus.version}

    if settings.metrics:

        @app.get("/metrics", include_in_schema=False)
        def metrics(request: Request) -> PlainTextResponse:
            return PlainTextResponse(request.app.state.metrics.render(), media_type="text/plain; version=0.0.4")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        # Never echo the input back (FastAPI's default does): it may hold personal data.
        return error_response(request.scope, 422, "invalid", {})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = "not-found" if exc.status_code == 404 else "invalid"
        return error_response(request.scope, exc.status_code, code, dict(exc.headers or {}))

    # Innermost first (the last added runs first): the access log sees every response, and the
    # security headers and CORS wrap every answer, the 413, 429 and 500 included, so a widget
    # on another site can read "too many questions".
    app.add_middleware(CrashGuard, error=error_response)
    app.add_middleware(RateLimit, limit=settings.rate_limit, window=settings.rate_window_seconds, error=error_response)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, error=error_response)
    # Cheap phones on slow networks: compress text responses (no secrets or cookies to leak).
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_credentials=False,
        allow_methods=["GET", "POST"],
        allow_headers=["content-type"],
    )
    app.add_middleware(SecurityHeaders, frame_ancestors=settings.frame_ancestors)
    app.add_middleware(AccessLog)
    return app
