"""Search by clue: each reading of the query (:func:`fanzha.records.classify_clue`) looked up
in the store (:mod:`fanzha.store.search`), within the caller's district scope; and the
graph's use of the same clues (an ID number or a name resolves to a person node)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from fanzha.errors import InvalidInput, NotFound
from fanzha.records import Clue, classify_clue
from fanzha.store import BankAccount, Case, IMAccount, Person, Phone, Url
from fanzha.store import search as stored

__all__ = ["Found", "find", "person_node"]


@dataclass(slots=True)
class Found:
    """What a query found, by kind, each list at most ``limit`` long (``more`` names the
    kinds that may hold more)."""

    clues: tuple[Clue, ...]
    cases: list[Case] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    accounts: list[BankAccount] = field(default_factory=list)
    ims: list[IMAccount] = field(default_factory=list)
    urls: list[Url] = field(default_factory=list)
    more: set[str] = field(default_factory=set)

    def store_ids(self) -> list[str]:
        """``kind:store id`` of every hit, for the audit entry."""
        groups: tuple[tuple[str, list[Any]], ...] = (
            ("case", self.cases),
            ("person", self.persons),
            ("phone", self.phones),
            ("account", self.accounts),
            ("im", self.ims),
            ("url", self.urls),
        )
        return [f"{kind}:{row.id}" for kind, rows in groups for row in rows]


def find(db: Session, query: str, scope: str | None, limit: int = stored.SEARCH_LIMIT) -> Found:
    """Every record of ``scope`` that a reading of ``query`` names, at most ``limit`` of a
    kind (one more is asked for, so that ``more`` is exact)."""
    clues = classify_clue(query)
    found = Found(clues)
    ask = limit + 1
    url = domain = None
    for clue in clues:
        if clue.kind == "case":
            found.cases = stored.cases_by_number(db, clue.value, scope, ask)
        elif clue.kind == "id_number":
            found.persons = stored.persons_by_id_number(db, clue.value, scope, ask)
        elif clue.kind == "name":
            found.persons = stored.persons_by_name(db, clue.value, scope, ask)
        elif clue.kind == "phone":
            found.phones = stored.phones_by_number(db, clue.value, scope, ask)
            found.persons = stored.persons_by_phone(db, clue.value, scope, ask)
        elif clue.kind == "account":
            found.accounts = stored.accounts_by_number(db, clue.value, scope, ask)
        elif clue.kind == "im":
            found.ims = stored.im_accounts_by_handle(db, clue.value, clue.platform, scope, ask)
        elif clue.kind == "url":
            url = clue.value
        else:
            domain = clue.value
    if url or domain:
        found.urls = stored.urls_by_address(db, url, domain, ask)
    groups: tuple[tuple[str, list[Any]], ...] = (
        ("case", found.cases),
        ("person", found.persons),
        ("phone", found.phones),
        ("account", found.accounts),
        ("im", found.ims),
        ("url", found.urls),
    )
    for kind, rows in groups:
        if len(rows) > limit:
            del rows[limit:]
            found.more.add(kind)
    return found


def person_node(db: Session, clue: str, scope: str | None) -> str | None:
    """The graph node of the person an ID number or a name names (``person:<id>``); None
    when ``clue`` is neither. Raises NotFound (no such person) or InvalidInput (a name that
    several persons bear), with Chinese messages."""
    clues = classify_clue(clue)
    if len(clues) != 1 or clues[0].kind not in ("id_number", "name"):
        return None
    reading = clues[0]
    if reading.kind == "id_number":
        persons = stored.persons_by_id_number(db, reading.value, scope, 2)
        what = "该身份证号"
    else:
        persons = [
            p for p in stored.persons_by_name(db, reading.value, scope, 21) if p.name == clue
        ]
        what = f"姓名“{reading.value}”"
    if not persons:
        raise NotFound(f"库中没有{what}对应的人员 (no person found)")
    if len(persons) > 1:
        raise InvalidInput(
            f"{what}对应 {len(persons)} 人，请先在综合查询中找到要查的人，再从结果进入关系图",
            field="id",
            value=clue,
        )
    return f"person:{persons[0].id}"
