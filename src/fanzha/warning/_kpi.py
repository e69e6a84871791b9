"""KPIs of the warning work, computed with polars over columns of tasks and outcomes.

Definitions (per officer ``assigned_to``, per ``district`` or overall):

- tasks by state: the number of tasks in each state;
- median time to first contact: median of ``first_contact_at - created_at`` in minutes
  over the tasks with a first contact;
- dissuasion rate: dissuaded / (dissuaded + already_paid + lost_contact), the
  share of decided tasks (false alarms and open tasks excluded) where the money was kept;
- money saved: the sum of ``money_saved_fen`` (分);
- saved above risk (flagged for review): tasks whose money saved is above their money at
  risk, or above the ceiling (``SAVED_CEILING_FEN``) when the money at risk is unknown (0),
  and the money saved on them — the amounts that needed a confirmation and a reason;
- overdue: open tasks still without a first contact after ``sla_due_at``; SLA missed:
  those plus tasks first contacted after their due time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import datetime
from typing import Any

import polars as pl

from fanzha.errors import InvalidInput
from fanzha.warning._outcome import (
    CHANNEL_LABELS,
    RESULT_LABELS,
    SAVED_CEILING_FEN,
    OutcomeRecord,
)
from fanzha.warning._state import STATE_LABELS, TERMINAL_STATES, TaskState
from fanzha.warning._task import WarningTask, _utc

__all__ = [
    "KPI_GROUPS",
    "contacts_by_channel",
    "outcomes_frame",
    "tasks_by_state",
    "tasks_frame",
    "warning_kpis",
]

KPI_GROUPS = ("assigned_to", "district")
_UTC = pl.Datetime("us", "UTC")
_KPI_COLUMNS = (
    "state",
    "created_at",
    "sla_due_at",
    "first_contact_at",
    "closed_at",
    "money_saved_fen",
    "money_at_risk_fen",
    "contact_count",
)


def _dtype(annotation: str) -> pl.DataType:
    if "datetime" in annotation:
        return _UTC
    if annotation.startswith("int"):
        return pl.Int64()
    if annotation.startswith("float"):
        return pl.Float64()
    return pl.String()


def _schema(cls: type[Any]) -> dict[str, pl.DataType]:
    return {f.name: _dtype(str(f.type)) for f in fields(cls)}


def _frame(rows: Iterable[Any], cls: type[Any]) -> pl.DataFrame:
    schema = _schema(cls)
    names = list(schema)
    data = [tuple(getattr(row, name) for name in names) for row in rows]
    return pl.DataFrame(data, schema=schema, orient="row")


def tasks_frame(tasks: Iterable[WarningTask]) -> pl.DataFrame:
    """Return the tasks as a polars frame, one column per :class:`WarningTask` field."""
    return _frame(tasks, WarningTask)


def outcomes_frame(records: Iterable[OutcomeRecord]) -> pl.DataFrame:
    """Return outcome records as a polars frame, one column per :class:`OutcomeRecord` field."""
    return _frame(records, OutcomeRecord)


def _as_frame(
    data: pl.DataFrame | Iterable[Any], cls: type[Any], needed: tuple[str, ...], by: str | None
) -> pl.DataFrame:
    """The data as a frame, checking it has the ``needed`` columns (and ``by``)."""
    frame = data if isinstance(data, pl.DataFrame) else _frame(data, cls)
    missing = sorted(set(needed) - set(frame.columns))
    if missing:
        raise InvalidInput(
            f"the frame lacks the columns {missing}; build it with tasks_frame / outcomes_frame",
            field="columns",
            value=missing,
        )
    if by is not None and by not in frame.columns:
        raise InvalidInput(f"cannot group by {by!r}", field="by", value=by)
    return frame


def _check_by(by: str | None, allowed: tuple[str, ...]) -> None:
    if by is not None and by not in allowed:
        raise InvalidInput(
            f"cannot group by {by!r}; choose one of {', '.join(allowed)} or none",
            field="by",
            value=by,
        )


def _states_table() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "state": [state.value for state in TaskState],
            "label": [STATE_LABELS[state] for state in TaskState],
            "order": list(range(len(TaskState))),
        }
    )


def tasks_by_state(
    tasks: pl.DataFrame | Iterable[WarningTask], *, by: str | None = None
) -> pl.DataFrame:
    """Return the number of tasks in every state (zeros included), per ``by`` if given.

    Columns: [``by``,] ``state``, ``label`` (Chinese), ``count``.
    Raises ``InvalidInput`` for an unknown ``by`` or a state the workflow does not know.
    """
    _check_by(by, KPI_GROUPS)
    frame = _as_frame(tasks, WarningTask, ("state",), by)
    unknown = sorted(set(frame["state"].unique().to_list()) - {s.value for s in TaskState})
    if unknown:
        raise InvalidInput(f"unknown task states {unknown}", field="state", value=unknown)
    keys = ["state"] if by is None else [by, "state"]
    counts = frame.group_by(keys).agg(pl.len().alias("count"))
    states = _states_table()
    if by is not None:
        states = frame.select(by).unique().join(states, how="cross")
    table = states.join(counts, on=keys, how="left", nulls_equal=True)
    table = table.with_columns(pl.col("count").fill_null(0).cast(pl.Int64))
    order = ["order"] if by is None else [by, "order"]
    return table.sort(order, nulls_last=True).select([*keys[:-1], "state", "label", "count"])


def warning_kpis(
    tasks: pl.DataFrame | Iterable[WarningTask],
    now: datetime,
    *,
    by: str | None = None,
    saved_ceiling_fen: int = SAVED_CEILING_FEN,
) -> pl.DataFrame:
    """Return the KPIs of the tasks, one row overall or one per officer / district.

    Columns: [``by``,] ``tasks``, ``open``, ``dissuaded``, ``already_paid``,
    ``lost_contact``, ``false_alarm``, ``dissuasion_rate`` (null when nothing is
    decided), ``median_first_contact_min``, ``money_saved_fen``, ``contacts``,
    ``repeat_contacted`` (tasks contacted more than once), ``overdue``, ``sla_missed``,
    ``saved_above_risk`` and ``saved_above_risk_fen`` (see the module docs).
    """
    _check_by(by, KPI_GROUPS)
    frame = _as_frame(tasks, WarningTask, _KPI_COLUMNS, by)
    now = _utc(now, "now")
    state = pl.col("state")
    waiting = pl.col("first_contact_at").is_null() & pl.col("closed_at").is_null()
    overdue = waiting & (pl.col("sla_due_at") < pl.lit(now).cast(_UTC))
    late = pl.col("first_contact_at").is_not_null() & (
        pl.col("first_contact_at") > pl.col("sla_due_at")
    )
    at_risk, saved = pl.col("money_at_risk_fen"), pl.col("money_saved_fen")
    above = pl.when(at_risk > 0).then(saved > at_risk).otherwise(saved > saved_ceiling_fen)
    minutes = (pl.col("first_contact_at") - pl.col("created_at")).dt.total_milliseconds() / 60_000
    aggregations = [
        pl.len().cast(pl.Int64).alias("tasks"),
        (~state.is_in([s.value for s in TERMINAL_STATES])).sum().alias("open"),
        *(
            (state == name).sum().alias(name)
            for name in ("dissuaded", "already_paid", "lost_contact", "false_alarm")
        ),
        minutes.median().alias("median_first_contact_min"),
        pl.col("money_saved_fen").sum().alias("money_saved_fen"),
        pl.col("contact_count").sum().alias("contacts"),
        (pl.col("contact_count") > 1).sum().alias("repeat_contacted"),
        overdue.sum().alias("overdue"),
        (overdue | late).sum().alias("sla_missed"),
        above.sum().alias("saved_above_risk"),
        pl.when(above).then(saved).otherwise(0).sum().alias("saved_above_risk_fen"),
    ]
    if by is None:
        table = frame.select(aggregations)
    else:
        table = frame.group_by(by).agg(aggregations).sort(by, nulls_last=True)
    decided = pl.col("dissuaded") + pl.col("already_paid") + pl.col("lost_contact")
    rate = pl.when(decided > 0).then(pl.col("dissuaded") / decided).otherwise(None)
    table = table.with_columns(rate.alias("dissuasion_rate"))
    counts = ["tasks", "open", "dissuaded", "already_paid", "lost_contact", "false_alarm"]
    sums = [
        "money_saved_fen",
        "contacts",
        "repeat_contacted",
        "overdue",
        "sla_missed",
        "saved_above_risk",
        "saved_above_risk_fen",
    ]
    columns = [*counts, "dissuasion_rate", "median_first_contact_min", *sums]
    whole = pl.col([*counts, *sums]).fill_null(0).cast(pl.Int64)
    return table.select([*([by] if by else []), *columns]).with_columns(whole)


def contacts_by_channel(
    outcomes: pl.DataFrame | Iterable[OutcomeRecord], *, by: str | None = None
) -> pl.DataFrame:
    """Return the number of contact attempts per channel and result, per user if ``by``.

    ``by`` may be ``by_user``. Columns: [``by_user``,] ``channel``, ``channel_label``,
    ``result``, ``result_label``, ``count``.
    """
    _check_by(by, ("by_user",))
    frame = _as_frame(outcomes, OutcomeRecord, ("channel", "result"), by)
    keys = [*([by] if by else []), "channel", "result"]
    table = frame.group_by(keys).agg(pl.len().cast(pl.Int64).alias("count")).sort(keys)
    return table.with_columns(
        pl.col("channel").replace_strict(dict(CHANNEL_LABELS), default=None).alias("channel_label"),
        pl.col("result").replace_strict(dict(RESULT_LABELS), default=None).alias("result_label"),
    ).select([*keys[:-2], "channel", "channel_label", "result", "result_label", "count"])
