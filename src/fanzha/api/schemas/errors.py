"""The one error body every failure has, as the OpenAPI document declares it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

__all__ = ["ERROR_RESPONSES", "ErrorDetailPublic", "ErrorPublic"]


class ErrorDetailPublic(BaseModel):
    """What went wrong: a stable ``code``, a message for people (Chinese), the ``field`` at
    fault and the original ``detail`` (often English, for developers and logs)."""

    code: str
    message: str
    field: str | None
    detail: str | None = None


class ErrorPublic(BaseModel):
    """``{"error": {"code", "message", "field"}}``: the body of every 4xx and 5xx."""

    error: ErrorDetailPublic


_WHEN = {
    400: "The request could not be read",
    401: "Login required (no valid token)",
    403: "The role may not do this",
    404: "No such record or path",
    409: "Conflicts with the stored record (state, version, balance, duplicate)",
    413: "Request body too large",
    422: "Invalid input; ``field`` names the parameter or body field",
    429: "Too many requests; retry later",
    500: "Internal error (never expected)",
}

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorPublic, "description": description}
    for status, description in _WHEN.items()
}
"""The error responses every operation declares (``responses=`` of ``include_router``)."""
