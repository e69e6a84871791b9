"""Bank accounts: NFKC-folded, spaces and dashes dropped; 12–40 digits remain.

12–19 digits is a personal card, 20–40 a corporate account. :func:`clean_accounts` (a
column) and :func:`clean_account` (one string) read the same patterns.
"""

from __future__ import annotations

import re
from typing import Final

import polars as pl

from fanzha.records._text import BLANK, fold, folded

__all__ = [
    "ACCOUNT_HINT",
    "account_kind",
    "account_kinds",
    "clean_account",
    "clean_accounts",
]

#: What an account number looks like, for error messages.
ACCOUNT_HINT = "is not a bank account number; write its 12–40 digits"
_SEPARATOR: Final = rf"(?:{BLANK}|-)"
_VALID: Final = r"^[0-9]{12,40}$"
_MAX_CARD_DIGITS: Final = 19
_SEPARATOR_RE: Final = re.compile(_SEPARATOR)
_VALID_RE: Final = re.compile(_VALID)


def clean_accounts(text: pl.Expr) -> pl.Expr:
    """Bank account numbers as digits (12–40 of them); null where not an account number."""
    s = folded(text).str.replace_all(_SEPARATOR, "")
    return pl.when(s.str.contains(_VALID)).then(s)


def clean_account(raw: str) -> str | None:
    """One bank account number as digits; None where not an account number."""
    s = _SEPARATOR_RE.sub("", fold(raw))
    return s if _VALID_RE.search(s) else None


def account_kinds(account: pl.Expr) -> pl.Expr:
    """``personal`` for 12–19 digits (a card), ``corporate`` for longer account numbers."""
    return (
        pl.when(account.str.len_chars() <= _MAX_CARD_DIGITS)
        .then(pl.lit("personal"))
        .otherwise(pl.lit("corporate"))
    )


def account_kind(account: str) -> str:
    """The kind of one clean account number (see :func:`account_kinds`)."""
    return "personal" if len(account) <= _MAX_CARD_DIGITS else "corporate"
