"""The entity graph (a subgraph or the whole store) as FollowTheMoney entities, made by the
``followthemoney`` library's own model and entity proxies (so its cleaning applies) and
using only schemata of its standard model, so an unmodified Aleph / OpenAleph and the
``ftm`` command (``export-gexf``, ``export-cypher``, ``validate``) load them.

Nodes (every entity keeps its fanzha id in ``keywords``; a node flagged by a carrier or a
bank gets topic ``crime.fraud``):

- person → ``Person`` (``idNumber``, ``phone`` in E.164, ``birthDate``, ``gender``,
  ``address``, ``profession``), outlet → ``Organization`` (``sector``, ``address``);
- account → ``BankAccount`` (``accountNumber``, ``bankName``, ``accountType``,
  ``openingDate``), wallet → ``CryptoWallet`` (``publicKey``, ``holder``);
- phone → ``UserAccount``: ``username`` the number as dialled in China, ``phone`` its E.164
  form (when ``phonenumbers`` takes it for a valid number), ``service`` the carrier,
  ``createdAt`` the registration, the IMSI in ``keywords``, ``owner`` the person it is
  registered to, ``ipAddress`` the addresses it logged in from;
- IM account → ``UserAccount`` (``service`` the platform, ``username`` the handle);
- device (phone, GOIP box) → ``Asset`` with the IMEI in ``keywords``; URL, domain and IP
  → ``Asset`` named by the value (a URL also in ``sourceUrl``);
- case → ``CourtCase`` (``caseNumber``, ``category`` the fraud type, ``fileDate`` the
  report, ``status``, ``address`` the district).

Edges (each keeps ``src|dst|type`` in ``recordId``, ``summary`` is ``<Chinese type>×<event
count>``, ``startDate`` / ``endDate`` the first and last event):

- transfer between accounts or wallets → ``Payment`` (``amount`` yuan, ``currency`` CNY,
  ``payerAccount`` / ``beneficiaryAccount``, ``payer`` / ``beneficiary`` the registered
  holders; FtM requires both parties, so an account nobody is registered to gets a
  ``LegalEntity`` standing for its unknown holder, and a wallet end is named in
  ``description``);
- call or text → ``Call`` (``callerNumber`` / ``receiverNumber`` in E.164, ``caller`` /
  ``receiver`` the holders, ``duration`` seconds of a call);
- registered-by: an account → ``Ownership``; a phone, IM account or wallet → its
  ``owner`` / ``holder`` property; reported-in → ``CourtCaseParty``;
- every other edge → ``UnknownLink`` with ``role`` the fanzha edge type.

A clue export also carries the registered holder of every card, phone, IM account and
wallet in it (with the registration), so payments and calls name their parties. What has
no FtM property (a device's slots, an account's status, a store id …) goes into ``notes``
as ``name=value``; a value FtM's cleaning would refuse or alter is kept there too and
counted in :class:`FtmReport`. Dates are naive UTC with seconds (FtM truncates ``…Z`` times
to minutes). ``followthemoney`` is imported by the first export, not with this module
(loading its model takes seconds). Ids are ``fz-`` + 24 hex digits of the SHA-1 of the
fanzha node id (or edge key), so an entity has the same id in every export.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from fanzha.graph._clean import NO_TIME, IntArray
from fanzha.graph._expand import Subgraph
from fanzha.graph._graph import EntityGraph
from fanzha.graph._schema import EDGE_TYPES, NODE_TYPES, edge_type_code, node_type_code
from fanzha.records import e164_phone

if TYPE_CHECKING:
    from followthemoney.schema import Schema
    from followthemoney.types.common import PropertyType

__all__ = ["SCHEMA_OF", "FtmReport", "ftm_date", "ftm_entities", "ftm_id", "iter_ftm_entities"]

#: The FtM schema of each fanzha node type.
SCHEMA_OF: Mapping[str, str] = MappingProxyType(
    {
        "person": "Person",
        "account": "BankAccount",
        "wallet": "CryptoWallet",
        "im": "UserAccount",
        "phone": "UserAccount",
        "outlet": "Organization",
        "device": "Asset",
        "url": "Asset",
        "domain": "Asset",
        "ip": "Asset",
        "case": "CourtCase",
    }
)
# fanzha attribute → FtM property, per node type; other attributes go into notes.
_PROPS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "person": {
            "id_number": "idNumber",
            "birth_date": "birthDate",
            "occupation": "profession",
        },
        "account": {"bank": "bankName", "kind": "accountType", "opened_at": "openingDate"},
        "wallet": {"opened_at": "creationDate"},
        "im": {"platform": "service"},
        "phone": {"carrier": "service", "registered_at": "createdAt", "imsi": "keywords"},
        "outlet": {"kind": "sector", "district": "address"},
        "device": {"imei": "keywords", "district": "address"},
        "url": {"first_seen": "createdAt", "url": "sourceUrl"},
        "case": {
            "fraud_type": "category",
            "reported_at": "fileDate",
            "status": "status",
            "district": "address",
        },
    }
)
# Attributes already written as the entity's key or label.
_KEYED = frozenset({"name", "number", "account_no", "handle", "case_no"})
_GENDER = MappingProxyType({"M": "male", "F": "female"})
_KIND_LABEL = MappingProxyType({t.key: t.label for t in NODE_TYPES})
_CHUNK = 20_000
_MEMO = 20_000
#: E.164 form of a number, memoised (phonenumbers' parse is the costly part of a Call).
_e164 = lru_cache(maxsize=_MEMO)(e164_phone)


@dataclass
class FtmReport:
    """What an export wrote: entities per schema, and values FtM's cleaning refused or
    altered (kept in ``notes`` instead; the tests require none)."""

    schemata: Counter[str] = field(default_factory=Counter)
    refused: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Number of entities written."""
        return sum(self.schemata.values())


