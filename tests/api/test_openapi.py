"""/api/openapi.json describes every 2xx body: a schema with named fields, never a bare ``{}``."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

# Free-form maps inside typed bodies, each with its reason. Keep this list short: a new entry
# needs a reason as good as these.
FREE_FORM = {
    # a graph node's properties differ by node type (a person's name, a phone's carrier …);
    # the graph view shows them by key
    "GraphNodePublic.props",
}


def _untyped(schema: dict[str, Any], components: dict[str, Any], seen: set[str]) -> list[str]:
    """Where in ``schema`` a value has no described shape (``{}`` or a free-form object)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        inside = _untyped(components[name], components, seen)
        return [f"{name}.{where}" for where in inside if f"{name}.{where}" not in FREE_FORM]
    if not schema or (
        schema.get("type") == "object"
        and "properties" not in schema
        and schema.get("additionalProperties", True) in (True, {})
    ):
        return ["(any)"]
    found = []
    for key, sub in schema.get("properties", {}).items():
        found += [
            f"{key}{'.' + w if w != '(any)' else ''}" for w in _untyped(sub, components, seen)
        ]
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            found += _untyped(schema[key], components, seen)
    for variant in schema.get("anyOf", []) + schema.get("prefixItems", []):
        if variant.get("type") != "null":
            found += _untyped(variant, components, seen)
    return found


def _untyped_operations(document: dict[str, Any]) -> dict[tuple[str, str], list[str]]:
    components = document.get("components", {}).get("schemas", {})
    untyped: dict[tuple[str, str], list[str]] = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if not status.startswith("2"):
                    continue
                for media, content in response.get("content", {}).items():
                    schema = content.get("schema", {})
                    where = (
                        _untyped(schema, components, set())
                        if media == "application/json"
                        else ([] if schema.get("type") == "string" else ["(any)"])
                    )
                    if where:
                        untyped[(method.upper(), path)] = where
    return untyped


def test_every_2xx_body_has_a_schema(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    untyped = _untyped_operations(document)
    assert not untyped, f"2xx bodies without a schema: {untyped}"


def test_the_check_finds_a_free_form_body() -> None:
    document = {
        "paths": {
            "/x": {
                "get": {
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/X"}}
                            }
                        }
                    }
                }
            },
        },
        "components": {
            "schemas": {
                "X": {
                    "type": "object",
                    "properties": {
                        "fine": {"type": "integer"},
                        "loose": {"type": "object", "additionalProperties": True},
                    },
                }
            }
        },
    }
    assert _untyped_operations(document) == {("GET", "/x"): ["X.loose"]}


def test_the_verdict_body_carries_every_field_of_the_core_verdict() -> None:
    from dataclasses import fields

    from fanzha.api.schemas.screening import VerdictPublic
    from fanzha.screening import RuleHit, Screener

    verdict = Screener.default().screen("兼职刷单日结，先垫付后返利，加薇信 abc123", kind="text")
    written = verdict.to_dict()
    assert written["rules"], "the example should fire a rule"
    assert set(VerdictPublic.model_fields) == set(written)
    assert {f.name for f in fields(RuleHit)} == set(written["rules"][0])
    assert VerdictPublic.of(verdict).model_dump(mode="json") == {
        **written,
        "model_scores": [list(pair) for pair in written["model_scores"]],
    }
