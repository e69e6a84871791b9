"""追逃: the wanted list's identifiers matched against newly arrived records, vectorised.

A fugitive (在逃人员 / 网逃) is found through what they use: phone numbers, IMSIs, IMEIs, bank
cards, IM accounts and their ID number. Each identifier is cleaned by the rule of its
concept (:mod:`fanzha.records`, the IMEI/IMSI rules of :mod:`fanzha.ingest`) and keyed as
``kind:value`` (``phone:13800138000``); a record's identifiers are keyed the same way, so
one polars join finds every hit of a batch (no loop over rows). A shell may key both sides
by stored row ids instead (``phones#17``), which lets it match an import by the ids it
wrote. Hits are summarised per fugitive, identifier and record kind (first record, count,
first and last time) and deduplicated against hits already recorded, so the same record
never hits twice; each fugitive with new hits yields one urgent clue draft.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

import polars as pl

from fanzha.errors import InvalidInput
from fanzha.ingest import clean_imeis, clean_imsis
from fanzha.records import clean_accounts, clean_id_numbers, clean_phones

__all__ = [
    "HIT_COLUMNS",
    "IDENTIFIER_KINDS",
    "RECORD_KIND_LABELS",
    "URGENT_CLUE_HOURS",
    "HitClue",
    "clean_identifiers",
    "hit_clues",
    "match_wanted",
    "new_hits",
    "record_identifiers",
]

IDENTIFIER_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "phone": "手机号",
        "imsi": "IMSI",
        "imei": "IMEI",
        "card": "银行卡",
        "im": "即时通讯账号",
        "id_number": "身份证号",
    }
)
RECORD_KIND_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "call": "话单",
        "transfer": "资金流水",
        "card": "开户登记",
        "device": "设备日志",
        "event": "预警事件",
    }
)
#: A fugitive-hit clue must be worked within this many hours (线索不过夜, urgent).
URGENT_CLUE_HOURS = 2
#: Columns of a summarised hit, in order.
HIT_COLUMNS = (
    "fugitive_id",
    "kind",
    "value",
    "record_kind",
    "record_id",
    "role",
    "records",
    "first_at",
    "last_at",
)
_HINTS: Mapping[str, str] = MappingProxyType(
    {
        "phone": "a phone number",
        "imsi": "an IMSI of 14–15 digits",
        "imei": "an IMEI of 14–16 digits",
        "card": "a bank card or account of 12–40 digits",
        "im": "an IM account written platform:handle, e.g. wechat:abc123",
        "id_number": "a resident ID number",
    }
)


def _clean_im(text: pl.Expr) -> pl.Expr:
    s = text.str.strip_chars().str.to_lowercase()
    return pl.when(s.str.contains(r"^[a-z]{2,16}:@?[0-9a-z_\-.]{2,64}$")).then(s)


def _cleaned(kind: pl.Expr, value: pl.Expr) -> pl.Expr:
    text = value.cast(pl.String)
    return (
        pl.when(kind == "phone")
        .then(clean_phones(text))
        .when(kind == "imsi")
        .then(clean_imsis(text))
        .when(kind == "imei")
        .then(clean_imeis(text))
        .when(kind == "card")
        .then(clean_accounts(text))
        .when(kind == "id_number")
        .then(clean_id_numbers(text))
        .when(kind == "im")
        .then(_clean_im(text))
    )


def clean_identifiers(identifiers: pl.DataFrame) -> pl.DataFrame:
    """Clean a wanted list's identifiers (``fugitive_id``, ``kind``, ``value``) and add
    ``key`` (``kind:value``); repeated identifiers of one fugitive are kept once.

    Raises:
        InvalidInput: an unknown kind or a value that is not of its kind (the first one is
            named, with its row and the form expected).
    """
    if identifiers.height == 0:
        return identifiers.with_columns(key=pl.lit(None, dtype=pl.String))
    unknown = identifiers.filter(~pl.col("kind").is_in(list(IDENTIFIER_KINDS)))
    if unknown.height:
        raise InvalidInput(
            f"unknown identifier kind {unknown.item(0, 'kind')!r}; known: "
            + ", ".join(IDENTIFIER_KINDS),
            field="kind",
            value=unknown.item(0, "kind"),
        )
    cleaned = identifiers.with_row_index("_row").with_columns(
        clean=_cleaned(pl.col("kind"), pl.col("value"))
    )
    bad = cleaned.filter(pl.col("clean").is_null())
    if bad.height:
        kind = bad.item(0, "kind")
        raise InvalidInput(
            f"{bad.item(0, 'value')!r} is not {_HINTS[kind]}",
            field=f"identifiers[{bad.item(0, '_row')}].{kind}",
            value=bad.item(0, "value"),
        )
    return (
        cleaned.with_columns(value=pl.col("clean"))
        .drop("clean", "_row")
        .unique(["fugitive_id", "kind", "value"], keep="first", maintain_order=True)
        .with_columns(key=pl.col("kind") + ":" + pl.col("value"))
    )


def record_identifiers(
    records: pl.DataFrame,
    *,
    record_kind: str,
    columns: Mapping[str, str],
    id_column: str = "id",
    time_column: str | None = None,
    key_prefix: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """The identifiers a batch of records carries, long: ``record_kind``, ``record_id``,
    ``at``, ``role`` (the source column), ``key``.

    ``columns`` maps a record column to its identifier kind (``{"caller": "phone",
    "callee": "phone"}``); values are used as they are (records arrive cleaned). With
    ``key_prefix`` a column is keyed by that prefix instead of its kind (``{"caller_id":
    "phones#"}`` for stored row ids). Null cells carry no identifier.
    """
    prefixes = key_prefix or {}
    at = (
        pl.col(time_column).cast(pl.Datetime("us", "UTC"))
        if time_column
        else pl.lit(None, dtype=pl.Datetime("us", "UTC"))
    )
    parts = [
        records.select(
            record_kind=pl.lit(record_kind),
            record_id=pl.col(id_column).cast(pl.Int64),
            at=at,
            role=pl.lit(column),
            key=pl.lit(prefixes.get(column, f"{kind}:")) + pl.col(column).cast(pl.String),
        ).filter(pl.col("key").is_not_null())
        for column, kind in columns.items()
    ]
    if not parts:
        raise InvalidInput("name at least one identifier column", field="columns")
    return pl.concat(parts)


def match_wanted(records: pl.DataFrame, wanted: pl.DataFrame) -> pl.DataFrame:
    """Hits of ``records`` (from :func:`record_identifiers`) on ``wanted`` (``fugitive_id``,
    ``kind``, ``value``, ``key``), summarised: one row per fugitive, identifier and record
    kind with the first record (lowest id), the number of records and the first and last
    time, in :data:`HIT_COLUMNS` order, sorted by fugitive."""
    wanted_keys = wanted.select("fugitive_id", "kind", "value", "key")
    # A semi-join first: the few records that carry a wanted key, before the wide join.
    keys = wanted_keys.get_column("key").unique().implode()
    found = records.filter(pl.col("key").is_in(keys))
    joined = found.join(wanted_keys, on="key", how="inner")
    return (
        joined.sort("record_id")
        .group_by(["fugitive_id", "kind", "value", "record_kind"], maintain_order=True)
        .agg(
            record_id=pl.col("record_id").first(),
            role=pl.col("role").first(),
            records=pl.len().cast(pl.Int64),
            first_at=pl.col("at").min(),
            last_at=pl.col("at").max(),
        )
        .select(HIT_COLUMNS)
        .sort(["fugitive_id", "kind", "value", "record_kind"])
    )


def new_hits(hits: pl.DataFrame, seen: pl.DataFrame) -> pl.DataFrame:
    """The hits not yet recorded: ``seen`` has ``fugitive_id``, ``record_kind`` and
    ``record_id`` of recorded hits (a record already hit never hits again)."""
    if seen.height == 0:
        return hits
    on = ["fugitive_id", "record_kind", "record_id"]
    return hits.join(
        seen.select(
            pl.col("fugitive_id").cast(pl.Int64),
            pl.col("record_kind").cast(pl.String),
            pl.col("record_id").cast(pl.Int64),
        ).unique(),
        on=on,
        how="anti",
    )


@dataclass(frozen=True, slots=True)
class HitClue:
    """The urgent clue one fugitive's new hits make: for whom, which team, by when, and the
    evidence (the hits as JSON-ready dicts)."""

    fugitive_id: int
    title: str
    summary: str
    district: str | None
    due_at: datetime
    hits: tuple[Mapping[str, Any], ...]


def _describe(hit: Mapping[str, Any]) -> str:
    kind = IDENTIFIER_KINDS.get(hit["kind"], hit["kind"])
    record = RECORD_KIND_LABELS.get(hit["record_kind"], hit["record_kind"])
    return f"{kind}出现在{hit['records']}条新{record}中"


def hit_clues(
    hits: pl.DataFrame,
    fugitives: Mapping[int, Mapping[str, Any]],
    *,
    now: datetime,
    hours: int = URGENT_CLUE_HOURS,
) -> list[HitClue]:
    """One urgent clue per fugitive with new ``hits``; ``fugitives`` maps an id to its
    ``name`` (shown masked by the shell when needed) and owning ``district`` (None: the city
    team). The identifier values stay in the evidence, never in the title."""
    if now.tzinfo is None:
        raise InvalidInput("a timezone-aware time is required", field="now", value=now)
    out = []
    for (fugitive_id,), group in hits.group_by(["fugitive_id"], maintain_order=True):
        rows = tuple(group.to_dicts())
        info = fugitives.get(int(fugitive_id), {})
        found = "；".join(_describe(r) for r in rows)
        out.append(
            HitClue(
                fugitive_id=int(fugitive_id),
                title=f"在逃人员比中：{info.get('wanted_no') or fugitive_id}号在逃人员",
                summary=f"在逃人员的{found}，请立即研判落地（线索不过夜）",
                district=info.get("district"),
                due_at=now + timedelta(hours=hours),
                hits=rows,
            )
        )
    return sorted(out, key=lambda c: c.fugitive_id)
