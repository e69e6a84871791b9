"""Typed, normalised node ids: ``type:key``, built the same way for a column and for a clue.

Normalisation per type (anything else is refused with the expected form):

- ``phone``: :func:`fanzha.records.clean_phones`, the form ingest stores (national digits,
  ``+CC…`` abroad).
- ``account``: :func:`fanzha.records.clean_accounts` (12–40 digits). ``wallet``: trimmed,
  case kept (crypto addresses are case-sensitive).
- ``person``, ``outlet``: the store's integer id, leading zeros dropped.
- ``device``: IMEI, 14-17 digits. ``sim``: IMSI, 15 digits (an alias of the phone node).
- ``im``: ``platform:handle``, both lower-cased. ``url``: scheme and host lower-cased, a
  missing scheme becomes ``http://``. ``domain``: lower-cased, trailing dot dropped.
- ``ip``: trimmed, lower-cased. ``case``: trimmed, upper-cased.
"""

from __future__ import annotations

import re

import polars as pl

from fanzha.errors import InvalidInput
from fanzha.graph._schema import NODE_TYPES
from fanzha.records import clean_accounts, clean_phones

__all__ = ["guess_node_id", "node_ids", "normalize_keys", "normalize_node_id", "split_node_id"]

SIM_FORM = "sim:<IMSI, 15 digits> (resolves to the phone holding the SIM)"
_FORMS = {t.key: t.form for t in NODE_TYPES} | {"sim": SIM_FORM}
_VALID = {
    "person": r"^[0-9]+$",
    "outlet": r"^[0-9]+$",
    "phone": r"^\+?[0-9]{3,15}$",
    "device": r"^[0-9]{14,17}$",
    "sim": r"^[0-9]{15}$",
    "account": r"^[0-9]{12,40}$",
    "wallet": r"^[0-9A-Za-z]{16,128}$",
    "im": r"^[a-z0-9_]+:\S+$",
    "url": r"^[a-z][a-z0-9+.\-]*://[^\s/?#]+\S*$",
    "domain": r"^[a-z0-9\-_.]+\.[a-z0-9\-]+$",
    "ip": r"^[0-9a-f:.]{2,45}$",
    "case": r"^[0-9A-Z_\-]{3,40}$",
}
_GUESSES = (
    (r"^(?:\+?86|0086)?1[0-9]{10}$", "phone"),
    (r"^46[0-9]{13}$", "sim"),
    (r"^[0-9]{15}$", "device"),
    (r"^[0-9]{16,19}$", "account"),
    (r"^T[1-9A-HJ-NP-Za-km-z]{33}$", "wallet"),
    (r"^(?:https?://|www\.)", "url"),
    (r"^wxid_", "im"),
    (r"^A[0-9]{16}$", "case"),
    (r"^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$", "ip"),
    (r"^[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+$", "domain"),
)


def _clean(kind: str, values: pl.Expr) -> pl.Expr:
    text = values.cast(pl.String).str.strip_chars()
    if kind == "phone":
        return clean_phones(text)
    if kind == "account":
        return clean_accounts(text)
    if kind in ("person", "outlet"):
        return text.str.replace(r"^0+([0-9])", "$1")
    if kind in ("im", "ip"):
        return text.str.to_lowercase()
    if kind == "url":
        schemed = pl.when(text.str.contains("://")).then(text).otherwise(pl.lit("http://") + text)
        head = schemed.str.extract(r"^([^:/?#]+://[^/?#]*)", 1)
        return head.str.to_lowercase() + schemed.str.slice(head.str.len_chars())
    if kind == "domain":
        return text.str.to_lowercase().str.strip_chars_end(".")
    if kind == "case":
        return text.str.to_uppercase()
    return text  # device, sim, wallet: trimmed only


def normalize_keys(kind: str, values: pl.Series) -> pl.Series:
    """The normalised keys of ``values`` for node type ``kind``; null where a value is empty
    or does not fit the type's form."""
    if kind not in _VALID:
        raise InvalidInput(f"unknown node type; known: {', '.join(_FORMS)}", value=kind)
    cleaned = _clean(kind, pl.col("v"))
    frame = pl.DataFrame({"v": values.cast(pl.String)})
    return frame.select(
        pl.when(cleaned.str.contains(_VALID[kind])).then(cleaned).alias(values.name)
    ).to_series()


def node_ids(kind: str, values: pl.Series) -> pl.Series:
    """``kind:key`` ids of ``values`` (see :func:`normalize_keys`); null where invalid."""
    keys = normalize_keys(kind, values)
    return pl.select(pl.concat_str(pl.lit(f"{kind}:"), keys).alias("id")).to_series()


def split_node_id(node_id: str) -> tuple[str, str]:
    """``(type, raw key)`` of a ``type:key`` id; raises ``InvalidInput`` without a known type."""
    kind, sep, key = node_id.strip().partition(":")
    if not sep or kind not in _FORMS:
        forms = "; ".join(f"{name}: {form}" for name, form in _FORMS.items())
        raise InvalidInput(
            f"{node_id!r} is not a typed node id; expected one of {forms}",
            field="id",
            value=node_id,
        )
    return kind, key


def normalize_node_id(node_id: str) -> str:
    """The normalised form of a ``type:key`` id; raises ``InvalidInput`` naming the form."""
    kind, key = split_node_id(node_id)
    cleaned = normalize_keys(kind, pl.Series([key])).item()
    if cleaned is None:
        raise InvalidInput(
            f"{node_id!r} does not fit the form {_FORMS[kind]}", field="id", value=node_id
        )
    return f"{kind}:{cleaned}"


def guess_node_id(clue: str) -> str:
    """A typed id for a clue: kept when already typed, else guessed from its shape
    (11-digit mobile → phone, 15 digits from 46 → sim, 15 digits → device, 16-19 → account,
    URL, ``wxid_`` → WeChat, ``A`` + 16 digits → case, dotted quad → ip, host → domain)."""
    text = clue.strip()
    kind = text.partition(":")[0]
    if ":" in text and kind in _FORMS:
        return normalize_node_id(text)
    for pattern, guess in _GUESSES:
        if re.search(pattern, text):
            return normalize_node_id(
                f"{guess}:wechat:{text}" if guess == "im" else f"{guess}:{text}"
            )
    forms = "; ".join(f"{name}: {form}" for name, form in _FORMS.items())
    raise InvalidInput(
        f"cannot tell what {clue!r} is; write it as a typed id, one of {forms}",
        field="id",
        value=clue,
    )
