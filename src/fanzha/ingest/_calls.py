"""Call records (CDRs): ``caller, callee, started_at[, duration_s, kind]`` → ``calls``.

Numbers not yet in ``phones`` are created there (``kind`` from the number's shape). A call
from a number to itself is dropped and counted; a row repeated exactly (same numbers, start,
duration and kind) is stored once and counted; a call already in the store (the same five
values) is skipped and counted, so importing a file twice stores it once. Rows are stored
in time order whatever their order in the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import polars as pl

from fanzha.ingest._normalize import (
    canonical_values,
    parse_durations,
)
from fanzha.ingest._plan import (
    UTC_TIME,
    IngestOptions,
    LookupFn,
    Plan,
    assign_ids,
    attach_ids,
    fetch_ids,
    numbered,
    without_stored,
)
from fanzha.ingest._rows import ROW, RowErrors, raw, times, with_text
from fanzha.records import PHONE_HINT, clean_phones, phone_kinds

__all__ = ["CALL_KINDS", "phone_ids", "plan_calls"]

CALL_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "call": "call",
        "voice": "call",
        "通话": "call",
        "语音": "call",
        "电话": "call",
        "sms": "sms",
        "短信": "sms",
        "message": "sms",
        "信息": "sms",
    }
)
_CALL_KEY = ("caller_id", "callee_id", "started_at", "duration_s", "kind")


def phone_ids(
    numbers: pl.Series,
    lookup: LookupFn,
    start: int,
    columns: Mapping[str, pl.DataType] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """``(mapping number → id, new phones rows, stored rows)`` for normalised ``numbers``.

    ``stored`` has ``number``, ``id`` and the extra ``columns`` asked for.
    """
    stored = fetch_ids(lookup, "phones", "number", numbers, columns)
    mapping, new = assign_ids(numbers, stored, key="number", start=start)
    return mapping, new.with_columns(kind=phone_kinds(pl.col("number"))), stored


def plan_calls(
    work: pl.DataFrame,
    errors: RowErrors,
    *,
    lookup: LookupFn,
    ids: Mapping[str, int],
    options: IngestOptions,
) -> Plan:
    """Validate call rows and plan the new ``phones`` and ``calls`` rows."""
    work = with_text(work, ("caller", "callee", "duration_s", "kind"))
    has = set(work.columns)
    work = work.with_columns(
        caller=clean_phones(pl.col(raw("caller"))),
        callee=clean_phones(pl.col(raw("callee"))),
        started_at=times(work, errors, "started_at", tz=options.tz),
        duration_s=parse_durations(pl.col(raw("duration_s")))
        if raw("duration_s") in has
        else pl.lit(0, dtype=pl.Int64),
        kind=canonical_values(pl.col(raw("kind")), CALL_KINDS).fill_null(
            pl.when(pl.col(raw("kind")).is_null()).then(pl.lit("call"))
        )
        if raw("kind") in has
        else pl.lit("call"),
    )
    errors.check(work, "caller", PHONE_HINT)
    errors.check(work, "callee", PHONE_HINT)
    errors.check(work, "started_at", "is not a time (ISO 8601, 2024/05/01 10:00:00, epoch s/ms)")
    errors.check(work, "duration_s", "is not a duration; write seconds or h:mm:ss", required=False)
    errors.check(work, "kind", "is not call or sms (通话 / 短信)", required=False)
    work = errors.drop_bad(work).with_columns(pl.col("duration_s").fill_null(0))

    loops = work.filter(pl.col("caller") == pl.col("callee")).height
    work = work.filter(pl.col("caller") != pl.col("callee"))
    before = work.height
    work = work.unique(
        ["caller", "callee", "started_at", "duration_s", "kind"], keep="first", maintain_order=True
    ).sort("started_at", ROW)
    duplicates = before - work.height

    numbers = pl.concat([work.get_column("caller"), work.get_column("callee")])
    mapping, new_phones, stored = phone_ids(numbers, lookup, ids["phones"])
    calls = (
        attach_ids(
            work, mapping, key="number", columns={"caller": "caller_id", "callee": "callee_id"}
        )
        .select(*_CALL_KEY)
        .with_columns(pl.col("duration_s").cast(pl.Int64))
    )
    calls = without_stored(
        calls,
        lookup,
        "calls",
        {
            "caller_id": pl.Int64(),
            "callee_id": pl.Int64(),
            "started_at": UTC_TIME,
            "duration_s": pl.Int64(),
            "kind": pl.String(),
        },
        among=calls.filter(pl.col("caller_id").is_in(stored.get_column("id").implode())),
        key="caller_id",
        time="started_at",
    )
    return Plan(
        inserts={"phones": new_phones, "calls": numbered(calls, ids["calls"])},
        records=calls.height,
        skipped_existing=work.height - calls.height,
        duplicates=duplicates,
        self_loops=loops,
    )
