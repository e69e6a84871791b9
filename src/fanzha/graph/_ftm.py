"""A subgraph as FollowTheMoney entities (``{"id", "schema", "properties": {prop: [str]}}``),
one JSON object per line, for Aleph / OpenAleph.

Standard schemata: ``Person``, ``BankAccount``, ``CryptoWallet``, ``UserAccount`` (IM
accounts), ``Organization`` (outlets), ``Payment`` (transfers between two bank accounts),
``Call`` (calls and texts), ``Ownership`` (a person holds a bank account). Entities FtM has
no schema for use fanzha's own, which an Aleph deployment adds to its model:

- ``FanzhaPhone`` (extends Thing): ``number``, ``imsi``, ``carrier``, ``registeredAt``.
- ``FanzhaDevice`` (extends Thing): ``imei``, ``deviceKind``, ``slots``, ``cellId``.
- ``FanzhaUrl`` (extends Thing): ``url`` (URLs and domains).
- ``FanzhaCase`` (extends Thing): ``caseNumber``, ``fraudType``, ``amountLost`` (yuan),
  ``occurredAt``, ``reportedAt``, ``status``.
- ``FanzhaIp`` (extends Thing): ``address``.
- ``FanzhaLink`` (extends Interval; an edge from ``source`` to ``target``): ``linkType``
  (the fanzha edge type), ``count``, ``startDate``, ``endDate``, ``summary``, ``recordId``;
  every edge the standard schemata do not cover (registered-by a phone, used-SIM,
  SIM-seen, opened-at, reported-in, contacted, hosted-on, logged-in-from, transfers with a wallet).

Entity ids are ``fz-`` + 24 hex digits of the SHA-1 of the fanzha node id (or of
``source|target|type`` for an edge), so the same entity gets the same id in every export;
``keywords`` of a Thing (``recordId`` of an interval) keeps the fanzha id. Amounts are
yuan with two decimals, dates ISO 8601.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

from fanzha.graph._expand import Subgraph
from fanzha.graph._graph import EntityGraph
from fanzha.graph._json import iso_time
from fanzha.graph._schema import EDGE_TYPES, NODE_TYPES, edge_type_code, node_type_code

__all__ = ["FTM_REQUIRED", "ftm_entities", "ftm_id"]

FTM_REQUIRED: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "Person": ("name",),
        "BankAccount": ("name", "accountNumber"),
        "CryptoWallet": ("name", "publicKey"),
        "UserAccount": ("name", "username"),
        "Organization": ("name",),
        "Payment": ("payerAccount", "beneficiaryAccount", "amount", "currency"),
        "Call": ("callerNumber", "receiverNumber"),
        "Ownership": ("owner", "asset"),
        "FanzhaPhone": ("name", "number"),
        "FanzhaDevice": ("name", "imei"),
        "FanzhaUrl": ("name", "url"),
        "FanzhaCase": ("name", "caseNumber"),
        "FanzhaIp": ("name", "address"),
        "FanzhaLink": ("source", "target", "linkType"),
    }
)
_SCHEMA_OF = MappingProxyType(
    {
        "person": "Person",
        "account": "BankAccount",
        "wallet": "CryptoWallet",
        "im": "UserAccount",
        "outlet": "Organization",
        "phone": "FanzhaPhone",
        "device": "FanzhaDevice",
        "url": "FanzhaUrl",
        "domain": "FanzhaUrl",
        "case": "FanzhaCase",
        "ip": "FanzhaIp",
    }
)
# fanzha property → FtM property, per schema (values are stringified).
_PROPS = MappingProxyType(
    {
        "Person": {
            "id_number": "idNumber",
            "phone_number": "phone",
            "birth_date": "birthDate",
        },
        "BankAccount": {"bank": "bankName", "kind": "accountType", "opened_at": "openingDate"},
        "CryptoWallet": {"bank": "currencySymbol", "opened_at": "creationDate"},
        "UserAccount": {"platform": "service", "handle": "username"},
        "Organization": {"district": "address", "kind": "sector"},
        "FanzhaPhone": {"imsi": "imsi", "carrier": "carrier", "registered_at": "registeredAt"},
        "FanzhaDevice": {"kind": "deviceKind", "slots": "slots", "cell_id": "cellId"},
        "FanzhaUrl": {},
        "FanzhaCase": {
            "fraud_type": "fraudType",
            "occurred_at": "occurredAt",
            "reported_at": "reportedAt",
            "status": "status",
        },
        "FanzhaIp": {},
    }
)
_KEY_PROP = MappingProxyType(
    {
        "BankAccount": "accountNumber",
        "CryptoWallet": "publicKey",
        "FanzhaPhone": "number",
        "FanzhaDevice": "imei",
        "FanzhaUrl": "url",
        "FanzhaCase": "caseNumber",
        "FanzhaIp": "address",
    }
)
_GENDER = MappingProxyType({"M": "male", "F": "female"})


def ftm_id(key: str) -> str:
    """The FtM entity id of a fanzha node id or edge key."""
    return "fz-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:24]


def _yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"


def _node_entity(node_id: str, kind: str, label: str, attrs: dict[str, Any]) -> dict[str, Any]:
    schema = _SCHEMA_OF[kind]
    key = node_id.split(":", 1)[1]
    props: dict[str, list[str]] = {"name": [label], "keywords": [node_id]}
    if schema in _KEY_PROP:
        props[_KEY_PROP[schema]] = [key]
    for source, target in _PROPS[schema].items():
        if attrs.get(source) is not None:
            props[target] = [str(attrs[source])]
    if schema == "Person":
        if attrs.get("gender") in _GENDER:
            props["gender"] = [_GENDER[attrs["gender"]]]
        place = "".join(str(attrs[k]) for k in ("district", "town", "village") if attrs.get(k))
        if place:
            props["address"] = [place]
        props["country"] = ["cn"]
    if schema == "UserAccount":
        props["username"] = [key.split(":", 1)[-1]]
    if schema == "FanzhaCase" and attrs.get("amount_lost_fen") is not None:
        props["amountLost"] = [_yuan(int(attrs["amount_lost_fen"]))]
    return {"id": ftm_id(node_id), "schema": schema, "properties": props}


def _interval(props: dict[str, list[str]], first: int, last: int) -> None:
    start, end = iso_time(first), iso_time(last)
    if start:
        props["startDate"] = [start]
    if end:
        props["endDate"] = [end]


def ftm_entities(graph: EntityGraph, sub: Subgraph) -> list[dict[str, Any]]:
    """Every node and edge of ``sub`` as FtM entities (nodes first). An entity only refers
    to entities of the same export: a payer, caller or owner outside the subgraph is left
    out rather than dangling."""
    nodes = sub.nodes
    attrs = graph.attrs_of(nodes)
    out = [
        _node_entity(graph.ids[n], NODE_TYPES[int(graph.types[n])].key, graph.labels[n], a)
        for n, a in zip(nodes.tolist(), attrs, strict=True)
    ]
    by_id = {e["id"]: e for e in out}
    inside = np.zeros(graph.n_nodes, dtype=bool)
    inside[nodes] = True
    owner = _owners(graph, sub, inside)
    person = node_type_code("person")
    for at, edge in enumerate(sub.edges.tolist()):
        src, dst = int(graph.src[edge]), int(graph.dst[edge])
        kind = EDGE_TYPES[int(graph.etype[edge])].key
        a, b = graph.ids[src], graph.ids[dst]
        key = f"{a}|{b}|{kind}"
        count, value = int(sub.count[at]), int(sub.value[at])
        schema_a, schema_b = by_id[ftm_id(a)]["schema"], by_id[ftm_id(b)]["schema"]
        props: dict[str, list[str]] = {"recordId": [key]}
        if kind == "transferred" and schema_a == schema_b == "BankAccount":
            schema = "Payment"
            props |= {
                "payerAccount": [ftm_id(a)],
                "beneficiaryAccount": [ftm_id(b)],
                "amount": [_yuan(value)],
                "currency": ["CNY"],
                "summary": [f"{count}笔转账"],
            }
            if src in owner:
                props["payer"] = [ftm_id(graph.ids[owner[src]])]
            if dst in owner:
                props["beneficiary"] = [ftm_id(graph.ids[owner[dst]])]
        elif kind in ("called", "texted"):
            schema = "Call"
            props |= {
                "callerNumber": [graph.labels[src]],
                "receiverNumber": [graph.labels[dst]],
                "summary": [f"{count}次通话" if kind == "called" else f"{count}条短信"],
            }
            if kind == "called":
                props["duration"] = [str(value)]
            if src in owner:
                props["caller"] = [ftm_id(graph.ids[owner[src]])]
            if dst in owner:
                props["receiver"] = [ftm_id(graph.ids[owner[dst]])]
        elif kind == "registered-by" and schema_a == "BankAccount" and graph.types[dst] == person:
            schema = "Ownership"
            props |= {"owner": [ftm_id(b)], "asset": [ftm_id(a)]}
        elif kind == "registered-by" and schema_a in ("UserAccount", "CryptoWallet"):
            by_id[ftm_id(a)]["properties"]["owner" if schema_a == "UserAccount" else "holder"] = [
                ftm_id(b)
            ]
            continue
        else:
            schema = "FanzhaLink"
            props |= {
                "source": [ftm_id(a)],
                "target": [ftm_id(b)],
                "linkType": [kind],
                "count": [str(count)],
            }
            if kind == "transferred":
                props["amount"] = [_yuan(value)]
        _interval(props, int(sub.first[at]), int(sub.last[at]))
        out.append({"id": ftm_id(key), "schema": schema, "properties": props})
    return out


def _owners(graph: EntityGraph, sub: Subgraph, inside: np.ndarray) -> dict[int, int]:
    """Card or phone → the person it is registered to, where both are in the export."""
    reg = edge_type_code("registered-by")
    person = node_type_code("person")
    owners: dict[int, int] = {}
    edges = sub.edges[graph.etype[sub.edges] == reg]
    for edge in edges.tolist():
        src, dst = int(graph.src[edge]), int(graph.dst[edge])
        if inside[src] and inside[dst] and graph.types[dst] == person:
            owners.setdefault(src, dst)
    return owners
