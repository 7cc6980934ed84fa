"""The ASGI app: wiring only. Routes live in api.py, pages.py and ops.py, error handlers in errors.py,
middleware in security.py."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from bot import __version__, api, isolation, ops, pages
from bot.browser_model import gzipped, model_bytes
from bot.config import Settings
from bot.engine import Bot
from bot.errors import error_response, install_error_handlers
from bot.lang import LANGUAGES
from bot.metrics import Metrics
from bot.resources import shipped
from bot.security import AccessLog, BodyLimit, CrashGuard, RateLimit, SecurityHeaders
from bot.templating import make_templates

WEB = shipped("web")
log = logging.getLogger("bot")


def create_app(settings: Settings | None = None, *, bot: Bot | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Load, validate and index once; every request then answers from memory. A child process
        # does the fitting (bot/isolation.py): this process never imports scikit-learn.
        # Private mode's model file comes from this very Bot. Loading refused any rule a browser cannot run.
        if bot is None:
            app.state.bot, app.state.model = isolation.build(settings.corpus, settings.legal_aid)
        else:
            app.state.bot, app.state.model = bot, model_bytes(bot)
        app.state.model_gz = gzipped(app.state.model)
        # What the widget fetches on opening depends only on the corpus: serialized once per language.
        app.state.widget_config = {
            lang: api.widget_config_json(app.state.bot, lang, settings.max_question_chars) for lang in LANGUAGES
        }
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
    app.state.templates = Jinja2Templates(env=make_templates(settings.templates))
    # One limit for the text box, the schema and the check in the routes: BOT_MAX_QUESTION_CHARS.
    app.state.templates.env.globals["max_question_chars"] = settings.max_question_chars
    api.document_limits(app, settings.max_question_chars)
    install_error_handlers(app)

    # The ops routes hold the model file: before the /static mount, which would otherwise answer for it.
    app.include_router(ops.router)
    if settings.metrics:
        app.include_router(ops.metrics_router)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")

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
