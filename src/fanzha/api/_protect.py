"""ASGI middleware that every response passes: security headers and the Origin check.

* Every response gets ``nosniff``, ``no-referrer``, ``X-Frame-Options: DENY`` and a
  Content-Security-Policy with ``frame-ancestors 'none'`` (the web pages set their own, the
  API docs (served from local files) get one that lets Swagger UI and ReDoc run; everything
  else: ``default-src 'none'``).
* A state-changing request (not GET/HEAD/OPTIONS) that carries the login cookie and no
  bearer header must come from this site: a foreign ``Origin`` (or, without one, a browser's
  ``Sec-Fetch-Site: cross-site``) gets 403 ``forbidden_origin`` before any route runs.
  Bearer-token clients are not checked: a browser never adds that header on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fanzha.api._errors import error_body

__all__ = ["API_CSP", "DOCS_CSP", "OriginCheck", "SecurityHeaders"]

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# The docs pages (api/_docs.py) set their own, equal policy; this one covers their assets.
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; connect-src 'self'; "
    "font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
_ALWAYS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SecurityHeaders:
    """Add the security headers to every HTTP response that does not set them itself."""

    def __init__(
        self, app: ASGIApp, *, docs_prefixes: tuple[str, ...] = ("/api/docs", "/api/redoc")
    ) -> None:
        self.app = app
        self.docs_prefixes = docs_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"].startswith(self.docs_prefixes) else API_CSP

        async def send_hardened(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _ALWAYS.items():
                    headers.setdefault(name, value)
                headers.setdefault("content-security-policy", csp)
            await send(message)

        await self.app(scope, receive, send_hardened)


class OriginCheck:
    """Refuse cookie-authenticated state-changing requests from another site with 403."""

    def __init__(
        self, app: ASGIApp, *, cookie_name: str, allowed_origins: Iterable[str] = ()
    ) -> None:
        self.app = app
        self.cookie_name = cookie_name
        self.allowed_hosts = {urlsplit(origin).netloc.lower() for origin in allowed_origins}

    def _is_foreign(self, headers: Headers) -> bool:
        origin = headers.get("origin")
        if origin is None:
            return headers.get("sec-fetch-site", "") in {"cross-site", "same-site"}
        host = urlsplit(origin).netloc.lower()
        return not host or (
            host != headers.get("host", "").lower() and host not in self.allowed_hosts
        )

    def _needs_check(self, scope: Scope, headers: Headers) -> bool:
        if scope["method"] in _SAFE_METHODS:
            return False
        if headers.get("authorization", "").lower().startswith("bearer "):
            return False
        return self.cookie_name in cookie_parser(headers.get("cookie", ""))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = Headers(scope=scope)
            if self._needs_check(scope, headers) and self._is_foreign(headers):
                response = JSONResponse(
                    error_body(
                        "forbidden_origin",
                        "跨站请求被拒绝：请求来源与本站不符 (cross-site request refused)",
                    ),
                    status_code=403,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
