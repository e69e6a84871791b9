"""FtM node entities → store rows, and what the store already holds (for :mod:`._ftm_in`).

An exported node is read back through the fanzha node id in its ``keywords``; a foreign one
by its schema (see :mod:`._ftm_in`). ``Store`` answers whether a node's row is stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import polars as pl

from fanzha.graph._build import build_graph
from fanzha.graph._ftm import SCHEMA_OF, ftm_id
from fanzha.graph._ftm_read import FtmEntity, parse_notes
from fanzha.graph._ids import node_ids
from fanzha.graph._schema import EDGE_TYPES
from fanzha.records import e164_phone

__all__: list[str] = []

TABLE = {
    "person": "persons",
    "outlet": "outlets",
    "device": "devices",
    "phone": "phones",
    "account": "bank_accounts",
    "wallet": "bank_accounts",
    "im": "im_accounts",
    "url": "urls",
    "case": "cases",
}
_KEY = {
    "device": "imei",
    "phone": "number",
    "account": "account_no",
    "wallet": "account_no",
    "url": "url",
    "case": "case_no",
}
# Values of required columns when an entity gives none (the store's own defaults).
DEFAULTS: Mapping[str, Mapping[str, Any]] = {
    "persons": {"kind": "citizen"},
    "outlets": {"kind": "unknown", "operator": "未知"},
    "devices": {"kind": "unknown", "slots": 1},
    "phones": {"kind": "mobile", "flagged": False},
    "bank_accounts": {"bank": "未知", "kind": "personal", "flagged": False, "status": "normal"},
    "im_accounts": {"flagged": False},
    "urls": {"flagged": False},
    "cases": {"fraud_type": "other", "amount_lost_fen": 0, "status": "open", "summary": ""},
    "calls": {"duration_s": 0},
}
REFERENCE = {  # (edge type, from kind) → the column of the from-row that holds the edge
    ("registered-by", "phone"): "owner_id",
    ("registered-by", "im"): "owner_id",
    ("registered-by", "device"): "owner_id",
    ("registered-by", "account"): "holder_id",
    ("registered-by", "wallet"): "holder_id",
    ("opened-at", "phone"): "outlet_id",
    ("opened-at", "account"): "outlet_id",
    ("used-SIM", "device"): "device_id",
    ("reported-in", "person"): "victim_id",
}
EDGE_KEYS = frozenset(t.key for t in EDGE_TYPES)
_PLACE = re.compile(r"^(?P<d>.*?[区县市旗])?(?P<t>.*?(?:街道|镇|乡))?(?P<v>.*)$")
_GENDER = {"male": "M", "female": "F"}
_PLATFORMS = ("wechat", "qq", "telegram", "whatsapp", "alipay", "douyin")


@dataclass
class Node:
    kind: str
    node_id: str | None
    row: dict[str, Any]
    want: int | None = None
    store_id: int = 0
    new: bool = True


def when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _day(text: str | None) -> date | None:
    value = when(text)
    return value.date() if value else None


def to_int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def fen(text: str | None) -> int:
    try:
        return int((Decimal(text or "0") * 100).to_integral_value())
    except InvalidOperation:
        return 0


def one(kind: str, value: str | None) -> str | None:
    """The normalised typed id of one value (None where it does not fit)."""
    if not value:
        return None
    found: str | None = node_ids(kind, pl.Series([value])).item()
    return found


def _fanzha_id(e: FtmEntity) -> str | None:
    """The fanzha node id an exported entity carries (its id is ``ftm_id`` of it)."""
    for keyword in e.get("keywords"):
        kind = keyword.partition(":")[0]
        if SCHEMA_OF.get(kind) == e.schema and ftm_id(keyword) == e.id:
            return keyword
    return None


def national(number: str | None) -> str | None:
    e164 = e164_phone(number) if number else None
    return e164[3:] if e164 and e164.startswith("+86") else e164


def _place(address: str | None) -> dict[str, str | None]:
    match = _PLACE.match(address or "")
    if not address or match is None:
        return {}
    return {
        k: match.group(g) or None for k, g in (("district", "d"), ("town", "t"), ("village", "v"))
    }


def _node_row(kind: str, e: FtmEntity, key: str | None) -> dict[str, Any]:
    """The columns of a node's row (no id, no references)."""
    notes = parse_notes(e.get("notes"))
    flagged = "crime.fraud" in e.get("topics")
    name = e.first("name")
    if kind == "person":
        return {
            "name": name or "未知",
            "id_number": e.first("idNumber"),
            "phone_number": national(e.first("phone")) or notes.get("phone_number"),
            "gender": _GENDER.get(e.first("gender") or ""),
            "birth_date": _day(e.first("birthDate")),
            **_place(e.first("address")),
            "occupation": e.first("profession"),
            "kind": notes.get("kind"),
        }
    if kind == "outlet":
        return {
            "name": name or "未知",
            "kind": e.first("sector") or notes.get("kind"),
            "operator": notes.get("operator"),
            "district": e.first("address"),
        }
    if kind == "device":
        return {
            "imei": key,
            "kind": notes.get("kind"),
            "slots": to_int(notes.get("slots")),
            "cell_id": notes.get("cell_id"),
            "district": e.first("address"),
        }
    if kind == "phone":
        others = [k for k in e.get("keywords") if not k.startswith("phone:") and k.isdigit()]
        return {
            "number": key,
            "imsi": others[0] if others else None,
            "carrier": e.first("service"),
            "kind": notes.get("kind"),
            "registered_at": when(e.first("createdAt")),
            "flagged": flagged,
            "flag_reason": notes.get("flag_reason"),
        }
    if kind in ("account", "wallet"):
        opened = e.first("openingDate") or e.first("creationDate")
        return {
            "account_no": key,
            "bank": e.first("bankName") or notes.get("bank"),
            "kind": e.first("accountType") or notes.get("kind"),
            "status": notes.get("status"),
            "opened_at": when(opened),
            "flagged": flagged,
        }
    if kind == "im":
        platform, _, handle = (key or ":").partition(":")
        return {"platform": platform, "handle": handle, "flagged": flagged}
    if kind == "url":
        url = key or ""
        host = re.sub(r"^[^:/?#]+://", "", url).split("/")[0].split(":")[0].lower()
        return {
            "url": url,
            "domain": notes.get("domain") or host,
            "first_seen": when(e.first("createdAt")),
            "flagged": flagged,
        }
    occurred = notes.get("occurred_at") or e.first("fileDate")
    return {  # case
        "case_no": key,
        "fraud_type": e.first("category"),
        "amount_lost_fen": to_int(notes.get("amount_lost_fen")),
        "district": e.first("address"),
        "occurred_at": when(occurred),
        "reported_at": when(e.first("fileDate") or occurred),
        "status": e.first("status"),
    }


