"""``build_graph``: the store's tables (polars frames, store column names) → :class:`EntityGraph`.

Nodes come from ``persons``, ``phones``, ``devices``, ``bank_accounts`` (crypto exits become
``wallet`` nodes), ``im_accounts``, ``urls`` (and their domains), ``cases`` and ``outlets``;
counterparts named in ``events`` and ids in ``extra_edges`` that no table holds become bare
nodes. Edges (built in :mod:`fanzha.graph._build_edges`):

==================  ==========================  ===========================================
type                from → to                   source
==================  ==========================  ===========================================
called / texted     phone → phone               ``calls`` (``kind`` "sms"/"text" → texted)
transferred         account/wallet → same       ``transfers`` (value: ``amount_fen``)
registered-by       phone/account/wallet/im/    ``owner_id`` / ``holder_id`` columns
                    device → person
used-SIM            device → phone              ``phones.device_id`` (the latest device)
SIM-seen            device → phone              ``device_sightings`` (at ``seen_at``: every
                                                time a device log saw the SIM in the device)
opened-at           phone/account → outlet      ``phones.outlet_id``, ``bank_accounts.outlet_id``
reported-in         person → case               ``cases.victim_id`` (at ``reported_at``)
reported-in         account → case              a case-linked transfer from the victim's own
                                                account names the receiving account
contacted           phone/im/url → person       ``events`` with a counterpart
hosted-on           url → domain                ``urls.domain`` (or the URL's host)
any type            typed id → typed id         ``extra_edges``: source, target, type[, at,
                                                value] (e.g. ``logged-in-from`` an ``ip:``)
==================  ==========================  ===========================================

Bad input: a table without a column it needs is refused naming both; malformed times and
numbers follow :mod:`fanzha.graph._clean`; a key that cannot be normalised keeps the node
as ``type:#<store id>`` (counted in ``report.unnormalised``); rows that repeat a node id are
merged into the first (``report.duplicate_nodes``); self-loops are dropped and counted;
references to rows that do not exist are counted in ``report.dangling``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from fanzha.errors import InvalidInput
from fanzha.graph._build_edges import Edges, bare_candidates, id_edges, need, store_edges
from fanzha.graph._clean import NO_TIME, IntArray, references
from fanzha.graph._graph import AttrBlock, BuildReport, EntityGraph
from fanzha.graph._ids import node_ids
from fanzha.graph._schema import EDGE_TYPES, NODE_TYPES

__all__ = ["GRAPH_TABLES", "build_graph"]

GRAPH_TABLES = (
    "persons",
    "outlets",
    "devices",
    "phones",
    "device_sightings",
    "bank_accounts",
    "im_accounts",
    "urls",
    "cases",
    "calls",
    "transfers",
    "events",
)
_WALLET = r"^(T[1-9A-HJ-NP-Za-km-z]{33}|0x[0-9a-fA-F]{40}|bc1[0-9a-z]{20,90})$"
_TIME_ATTRS = ("registered_at", "opened_at", "first_seen", "occurred_at", "reported_at")


@dataclass(frozen=True, slots=True)
class _Entity:
    """How one table becomes nodes: the node type, the key column, label and attributes."""

    table: str
    kind: str
    key: str
    label: str
    attrs: tuple[str, ...]
    flag: str | None = None


_ENTITIES = (
    _Entity(
        "persons",
        "person",
        "id",
        "name",
        (
            "name",
            "gender",
            "birth_date",
            "district",
            "town",
            "village",
            "occupation",
            "kind",
            "id_number",
            "phone_number",
        ),
    ),
    _Entity("outlets", "outlet", "id", "name", ("name", "kind", "operator", "district")),
    _Entity("devices", "device", "imei", "imei", ("imei", "kind", "slots", "cell_id", "district")),
    _Entity(
        "phones",
        "phone",
        "number",
        "number",
        ("number", "imsi", "carrier", "kind", "registered_at", "flag_reason"),
        "flagged",
    ),
    _Entity(
        "bank_accounts",
        "account",
        "account_no",
        "account_no",
        ("account_no", "bank", "kind", "status", "opened_at"),
        "flagged",
    ),
    _Entity("im_accounts", "im", "handle", "handle", ("platform", "handle"), "flagged"),
    _Entity("urls", "url", "url", "url", ("url", "domain", "first_seen"), "flagged"),
    _Entity(
        "cases",
        "case",
        "case_no",
        "case_no",
        (
            "case_no",
            "fraud_type",
            "amount_lost_fen",
            "district",
            "occurred_at",
            "reported_at",
            "status",
        ),
    ),
)


def _keys(entity: _Entity, frame: pl.DataFrame) -> tuple[pl.Series, pl.Series, int]:
    """(node types, node ids, number of keys that could not be normalised) of a table."""
    raw = frame.get_column(entity.key).cast(pl.String)
    kinds = pl.Series([entity.kind] * frame.height, dtype=pl.String)
    if entity.table == "bank_accounts":
        crypto = raw.str.contains(_WALLET).fill_null(False)
        if "kind" in frame.columns:
            crypto |= (
                frame.get_column("kind").cast(pl.String).str.contains("crypto").fill_null(False)
            )
        kinds = pl.select(pl.when(crypto).then(pl.lit("wallet")).otherwise(kinds)).to_series()
    if entity.table == "im_accounts":
        raw = frame.get_column("platform").cast(pl.String) + ":" + raw
    ids = pl.Series("id", [None] * frame.height, dtype=pl.String)
    for kind in kinds.unique().to_list():
        rows = kinds == kind
        ids = pl.select(pl.when(rows).then(node_ids(kind, raw)).otherwise(ids)).to_series()
    fallback = kinds + ":#" + frame.get_column("id").cast(pl.String)
    bad = ids.is_null()
    return kinds, pl.select(pl.when(bad).then(fallback).otherwise(ids)).to_series(), int(bad.sum())


def _iso_text(column: str, dtype: pl.DataType) -> pl.Expr:
    """A time column as ISO 8601 UTC text (naive times are taken as UTC)."""
    if isinstance(dtype, pl.Datetime):
        expr = pl.col(column)
        expr = expr.dt.convert_time_zone("UTC") if dtype.time_zone else expr
        return expr.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return pl.col(column).cast(pl.String)


def _attr_frame(entity: _Entity, frame: pl.DataFrame) -> pl.DataFrame:
    columns = [c for c in entity.attrs if c in frame.columns]
    out = frame.select(columns)
    times = [
        _iso_text(c, out.schema[c]) for c in columns if c in _TIME_ATTRS or out.schema[c] == pl.Date
    ]
    out = out.with_columns(times) if times else out
    if entity.kind not in ("person", "outlet"):
        out = out.with_columns(store_id=frame.get_column("id"))
    return out


@dataclass
class _Nodes:
    """Nodes as they are collected, table by table, then bare ids."""

    ids: list[pl.Series] = field(default_factory=list)
    kinds: list[pl.Series] = field(default_factory=list)
    labels: list[pl.Series] = field(default_factory=list)
    flagged: list[np.ndarray] = field(default_factory=list)
    blocks: list[tuple[int, pl.DataFrame]] = field(default_factory=list)
    sids: dict[str, tuple[IntArray, int]] = field(default_factory=dict)
    unnormalised: dict[str, int] = field(default_factory=dict)
    size: int = 0

    def add(
        self,
        ids: pl.Series,
        kinds: pl.Series,
        labels: pl.Series,
        flagged: np.ndarray,
        attrs: pl.DataFrame | None = None,
    ) -> int:
        start = self.size
        self.ids.append(ids.alias("id"))
        self.kinds.append(kinds.alias("kind"))
        self.labels.append(labels.cast(pl.String).fill_null(ids).alias("label"))
        self.flagged.append(flagged.astype(bool))
        if attrs is not None:
            self.blocks.append((start, attrs))
        self.size += ids.len()
        return start


def _entity_nodes(tables: Mapping[str, pl.DataFrame], nodes: _Nodes) -> None:
    for entity in _ENTITIES:
        columns = (
            ("id", entity.key, "platform") if entity.table == "im_accounts" else ("id", entity.key)
        )
        if not need(tables, entity.table, columns):
            continue
        frame = tables[entity.table]
        kinds, ids, bad = _keys(entity, frame)
        if bad:
            nodes.unnormalised[entity.table] = bad
        label_col = entity.label if entity.label in frame.columns else entity.key
        labels = frame.get_column(label_col).cast(pl.String)
        if entity.table == "im_accounts":
            labels = frame.get_column("platform").cast(pl.String) + ":" + labels
        flags = (
            frame.get_column(entity.flag).fill_null(False).cast(pl.Boolean).to_numpy()
            if entity.flag and entity.flag in frame.columns
            else np.zeros(frame.height, dtype=bool)
        )
        start = nodes.add(ids, kinds, labels, flags, _attr_frame(entity, frame))
        nodes.sids[entity.table] = (references(frame, entity.table, "id"), start)


class _Resolver:
    """Store ids of a table → node indices (-1 for an empty reference, -2 for a reference to a
    row that does not exist)."""

    def __init__(self, sids: IntArray, nodes: IntArray) -> None:
        order = np.argsort(sids, kind="stable")
        self.sids, self.nodes = sids[order], nodes[order]

    def __call__(self, refs: IntArray) -> IntArray:
        if not self.sids.size:
            return np.where(refs >= 0, -2, -1)
        at = np.minimum(np.searchsorted(self.sids, refs), self.sids.size - 1)
        found = (self.sids[at] == refs) & (refs >= 0)
        return np.where(found, self.nodes[at], np.where(refs >= 0, -2, -1))


def _dedupe(nodes: _Nodes) -> tuple[IntArray, int, dict[str, int]]:
    """Merge rows with the same id into the first: (row → node index, nodes kept, merged
    entity rows by table)."""
    if not nodes.ids:
        empty = pl.Series([], dtype=pl.String)
        nodes.add(empty, empty, empty, np.zeros(0, dtype=bool))
    ids = pl.concat(nodes.ids)
    rows = pl.DataFrame({"id": ids}).with_row_index("row")
    first = rows.group_by("id").agg(pl.col("row").min().alias("first"))
    canon_row = (
        rows.join(first, on="id", how="left", maintain_order="left")
        .get_column("first")
        .to_numpy()
        .astype(np.int64)
    )
    keep = canon_row == np.arange(canon_row.size)
    new_index = np.cumsum(keep) - 1
    merged: dict[str, int] = {}
    for table, (sids, start) in nodes.sids.items():
        lost = int((~keep[start : start + sids.size]).sum())
        if lost:
            merged[table] = lost
    return new_index[canon_row], int(keep.sum()), merged


def _finish_nodes(
    nodes: _Nodes, canon: IntArray, n: int
) -> tuple[pl.Series, np.ndarray, pl.Series, np.ndarray, tuple[AttrBlock, ...]]:
    keep = np.zeros(canon.size, dtype=bool)
    keep[np.unique(canon, return_index=True)[1]] = True
    mask = pl.Series(keep)
    ids = pl.concat(nodes.ids).filter(mask)
    kinds = pl.concat(nodes.kinds).filter(mask)
    codes = {t.key: i for i, t in enumerate(NODE_TYPES)}
    types = kinds.replace_strict(codes, return_dtype=pl.Int8).to_numpy()
    labels = pl.concat(nodes.labels).filter(mask)
    flagged = np.zeros(n, dtype=bool)
    np.logical_or.at(flagged, canon, np.concatenate(nodes.flagged))
    blocks = []
    for start, frame in nodes.blocks:
        part = keep[start : start + frame.height]
        if part.any():
            blocks.append(AttrBlock(int(canon[start + int(np.argmax(part))]), frame.filter(part)))
    return ids, types, labels, flagged, tuple(blocks)


def _aggregate(edges: pl.DataFrame, n: int) -> dict[str, np.ndarray]:
    """Sort events by (src, dst, type, time); one edge per (src, dst, type)."""
    ordered = edges.sort(["s", "d", "t", "time"])
    s = ordered.get_column("s").to_numpy().astype(np.int64)
    d = ordered.get_column("d").to_numpy().astype(np.int64)
    t = ordered.get_column("t").to_numpy().astype(np.int8)
    time = ordered.get_column("time").to_numpy().astype(np.int64)
    value = ordered.get_column("value").to_numpy().astype(np.int64)
    change = np.ones(s.size, dtype=bool)
    change[1:] = (s[1:] != s[:-1]) | (d[1:] != d[:-1]) | (t[1:] != t[:-1])
    starts = np.flatnonzero(change)
    eptr = np.append(starts, s.size).astype(np.int64)
    known = time[time != NO_TIME]
    t0, t1 = (int(known.min()), int(known.max())) if known.size else (0, 0)
    span = t1 - t0 + 2
    if starts.size * span >= 2**62:
        raise InvalidInput(
            f"times span {span} s over {starts.size} edges: too wide to index; "
            "check for times in the wrong unit",
            field="time",
        )
    edge_of = np.repeat(np.arange(starts.size, dtype=np.int64), np.diff(eptr))
    key = edge_of * span + (np.clip(time, t0, t1) - t0)
    src, dst = s[starts], d[starts]
    rows = np.concatenate([src, dst])
    order = np.argsort(rows)
    ids = np.arange(starts.size, dtype=np.int64)
    return {
        "src": src,
        "dst": dst,
        "etype": t[starts],
        "eptr": eptr,
        "ev_time": time,
        "ev_value": value,
        "ev_cum": np.concatenate([[0], np.cumsum(value)]).astype(np.int64),
        "ev_case": ordered.get_column("case").to_numpy().astype(bool),
        "ev_key": key,
        "t0": np.int64(t0),
        "t1": np.int64(t1),
        "indptr": np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))]).astype(np.int64),
        "adj_node": np.concatenate([dst, src])[order],
        "adj_edge": np.concatenate([ids, ids])[order],
    }


def _counts(codes: np.ndarray, keys: tuple[str, ...]) -> dict[str, int]:
    counts = np.bincount(codes.astype(np.int64), minlength=len(keys))
    return {key: int(c) for key, c in zip(keys, counts, strict=True) if c}


def build_graph(
    tables: Mapping[str, pl.DataFrame], *, extra_edges: pl.DataFrame | None = None
) -> EntityGraph:
    """Build the entity graph from store-shaped frames (any subset of :data:`GRAPH_TABLES`)
    and optional ``extra_edges`` (columns source, target, type, at, value).

    Raises ``InvalidInput`` naming the table, column and row of input it cannot read."""
    nodes = _Nodes()
    _entity_nodes(tables, nodes)
    bare = bare_candidates(tables, extra_edges)
    events, domains, extra = bare
    bare_ids = [events.get_column("id"), domains.get_column("id")]
    if extra is not None:
        bare_ids += [extra.get_column("source"), extra.get_column("target")]
    candidates = pl.concat(bare_ids).unique(maintain_order=True)
    if candidates.len():
        kinds = candidates.str.extract(r"^([a-z]+):", 1)
        nodes.add(
            candidates,
            kinds,
            candidates.str.replace(r"^[a-z]+:", ""),
            np.zeros(candidates.len(), dtype=bool),
        )
    canon, n, merged = _dedupe(nodes)
    ids, types, labels, flagged, blocks = _finish_nodes(nodes, canon, n)
    resolvers = {
        table: _Resolver(sids, canon[start + np.arange(sids.size)])
        for table, (sids, start) in nodes.sids.items()
    }

    def resolve(table: str, refs: IntArray) -> IntArray:
        if table not in resolvers:
            return np.where(refs >= 0, -2, -1)
        return resolvers[table](refs)

    lookup = pl.DataFrame({"id": ids, "node": np.arange(n, dtype=np.int64)})
    phones = tables.get("phones")
    if phones is not None and "imsi" in phones.columns and "phones" in resolvers:
        own = resolve("phones", references(phones, "phones", "id"))
        alias = pl.DataFrame(
            {"id": node_ids("sim", phones.get_column("imsi").cast(pl.String)), "node": own}
        ).drop_nulls("id")
        lookup = pl.concat([lookup, alias.unique("id", keep="first")])
    lookup = lookup.sort("id")
    collected = Edges()
    store_edges(tables, resolve, collected)
    id_edges(tables, bare, lookup, resolve, collected)
    frame = (
        pl.concat(collected.parts)
        if collected.parts
        else pl.DataFrame(
            schema={
                "s": pl.Int64,
                "d": pl.Int64,
                "t": pl.Int8,
                "time": pl.Int64,
                "value": pl.Int64,
                "case": pl.Boolean,
            }
        )
    )
    loops = frame.filter(pl.col("s") == pl.col("d")).get_column("t").to_numpy()
    frame = frame.filter(pl.col("s") != pl.col("d"))
    arrays = _aggregate(frame, n)
    edge_keys = tuple(t.key for t in EDGE_TYPES)
    report = BuildReport(
        nodes=_counts(types, tuple(t.key for t in NODE_TYPES)),
        edges=_counts(arrays["etype"], edge_keys),
        events=_counts(frame.get_column("t").to_numpy(), edge_keys),
        self_loops=_counts(loops, edge_keys),
        dangling=dict(collected.dangling),
        duplicate_nodes=merged,
        unnormalised=dict(nodes.unnormalised),
    )
    return EntityGraph(
        ids=ids,
        types=types.astype(np.int8),
        labels=labels,
        flagged=flagged,
        attrs=blocks,
        lookup_ids=lookup.get_column("id"),
        lookup_nodes=lookup.get_column("node").to_numpy().astype(np.int64),
        src=arrays["src"],
        dst=arrays["dst"],
        etype=arrays["etype"],
        eptr=arrays["eptr"],
        ev_time=arrays["ev_time"],
        ev_value=arrays["ev_value"],
        ev_cum=arrays["ev_cum"],
        ev_case=arrays["ev_case"],
        ev_key=arrays["ev_key"],
        t0=int(arrays["t0"]),
        t1=int(arrays["t1"]),
        indptr=arrays["indptr"],
        adj_node=arrays["adj_node"],
        adj_edge=arrays["adj_edge"],
        report=report,
    )
