"""Reading FollowTheMoney entities (JSON lines from ``export-ftm``, Aleph or another
center's 协查 package) and checking each against followthemoney's own model.

A line is refused, naming its line and field, when its schema is not in FtM's model (or is
abstract), a property is not one of its schema's, a value is refused by FtM's cleaning, a
required property is missing, or the id is missing or repeats an earlier line's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from fanzha.errors import InvalidInput

__all__ = ["FtmEntity", "check_ftm_entity", "parse_notes"]


@dataclass(frozen=True, slots=True)
class FtmEntity:
    """One FtM entity as read: id, schema name, cleaned property values, its line."""

    id: str
    schema: str
    props: Mapping[str, tuple[str, ...]]
    line: int = 0

    def first(self, prop: str) -> str | None:
        """The first value of ``prop`` (None when it has none)."""
        values = self.props.get(prop, ())
        return values[0] if values else None

    def get(self, prop: str) -> tuple[str, ...]:
        """Every value of ``prop``."""
        return self.props.get(prop, ())


def check_ftm_entity(data: Mapping[str, Any], *, line: int, source: str) -> FtmEntity:
    """``data`` (one parsed JSON line) as an :class:`FtmEntity`, checked by FtM's model.

    Raises:
        InvalidInput: naming ``line`` and the field that is wrong.
    """
    from followthemoney import model

    def refuse(message: str, field: str, value: object = None) -> InvalidInput:
        return InvalidInput(message, field=field, line=line, source=source, value=value)

    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise refuse("missing; every entity needs a string id", "id", entity_id)
    name = data.get("schema")
    schema = model.get(name) if isinstance(name, str) else None
    if schema is None or schema.abstract:
        raise refuse(
            f"{name!r} is not a schema of FollowTheMoney's model (e.g. Person, Payment)",
            "schema",
            name,
        )
    raw = data.get("properties", {})
    if not isinstance(raw, dict):
        raise refuse("must be an object of property lists", "properties")
    props: dict[str, tuple[str, ...]] = {}
    for prop_name, values in raw.items():
        prop = schema.properties.get(prop_name)
        field = f"properties.{prop_name}"
        if prop is None:
            raise refuse(f"{schema.name} has no property {prop_name!r}", field)
        listed = values if isinstance(values, list) else [values]
        cleaned: list[str] = []
        for value in listed:
            if not isinstance(value, str):
                raise refuse(f"a {type(value).__name__}, expected text", field, value)
            clean = prop.type.clean(value)
            if clean is None:
                raise refuse(f"{value!r} is not a valid {prop.type.name}", field, value)
            if clean not in cleaned:
                cleaned.append(clean)
        if cleaned:
            props[prop_name] = tuple(cleaned)
    for required in sorted(schema.required):
        if required not in props:
            raise refuse(f"required by {schema.name} and missing", f"properties.{required}")
    return FtmEntity(entity_id.strip(), schema.name, MappingProxyType(props), line)


def parse_notes(notes: Iterable[str]) -> dict[str, str]:
    """``name=value`` notes (what an export keeps without an FtM property) as a dict; the
    first value of a name wins, notes of another shape are ignored."""
    out: dict[str, str] = {}
    for note in notes:
        name, sep, value = note.partition("=")
        if sep and name and name.replace("_", "").isalnum() and name not in out:
            out[name] = value
    return out