def ftm_id(key: str) -> str:
    """The FtM entity id of a fanzha node id or edge key."""
    return "fz-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:24]


#: :func:`ftm_id` of node ids, which edges name again and again.
_node_ftm_id = lru_cache(maxsize=_MEMO)(ftm_id)


def ftm_date(text: str | None) -> str | None:
    """An ISO time as FtM keeps it with its seconds: naive UTC (``…Z`` dropped)."""
    if not text:
        return None
    return text[:-1] if text.endswith("Z") else text


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


class _Draft:
    """An entity being made: its schema, id and property values (deduplicated, in order)."""

    __slots__ = ("id", "props", "schema")

    def __init__(self, schema: Schema, entity_id: str) -> None:
        self.schema, self.id = schema, entity_id
        self.props: dict[str, list[str]] = {}

    def add(self, prop: str, value: str) -> None:
        values = self.props.setdefault(prop, [])
        if value not in values:
            values.append(value)


class _Builder:
    """Makes entities: every value goes through FtM's cleaning of its property's type (in a
    bounded least-recently-used cache per type: the result depends on the value alone), what
    it refuses or alters is kept in notes, and the entity is built as a proxy of FtM's model
    from the cleaned values (its fast path for cleaned data)."""

    def __init__(self, report: FtmReport) -> None:
        # followthemoney loads its whole model on import (seconds): only an export pays it.
        from followthemoney import model
        from followthemoney.proxy import EntityProxy

        self.model, self.proxy = model, EntityProxy
        self.report = report
        self.schemata: dict[str, Schema] = {}
        self.types: dict[tuple[str, str], tuple[str, Callable[[str], str | None]]] = {}
        self.cleaners: dict[str, Callable[[str], str | None]] = {}

    def make(self, schema: str, key: str) -> _Draft:
        found = self.schemata.get(schema)
        if found is None:
            found = self.schemata[schema] = self.model[schema]
        return _Draft(found, ftm_id(key))

    def put(self, p: _Draft, prop: str, value: object) -> None:
        if value is None or value == "":
            return
        text = value if isinstance(value, str) else str(value)
        typed = self.types.get((p.schema.name, prop))
        if typed is None:
            typed = self.types[(p.schema.name, prop)] = self._cleaner(p.schema, prop)
        kind, clean = typed
        cleaned = clean(text)
        if cleaned is not None and kind == "entity" and cleaned == p.id:
            cleaned = None  # FtM refuses a reference of an entity to itself
        if cleaned is None:
            self.report.refused.append(f"{p.id} {prop}={text}")
            p.add("notes", f"{prop}={text}")
            return
        if cleaned != text:
            self.report.altered.append(f"{p.id} {prop}={text}→{cleaned}")
            p.add("notes", f"{prop}={text}")
        p.add(prop, cleaned)

    def _cleaner(self, schema: Schema, prop: str) -> tuple[str, Callable[[str], str | None]]:
        kind: PropertyType = schema.properties[prop].type
        if kind.name not in self.cleaners:
            self.cleaners[kind.name] = lru_cache(maxsize=_MEMO)(kind.clean)
        return kind.name, self.cleaners[kind.name]

    def put_clean(self, p: _Draft, prop: str, value: str) -> None:
        """Add a value this module writes in FtM's own cleaned form (a naive ISO time with
        seconds); the tests check that FtM's cleaning keeps every such value unchanged."""
        p.add(prop, value)

    def done(self, p: _Draft) -> dict[str, Any]:
        proxy = self.proxy(p.schema, {"id": p.id, "properties": p.props}, cleaned=True)
        self.report.schemata[p.schema.name] += 1
        out: dict[str, Any] = proxy.to_dict()
        return {"id": out["id"], "schema": out["schema"], "properties": out["properties"]}


