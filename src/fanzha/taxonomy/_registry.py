"""The taxonomy shipped with fanzha, loaded once from ``taxonomy/data/*.yaml``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from fanzha.errors import InvalidInput, NotFound
from fanzha.taxonomy._loader import read_fraud_types, read_label_maps, read_rules
from fanzha.taxonomy._model import FraudType, Rule

__all__ = [
    "DATA_DIR",
    "fraud_type",
    "fraud_types",
    "get_fraud_type",
    "label_maps",
    "map_label",
    "rule",
    "rules",
]

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True, slots=True)
class _Taxonomy:
    fraud_types: tuple[FraudType, ...]
    by_code: Mapping[str, FraudType]
    rules: tuple[Rule, ...]
    by_id: Mapping[str, Rule]
    label_maps: Mapping[str, Mapping[str, str]]


def _read_all_rules(codes: frozenset[str]) -> tuple[Rule, ...]:
    result: list[Rule] = []
    origin: dict[str, str] = {}
    for path in sorted(DATA_DIR.glob("rules*.yaml")):
        for item in read_rules(path, fraud_type_codes=codes):
            if item.id in origin:
                raise InvalidInput(
                    f"rule id {item.id!r} is already defined in {origin[item.id]}; "
                    "rule ids must be unique across files",
                    source=path.name,
                    field="id",
                    value=item.id,
                )
            origin[item.id] = path.name
            result.append(item)
    return tuple(result)


@cache
def _taxonomy() -> _Taxonomy:
    types = read_fraud_types(DATA_DIR / "fraud_types.yaml")
    codes = frozenset(t.code for t in types)
    all_rules = _read_all_rules(codes)
    return _Taxonomy(
        fraud_types=types,
        by_code=MappingProxyType({t.code: t for t in types}),
        rules=all_rules,
        by_id=MappingProxyType({r.id: r for r in all_rules}),
        label_maps=read_label_maps(DATA_DIR / "label_map.yaml", fraud_type_codes=codes),
    )


def fraud_types() -> tuple[FraudType, ...]:
    """Return every fraud type (fraud, illegal, advertising and normal classes)."""
    return _taxonomy().fraud_types


def get_fraud_type(code: str) -> FraudType | None:
    """Return the fraud type with this code, or None."""
    return _taxonomy().by_code.get(code)


def fraud_type(code: str) -> FraudType:
    """Return the fraud type with this code; raises ``NotFound`` for an unknown code."""
    found = get_fraud_type(code)
    if found is None:
        known = ", ".join(_taxonomy().by_code)
        raise NotFound(f"fraud type {code!r} does not exist; known codes: {known}")
    return found


def rules() -> tuple[Rule, ...]:
    """Return every rule (text, phone and URL) in file order."""
    return _taxonomy().rules


def rule(rule_id: str) -> Rule:
    """Return the rule with this id; raises ``NotFound`` for an unknown id."""
    found = _taxonomy().by_id.get(rule_id)
    if found is None:
        raise NotFound(f"rule {rule_id!r} does not exist; list the ids with taxonomy.rules()")
    return found


def label_maps() -> Mapping[str, Mapping[str, str]]:
    """Return data set → (data set label → taxonomy code) for the public training sets."""
    return _taxonomy().label_maps


def map_label(dataset: str, label: str) -> str:
    """Return the taxonomy code for ``label`` of ``dataset``.

    Raises ``InvalidInput`` for an unknown data set or label.
    """
    maps = _taxonomy().label_maps
    if dataset not in maps:
        raise InvalidInput(
            f"unknown data set {dataset!r}; known: {', '.join(maps)}",
            field="dataset",
            value=dataset,
        )
    code = maps[dataset].get(label)
    if code is None:
        raise InvalidInput(
            f"label {label!r} is not in the label map of {dataset!r}; "
            f"known: {', '.join(maps[dataset])}; add it to taxonomy/data/label_map.yaml",
            field="label",
            value=label,
        )
    return code
