"""The edges of ``build_graph``: the edge table in :mod:`fanzha.graph._build`'s docstring.

``store_edges`` reads ``calls``, ``transfers``, the reference columns (owners, holders,
outlets, victims, devices) and ``device_sightings``; ``bare_candidates`` finds the typed ids
that edges name outside the entity tables (event counterparts, URL domains, the ends of
``extra_edges``) and ``id_edges`` links them. ``Edges`` collects the rows; ``need`` is the
column check every table reader uses. Nothing here is public API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from fanzha.errors import InvalidInput
from fanzha.graph._clean import NO_TIME, IntArray, epoch_seconds, references, whole_numbers
from fanzha.graph._ids import node_ids
from fanzha.graph._schema import EDGE_TYPES, NODE_TYPES, edge_type_code

__all__: list[str] = []


def need(tables: Mapping[str, pl.DataFrame], table: str, columns: tuple[str, ...]) -> bool:
    """True when ``table`` is given; refuses it when it lacks one of ``columns``."""
    frame = tables.get(table)
    if frame is None:
        return False
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidInput(
            f"missing column(s) {missing}; the graph needs {list(columns)}", field=table
        )
    return True


@dataclass
class Edges:
    """Edge rows as they are collected: node indices, type, time, value, case flag."""

    parts: list[pl.DataFrame] = field(default_factory=list)
    dangling: dict[str, int] = field(default_factory=dict)

    def add(
        self,
        src: IntArray,
        dst: IntArray,
        kind: IntArray | int,
        time: IntArray | int = NO_TIME,
        value: IntArray | int = 0,
        case: np.ndarray | bool = False,
        where: str = "",
    ) -> None:
        ok = (src >= 0) & (dst >= 0)
        lost = int(((src == -2) | (dst == -2)).sum())
        if lost:
            self.dangling[where] = self.dangling.get(where, 0) + lost
        n = int(ok.sum())

        def col(values: np.ndarray | int | bool, dtype: type) -> np.ndarray:
            return np.asarray(values)[ok] if np.ndim(values) else np.full(n, values, dtype=dtype)

        self.parts.append(
            pl.DataFrame(
                {
                    "s": src[ok],
                    "d": dst[ok],
                    "t": col(kind, np.int64).astype(np.int8),
                    "time": col(time, np.int64),
                    "value": col(value, np.int64),
                    "case": col(case, np.bool_),
                }
            )
        )


def _events_nodes(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """Typed ids of the counterparts named in ``events`` (phone, im, url)."""
    if not need(tables, "events", ("person_id", "counterpart", "counterpart_kind", "occurred_at")):
        return pl.DataFrame(schema={"row": pl.UInt32, "id": pl.String})
    events = tables["events"].with_row_index("row")
    kind = pl.col("counterpart_kind").cast(pl.String)
    text = pl.col("counterpart").cast(pl.String).str.strip_chars()
    platform = (
        pl.when(text.str.contains(r"(?i)^wxid_"))
        .then(pl.lit("wechat"))
        .when(text.str.starts_with("@"))
        .then(pl.lit("telegram"))
        .when(text.str.contains(r"^[0-9]{5,12}$"))
        .then(pl.lit("qq"))
        .otherwise(pl.lit("unknown"))
    )
    frame = events.select("row", kind.alias("k"), text.alias("c"), platform.alias("p"))
    parts = []
    for k, node_kind in (("phone", "phone"), ("url", "url"), ("im", "im")):
        part = frame.filter(pl.col("k") == k)
        raw = (
            part.get_column("c") if k != "im" else part.get_column("p") + ":" + part.get_column("c")
        )
        parts.append(part.select("row").with_columns(id=node_ids(node_kind, raw)))
    return pl.concat(parts).drop_nulls("id")


def _id_nodes(node_frame: pl.DataFrame, ids: pl.Series) -> IntArray:
    found = pl.DataFrame({"id": ids}).join(node_frame, on="id", how="left", maintain_order="left")
    return found.get_column("node").fill_null(-2).to_numpy().astype(np.int64)


def _typed_ids(values: pl.Series, source: str) -> pl.Series:
    """Normalised typed ids of ``values`` (``type:key`` each); refuses a row that is not."""
    text = values.cast(pl.String).str.strip_chars()
    kinds = text.str.extract(r"^([a-z]+):", 1)
    rest = text.str.replace(r"^[a-z]+:", "")
    out = pl.Series("id", [None] * text.len(), dtype=pl.String)
    known = {t.key for t in NODE_TYPES} | {"sim"}
    for kind in kinds.drop_nulls().unique().to_list():
        if kind in known:
            out = pl.select(
                pl.when(kinds == kind).then(node_ids(kind, rest)).otherwise(out)
            ).to_series()
    bad = np.flatnonzero(out.is_null().to_numpy())
    if bad.size:
        row = int(bad[0])
        raise InvalidInput(
            f"{text[row]!r} is not a typed node id such as phone:13800138000",
            field=source,
            line=row + 1,
            value=text[row],
        )
    return out


def bare_candidates(
    tables: Mapping[str, pl.DataFrame], extra: pl.DataFrame | None
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame | None]:
    """Ids that edges name outside the entity tables: event counterparts, URL domains and
    the ends of ``extra_edges`` (typed); returned as (events, domains, extra) frames."""
    events = _events_nodes(tables)
    domains = pl.DataFrame(schema={"row": pl.UInt32, "id": pl.String})
    if need(tables, "urls", ("id", "url")):
        urls = tables["urls"].with_row_index("row")
        host = pl.col("url").cast(pl.String).str.extract(r"^(?:[^:/?#]+://)?([^/?#:]+)", 1)
        name = pl.col("domain").cast(pl.String) if "domain" in urls.columns else host
        raw = urls.select("row", pl.coalesce(name, host).alias("d"))
        domains = raw.select("row", id=node_ids("domain", raw.get_column("d"))).drop_nulls("id")
    if extra is not None:
        for column in ("source", "target", "type"):
            if column not in extra.columns:
                raise InvalidInput(
                    f"missing column {column!r}; extra edges need source, target, type "
                    "and may have at, value",
                    field="extra_edges",
                )
        extra = extra.with_columns(
            source=_typed_ids(extra.get_column("source"), "extra_edges.source"),
            target=_typed_ids(extra.get_column("target"), "extra_edges.target"),
        )
    return events, domains, extra


def store_edges(
    tables: Mapping[str, pl.DataFrame], resolve: Callable[[str, IntArray], IntArray], edges: Edges
) -> None:
    """Edges from the store tables' reference columns and the calls and transfers."""
    code = edge_type_code
    if need(tables, "calls", ("caller_id", "callee_id", "started_at")):
        calls = tables["calls"]
        src = resolve("phones", references(calls, "calls", "caller_id"))
        dst = resolve("phones", references(calls, "calls", "callee_id"))
        text = (
            (
                calls.get_column("kind").cast(pl.String).str.to_lowercase().is_in(["sms", "text"])
                if "kind" in calls.columns
                else pl.Series([False] * calls.height)
            )
            .fill_null(False)
            .to_numpy()
        )
        duration = (
            whole_numbers(calls, "calls", "duration_s", default=0)
            if "duration_s" in calls.columns
            else np.zeros(calls.height, dtype=np.int64)
        )
        kind = np.where(text, code("texted"), code("called"))
        time = epoch_seconds(calls, "calls", "started_at")
        edges.add(src, dst, kind, time, np.where(text, 0, duration), where="calls")
    if need(tables, "transfers", ("src_account_id", "dst_account_id", "amount_fen", "at")):
        transfers = tables["transfers"]
        src = resolve("bank_accounts", references(transfers, "transfers", "src_account_id"))
        dst = resolve("bank_accounts", references(transfers, "transfers", "dst_account_id"))
        case = (
            transfers.get_column("case_id").is_not_null().to_numpy()
            if "case_id" in transfers.columns
            else False
        )
        amount = whole_numbers(transfers, "transfers", "amount_fen")
        time = epoch_seconds(transfers, "transfers", "at")
        edges.add(src, dst, code("transferred"), time, amount, case, where="transfers")
    links = (
        ("phones", "owner_id", "persons", "registered-by", "registered_at"),
        ("bank_accounts", "holder_id", "persons", "registered-by", "opened_at"),
        ("im_accounts", "owner_id", "persons", "registered-by", None),
        ("devices", "owner_id", "persons", "registered-by", None),
        ("phones", "outlet_id", "outlets", "opened-at", "registered_at"),
        ("bank_accounts", "outlet_id", "outlets", "opened-at", "opened_at"),
        ("cases", "victim_id", "persons", "reported-in", "reported_at"),
    )
    for table, column, target, kind_key, time_col in links:
        frame = tables.get(table)
        if frame is None or column not in frame.columns:
            continue
        own = resolve(table, references(frame, table, "id"))
        other = resolve(target, references(frame, table, column))
        when: IntArray | int = (
            epoch_seconds(frame, table, time_col)
            if time_col and time_col in frame.columns
            else NO_TIME
        )
        src, dst = (other, own) if kind_key == "reported-in" else (own, other)
        edges.add(src, dst, code(kind_key), when, where=f"{table}.{column}")
    phones = tables.get("phones")
    if phones is not None and "device_id" in phones.columns:
        refs = references(phones, "phones", "device_id")
        device = resolve("devices", refs)
        own = resolve("phones", references(phones, "phones", "id"))
        edges.add(device, own, code("used-SIM"), where="phones.device_id")
    if need(tables, "device_sightings", ("device_id", "phone_id", "seen_at")):
        sightings = tables["device_sightings"]
        device = resolve("devices", references(sightings, "device_sightings", "device_id"))
        phone = resolve("phones", references(sightings, "device_sightings", "phone_id"))
        time = epoch_seconds(sightings, "device_sightings", "seen_at")
        edges.add(device, phone, code("SIM-seen"), time, where="device_sightings")
    _named_accounts(tables, resolve, edges)


