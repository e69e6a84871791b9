"""Liveness and readiness checks for load balancers and orchestrators: no login, no data."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from sqlalchemy.exc import SQLAlchemyError

from fanzha.api.schemas.health import HealthPublic, ReadyPublic
from fanzha.store import ping

__all__ = ["router"]

router = APIRouter(tags=["health"])
log = logging.getLogger("fanzha.api")


@router.get("/health", response_model=HealthPublic)
async def health() -> HealthPublic:
    """Liveness: answered on the event loop without the database, even when every worker
    thread is busy."""
    return HealthPublic()


@router.get(
    "/ready",
    response_model=ReadyPublic,
    responses={503: {"model": ReadyPublic, "description": "the database does not answer"}},
)
def ready(request: Request, response: Response) -> ReadyPublic:
    """Readiness: the database answers ``SELECT 1`` (503 when it cannot)."""
    try:
        with request.app.state.sessions() as session:
            ping(session)
    except SQLAlchemyError as exc:
        log.warning("readiness check failed: %s", exc)
        response.status_code = 503
        return ReadyPublic(status="unavailable")
    return ReadyPublic(status="ready")
