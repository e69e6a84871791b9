"""Transfer channels: how money moved, and whether it left the traceable banking system.

The canonical channels are :data:`CHANNELS`: ``transfer`` (between accounts: mobile or
online banking, a counter transfer), ``cash`` (ATM or counter withdrawal), ``crypto``
(bought coins, OTC desks, USDT) and ``merchant`` (a POS or online payment to a merchant).
The last three are :data:`EXIT_CHANNELS`: money leaving through them is not followed
further. Ingest maps the spellings of :data:`CHANNEL_ALIASES` (case-insensitive, NFKC;
empty means ``transfer``) and stores the canonical name; the demo city generates canonical
names; the trace reads them from the stored transfers.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

import polars as pl

from fanzha.records._text import fold, folded, trim, trimmed

__all__ = [
    "CHANNELS",
    "CHANNEL_ALIASES",
    "CHANNEL_HINT",
    "CHANNEL_NAMES",
    "DEFAULT_CHANNEL",
    "EXIT_CHANNELS",
    "canonical_channel",
    "canonical_channels",
    "channel_name",
]

CHANNELS: Final = ("transfer", "cash", "crypto", "merchant")
EXIT_CHANNELS: Final = frozenset({"cash", "crypto", "merchant"})
DEFAULT_CHANNEL: Final = "transfer"
#: The Chinese name of each canonical channel, as officers read it in tables and exports.
CHANNEL_NAMES: Final = MappingProxyType(
    {"transfer": "转账", "cash": "取现", "crypto": "数字货币", "merchant": "商户消费"}
)
# The Chinese name of a finer spelling stored before channels were canonical (else the name
# of its canonical channel): what the officer reads in place of ``mobile`` or ``otc``.
_SPELLING_NAMES: Final = {
    "bank": "银行转账",
    "mobile": "手机银行",
    "online": "网银",
    "counter": "柜面",
    "atm": "自助取款机取现",
    "otc": "场外交易",
    "usdt": "虚拟币",
    "pos": "POS 消费",
}
CHANNEL_HINT: Final = "is not a transfer channel; use " + ", ".join(CHANNELS)
_SPELLINGS: Final = {
    "transfer": (
        "transfer",
        "bank",
        "mobile",
        "online",
        "counter",
        "转账",
        "银行",
        "网银",
        "手机银行",
        "柜面",
    ),
    "cash": ("cash", "atm", "取现", "现金"),
    "crypto": ("crypto", "usdt", "otc", "虚拟币"),
    "merchant": ("merchant", "pos", "消费", "商户"),
}
#: Accepted spelling (lower-case) → canonical channel.
CHANNEL_ALIASES: Final = MappingProxyType(
    {spelling: channel for channel, spellings in _SPELLINGS.items() for spelling in spellings}
)


def canonical_channels(text: pl.Expr) -> pl.Expr:
    """Canonical channel names; empty is ``transfer``, an unknown spelling is null."""
    s = trimmed(folded(text)).str.to_lowercase()
    known = s.replace_strict(dict(CHANNEL_ALIASES), default=None, return_dtype=pl.String)
    return pl.when(s.is_null() | (s == "")).then(pl.lit(DEFAULT_CHANNEL)).otherwise(known)


def canonical_channel(raw: str | None) -> str | None:
    """One canonical channel name (see :func:`canonical_channels`); None when unknown."""
    s = "" if raw is None else trim(fold(raw)).lower()
    return DEFAULT_CHANNEL if s == "" else CHANNEL_ALIASES.get(s)


def channel_name(raw: str | None) -> str:
    """The Chinese name of a stored channel (``mobile`` → 手机银行, ``cash`` → 取现, empty →
    转账); a Chinese spelling is its own name; an unknown spelling is shown as stored."""
    s = "" if raw is None else trim(fold(raw)).lower()
    if s in _SPELLING_NAMES:
        return _SPELLING_NAMES[s]
    if s in CHANNEL_NAMES:
        return CHANNEL_NAMES[s]
    if s == "":
        return CHANNEL_NAMES[DEFAULT_CHANNEL]
    return trim(fold(raw or ""))
