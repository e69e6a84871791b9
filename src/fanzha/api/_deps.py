"""FastAPI dependencies: the request's database session, the acting user, permissions,
auditing.

Every request that touches the database has ONE session (:func:`get_db`), so at most one
connection, and commits ONCE when the endpoint has returned: its writes and the audit
entries that record them (:func:`audit`) land together or not at all. The dependencies
that do I/O are plain functions, so FastAPI runs them in its worker threads, never on the
event loop. At most ``threads`` requests hold a session at once (the others wait on the
loop, holding nothing) and the pool keeps a connection for each, so no request ever waits
for a connection while holding one, and the login check ends its read before the
endpoint is scheduled.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request, Response
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from fanzha.api._errors import NotAuthenticated, TooManyRequests
from fanzha.api._masking import ACTOR_STATE
from fanzha.api._security import user_for_token
from fanzha.api._settings import Settings
from fanzha.errors import FanzhaError
from fanzha.masking import pseudonymise_text
from fanzha.roles import ANONYMOUS, Actor, is_allowed, require
from fanzha.store.audit import AuditChain, append_audit

__all__ = [
    "ANONYMOUS_ACTOR",
    "COOKIE_NAME",
    "DbSession",
    "audit",
    "client_address",
    "current_actor",
    "get_db",
    "limit_public",
    "no_store",
    "page_size",
    "permit",
    "settings_of",
    "token_of",
]

COOKIE_NAME = "fanzha_token"
ANONYMOUS_ACTOR = Actor(user_id=None, username=ANONYMOUS, role=ANONYMOUS)


@dataclass(frozen=True, slots=True)
class _PendingAudit:
    """An audit entry recorded during a request, appended when the request commits."""

    at: datetime
    actor: Actor
    action: str
    object_type: str
    object_id: Any
    reason: str
    detail: str


def _append_pending(session: Session, chain: AuditChain, pending: list[_PendingAudit]) -> None:
    for item in pending:
        append_audit(
            session,
            item.actor,
            item.action,
            item.object_type,
            item.object_id,
            chain=chain,
            reason=item.reason,
            detail=item.detail,
            at=item.at,
        )


def _is_refusal(exc: BaseException) -> bool:
    """A 4xx answer (not found, not allowed, bad input): nothing is written, but the
    look-ups the request made before it are still audited."""
    if isinstance(exc, FanzhaError):
        return 400 <= exc.status < 500
    return isinstance(exc, HTTPException) and 400 <= exc.status_code < 500


async def _session_slot(request: Request) -> AsyncIterator[None]:
    """One of the app's ``threads`` session slots, awaited on the event loop.

    A request waiting here holds no connection and no thread; a request holding a slot never
    waits for a connection (the pool has one per slot), so it can always finish, whatever
    it still waits for (a worker thread, the serialisation of its response).
    """
    state = request.app.state
    if getattr(state, "session_slots", None) is None:
        state.session_slots = anyio.Semaphore(state.settings.threads)
    async with state.session_slots:
        yield


SessionSlot = Annotated[None, Depends(_session_slot, scope="function")]


def get_db(request: Request, _slot: SessionSlot) -> Iterator[Session]:
    """The request's one session, committed once after the endpoint returned.

    The audit entries of the request are appended last, just before the commit, so the
    chain-head lock is held only for that moment. An error rolls everything back; after a
    refusal (4xx) the audit entries recorded before it are committed alone.
    """
    pending: list[_PendingAudit] = []
    with request.app.state.sessions() as session:
        request.state.pending_audit = pending
        try:
            yield session
        except BaseException as exc:
            session.rollback()
            if pending and _is_refusal(exc):
                _append_pending(session, request.app.state.audit_chain, pending)
                session.commit()
            raise
        _append_pending(session, request.app.state.audit_chain, pending)
        session.commit()


DbSession = Annotated[Session, Depends(get_db, scope="function")]


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


def current_actor(request: Request, db: DbSession) -> Actor:
    """The logged-in officer, or the anonymous citizen when there is no valid token; kept in
    the request state for the masking of the response (:mod:`fanzha.api._masking`).

    Runs in a worker thread; ends its read so the request holds no connection while it
    waits for the thread of its endpoint.
    """
    token = token_of(request)
    if not token:
        return ANONYMOUS_ACTOR
    user = user_for_token(db, token)
    actor = (
        ANONYMOUS_ACTOR
        if user is None
        else Actor(user_id=user.id, username=user.username, role=user.role, district=user.district)
    )
    db.rollback()
    setattr(request.state, ACTOR_STATE, actor)
    return actor


async def no_store(response: Response) -> None:
    """A dependency that tells browsers and proxies not to keep the response
    (``Cache-Control: no-store``): for look-ups of persons, phone numbers and accounts."""
    response.headers["Cache-Control"] = "no-store"


def client_address(request: Request) -> str:
    """The caller's address (behind a proxy: as uvicorn's ``--forwarded-allow-ips`` trusts)."""
    return request.client.host if request.client is not None else "unknown"


async def limit_public(request: Request, actor: Annotated[Actor, Depends(current_actor)]) -> None:
    """Throttle anonymous callers per address (429 with ``Retry-After``); officers pass."""
    if actor.role != ANONYMOUS:
        return
    wait = request.app.state.rate_limits.public.acquire(client_address(request))
    if wait:
        raise TooManyRequests(
            f"请求过于频繁，请 {wait} 秒后再试 (too many requests; retry in {wait} s)",
            retry_after=wait,
        )


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
    """Record an audit entry for what ``actor`` just did or looked at.

    It is appended to the chain in the request's own transaction when the request commits
    (:func:`get_db`), so it is stored exactly when what it records is. The audit log holds no
    phone, ID or account number in ``object_id`` and ``detail``: each is replaced by its keyed
    hash (:func:`fanzha.masking.pseudonymise_text`; the key is ``Settings.pseudonym_key``),
    so pass the store id of a record where there is one.
    """
    pending: list[_PendingAudit] | None = getattr(request.state, "pending_audit", None)
    if pending is None:
        raise RuntimeError("audit() needs the request's database session (DbSession)")
    key: bytes = request.app.state.pseudonym_key
    object_id = pseudonymise_text(str(object_id), key)
    detail = pseudonymise_text(detail, key)
    pending.append(
        _PendingAudit(datetime.now(UTC), actor, action, object_type, object_id, reason, detail)
    )