@dataclass(frozen=True, slots=True)
class _Edges:
    """The edges of an export with their (windowed) count, value and first/last time."""

    edges: IntArray
    count: IntArray
    value: IntArray
    first: IntArray
    last: IntArray


def _primary_owners(graph: EntityGraph) -> tuple[IntArray, IntArray]:
    """Per node: the person it is first registered to (-1: none) and that edge (-1)."""
    reg = edge_type_code("registered-by")
    person = node_type_code("person")
    edges = np.flatnonzero((graph.etype == reg) & (graph.types[graph.dst] == person))
    owner = np.full(graph.n_nodes, -1, dtype=np.int64)
    via = np.full(graph.n_nodes, -1, dtype=np.int64)
    src = graph.src[edges]
    _, first = np.unique(src, return_index=True)
    owner[src[first]] = graph.dst[edges[first]]
    via[src[first]] = edges[first]
    return owner, via


def _with_holders(
    graph: EntityGraph, sub: Subgraph, owner: IntArray, via: IntArray
) -> tuple[IntArray, _Edges]:
    """The subgraph's nodes and edges plus every node's registered holder and that edge."""
    extra_edges = via[sub.nodes]
    extra_edges = np.setdiff1d(extra_edges[extra_edges >= 0], sub.edges)
    holders = owner[sub.nodes]
    nodes = np.concatenate([sub.nodes, np.setdiff1d(holders[holders >= 0], sub.nodes)])
    edges = _Edges(
        np.concatenate([sub.edges, extra_edges]),
        np.concatenate([sub.count, graph.count[extra_edges]]),
        np.concatenate([sub.value, graph.value[extra_edges]]),
        np.concatenate([sub.first, graph.first[extra_edges]]),
        np.concatenate([sub.last, graph.last[extra_edges]]),
    )
    return nodes.astype(np.int64), edges


def _links(graph: EntityGraph, edges: IntArray) -> dict[int, list[tuple[str, int]]]:
    """Relations carried as node properties: (property, other node) per node."""
    reg, login = edge_type_code("registered-by"), edge_type_code("logged-in-from")
    person, ip = node_type_code("person"), node_type_code("ip")
    holds = {node_type_code("phone"): "owner", node_type_code("im"): "owner"}
    holds[node_type_code("wallet")] = "holder"
    out: dict[int, list[tuple[str, int]]] = {}
    kind = graph.etype[edges]
    picked = edges[(kind == reg) | (kind == login)]
    for edge in picked.tolist():
        src, dst, etype = int(graph.src[edge]), int(graph.dst[edge]), int(graph.etype[edge])
        src_type, dst_type = int(graph.types[src]), int(graph.types[dst])
        if etype == reg and dst_type == person and src_type in holds:
            out.setdefault(src, []).append((holds[src_type], dst))
        elif (
            etype == login
            and dst_type == ip
            and SCHEMA_OF[NODE_TYPES[src_type].key] == ("UserAccount")
        ):
            out.setdefault(src, []).append(("ipAddress", dst))
    return out


