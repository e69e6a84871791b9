"""Row problems, collected a column at a time, and what becomes of them.

A kind's checks add problems as boolean masks over the working frame (no loop over rows).
At the end either the first problems become one :class:`InvalidInput` (nothing is written),
or, when bad rows may be skipped, every bad row goes to a rejects frame: the input row as
text, its ``line`` and a ``reason`` naming each bad column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from fanzha.errors import InvalidInput
from fanzha.records import as_text, parse_times

__all__ = [
    "ROW",
    "RowErrors",
    "raw",
    "start_work",
    "times",
    "with_text",
]

#: Index of the input row (0-based) in every working frame.
ROW = "_row"
_SHOWN = 5
_SCHEMA = {ROW: pl.Int64, "field": pl.String, "value": pl.String, "reason": pl.String}


def raw(field: str) -> str:
    """Name of the working column that holds ``field`` as it was read."""
    return f"_raw_{field}"


def start_work(frame: pl.DataFrame, columns: Mapping[str, str]) -> pl.DataFrame:
    """The working frame: the row index and each resolved field's input column, as read."""
    return frame.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias(ROW),
        *[pl.col(source).alias(raw(field)) for field, source in columns.items()],
    )


def with_text(work: pl.DataFrame, fields: Iterable[str]) -> pl.DataFrame:
    """Replace the raw columns of ``fields`` (those present) by trimmed, NFKC-folded text."""
    return work.with_columns(
        [as_text(work.get_column(raw(f))) for f in fields if raw(f) in work.columns]
    )


def times(work: pl.DataFrame, errors: RowErrors, field: str, *, tz: str) -> pl.Series:
    """``field`` parsed as times (UTC, null where unreadable); null throughout when absent."""
    if raw(field) not in work.columns:
        return pl.Series(field, [None] * work.height, dtype=pl.Datetime("us", "UTC"))
    column = errors.columns[field]
    parsed = parse_times(work.get_column(raw(field)), tz=tz, field=column, source=errors.source)
    return parsed.alias(field)


class RowErrors:
    """Problems of input rows: which row, which column, what value, why.

    ``columns`` maps fields to the input's column names, which is what messages show.
    """

    def __init__(self, columns: Mapping[str, str], *, source: str, first_line: int) -> None:
        self.columns = dict(columns)
        self.source = source
        self.first_line = first_line
        self._parts: list[pl.DataFrame] = []

    def add(self, work: pl.DataFrame, bad: pl.Expr, field: str, reason: str | pl.Expr) -> None:
        """Record ``reason`` for each row of ``work`` where ``bad`` holds."""
        value = (
            pl.col(raw(field)).cast(pl.String)
            if raw(field) in work.columns
            else pl.lit(None, dtype=pl.String)
        )
        found = work.filter(bad.fill_null(False)).select(
            pl.col(ROW),
            pl.lit(self.columns.get(field, field)).alias("field"),
            value.alias("value"),
            (pl.lit(reason) if isinstance(reason, str) else reason).alias("reason"),
        )
        if found.height:
            self._parts.append(found.cast(_SCHEMA))  # type: ignore[arg-type]

    def extend(self, problems: pl.DataFrame) -> None:
        """Record problems found elsewhere: ``row``, ``field``, ``value``, ``reason``."""
        if problems.height:
            named = problems.select(
                pl.col("row").alias(ROW),
                pl.col("field").replace(self.columns),
                "value",
                "reason",
            )
            self._parts.append(named.cast(_SCHEMA))  # type: ignore[arg-type]

    def check(self, work: pl.DataFrame, field: str, reason: str, *, required: bool = True) -> None:
        """Flag rows where ``field`` is empty (when required) or did not normalise."""
        if raw(field) not in work.columns:
            return
        given = pl.col(raw(field)).is_not_null()
        self.add(work, given & pl.col(field).is_null(), field, reason)
        if required:
            self.add(work, ~given, field, "is empty")

    def frame(self) -> pl.DataFrame:
        """Every problem, by row (then in the order found): row, field, value, reason."""
        if not self._parts:
            return pl.DataFrame(schema=_SCHEMA)
        return pl.concat(self._parts).with_row_index("_order").sort(ROW, "_order").drop("_order")

    def bad_rows(self) -> pl.Series:
        """Indices of the rows with at least one problem."""
        return self.frame().get_column(ROW).unique()

    def drop_bad(self, work: pl.DataFrame) -> pl.DataFrame:
        """``work`` without the rows found bad so far."""
        if not self._parts:
            return work
        return work.filter(~pl.col(ROW).is_in(self.bad_rows().implode()))

    @property
    def n_rows(self) -> int:
        """Number of bad rows."""
        return self.bad_rows().len()

    def error(self) -> InvalidInput:
        """One error for the whole import: the first problem in full, the next ones listed."""
        problems = self.frame()
        first = problems.row(0, named=True)
        line = self.first_line + int(first[ROW])
        listed = [
            f"line {self.first_line + int(p[ROW])} {p['field']}: {p['value'] or ''!r} {p['reason']}"
            for p in problems.slice(1, _SHOWN - 1).iter_rows(named=True)
        ]
        also = f"; also {'; '.join(listed)}" if listed else ""
        more = " …" if problems.height > _SHOWN else ""
        return InvalidInput(
            f"{first['value'] or ''!r} {first['reason']}. {self.n_rows} bad row(s) in all{also}"
            f"{more}. Nothing was written: fix these rows, or skip them (--skip-bad) to load the "
            "others and get the bad ones in a rejects file",
            field=first["field"],
            line=line,
            value=first["value"],
            source=self.source,
        )

    def rejects(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The bad rows of the input ``frame`` as text, led by ``line`` and ``reason`` columns.

        Those two are called ``_line`` and ``_reason`` when the input has such a column.
        """
        line = "line" if "line" not in frame.columns else "_line"
        reason = "reason" if "reason" not in frame.columns else "_reason"
        reasons = (
            self.frame()
            .select(
                ROW,
                pl.format("{}: '{}' {}", "field", pl.col("value").fill_null(""), "reason").alias(
                    "_why"
                ),
            )
            .group_by(ROW, maintain_order=True)
            .agg(pl.col("_why").str.join("; "))
        )
        text = frame.select(
            pl.int_range(pl.len(), dtype=pl.Int64).alias(ROW),
            *[pl.col(c).cast(pl.String) for c in frame.columns],
        )
        return (
            reasons.join(text, on=ROW, how="left")
            .sort(ROW)
            .select(
                (pl.col(ROW) + self.first_line).alias(line),
                pl.col("_why").alias(reason),
                *frame.columns,
            )
        )
