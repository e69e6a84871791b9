"""The one place where personal numbers leave the API masked: every JSON response to a
logged-in officer whose role may not see personal data (no ``pii.view``).

The structured fields (names, ID, phone and account numbers) are already masked by the
response models; this middleware also masks every phone, ID and account number left in any
string of the body — free text such as a task's reason, an event's counterpart, an audit
entry's object id or reason — with :func:`fanzha.masking.mask_document`. Which officer is
acting is read from the request state that :func:`fanzha.api._deps.current_actor` fills.
"""

from __future__ import annotations

import json
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fanzha.masking import mask_document
from fanzha.roles import ANONYMOUS, Actor, is_allowed

__all__ = ["ACTOR_STATE", "MaskPersonalData"]

#: The key under which the acting officer is kept in the request state.
ACTOR_STATE: Final = "actor"


def _must_mask(state: dict[str, object], start: Message) -> bool:
    """Whether the response that ``start`` begins must be masked for the request's actor."""
    actor = state.get(ACTOR_STATE)
    if not isinstance(actor, Actor) or actor.role == ANONYMOUS:
        return False
    if is_allowed(actor.role, "pii.view"):
        return False
    headers: dict[bytes, bytes] = dict(start.get("headers", []))
    return headers.get(b"content-type", b"").startswith(b"application/json")


def mask_body(body: bytes) -> bytes:
    """A JSON body with every personal number in its strings masked (unchanged when it is
    not JSON)."""
    try:
        document = json.loads(body)
    except ValueError:
        return body
    masked = mask_document(document)
    return json.dumps(masked, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


class MaskPersonalData:
    """ASGI middleware: JSON responses to officers without ``pii.view`` go through
    :func:`mask_body` (the body is held back until it is complete, then sent at once)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: dict[str, object] = scope.setdefault("state", {})
        start: Message | None = None
        chunks: list[bytes] = []

        async def masking_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and _must_mask(state, message):
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = mask_body(b"".join(chunks))
            headers = [
                (k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"
            ]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, masking_send)