def _foreign(e: FtmEntity) -> tuple[str, str | None] | None:
    """(node type, stored key) of an entity fanzha did not export; None: cannot place."""
    if e.schema == "Person":
        return "person", None
    if e.schema == "BankAccount":
        number = e.first("accountNumber") or e.first("iban")
        return ("account", number) if one("account", number) else None
    if e.schema == "CryptoWallet":
        key = e.first("publicKey")
        return ("wallet", key) if one("wallet", key) else None
    if e.schema == "CourtCase":
        number = e.first("caseNumber")
        return ("case", number) if one("case", number) else None
    if e.schema == "UserAccount":
        service = (e.first("service") or "").lower()
        number = national(e.first("phone") or e.first("username"))
        if number and service not in _PLATFORMS:
            return "phone", number
        handle = e.first("username") or e.first("name")
        platform = re.sub(r"[^a-z0-9_]", "", service) or "unknown"
        return ("im", f"{platform}:{handle}") if handle else None
    return None


def node_of(e: FtmEntity) -> Node | None:
    node_id = _fanzha_id(e)
    if node_id is not None:
        kind, key = node_id.split(":", 1)
        notes = parse_notes(e.get("notes"))
        bare = kind in ("domain", "ip") or (
            kind not in ("person", "outlet") and "store_id" not in notes
        )
        if bare:
            return Node(kind, node_id, {}, new=False)
        label = e.first("name") or key
        row = _node_row(kind, e, label)
        want = to_int(key if kind in ("person", "outlet") else notes.get("store_id"))
        return Node(kind, node_id, row, want)
    placed = _foreign(e)
    if placed is None:
        return None
    kind, foreign_key = placed
    node_id = None if kind == "person" else one(kind, foreign_key)
    return Node(kind, node_id, _node_row(kind, e, foreign_key))


class Store:
    """What the store already holds: node ids → store ids, persons, ids in use, edges."""

    def __init__(self, stored: Mapping[str, pl.DataFrame], next_ids: Mapping[str, int]) -> None:
        self.ids: dict[str, int] = {}
        self.rows: dict[str, dict[int, dict[str, Any]]] = {}
        for kind, table in TABLE.items():
            frame = stored.get(table)
            if frame is None or frame.is_empty():
                continue
            self.rows.setdefault(table, {r["id"]: r for r in frame.iter_rows(named=True)})
            if kind in ("person", "outlet"):
                continue
            raw = (
                frame.get_column("platform") + ":" + frame.get_column("handle")
                if kind == "im"
                else frame.get_column(_KEY[kind])
            )
            for node_id, sid in zip(
                node_ids(kind, raw).to_list(), frame.get_column("id").to_list(), strict=True
            ):
                if node_id is not None:
                    self.ids.setdefault(node_id, int(sid))
        persons = self.rows.get("persons", {})
        self.by_id_number = {r["id_number"]: i for i, r in persons.items() if r.get("id_number")}
        self.by_person = {self._who(r): i for i, r in persons.items()}
        self.next = dict(next_ids)
        for table, frame in stored.items():
            if "id" in frame.columns and frame.height:
                top = int(frame.get_column("id").max())  # type: ignore[arg-type]
                self.next[table] = max(self.next.get(table, 1), top + 1)
        graph = build_graph(stored)
        src = graph.ids.gather(graph.src).to_list()
        dst = graph.ids.gather(graph.dst).to_list()
        kinds = [EDGE_TYPES[int(t)].key for t in graph.etype]
        self.edges = {f"{a}|{b}|{t}" for a, b, t in zip(src, dst, kinds, strict=True)}

    @staticmethod
    def _who(row: Mapping[str, Any]) -> tuple[Any, ...]:
        return (row["name"], row.get("birth_date"), row.get("phone_number"))

    def find(self, node: Node) -> int | None:
        """The stored id of ``node``'s row, if the store has it."""
        if node.kind == "person":
            persons = self.rows.get("persons", {})
            if node.want in persons:
                same = persons[node.want]
                if (same["name"], same.get("id_number")) == (
                    node.row["name"],
                    node.row["id_number"],
                ):
                    return node.want
            if node.row.get("id_number"):
                return self.by_id_number.get(node.row["id_number"])
            return self.by_person.get(self._who(node.row)) if node.want is None else None
        if node.kind == "outlet":
            outlets = self.rows.get("outlets", {})
            outlet = outlets.get(node.want or -1)
            return node.want if outlet and outlet["name"] == node.row["name"] else None
        return self.ids.get(node.node_id or "")
