"""Routes for operators and for the widget: liveness, metrics, private mode's model file, widget.js.

Included before the /static mount, which would otherwise answer for the model file.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, PlainTextResponse, Response

from bot.resources import shipped

STATIC = shipped("web") / "static"

router = APIRouter(tags=["ops"])
# Included only when BOT_METRICS is on; otherwise /metrics is a plain 404.
metrics_router = APIRouter(tags=["ops"])


@router.get("/healthz", summary="Liveness and the corpus version")
def healthz(request: Request) -> dict[str, str]:
    return {"status": "ok", "corpus_version": request.app.state.bot.corpus.version}


@router.get("/static/model.json", include_in_schema=False)
def model(request: Request) -> Response:
    return Response(request.app.state.model, media_type="application/json")


@router.get("/static/model.json.gz", include_in_schema=False)
def model_gz(request: Request) -> Response:
    """The model file compressed once at start-up, as the static export ships it (the widget tries this copy first)."""
    return Response(request.app.state.model_gz, media_type="application/gzip")


@router.get("/widget.js", include_in_schema=False)
def widget() -> FileResponse:
    return FileResponse(STATIC / "widget.js", media_type="text/javascript")


@metrics_router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> PlainTextResponse:
    return PlainTextResponse(request.app.state.metrics.render(), media_type="text/plain; version=0.0.4")
