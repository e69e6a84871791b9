"""Read and validate the taxonomy's YAML files (fraud types, rules, label maps).

Each reader takes a path and raises :class:`~fanzha.errors.InvalidInput` naming the
file, the line, the field (``rules[3].weight``) and what to write instead.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from fanzha.errors import InvalidInput, NotFound
from fanzha.taxonomy._model import CATEGORIES, RULE_KINDS, FraudType, Rule

__all__ = [
    "read_fraud_types",
    "read_label_maps",
    "read_rules",
]

_FRAUD_TYPE_KEYS = frozenset({"code", "name", "category", "description", "advice", "aliases"})
_RULE_KEYS = frozenset({"id", "name", "kind", "group", "explanation", "advice", "weight"})
_RULE_KEYS_OPTIONAL = frozenset({"fraud_type"})
_TEXT_KEYS = frozenset({"any_of", "none_of", "window"})

Fail = Callable[..., InvalidInput]


class _Document:
    """A parsed YAML file plus the line of every list item and field, for messages."""

    def __init__(self, path: Path, top_key: str) -> None:
        self.source = path.name
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise NotFound(f"{path}: file not found") from exc
        try:
            data = yaml.safe_load(text)
            self._root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise InvalidInput(
                f"not valid YAML ({getattr(exc, 'problem', exc)}); fix the syntax",
                source=self.source,
                line=mark.line + 1 if mark is not None else None,
            ) from exc
        self.top_key = top_key
        if not isinstance(data, dict) or top_key not in data:
            raise InvalidInput(
                f"expected a mapping with the key {top_key!r} at the top",
                source=self.source,
                field=top_key,
                line=1,
            )
        if set(data) != {top_key}:
            extra = sorted(set(data) - {top_key})
            raise InvalidInput(
                f"unknown top-level keys {extra}; only {top_key!r} is read",
                source=self.source,
                field=top_key,
                line=1,
            )
        self.body: object = data[top_key]

    def _item_node(self, index: int | str) -> yaml.Node | None:
        root = self._root
        if not isinstance(root, yaml.MappingNode):
            return None
        for key, value in root.value:
            if key.value != self.top_key:
                continue
            if isinstance(value, yaml.SequenceNode) and isinstance(index, int):
                return value.value[index] if index < len(value.value) else None
            if isinstance(value, yaml.MappingNode):
                for item_key, item_value in value.value:
                    if item_key.value == index:
                        return item_value  # type: ignore[no-any-return]
        return None

    def line(self, index: int | str, key: str | None = None) -> int | None:
        """Return the 1-based line of item ``index`` (and of its field ``key``)."""
        node = self._item_node(index)
        if node is None:
            return None
        if key is not None and isinstance(node, yaml.MappingNode):
            name, _, position = key.partition("[")
            for item_key, item_value in node.value:
                if item_key.value == name:
                    if position and isinstance(item_value, yaml.SequenceNode):
                        element = int(position.rstrip("]"))
                        if element < len(item_value.value):
                            return int(item_value.value[element].start_mark.line) + 1
                    return int(item_value.start_mark.line) + 1
        return int(node.start_mark.line) + 1

    def failer(self, index: int | str, label: str) -> Fail:
        """Return a function building the error for a field of item ``index``."""

        def fail(message: str, key: str | None = None, value: object = None) -> InvalidInput:
            name = label if key is None else f"{label}.{key}"
            return InvalidInput(
                message, source=self.source, line=self.line(index, key), field=name, value=value
            )

        return fail

    def items(self) -> list[object]:
        """Return the top-level list, or raise if it is not a non-empty list."""
        if not isinstance(self.body, list) or not self.body:
            raise InvalidInput(
                "expected a non-empty list", source=self.source, field=self.top_key, line=1
            )
        return self.body


def _text(item: Mapping[str, Any], key: str, fail: Fail, *, chinese: bool = False) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail("missing or empty; write a non-empty string", key, value)
    if chinese and not any("\u4e00" <= char <= "\u9fff" for char in value):
        raise fail(f"{value!r} has no Chinese; end-user text is in Simplified Chinese", key, value)
    return value.strip()


def _strings(value: object, key: str, fail: Fail) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail("expected a list of non-empty strings", key, value)
    return tuple(v.strip() for v in value)


def _mapping(item: object, fail: Fail) -> Mapping[str, Any]:
    if not isinstance(item, dict):
        raise fail(f"expected a mapping, got {type(item).__name__}", None, item)
    return item


def _check_keys(item: Mapping[str, Any], allowed: frozenset[str], fail: Fail) -> None:
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise fail(f"unknown keys {unknown}; allowed: {sorted(allowed)}", unknown[0], None)


def read_fraud_types(path: Path) -> tuple[FraudType, ...]:
    """Read a fraud-types file; returns the types in file order.

    Raises ``InvalidInput`` for a missing or malformed field or a duplicate code.
    """
    doc = _Document(path, "fraud_types")
    result: list[FraudType] = []
    seen: set[str] = set()
    for index, raw in enumerate(doc.items()):
        fail = doc.failer(index, f"fraud_types[{index}]")
        item = _mapping(raw, fail)
        _check_keys(item, _FRAUD_TYPE_KEYS, fail)
        code = _text(item, "code", fail)
        if code in seen:
            raise fail(f"duplicate code {code!r}; codes must be unique", "code", code)
        seen.add(code)
        category = _text(item, "category", fail)
        if category not in CATEGORIES:
            raise fail(f"{category!r} is not one of {list(CATEGORIES)}", "category", category)
        result.append(
            FraudType(
                code=code,
                name=_text(item, "name", fail, chinese=True),
                category=category,
                description=_text(item, "description", fail, chinese=True),
                advice=_text(item, "advice", fail, chinese=True),
                aliases=_strings(item.get("aliases"), "aliases", fail),
            )
        )
    return tuple(result)


def _keyword(word: str, key: str, fail: Fail) -> str:
    normal = unicodedata.normalize("NFKC", word).lower()
    if normal != word:
        raise fail(
            f"keyword {word!r} is not normalised; write it as {normal!r} "
            "(half-width, lower-case ASCII)",
            key,
            word,
        )
    return word


def _patterns(
    item: Mapping[str, Any], fail: Fail
) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...], int | None]:
    raw_groups = item.get("any_of")
    if not isinstance(raw_groups, list) or not raw_groups:
        raise fail("a text rule needs a non-empty list of keyword groups", "any_of", raw_groups)
    groups: list[tuple[str, ...]] = []
    seen: dict[str, int] = {}
    for g, raw in enumerate(raw_groups):
        words = _strings(raw, f"any_of[{g}]", fail)
        if not words:
            raise fail("empty keyword group; remove it or add keywords", f"any_of[{g}]", raw)
        for word in words:
            _keyword(word, f"any_of[{g}]", fail)
            if seen.get(word, g) != g:
                raise fail(
                    f"keyword {word!r} is in groups {seen[word]} and {g}; keep it in one group",
                    f"any_of[{g}]",
                    word,
                )
            seen[word] = g
        groups.append(words)
    none_of = _strings(item.get("none_of"), "none_of", fail)
    for word in none_of:
        _keyword(word, "none_of", fail)
        if word in seen:
            raise fail(f"keyword {word!r} is both required and vetoed", "none_of", word)
    window = item.get("window")
    if window is not None and (isinstance(window, bool) or not isinstance(window, int)):
        raise fail("expected a whole number of characters or null", "window", window)
    if window is not None and window <= 0:
        raise fail("must be a positive number of characters", "window", window)
    return tuple(groups), none_of, window


def _weight(item: Mapping[str, Any], fail: Fail) -> float:
    weight = item.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 1:
        raise fail("expected a number from 0 to 1", "weight", weight)
    return float(weight)


def read_rules(path: Path, *, fraud_type_codes: Collection[str] | None = None) -> tuple[Rule, ...]:
    """Read a rules file; returns the rules in file order.

    Text rules must have ``any_of``; phone and URL rules keep any extra keys in
    ``Rule.params``. With ``fraud_type_codes``, each ``fraud_type`` must be one of
    them. Raises ``InvalidInput`` for a malformed field or a duplicate id.
    """
    doc = _Document(path, "rules")
    result: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(doc.items()):
        fail = doc.failer(index, f"rules[{index}]")
        item = _mapping(raw, fail)
        missing = sorted(_RULE_KEYS - set(item))
        if missing:
            raise fail(f"missing {missing}; every rule needs {sorted(_RULE_KEYS)}", missing[0])
        rule_id = _text(item, "id", fail)
        if rule_id in seen:
            raise fail(f"duplicate id {rule_id!r}; rule ids must be unique", "id", rule_id)
        seen.add(rule_id)
        kind = _text(item, "kind", fail)
        if kind not in RULE_KINDS:
            raise fail(f"{kind!r} is not one of {list(RULE_KINDS)}", "kind", kind)
        fraud_type = item.get("fraud_type")
        if fraud_type is not None:
            fraud_type = _text(item, "fraud_type", fail)
            if fraud_type_codes is not None and fraud_type not in fraud_type_codes:
                raise fail(
                    f"unknown fraud type {fraud_type!r}; use a code from fraud_types.yaml or null",
                    "fraud_type",
                    fraud_type,
                )
        base = _RULE_KEYS | _RULE_KEYS_OPTIONAL
        params: Mapping[str, Any] = MappingProxyType({})
        if kind == "text":
            _check_keys(item, base | _TEXT_KEYS, fail)
            any_of, none_of, window = _patterns(item, fail)
        else:
            patterns = sorted(_TEXT_KEYS & set(item))
            if patterns:
                raise fail(f"a {kind} rule has no text patterns; remove {patterns}", patterns[0])
            any_of, none_of, window = (), (), None
            params = MappingProxyType({k: v for k, v in item.items() if k not in base})
        result.append(
            Rule(
                id=rule_id,
                name=_text(item, "name", fail, chinese=True),
                kind=kind,
                group=_text(item, "group", fail),
                explanation=_text(item, "explanation", fail, chinese=True),
                advice=_text(item, "advice", fail, chinese=True),
                fraud_type=fraud_type,
                weight=_weight(item, fail),
                any_of=any_of,
                none_of=none_of,
                window=window,
                params=params,
            )
        )
    return tuple(result)


def read_label_maps(
    path: Path, *, fraud_type_codes: Collection[str] | None = None
) -> Mapping[str, Mapping[str, str]]:
    """Read a label-map file: data set → (data set label → taxonomy code).

    Returns read-only mappings. Raises ``InvalidInput`` for a malformed entry or,
    with ``fraud_type_codes``, a code the taxonomy does not have.
    """
    doc = _Document(path, "label_maps")
    if not isinstance(doc.body, dict) or not doc.body:
        raise InvalidInput(
            "expected a mapping of data set name → labels", source=doc.source, field="label_maps"
        )
    result: dict[str, Mapping[str, str]] = {}
    for dataset, labels in doc.body.items():
        fail = doc.failer(str(dataset), f"label_maps.{dataset}")
        if not isinstance(labels, dict) or not labels:
            raise fail("expected a mapping of data set label → taxonomy code", None, labels)
        mapping: dict[str, str] = {}
        for label, code in labels.items():
            if not isinstance(code, str) or (
                fraud_type_codes is not None and code not in fraud_type_codes
            ):
                raise fail(
                    f"{code!r} is not a taxonomy code; use a code from fraud_types.yaml",
                    str(label),
                    code,
                )
            mapping[str(label)] = code
        result[str(dataset)] = MappingProxyType(mapping)
    return MappingProxyType(result)