def _node(
    b: _Builder,
    node_id: str,
    kind: str,
    label: str,
    flagged: bool,
    attrs: dict[str, Any],
    links: list[tuple[str, int]],
    ids: Any,
) -> dict[str, Any]:
    schema = SCHEMA_OF[kind]
    key = node_id.split(":", 1)[1]
    p = b.make(schema, node_id)
    b.put(p, "name", label)
    b.put(p, "keywords", node_id)
    if flagged:
        b.put(p, "topics", "crime.fraud")
    mapped = _PROPS.get(kind, {})
    for name, value in sorted(attrs.items()):
        if name in mapped:
            target = mapped[name]
            b.put(p, target, ftm_date(value) if target.endswith(("Date", "At")) else value)
        elif name == "gender" and kind == "person" and value in _GENDER:
            b.put(p, "gender", _GENDER[value])
        elif name == "phone_number" and kind == "person":
            number = _e164(str(value))
            if number:
                b.put(p, "phone", number)
            else:
                b.put(p, "notes", f"{name}={value}")
        elif name in ("district", "town", "village") and kind == "person":
            continue
        elif name in _KEYED and str(value) in (key, label, key.split(":")[-1]):
            continue
        else:
            b.put(p, "notes", f"{name}={value}")
    if kind == "person":
        place = "".join(str(attrs[k]) for k in ("district", "town", "village") if attrs.get(k))
        b.put(p, "address", place)
        b.put(p, "country", "cn")
    elif kind == "account":
        b.put(p, "accountNumber", key)
    elif kind == "wallet":
        b.put(p, "publicKey", key)
    elif kind == "case":
        b.put(p, "caseNumber", key)
    elif kind == "im":
        b.put(p, "username", key.split(":", 1)[-1])
    elif kind == "phone":
        b.put(p, "username", key)
        b.put(p, "phone", _e164(key))
    elif kind in ("device", "url", "domain", "ip"):
        b.put(p, "summary", _KIND_LABEL[kind])
        b.put(p, "keywords", key)
    for prop, other in links:
        other_id = str(ids[other])
        b.put(p, prop, other_id.split(":", 1)[1] if prop == "ipAddress" else _node_ftm_id(other_id))
    return b.done(p)


def _iso_times(seconds: IntArray) -> list[str | None]:
    """Epoch seconds as naive UTC ISO times with seconds (FtM's own form; None: unknown)."""
    text = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s").tolist()
    return [None if t == NO_TIME else v for t, v in zip(seconds.tolist(), text, strict=True)]


def _node_ids_or_none(graph: EntityGraph, nodes: IntArray) -> list[str | None]:
    """The node ids of ``nodes`` (None where the index is -1)."""
    out: list[str | None] = [None] * nodes.size
    known = np.flatnonzero(nodes >= 0)
    for at, node_id in zip(known.tolist(), graph.ids.gather(nodes[known]).to_list(), strict=True):
        out[at] = node_id
    return out


class _EdgeWriter:
    """Turns aggregated edges into Payment / Call / Ownership / CourtCaseParty /
    UnknownLink entities (registered-by of phones, IM accounts and wallets, and logins of
    accounts, are node properties and give no entity)."""

    def __init__(self, b: _Builder, graph: EntityGraph, owner: IntArray) -> None:
        self.b, self.graph, self.owner = b, graph, owner
        self.made_holders: set[str] = set()
        self.kinds = [t.key for t in NODE_TYPES]

    def _party(self, node_id: str, holder: str | None) -> tuple[str, dict[str, Any] | None]:
        """The holder of a card or wallet: its registered person, else a stand-in."""
        if holder is not None:
            return _node_ftm_id(holder), None
        key = f"holder:{node_id}"
        if key in self.made_holders:
            return ftm_id(key), None
        self.made_holders.add(key)
        p = self.b.make("LegalEntity", key)
        self.b.put(p, "name", f"{node_id.split(':', 1)[1]} 的持有人（未登记）")
        self.b.put(p, "keywords", key)
        return ftm_id(key), self.b.done(p)

    def write(
        self,
        edge: int,
        ends: tuple[str, str],
        holders: tuple[str | None, str | None],
        count: int,
        value: int,
        times: tuple[str | None, str | None],
    ) -> Iterator[dict[str, Any]]:
        g, b = self.graph, self.b
        a, b_id = ends
        src, dst = int(g.src[edge]), int(g.dst[edge])
        etype = EDGE_TYPES[int(g.etype[edge])]
        kind_a, kind_b = self.kinds[int(g.types[src])], self.kinds[int(g.types[dst])]
        key = f"{a}|{b_id}|{etype.key}"
        money = ("account", "wallet")
        if etype.key == "registered-by" and kind_b == "person" and kind_a in ("phone", "im"):
            return
        if etype.key == "registered-by" and kind_b == "person" and kind_a == "wallet":
            return
        if etype.key == "transferred" and kind_a in money and kind_b in money:
            payer, made_a = self._party(a, holders[0])
            payee, made_b = self._party(b_id, holders[1])
            yield from (m for m in (made_a, made_b) if m is not None)
            p = b.make("Payment", key)
            b.put(p, "payer", payer)
            b.put(p, "beneficiary", payee)
            wallets = []
            sides = (("payerAccount", a, kind_a), ("beneficiaryAccount", b_id, kind_b))
            for prop, node_id, kind in sides:
                if kind == "account":
                    b.put(p, prop, _node_ftm_id(node_id))
                else:
                    wallets.append(node_id)
            if wallets:
                b.put(p, "description", "数字钱包: " + ", ".join(wallets))
            b.put(p, "amount", _yuan(value))
            b.put(p, "currency", "CNY")
        elif etype.key in ("called", "texted"):
            p = b.make("Call", key)
            for prop, party, holder, node_id, kind in (
                ("callerNumber", "caller", holders[0], a, kind_a),
                ("receiverNumber", "receiver", holders[1], b_id, kind_b),
            ):
                number = _e164(node_id.split(":", 1)[1]) if kind == "phone" else None
                if number:
                    b.put(p, prop, number)
                else:
                    b.put(p, "notes", f"{prop}={node_id}")
                if holder is not None:
                    b.put(p, party, _node_ftm_id(holder))
            if etype.key == "called":
                b.put(p, "duration", value)
        elif etype.key == "registered-by" and kind_a == "account" and kind_b == "person":
            p = b.make("Ownership", key)
            b.put(p, "owner", _node_ftm_id(b_id))
            b.put(p, "asset", _node_ftm_id(a))
            b.put(p, "role", etype.key)
        elif etype.key == "reported-in" and "case" in (kind_a, kind_b) and kind_a != kind_b:
            case, party = (b_id, a) if kind_b == "case" else (a, b_id)
            p = b.make("CourtCaseParty", key)
            b.put(p, "case", _node_ftm_id(case))
            b.put(p, "party", _node_ftm_id(party))
            b.put(p, "role", etype.key)
        else:
            p = b.make("UnknownLink", key)
            b.put(p, "subject", _node_ftm_id(a))
            b.put(p, "object", _node_ftm_id(b_id))
            b.put(p, "role", etype.key)
            if etype.key == "transferred":
                b.put(p, "description", f"amount={_yuan(value)}")
        b.put(p, "recordId", key)
        b.put(p, "summary", f"{etype.label}×{count}")
        for prop, time in zip(("startDate", "endDate"), times, strict=True):
            if time is not None:
                b.put_clean(p, prop, time)
        yield b.done(p)


