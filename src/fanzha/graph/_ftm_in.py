"""FollowTheMoney entities → rows of the store's tables: the inverse of :mod:`._ftm`.

Nodes. An entity fanzha exported names its fanzha node id in ``keywords`` (and its id is
``ftm_id`` of it): it becomes a row of that node type's table, its properties mapped back
(``name`` the stored key or name, ``notes`` ``name=value`` the columns FtM has no property
for, ``store_id`` the id it had), an ``address`` split back into district / town / village.
A node with no stored row behind it in the export (a domain, an event's counterpart) gives
no row: the edges that name it bring it back. An entity from elsewhere (Aleph, another
center) is placed by its schema: ``Person``; ``BankAccount`` (``accountNumber`` / ``iban``);
``CryptoWallet`` (``publicKey``); ``UserAccount`` → a phone when its ``phone`` or
``username`` is a valid number, else an IM account (``service`` the platform); ``CourtCase``
(``caseNumber``). Anything else is counted in :attr:`FtmImportReport.unplaced`, by reason.

Edges. ``recordId`` (``src|dst|type``) gives both ends and the fanzha edge type of an
exported edge; a foreign ``Payment`` / ``Call`` / ``Ownership`` / ``CourtCaseParty`` is read
from its own properties. A static edge sets the reference column of the new row it starts
from (``owner_id``, ``holder_id``, ``outlet_id``, ``device_id``, ``victim_id``). A timed
edge summarises N events (``summary`` ``<type>×N``, ``startDate`` / ``endDate``, the
``amount`` or ``duration`` their sum): it becomes N rows, the first at the start carrying
the whole sum, the last at the end, the others at the start with 0 (transfers are marked
``txn_id`` ``ftm:<entity id>[:k]``), so the graph built from them, and its export, are the
same. Payments named by an account → case ``CourtCaseParty`` get that ``case_id``.

Against the store: a node whose key is stored (a phone number, a card, a case number …,
a person by ``person:<id>`` with the same name, or by ID number) is the stored row, not
written again; an edge the stored graph already has is skipped; a new row keeps its old id
where that id is free. Importing the same file twice therefore adds nothing the second
time, and nothing stored is changed: a static edge starting at a stored row is counted, not
applied.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import polars as pl

from fanzha.graph._ftm import ftm_id
from fanzha.graph._ftm_nodes import (
    DEFAULTS,
    EDGE_KEYS,
    REFERENCE,
    TABLE,
    Node,
    Store,
    fen,
    national,
    node_of,
    one,
    to_int,
    when,
)
from fanzha.graph._ftm_read import FtmEntity

__all__ = ["FtmImport", "FtmImportReport", "ftm_records"]


@dataclass
class FtmImportReport:
    """What an import did: entities read, rows planned per table, what was already stored,
    placeholder events made for aggregated edges, and what fanzha could not place (why)."""

    entities: int = 0
    rows: Counter[str] = field(default_factory=Counter)
    already_stored: int = 0
    stand_ins: int = 0
    placeholders: int = 0
    unplaced: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class FtmImport:
    """New rows per store table (store column names, ids assigned) and the report."""

    tables: dict[str, pl.DataFrame]
    report: FtmImportReport


_EDGE_SCHEMATA = frozenset({"Payment", "Call", "Ownership", "CourtCaseParty", "UnknownLink"})
_MONEY = ("account", "wallet")


def _count(e: FtmEntity) -> int:
    match = re.search(r"×([0-9]+)$", e.first("summary") or "")
    return max(int(match.group(1)), 1) if match else 1


def _short(entity_id: str) -> str:
    return entity_id if len(entity_id) <= 30 else hashlib.sha1(entity_id.encode()).hexdigest()[:30]


class _Plan:
    """Rows being planned, ids handed out, and the report."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.report = FtmImportReport()
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.taken = {t: set(rows) for t, rows in store.rows.items()}
        self.nodes: dict[str, Node] = {}  # FtM id → node
        self.by_node_id: dict[str, Node] = {}
        self.case_links: dict[int, list[_CaseLink]] = {}

    def new_id(self, table: str, want: int | None = None) -> int:
        taken = self.taken.setdefault(table, set())
        if want is not None and want > 0 and want not in taken:
            taken.add(want)
            return want
        self.store.next.setdefault(table, 1)
        while self.store.next[table] in taken:
            self.store.next[table] += 1
        taken.add(self.store.next[table])
        return self.store.next[table]

    def add(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        self.rows.setdefault(table, []).append(row)
        return row

    def place(self, e: FtmEntity, node: Node) -> None:
        """Find ``node`` in the store or give it an id; index it."""
        self.nodes[e.id] = node
        if node.row:
            found = self.store.find(node)
            if found is not None:
                node.store_id, node.new = found, False
                self.report.already_stored += 1
            else:
                table = TABLE[node.kind]
                node.store_id = self.new_id(table, node.want)
                node.row["id"] = node.store_id
                self.add(table, node.row)
                if node.kind == "person" and node.row.get("id_number"):
                    self.store.by_id_number[node.row["id_number"]] = node.store_id
                elif node.kind == "person" and node.want is None:
                    self.store.by_person[self.store._who(node.row)] = node.store_id
            if node.kind in ("person", "outlet"):
                node.node_id = f"{node.kind}:{node.store_id}"
            elif node.new and node.node_id:
                self.store.ids[node.node_id] = node.store_id
        if node.node_id:
            self.by_node_id[node.node_id] = node

    def value(self, node: Node, column: str) -> Any:
        """A column of a node's row: the planned row if new, else the stored one."""
        if node.new:
            return node.row.get(column)
        return self.store.rows.get(TABLE[node.kind], {}).get(node.store_id, {}).get(column)

    def link(self, node: Node, column: str, other: Node, what: str) -> None:
        """Set a reference column of a new row; a stored row is left as stored."""
        if node.new and node.row:
            node.row[column] = other.store_id
            return
        stored = self.store.rows.get(TABLE[node.kind], {}).get(node.store_id, {})
        if stored.get(column) != other.store_id:
            self.report.unplaced[f"{what} from a stored row (left as stored)"] += 1


def _ends(e: FtmEntity, plan: _Plan) -> tuple[Node, Node, str] | str:
    """(from node, to node, fanzha edge type) of an edge entity, or why it has none."""
    record = e.first("recordId") or ""
    if "|" in record and ftm_id(record) == e.id:
        rest, _, etype = record.rpartition("|")
        for at in [i for i, c in enumerate(rest) if c == "|"]:
            a, b = plan.nodes.get(ftm_id(rest[:at])), plan.nodes.get(ftm_id(rest[at + 1 :]))
            if a is not None and b is not None:
                return a, b, etype
        return "an edge whose ends are not in the file"
    pairs = {
        "Payment": ("payerAccount", "beneficiaryAccount", "transferred"),
        "Ownership": ("asset", "owner", "registered-by"),
        "CourtCaseParty": ("party", "case", "reported-in"),
        "UnknownLink": ("subject", "object", e.first("role") or ""),
    }
    if e.schema == "Call":
        numbers = [one("phone", national(e.first(p))) for p in ("callerNumber", "receiverNumber")]
        ends = [plan.by_node_id.get(n or "") for n in numbers]
        etype = "called" if e.first("duration") else "texted"
    else:
        src_prop, dst_prop, etype = pairs[e.schema]
        ends = [plan.nodes.get(e.first(p) or "") for p in (src_prop, dst_prop)]
    if etype not in EDGE_KEYS:
        return f"{e.schema} with role {etype!r}"
    if ends[0] is None or ends[1] is None:
        return f"{e.schema} whose ends are not in the file"
    return ends[0], ends[1], etype


@dataclass
class _CaseLink:
    """An account → case edge: ``count`` of the victim's payments into it, first and last."""

    case: Node
    count: int
    first: datetime | None
    last: datetime | None


def _timed_kind(etype: str, s: Node, d: Node) -> str | None:
    """Which table holds the events of an edge (None: not a timed edge fanzha stores)."""
    if etype == "transferred" and s.kind in _MONEY and d.kind in _MONEY:
        return "transfers"
    if etype in ("called", "texted") and s.kind == d.kind == "phone":
        return "calls"
    if etype == "contacted" and d.kind == "person" and s.kind in ("phone", "im", "url"):
        return "events"
    if etype == "SIM-seen" and (s.kind, d.kind) == ("device", "phone"):
        return "device_sightings"
    return None


def _times(n: int, start: datetime, end: datetime) -> list[datetime]:
    """N event times whose first is ``start`` and last is ``end``."""
    return [start] * (n - 1) + [end] if n > 1 else [start]


def _victim_link(plan: _Plan, s: Node, d: Node, n: int) -> _CaseLink | None:
    """The case link a payment of ``s``'s holder into ``d`` stands behind, if any (used once)."""
    links = plan.case_links.get(d.store_id, [])
    holder = plan.value(s, "holder_id")
    for at, link in enumerate(links):
        if holder is not None and plan.value(link.case, "victim_id") == holder and link.count <= n:
            return links.pop(at)
    return None


def _payment_times(
    plan: _Plan, s: Node, d: Node, n: int, start: datetime, end: datetime
) -> list[tuple[datetime, int | None]]:
    """Event times of a payment edge, and the case of each (the case-linked ones first)."""
    link = _victim_link(plan, s, d, n)
    if link is None or link.first is None or link.last is None:
        return [(t, None) for t in _times(n, start, end)]
    linked = [(t, link.case.store_id) for t in _times(link.count, link.first, link.last)]
    rest = n - link.count
    others = _times(rest, start, end) if rest > 1 else [start if start < link.first else end]
    return linked + [(t, None) for t in others[:rest]]


def _timed(plan: _Plan, e: FtmEntity, s: Node, d: Node, etype: str, table: str) -> None:
    """The N rows of a timed edge: the first carries the whole amount or duration."""
    start = when(e.first("startDate") or e.first("date"))
    end = when(e.first("endDate")) or start
    if start is None or end is None:
        plan.report.unplaced[f"{e.schema} without a date"] += 1
        return
    n = _count(e)
    total = fen(e.first("amount")) if table == "transfers" else to_int(e.first("duration")) or 0
    plan.report.placeholders += n - 1
    if table == "transfers":
        currency = (e.first("currency") or "CNY").upper()[:3]
        for k, (at, case) in enumerate(_payment_times(plan, s, d, n, start, end)):
            txn = f"ftm:{_short(e.id)}" + (f":{k}" if k else "")
            row = {"txn_id": txn, "src_account_id": s.store_id, "dst_account_id": d.store_id}
            row |= {"amount_fen": total if k == 0 else 0, "currency": currency, "at": at}
            plan.add(table, row | {"case_id": case, "id": plan.new_id(table)})
        return
    for k, at in enumerate(_times(n, start, end)):
        if table == "calls":
            row = {"caller_id": s.store_id, "callee_id": d.store_id, "started_at": at}
            row |= {"duration_s": total if k == 0 else 0}
            row["kind"] = "call" if etype == "called" else "sms"
        elif table == "events":
            key = (s.node_id or "").split(":", 1)[1]
            counterpart = key.split(":", 1)[1] if s.kind == "im" else s.row.get("url", key)
            row = {"kind": "contact", "occurred_at": at, "person_id": d.store_id}
            row |= {"counterpart": counterpart, "counterpart_kind": s.kind, "source": "ftm"}
        else:
            seen_at = at if k == n - 1 else min(start + timedelta(seconds=k), end)
            row = {"device_id": s.store_id, "phone_id": d.store_id, "seen_at": seen_at}
        plan.add(table, row | {"id": plan.new_id(table)})


def _static(plan: _Plan, e: FtmEntity, s: Node, d: Node, etype: str) -> None:
    """A static edge: the reference column of the row it starts from."""
    column = REFERENCE.get((etype, s.kind))
    target = "outlet" if etype == "opened-at" else "phone" if etype == "used-SIM" else "person"
    if etype == "reported-in" and (s.kind, d.kind) == ("person", "case"):
        plan.link(d, "victim_id", s, "case victim")
    elif etype == "reported-in" and (s.kind, d.kind) == ("account", "case"):
        first = when(e.first("startDate"))
        link = _CaseLink(d, _count(e), first, when(e.first("endDate")) or first)
        plan.case_links.setdefault(s.store_id, []).append(link)
    elif etype == "used-SIM" and (s.kind, d.kind) == ("device", "phone"):
        plan.link(d, "device_id", s, "phone's device")
    elif column and d.kind == target and s.row:
        plan.link(s, column, d, f"{etype} link")
    elif etype != "hosted-on" or (s.kind, d.kind) != ("url", "domain"):
        plan.report.unplaced[f"{etype} {s.kind}→{d.kind}"] += 1


def _edges(plan: _Plan, edges: list[FtmEntity]) -> None:
    """Static edges first (holders, victims), then the events of the timed ones."""
    timed: list[tuple[FtmEntity, Node, Node, str, str]] = []
    for e in edges:
        ends = _ends(e, plan)
        if isinstance(ends, str):
            plan.report.unplaced[ends] += 1
            continue
        s, d, etype = ends
        if f"{s.node_id}|{d.node_id}|{etype}" in plan.store.edges:
            plan.report.already_stored += 1
            continue
        table = _timed_kind(etype, s, d)
        if table is not None and (s.row or s.kind in ("phone", "im", "url")):
            timed.append((e, s, d, etype, table))
        else:
            _static(plan, e, s, d, etype)
    for e, s, d, etype, table in timed:
        _timed(plan, e, s, d, etype, table)
    left = sum(len(links) for links in plan.case_links.values())
    if left:
        plan.report.unplaced["account named by a case without the victim's payment"] += left


def _frame(table: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    defaults = DEFAULTS.get(table, {})
    filled = [{**r, **{k: v for k, v in defaults.items() if r.get(k) is None}} for r in rows]
    frame = pl.DataFrame(filled, infer_schema_length=None)
    return frame.select([c for c in frame.columns if frame.schema[c] != pl.Null])


def ftm_records(
    entities: Iterable[FtmEntity],
    *,
    stored: Mapping[str, pl.DataFrame],
    next_ids: Mapping[str, int],
) -> FtmImport:
    """Plan the rows that load ``entities`` (checked by :func:`check_ftm_entity`) into a
    store holding ``stored`` (its graph tables), new ids from ``next_ids`` on."""
    plan = _Plan(Store(stored, next_ids))
    report = plan.report
    edges: list[FtmEntity] = []
    placed: list[tuple[FtmEntity, Node]] = []
    for e in entities:
        report.entities += 1
        if e.schema in _EDGE_SCHEMATA:
            edges.append(e)
        elif e.schema == "LegalEntity" and any(k.startswith("holder:") for k in e.get("keywords")):
            report.stand_ins += 1
        elif (node := node_of(e)) is not None:
            placed.append((e, node))
        else:
            report.unplaced[f"{e.schema} (no fanzha record for it)"] += 1
    for e, node in sorted(placed, key=lambda item: item[1].want is None):
        plan.place(e, node)
    for e, node in placed:
        for prop, what in (("owner", "owner"), ("holder", "holder")):
            other = plan.nodes.get(e.first(prop) or "")
            if other is not None and other.kind == "person":
                column = "owner_id" if prop == "owner" else "holder_id"
                plan.link(node, column, other, what)
        report.unplaced["UserAccount.ipAddress (no login log in the store)"] += len(
            e.get("ipAddress")
        )
    _edges(plan, edges)
    report.unplaced = +report.unplaced
    tables = {t: _frame(t, rows) for t, rows in plan.rows.items() if rows}
    report.rows = Counter({t: f.height for t, f in tables.items()})
    return FtmImport(tables, report)
