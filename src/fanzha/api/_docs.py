"""The API's documentation pages, served offline: Swagger UI at ``/api/docs`` and ReDoc at
``/api/redoc`` load their scripts, styles and icon from files shipped in a package
(``fastapi-offline``), never from a CDN, so they work on an intranet without internet."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

__all__ = ["DOCS_ASSETS_URL", "DOCS_URL", "REDOC_URL", "install_docs"]

DOCS_URL = "/api/docs"
REDOC_URL = "/api/redoc"
DOCS_ASSETS_URL = "/api/docs-assets"
_ASSETS_DIR = Path(fastapi_offline.__file__).parent / "static"
# ReDoc's sidebar shows its maker's logo from their CDN; the page shows the local icon instead.
_REDOC_JS = "redoc.standalone.js"
_REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
# Swagger UI's and ReDoc's pages have an inline start-up script and inline styles; all else
# (scripts, styles, the OpenAPI document, images) must come from this server.
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; connect-src 'self'; "
        "font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def install_docs(app: FastAPI, openapi_url: str) -> None:
    """Serve the Swagger UI and ReDoc pages of ``app`` over ``openapi_url`` from local files
    (the FastAPI app must be built with ``docs_url=None, redoc_url=None``)."""
    title = f"{app.title} 接口文档"

    async def swagger() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=openapi_url,
            title=title,
            swagger_js_url=f"{DOCS_ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS_URL}/favicon.png",
            # no badge fetched from the public validator
            swagger_ui_parameters={"validatorUrl": None},
        )
        return HTMLResponse(page.body, headers=_HEADERS)

    async def redoc() -> HTMLResponse:
        page = get_redoc_html(
            openapi_url=openapi_url,
            title=title,
            redoc_js_url=f"{DOCS_ASSETS_URL}/{_REDOC_JS}",
            redoc_favicon_url=f"{DOCS_ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )
        return HTMLResponse(page.body, headers=_HEADERS)

    redoc_js = (_ASSETS_DIR / _REDOC_JS).read_bytes()
    redoc_js = redoc_js.replace(_REDOC_LOGO.encode(), f"{DOCS_ASSETS_URL}/favicon.png".encode())

    async def redoc_script() -> Response:
        return Response(
            redoc_js,
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "max-age=86400"},
        )

    app.add_api_route(DOCS_URL, swagger, methods=["GET"], include_in_schema=False)
    app.add_api_route(REDOC_URL, redoc, methods=["GET"], include_in_schema=False)
    app.add_api_route(
        f"{DOCS_ASSETS_URL}/{_REDOC_JS}", redoc_script, methods=["GET"], include_in_schema=False
    )
    app.mount(DOCS_ASSETS_URL, StaticFiles(directory=_ASSETS_DIR), name="docs-assets")