def iter_ftm_entities(
    graph: EntityGraph, sub: Subgraph | None = None, report: FtmReport | None = None
) -> Iterator[dict[str, Any]]:
    """FtM entities of ``sub`` (with the registered holders of its cards, phones, IM
    accounts and wallets) or, when ``sub`` is None, of the whole graph: nodes first, then
    edges, a chunk at a time, so memory does not grow with the export."""
    b = _Builder(report if report is not None else FtmReport())
    owner, via = _primary_owners(graph)
    if sub is None:
        nodes = np.arange(graph.n_nodes, dtype=np.int64)
        edges = _Edges(
            np.arange(graph.n_edges, dtype=np.int64),
            graph.count,
            graph.value,
            graph.first,
            graph.last,
        )
    else:
        nodes, edges = _with_holders(graph, sub, owner, via)
    links = _links(graph, edges.edges)
    kinds = [t.key for t in NODE_TYPES]
    for start in range(0, nodes.size, _CHUNK):
        chunk = nodes[start : start + _CHUNK]
        ids = graph.ids.gather(chunk).to_list()
        labels = graph.labels.gather(chunk).to_list()
        attrs = graph.attrs_of(chunk)
        for at, node in enumerate(chunk.tolist()):
            yield _node(
                b,
                ids[at],
                kinds[int(graph.types[node])],
                labels[at],
                bool(graph.flagged[node]),
                attrs[at],
                links.get(node, []),
                graph.ids,
            )
    writer = _EdgeWriter(b, graph, owner)
    for start in range(0, edges.edges.size, _CHUNK):
        part = edges.edges[start : start + _CHUNK]
        src, dst = graph.src[part], graph.dst[part]
        src_ids, dst_ids = graph.ids.gather(src).to_list(), graph.ids.gather(dst).to_list()
        src_holders = _node_ids_or_none(graph, owner[src])
        dst_holders = _node_ids_or_none(graph, owner[dst])
        window = slice(start, start + part.size)
        firsts, lasts = _iso_times(edges.first[window]), _iso_times(edges.last[window])
        counts, values = edges.count[window].tolist(), edges.value[window].tolist()
        for at, edge in enumerate(part.tolist()):
            yield from writer.write(
                edge,
                (src_ids[at], dst_ids[at]),
                (src_holders[at], dst_holders[at]),
                counts[at],
                values[at],
                (firsts[at], lasts[at]),
            )


def ftm_entities(
    graph: EntityGraph, sub: Subgraph | None = None, report: FtmReport | None = None
) -> list[dict[str, Any]]:
    """:func:`iter_ftm_entities` as a list."""
    return list(iter_ftm_entities(graph, sub, report))
