"""Phone numbers: one rule set, applied to a polars column or to one string.

A number is NFKC-folded (full-width ``１３８`` → ``138``, ``＋`` → ``+``), then spaces, dashes,
dots and brackets are dropped. Then the first matching prefix rule of :data:`PREFIX_RULES`
applies: ``+86`` and ``0086`` are dropped, so is a bare ``86`` before an 11-digit mobile
number (national form ``13800138000``), and another international prefix ``00`` becomes
``+`` (``0063…`` → ``+63…``). What remains must be 3–15 digits, or ``+`` and 7–15 digits for
a foreign number, and must not still start with a prefix rule's prefix (``+86+86…``): then
normalising a normalised number changes nothing. Anything else (letters, ``*``) is not a
phone number.

:func:`e164_phone` writes a number in E.164 (``+8613812345678``) where ``phonenumbers``
reads it as a valid number (national form taken as Chinese), as FollowTheMoney's phone
type and other international tools want it; anything else (service numbers such as
``10086``, unallocated segments) has no E.164 form and gives None.

Kinds by shape: ``mobile`` (11 digits from 1), ``fixed`` (trunk 0), ``hotline`` (400/800 and
7 digits), ``overseas`` (``+`` country code), else ``service`` (95xxx, 10086, 106 ports …).

:func:`clean_phones` (a column) and :func:`clean_phone` (one string) read the same rule
table and patterns; :func:`phone_characters` splits raw text into the kept characters, their
positions and whether anything but a separator was seen, for checks that point back into
the raw text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import phonenumbers
import polars as pl

from fanzha.errors import InvalidInput
from fanzha.records._text import BLANK, fold, folded

__all__ = [
    "PHONE_HINT",
    "PREFIX_RULES",
    "PhoneCharacters",
    "PrefixRule",
    "clean_phone",
    "clean_phones",
    "e164_phone",
    "normalize_phone",
    "phone_characters",
    "phone_kind",
    "phone_kinds",
]

#: What a phone number looks like, for error messages.
PHONE_HINT = "is not a phone number; write digits, e.g. 13800138000 or +8613800138000"
_SEPARATOR: Final = rf"(?:{BLANK}|[\-().])"
_VALID: Final = r"^(\+[1-9][0-9]{6,14}|[0-9]{3,15})$"


@dataclass(frozen=True, slots=True)
class PrefixRule:
    """Where ``pattern`` matches, drop the first ``drop`` characters and put ``prefix`` first."""

    pattern: str
    drop: int
    prefix: str = ""


#: Applied in order, the first match only, after separators are dropped.
PREFIX_RULES: Final = (
    PrefixRule(r"^\+86", 3),
    PrefixRule(r"^0086", 4),
    PrefixRule(r"^861[0-9]{10}$", 2),
    PrefixRule(r"^00", 2, "+"),
)
#: (kind, pattern) in order; the first match names the kind, else ``service``.
_KINDS: Final = (
    ("overseas", r"^\+"),
    ("mobile", r"^1[0-9]{10}$"),
    ("fixed", r"^0"),
    ("hotline", r"^[48]00[0-9]{7}$"),
)
_DEFAULT_KIND: Final = "service"
_SEPARATOR_RE: Final = re.compile(_SEPARATOR)
_VALID_RE: Final = re.compile(_VALID)
_RULE_RES: Final = tuple((re.compile(rule.pattern), rule) for rule in PREFIX_RULES)
_KIND_RES: Final = tuple((re.compile(pattern), kind) for kind, pattern in _KINDS)


def clean_phones(text: pl.Expr) -> pl.Expr:
    """Phone numbers in national form (or ``+CC…`` abroad); null where not a number."""
    s = folded(text).str.replace_all(_SEPARATOR, "")
    national = s
    for rule in reversed(PREFIX_RULES):
        applied = pl.lit(rule.prefix) + s.str.slice(rule.drop)
        national = pl.when(s.str.contains(rule.pattern)).then(applied).otherwise(national)
    prefixed = pl.any_horizontal([national.str.contains(r.pattern) for r in PREFIX_RULES])
    return pl.when(national.str.contains(_VALID) & ~prefixed).then(national)


def clean_phone(raw: str) -> str | None:
    """One phone number in national form (or ``+CC…``); None where not a number."""
    s = _SEPARATOR_RE.sub("", fold(raw))
    national = s
    for pattern, rule in _RULE_RES:
        if pattern.search(s):
            national = rule.prefix + s[rule.drop :]
            break
    if not _VALID_RE.search(national) or any(p.search(national) for p, _ in _RULE_RES):
        return None
    return national


def normalize_phone(raw: str, *, field: str = "phone") -> str:
    """One phone number in national form; raises :class:`InvalidInput` where not a number."""
    number = clean_phone(raw) if isinstance(raw, str) else None
    if number is None:
        raise InvalidInput(f"{raw!r} {PHONE_HINT}", field=field, value=raw)
    return number


@lru_cache(maxsize=65_536)
def e164_phone(raw: str) -> str | None:
    """One phone number in E.164 (``+8613812345678``); None where it is not a number or
    ``phonenumbers`` does not take it for a valid one (national form is read as Chinese)."""
    number = clean_phone(raw) if isinstance(raw, str) else None
    if number is None:
        return None
    try:
        parsed = phonenumbers.parse(number, None if number.startswith("+") else "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def phone_kinds(number: pl.Expr) -> pl.Expr:
    """The kind of normalised numbers: mobile, fixed, hotline, overseas, service."""
    kinds = pl.lit(_DEFAULT_KIND)
    for kind, pattern in reversed(_KINDS):
        kinds = pl.when(number.str.contains(pattern)).then(pl.lit(kind)).otherwise(kinds)
    return kinds


def phone_kind(number: str) -> str:
    """The kind of one normalised number (see :func:`phone_kinds`)."""
    return next((kind for pattern, kind in _KIND_RES if pattern.search(number)), _DEFAULT_KIND)


@dataclass(frozen=True, slots=True)
class PhoneCharacters:
    """The ``+`` and ASCII digits of raw text, where each stood, and whether junk was seen."""

    kept: str
    positions: tuple[int, ...]
    junk: bool


def phone_characters(raw: str) -> PhoneCharacters:
    """Split ``raw`` character by character: kept (``+``, digits), separators, junk.

    Each character is NFKC-folded on its own; separators are those :func:`clean_phone`
    drops, so a number :func:`clean_phone` accepts has no junk.
    """
    kept: list[str] = []
    positions: list[int] = []
    junk = False
    for index, char in enumerate(raw):
        char_folded = fold(char)
        if char_folded == "+" or (len(char_folded) == 1 and "0" <= char_folded <= "9"):
            kept.append(char_folded)
            positions.append(index)
        elif not char_folded or _SEPARATOR_RE.sub("", char_folded):
            junk = True
    return PhoneCharacters("".join(kept), tuple(positions), junk)