def _named_accounts(
    tables: Mapping[str, pl.DataFrame], resolve: Callable[[str, IntArray], IntArray], edges: Edges
) -> None:
    """``account → case`` for each account a case's victim paid into from their own card."""
    wanted = {
        "transfers": ("src_account_id", "dst_account_id", "at", "case_id"),
        "bank_accounts": ("id", "holder_id"),
        "cases": ("id", "victim_id"),
    }
    for table, columns in wanted.items():  # optional columns: no link without them
        if table not in tables or not set(columns) <= set(tables[table].columns):
            return
    holders = tables["bank_accounts"].select(
        src_account_id=pl.col("id").cast(pl.Int64), holder=pl.col("holder_id").cast(pl.Int64)
    )
    victims = tables["cases"].select(
        case_id=pl.col("id").cast(pl.Int64), victim=pl.col("victim_id").cast(pl.Int64)
    )
    paid = (
        tables["transfers"]
        .filter(pl.col("case_id").is_not_null())
        .with_columns(pl.col("src_account_id", "case_id").cast(pl.Int64, strict=False))
        .join(holders, on="src_account_id")
        .join(victims, on="case_id")
        .filter(pl.col("holder") == pl.col("victim"))
    )
    if paid.is_empty():
        return
    account = resolve("bank_accounts", references(paid, "transfers", "dst_account_id"))
    case = resolve("cases", references(paid, "transfers", "case_id"))
    edges.add(account, case, edge_type_code("reported-in"), epoch_seconds(paid, "transfers", "at"))


