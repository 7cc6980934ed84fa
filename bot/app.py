"""The ASGI app: wiring only. Routes live in api.py and pages.py, middleware in security.py."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot import __version__, api, pages
from bot.config import Settings
from bot.engine import Bot
from bot.messages import t
from bot.metrics import Metrics
from bot.model import model_bytes
from bot.resources import shipped
from bot.security import AccessLog, BodyLimit, RateLimit, SecurityHeaders

WEB = shipped("web")
log = logging.getLogger("bot")


def create_app(settings: Settings | None = None, *, bot: Bot | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Load, validate and index once; every request then answers from memory.
        app.state.bot = bot or Bot.from_path(settings.corpus, extra_directories=settings.legal_aid)
        try:  # private mode's model file, from this very Bot
            app.state.model = model_bytes(app.state.bot)
        except ValueError as exc:  # a rule a browser cannot run: server mode still works
            log.warning("private mode is off: %s", exc)
            app.state.model = None
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
        if request.app.state.model is None:
            raise StarletteHTTPException(404)
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
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Never echo the input back (FastAPI's default does): it may hold personal data.
        return JSONResponse(
            {"error": "invalid", "message": t("error.invalid", api.request_lang(request))}, status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        lang = api.request_lang(request)
        code = "not-found" if exc.status_code == 404 else "invalid"
        return JSONResponse(
            {"error": code, "message": t(f"error.{code}", lang)}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        # Log the kind of error only; its message could carry request data.
        log.error("unhandled %s", type(exc).__name__)
        return JSONResponse(
            {"error": "server", "message": t("error.server", api.request_lang(request))}, status_code=500
        )

    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_credentials=False,
        allow_methods=["GET", "POST"],
        allow_headers=["content-type"],
    )
    # Cheap phones on slow networks: compress text responses (no secrets or cookies to leak).
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(RateLimit, limit=settings.rate_limit, window=settings.rate_window_seconds)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders, frame_ancestors=settings.frame_ancestors)
    app.add_middleware(AccessLog)
    return app
