"""The stream intake's health: ``/api/v1/intake/status`` (JSON) and ``/metrics`` (Prometheus)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse

from fanzha.api._deps import permit
from fanzha.api._intake_service import intake_status, prometheus_text
from fanzha.api.schemas.intake import IntakeStatusPublic
from fanzha.roles import Actor

__all__ = ["metrics_router", "router"]

router = APIRouter(tags=["intake"])
metrics_router = APIRouter(tags=["intake"])


@router.get("/intake/status", response_model=IntakeStatusPublic)
async def status(
    request: Request, actor: Annotated[Actor, Depends(permit("intake.status"))]
) -> IntakeStatusPublic:
    """Lag, in-flight, errors (redeliveries), dead letters and rate of the stream intake."""
    return await intake_status(request.app.state.settings, request.app.state.sessions)


@metrics_router.get("/metrics", response_class=PlainTextResponse, include_in_schema=False)
async def metrics(
    request: Request, actor: Annotated[Actor, Depends(permit("intake.status"))]
) -> PlainTextResponse:
    """The same figures in the Prometheus text format (scrape with a bearer token)."""
    found = await intake_status(request.app.state.settings, request.app.state.sessions)
    return PlainTextResponse(prometheus_text(found), media_type="text/plain; version=0.0.4")