def id_edges(
    tables: Mapping[str, pl.DataFrame],
    bare: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame | None],
    lookup: pl.DataFrame,
    resolve: Callable[[str, IntArray], IntArray],
    edges: Edges,
) -> None:
    """Edges whose ends are typed ids: event contacts, URL domains, extra edges."""
    events, domains, extra = bare
    if events.height:
        frame = tables["events"][events.get_column("row")]
        person = resolve("persons", references(frame, "events", "person_id"))
        time = epoch_seconds(frame, "events", "occurred_at")
        src = _id_nodes(lookup, events.get_column("id"))
        edges.add(src, person, edge_type_code("contacted"), time, where="events.person_id")
    if domains.height:
        urls = tables["urls"][domains.get_column("row")]
        src = resolve("urls", references(urls, "urls", "id"))
        dst = _id_nodes(lookup, domains.get_column("id"))
        edges.add(src, dst, edge_type_code("hosted-on"))
    if extra is not None and extra.height:
        kinds = extra.get_column("type").cast(pl.String).to_list()
        kind = np.array([edge_type_code(k) for k in kinds], dtype=np.int64)
        timed = np.array([EDGE_TYPES[k].timed for k in kind], dtype=bool)
        time = (
            epoch_seconds(extra, "extra_edges", "at")
            if "at" in extra.columns
            else np.full(extra.height, NO_TIME, dtype=np.int64)
        )
        missing = np.flatnonzero(timed & (time == NO_TIME))
        if missing.size:
            raise InvalidInput(
                f"a {kinds[missing[0]]} edge needs a time (column 'at')",
                field="extra_edges.at",
                line=int(missing[0]) + 1,
            )
        value = (
            whole_numbers(extra, "extra_edges", "value", default=0)
            if "value" in extra.columns
            else 0
        )
        src = _id_nodes(lookup, extra.get_column("source"))
        dst = _id_nodes(lookup, extra.get_column("target"))
        edges.add(src, dst, kind, time, value)
