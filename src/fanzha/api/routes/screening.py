"""Screening endpoints (识诈) over the screening engine: text, phone, URL, batch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from fanzha.api._deps import limit_public, permit, settings_of
from fanzha.api.schemas.screening import (
    BatchScreenRequest,
    PhoneScreenRequest,
    TextScreenRequest,
    UrlScreenRequest,
    VerdictListPublic,
    VerdictPublic,
)
from fanzha.errors import InvalidInput
from fanzha.roles import Actor
from fanzha.screening import Screener

__all__ = ["router", "screener_of"]

router = APIRouter(prefix="/screen", tags=["screening"], dependencies=[Depends(limit_public)])
Screening = Annotated[Actor, Depends(permit("screen"))]


def screener_of(request: Request) -> Screener:
    """The app's screener, loaded on first use."""
    state = request.app.state
    if getattr(state, "screener", None) is None:
        state.screener = Screener.default()
    screener: Screener = state.screener
    return screener


@router.post("/text", response_model=VerdictPublic)
def screen_text(body: TextScreenRequest, request: Request, _actor: Screening) -> VerdictPublic:
    """Screen a message, chat or call transcript."""
    return VerdictPublic.of(screener_of(request).screen(body.text, kind="text"))


@router.post("/phone", response_model=VerdictPublic)
def screen_phone(body: PhoneScreenRequest, request: Request, _actor: Screening) -> VerdictPublic:
    """Screen a phone number."""
    return VerdictPublic.of(screener_of(request).screen(body.number, kind="phone"))


@router.post("/url", response_model=VerdictPublic)
def screen_url(body: UrlScreenRequest, request: Request, _actor: Screening) -> VerdictPublic:
    """Screen a link."""
    return VerdictPublic.of(screener_of(request).screen(body.url, kind="url"))


@router.post("/batch", response_model=VerdictListPublic)
def screen_batch(
    body: BatchScreenRequest, request: Request, _actor: Screening
) -> VerdictListPublic:
    """Screen up to ``max_batch_items`` values; kinds are detected when not given."""
    limit = settings_of(request).max_batch_items
    if len(body.items) > limit:
        raise InvalidInput(f"{len(body.items)} items; at most {limit} per request", field="items")
    screener = screener_of(request)
    return VerdictListPublic(
        data=[VerdictPublic.of(screener.screen(item.value, kind=item.kind)) for item in body.items]
    )
