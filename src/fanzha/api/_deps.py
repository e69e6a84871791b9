"""FastAPI dependencies: the database session, the acting user, permissions, auditing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fanzha.api._errors import NotAuthenticated
from fanzha.api._security import user_for_token
from fanzha.api._settings import Settings
from fanzha.roles import ANONYMOUS, Actor, is_allowed, require
from fanzha.store.audit import append_audit

__all__ = [
    "ANONYMOUS_ACTOR",
    "COOKIE_NAME",
    "DbSession",
    "audit",
    "current_actor",
    "get_db",
    "page_size",
    "permit",
    "settings_of",
    "token_of",
]

COOKIE_NAME = "fanzha_token"
ANONYMOUS_ACTOR = Actor(user_id=None, username=ANONYMOUS, role=ANONYMOUS)


async def get_db(request: Request) -> AsyncIterator[Session]:
    """One session per request, closed afterwards.

    The light dependencies are ``async`` so that a request costs one hop to the thread pool
    (the endpoint) instead of one per dependency; their few quick queries run in the loop.
    """
    with request.app.state.sessions() as session:
        yield session


DbSession = Annotated[Session, Depends(get_db)]


def settings_of(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def page_size(request: Request, per_page: int) -> int:
    """``per_page`` capped at the app's ``page_size_max``."""
    return min(per_page, settings_of(request).page_size_max)


def token_of(request: Request) -> str | None:
    """The bearer token from the Authorization header, else from the login cookie."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(COOKIE_NAME)


async def current_actor(request: Request, db: DbSession) -> Actor:
    """The logged-in officer, or the anonymous citizen when there is no valid token."""
    token = token_of(request)
    if not token:
        return ANONYMOUS_ACTOR
    user = user_for_token(db, token)
    if user is None:
        return ANONYMOUS_ACTOR
    return Actor(user_id=user.id, username=user.username, role=user.role, district=user.district)


def permit(action: str) -> Callable[..., Awaitable[Actor]]:
    """A dependency that returns the actor if their role may perform ``action``.

    Anonymous callers of an action that needs a login get 401; logged-in callers whose role
    may not get 403.
    """

    async def dependency(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        if actor.role == ANONYMOUS and not is_allowed(ANONYMOUS, action):
            raise NotAuthenticated("请先登录 (login required)")
        require(actor.role, action)
        return actor

    dependency.__name__ = f"permit_{action.replace('.', '_')}"
    return dependency


def audit(
    request: Request,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: Any,
    *,
    reason: str = "",
    detail: str = "",
) -> None:
    """Append an audit entry for what ``actor`` just did or looked at."""
    engine: Engine = request.app.state.engine
    append_audit(engine, actor, action, object_type, object_id, reason=reason, detail=detail)
