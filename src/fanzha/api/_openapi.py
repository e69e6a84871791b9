"""/api/openapi.json as the API behaves: the text rule on every string a client sends and
the one JSON error body on every error response."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from fanzha.api._input import declare_text_rule
from fanzha.api.schemas.errors import ERROR_RESPONSES

__all__ = ["install_openapi"]

_ERROR_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorPublic"}}}


def _errors_as_json(document: dict[str, Any]) -> dict[str, Any]:
    """Error responses are JSON even where the success body is not (``/graph/export.ftm``)."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if status.isdigit() and int(status) in ERROR_RESPONSES:
                    response["content"] = dict(_ERROR_BODY)
    return document


def install_openapi(app: FastAPI) -> None:
    """Serve the app's OpenAPI document with the text rule and JSON error bodies written in."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, routes=app.routes)
            app.openapi_schema = _errors_as_json(declare_text_rule(document))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
