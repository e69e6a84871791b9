"""One error shape for every failure: ``{"error": {"code", "message", "field"}}``.

Invalid JSON, wrong types, unknown ids, illegal moves, stale versions and oversized bodies
all become 4xx with that body; nothing reaches the client as a bare 500 traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fanzha.api._messages import chinese_message, validation_message
from fanzha.api.schemas.errors import ErrorDetailPublic, ErrorPublic
from fanzha.errors import FanzhaError

__all__ = [
    "BodySizeLimit",
    "NotAuthenticated",
    "TooManyRequests",
    "error_body",
    "install_error_handlers",
]

log = logging.getLogger("fanzha.api")


class NotAuthenticated(FanzhaError):
    """No valid login for an action that needs one."""

    code = "not_authenticated"
    status = 401


class TooManyRequests(FanzhaError):
    """Throttled: answered with 429 and ``Retry-After: retry_after`` seconds."""

    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int, code: str = "rate_limited") -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)
        self.code = code


def error_body(
    code: str, message: str, field: str | None = None, *, shown: str | None = None
) -> dict[str, Any]:
    """The one error shape (:class:`~fanzha.api.schemas.errors.ErrorPublic`): ``message``
    in Chinese (``shown``, or made from ``message``), the original text in ``detail`` when it
    says more."""
    shown = shown or chinese_message(code, message, field)
    detail = None if shown == message else message
    return ErrorPublic(
        error=ErrorDetailPublic(code=code, message=shown, field=field, detail=detail)
    ).model_dump()


def _field_of(location: Sequence[Any]) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path")]
    return ".".join(parts) or "body"


async def _fanzha_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, FanzhaError)
    field = getattr(exc, "field", None)
    retry_after = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return JSONResponse(
        error_body(exc.code, exc.message, field), status_code=exc.status, headers=headers
    )


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {"loc": ("body",), "msg": "invalid"}
    field = _field_of(first.get("loc", ("body",)))
    message = f"{field}: {first.get('msg', 'invalid value')}"
    if first.get("type") == "json_invalid":
        return _not_json()
    shown = validation_message(
        field, str(first.get("type", "")), str(first.get("msg", "")), first.get("ctx")
    )
    return JSONResponse(error_body("invalid_input", message, field, shown=shown), status_code=422)


def _not_json() -> JSONResponse:
    message = "请求体不是合法的 UTF-8 JSON (request body is not valid UTF-8 JSON)"
    return JSONResponse(error_body("invalid_input", message, "body"), status_code=422)


def _wants_page(request: Request) -> bool:
    """A browser asking for a page (not the API, not a file): it gets the UI's own 404 page."""
    return (
        request.method == "GET"
        and "text/html" in request.headers.get("accept", "")
        and not request.url.path.startswith(("/api/", "/static/", "/ui/"))
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    page = getattr(request.app.state, "page_not_found", None)
    if exc.status_code == 404 and page is not None and _wants_page(request):
        response: Response = page()
        return response
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
        return _not_json()
    code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
        exc.status_code, "http_error"
    )
    return JSONResponse(
        error_body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers
    )


async def _stale(_request: Request, _exc: Exception) -> JSONResponse:
    message = (
        "记录已被他人修改，请刷新后重试 (the record was changed by someone else; reload and retry)"
    )
    return JSONResponse(error_body("conflict", message, "version"), status_code=409)


async def _integrity(_request: Request, exc: Exception) -> JSONResponse:
    log.warning("integrity error: %s", exc)
    return JSONResponse(
        error_body("conflict", "与已有记录冲突 (conflicts with a stored record)"), status_code=409
    )


async def _busy(_request: Request, exc: Exception) -> JSONResponse:
    log.warning("database busy or unreachable: %s", exc)
    return JSONResponse(
        error_body("unavailable", "服务繁忙，请稍后重试 (the database is busy; retry shortly)"),
        status_code=503,
        headers={"Retry-After": "1"},
    )


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return JSONResponse(error_body("internal", "服务器内部错误 (internal error)"), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the one shape."""
    app.add_exception_handler(FanzhaError, _fanzha_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(StaleDataError, _stale)
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(PoolTimeout, _busy)
    app.add_exception_handler(OperationalError, _busy)
    app.add_exception_handler(Exception, _unexpected)


class BodySizeLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes with 413, streamed or not."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise HTTPException(413, f"请求体超过 {self.limit} 字节 (body too large)")
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, send: Send) -> None:
        response = JSONResponse(
            error_body("too_large", f"请求体超过 {self.limit} 字节 (body over {self.limit} bytes)"),
            status_code=413,
        )
        await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:  # pragma: no cover - never awaited for a plain response
    return {"type": "http.disconnect"}
