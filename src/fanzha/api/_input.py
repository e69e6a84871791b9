"""Text the API refuses at the boundary, once for every route: NUL characters and lone
surrogates in path and query parameters, cookies and JSON bodies.

PostgreSQL cannot store or compare a NUL in text and a lone surrogate cannot be encoded
as UTF-8; both used to reach the database and end as a 500. The same rule is written into
/api/openapi.json as a ``pattern`` on every string a client sends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi import Request

from fanzha.errors import InvalidInput

__all__ = [
    "FILLED_TEXT_PATTERN",
    "TEXT_PATTERN",
    "UNSAFE_TEXT",
    "declare_text_rule",
    "refuse_unsafe_text",
]

UNSAFE_TEXT = re.compile("[\x00\ud800-\udfff]")
"""A NUL or a lone surrogate: never valid in a request's text."""

TEXT_PATTERN = "^[^\\x00]*$"
"""The rule as a JSON-schema pattern (lone surrogates cannot be written in JSON schema)."""

FILLED_TEXT_PATTERN = "^[^\\x00]*[^\\s\\x00][^\\x00]*$"
"""The rule for a required body text: request bodies strip blanks (``STRICT``), so text
that must not be empty must hold a character that is not a blank."""


def _unsafe_in(value: Any, where: str) -> Iterator[str]:
    """The dotted paths inside a decoded JSON ``value`` whose text is unsafe."""
    if isinstance(value, str):
        if UNSAFE_TEXT.search(value):
            yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{where}.{key}" if where else str(key)
            if UNSAFE_TEXT.search(str(key)):
                yield where or "body"
            yield from _unsafe_in(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unsafe_in(item, f"{where}.{index}" if where else str(index))


async def _json_body(request: Request) -> Any:
    """The request's JSON body as FastAPI already decoded it, or None."""
    if "json" not in request.headers.get("content-type", ""):
        return None
    try:
        return await request.json()
    except ValueError:  # not JSON: the route's own validation answers
        return None


async def refuse_unsafe_text(request: Request) -> None:
    """App-wide dependency: 422 naming the first parameter or body field with unsafe text."""
    named = [
        *request.path_params.items(),
        *request.query_params.multi_items(),
        *request.cookies.items(),
    ]
    for name, value in named:
        if isinstance(value, str) and UNSAFE_TEXT.search(value):
            raise _refusal(name)
    for field in _unsafe_in(await _json_body(request), ""):
        raise _refusal(field or "body")


def _refusal(field: str) -> InvalidInput:
    field = UNSAFE_TEXT.sub("?", field)
    return InvalidInput(
        "不能包含 NUL 字符或不成对的代理字符 (must not contain NUL or lone surrogates)",
        field=field,
    )


def _declare_in(schema: Any, components: dict[str, Any], seen: set[str], body: bool) -> None:
    """Add the text rule to every plain string schema inside ``schema`` (refs followed)."""
    if isinstance(schema, list):
        for item in schema:
            _declare_in(item, components, seen, body)
        return
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            _declare_in(components.get(name), components, seen, body)
        return
    if schema.get("type") == "string" and not {"pattern", "format", "enum", "const"} & set(schema):
        filled = body and schema.get("minLength", 0) >= 1
        schema["pattern"] = FILLED_TEXT_PATTERN if filled else TEXT_PATTERN
    for key, value in schema.items():
        if key in ("properties", "$defs"):
            for sub in value.values():
                _declare_in(sub, components, seen, body)
        elif key in ("items", "additionalProperties", "anyOf", "oneOf", "allOf", "prefixItems"):
            _declare_in(value, components, seen, body)


def declare_text_rule(document: dict[str, Any]) -> dict[str, Any]:
    """Write the text rule into the parameters and request bodies of an OpenAPI document."""
    components = document.get("components", {}).get("schemas", {})
    seen: set[str] = set()
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                _declare_in(parameter.get("schema"), components, seen, body=False)
            for content in operation.get("requestBody", {}).get("content", {}).values():
                _declare_in(content.get("schema"), components, seen, body=True)
    return document
