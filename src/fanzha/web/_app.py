"""Serve the single-page UI: ``/static`` files, ``index.html`` for every page, UI labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from fanzha.api import PERMISSIONS, ROLE_NAMES
from fanzha.taxonomy import fraud_types
from fanzha.warning import (
    BAND_LABELS,
    CHANNEL_LABELS,
    CHANNEL_RESULTS,
    CHANNELS,
    RESULT_LABELS,
    STATE_LABELS,
    TRANSITIONS,
)

__all__ = ["PAGE_ROUTES", "STATIC_DIR", "install_web", "ui_meta"]

STATIC_DIR = Path(__file__).parent / "static"
PAGE_ROUTES = (
    "/",
    "/login",
    "/queue",
    "/tasks/{task_id}",
    "/screen",
    "/cases",
    "/cases/{case_id}",
    "/kpi",
)
# The pages load only what the server itself serves; no inline script, no framing.
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
# Case statuses as the store and the demo city write them; others are shown as stored.
_CASE_STATUS_LABELS = {
    "open": "已受理",
    "investigating": "侦查中",
    "solved": "已破案",
    "closed": "已结案",
}


def ui_meta() -> dict[str, Any]:
    """The labels and tables the pages need: states, moves, channels, results, fraud types."""
    return {
        "states": [{"state": str(s), "label": label} for s, label in STATE_LABELS.items()],
        "transitions": {str(s): sorted(str(t) for t in to) for s, to in TRANSITIONS.items()},
        "channels": [{"channel": c, "label": CHANNEL_LABELS[c]} for c in CHANNELS],
        "channel_results": {c: sorted(CHANNEL_RESULTS[c]) for c in CHANNELS},
        "result_labels": dict(RESULT_LABELS),
        "band_labels": dict(BAND_LABELS),
        "role_names": dict(ROLE_NAMES),
        "permissions": {action: sorted(roles) for action, roles in PERMISSIONS.items()},
        "fraud_types": [
            {"code": t.code, "name": t.name, "category": t.category} for t in fraud_types()
        ],
        "case_statuses": _CASE_STATUS_LABELS,
    }


def install_web(app: FastAPI) -> None:
    """Mount the UI on ``app``: static files, the page routes and ``/ui/meta.json``."""
    index = STATIC_DIR / "index.html"
    meta = ui_meta()

    async def page() -> FileResponse:
        return FileResponse(index, media_type="text/html; charset=utf-8", headers=_HEADERS)

    async def labels() -> JSONResponse:
        return JSONResponse(meta, headers={"Cache-Control": "no-cache"})

    for path in PAGE_ROUTES:
        app.add_api_route(path, page, methods=["GET"], include_in_schema=False)
    app.add_api_route("/ui/meta.json", labels, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
