"""两卡 penalties: who is still barred from opening phone or bank cards.

A person punished for selling, renting or lending phone cards or bank cards (两卡) may not
open new ones for :data:`RESTRICTION_YEARS` years from the day of the punishment
(惩戒期限五年). The bar ends at the start of the same calendar day five years later
(a punishment on 29 February ends on 28 February). When a person has several records, the
latest end wins. Pure functions over plain records; nothing here touches a database.

Records may come with ``punished_at`` as a ``date``, a ``datetime`` (its own calendar day)
or text: ``2021-03-05``, ``2021/3/5``, ``2021.3.5``, ``2021年3月5日``, ``20210305``, with
an optional time after the date. Anything else is refused naming the record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fanzha.errors import InvalidInput
from fanzha.records import format_date_cn, local_date

__all__ = [
    "RESTRICTION_YEARS",
    "CardDecision",
    "Offender",
    "Restriction",
    "may_open_card",
    "offenders_from_records",
    "restricted_at",
    "restriction_end",
]

RESTRICTION_YEARS = 5
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:\d{6})?\s*$")


@dataclass(frozen=True, slots=True)
class Offender:
    """One punishment: who (an id number or ``person:…`` id), when, for what."""

    person: str
    punished_at: date
    kind: str = "两卡"
    note: str = ""


@dataclass(frozen=True, slots=True)
class Restriction:
    """A person barred from opening cards until ``until`` (exclusive)."""

    person: str
    punished_at: date
    until: date
    kind: str


@dataclass(frozen=True, slots=True)
class CardDecision:
    """Whether a person may open a card on a day, and why (Chinese)."""

    person: str
    allowed: bool
    until: date | None
    reason: str


def _as_date(value: Any, *, line: int | None = None) -> date:
    if isinstance(value, datetime):
        return local_date(value)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATE.match(value) or _COMPACT.match(value)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                pass
    raise InvalidInput(
        f"{value!r} is not a date; write it like 2021-03-05",
        field="punished_at",
        line=line,
        value=value,
    )


def restriction_end(punished_at: date | datetime | str, years: int = RESTRICTION_YEARS) -> date:
    """The first day a person punished on ``punished_at`` may open cards again."""
    day = _as_date(punished_at)
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return date(day.year + years, 2, 28)


def offenders_from_records(records: Iterable[Mapping[str, Any]]) -> list[Offender]:
    """Offenders from plain records with ``person`` (or ``id_number``) and ``punished_at``
    (and optional ``kind``, ``note``); refuses a record naming its line (1-based)."""
    out = []
    for line, record in enumerate(records, start=1):
        person = record.get("person") or record.get("id_number")
        if not isinstance(person, str | int) or not str(person).strip():
            raise InvalidInput(
                "every record needs a person (an id number or person id)",
                field="person",
                line=line,
                value=person,
            )
        out.append(
            Offender(
                person=str(person).strip().upper(),
                punished_at=_as_date(record.get("punished_at"), line=line),
                kind=str(record.get("kind") or "两卡"),
                note=str(record.get("note") or ""),
            )
        )
    return out


def restricted_at(
    offenders: Sequence[Offender], at: date | datetime, *, years: int = RESTRICTION_YEARS
) -> list[Restriction]:
    """Everyone still barred on day ``at`` (punished on or before it, not yet expired), one
    row per person with the latest end, sorted by person."""
    day = _as_date(at)
    latest: dict[str, Restriction] = {}
    for offender in offenders:
        until = restriction_end(offender.punished_at, years)
        if offender.punished_at <= day < until:
            known = latest.get(offender.person)
            if known is None or until > known.until:
                latest[offender.person] = Restriction(
                    offender.person, offender.punished_at, until, offender.kind
                )
    return [latest[p] for p in sorted(latest)]


def may_open_card(
    person: str,
    offenders: Sequence[Offender],
    at: date | datetime,
    *,
    years: int = RESTRICTION_YEARS,
) -> CardDecision:
    """May ``person`` open a phone or bank card on day ``at``? With the reason in Chinese."""
    key = str(person).strip().upper()
    own = [o for o in offenders if o.person == key]
    barred = restricted_at(own, at, years=years)
    if barred:
        bar = barred[0]
        return CardDecision(
            key,
            False,
            bar.until,
            f"该人员于{format_date_cn(bar.punished_at)}因{bar.kind}违法被惩戒，"
            f"{years}年内不得新开手机卡、银行卡，{format_date_cn(bar.until)}起方可办理",
        )
    if own:
        last = max(own, key=lambda o: o.punished_at)
        if last.punished_at > _as_date(at):
            return CardDecision(key, True, None, "惩戒记录晚于办理日期，该日不受限制")
        return CardDecision(
            key,
            True,
            None,
            f"惩戒期已于{format_date_cn(restriction_end(last.punished_at, years))}届满，可以办理",
        )
    return CardDecision(key, True, None, "无两卡惩戒记录，可以办理")
