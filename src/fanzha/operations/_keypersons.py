"""重点整治: key villages/towns and the key persons followed up in them.

Key persons are of four kinds: 两卡 offenders still under the five-year restriction (the bar
on opening cards is :mod:`fanzha.graph`'s penalty logic, reused here, never re-derived),
returnees from abroad (境外回流), released offenders (刑满释放) and persons under village
rules (村规民约). Each has a follow-up schedule: one visit every ``interval_days`` from the
day they became a key person, until their period ends (for a 两卡 offender the day the
restriction ends). Pure functions over plain data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from fanzha.errors import InvalidInput
from fanzha.graph import Offender, may_open_card, restricted_at, restriction_end

__all__ = [
    "AREA_LEVELS",
    "FOLLOW_UP_DAYS",
    "KEY_PERSON_KINDS",
    "FollowUpDue",
    "KeyPerson",
    "check_key_person_kind",
    "due_follow_ups",
    "follow_up_schedule",
    "key_person_until",
    "key_persons_from_offenders",
    "next_follow_up",
]

KEY_PERSON_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "two_card": "两卡惩戒人员",
        "returnee": "境外回流人员",
        "released": "刑满释放人员",
        "village_rules": "村规民约管控人员",
    }
)
#: Days between follow-ups (走访) per kind, unless a person's record says otherwise.
FOLLOW_UP_DAYS: Mapping[str, int] = MappingProxyType(
    {"two_card": 30, "returnee": 7, "released": 30, "village_rules": 90}
)
#: Levels of a key area (重点地区).
AREA_LEVELS: Mapping[str, str] = MappingProxyType({"town": "重点乡镇", "village": "重点村屯"})
#: How long a returnee or released offender stays a key person, in days (one year).
_WATCH_DAYS = 365


@dataclass(frozen=True, slots=True)
class KeyPerson:
    """A key person: who, of which kind, where, from when until when (None: open-ended),
    how often they are visited and when they were last visited."""

    id: int | None
    kind: str
    name: str
    id_number: str | None
    district: str | None
    since: date
    until: date | None
    interval_days: int
    person_id: int | None = None
    area_id: int | None = None
    town: str | None = None
    village: str | None = None
    last_follow_up: date | None = None
    note: str = ""

    def active_on(self, day: date) -> bool:
        """Whether the person is still a key person on ``day``."""
        return self.since <= day and (self.until is None or day < self.until)


@dataclass(frozen=True, slots=True)
class FollowUpDue:
    """A key person whose next follow-up is due: the day it was due and days late."""

    person: KeyPerson
    due_on: date
    days_late: int


def check_key_person_kind(kind: str) -> str:
    """Return ``kind`` if known; raise :class:`InvalidInput` naming the known kinds."""
    if kind not in KEY_PERSON_KINDS:
        known = ", ".join(f"{k} ({v})" for k, v in KEY_PERSON_KINDS.items())
        raise InvalidInput(f"unknown key-person kind {kind!r}; known: {known}", field="kind")
    return kind


def key_person_until(kind: str, since: date, *, offenders: Sequence[Offender] = ()) -> date | None:
    """The day a person of ``kind`` since ``since`` stops being a key person.

    A 两卡 offender: the end of their card restriction (:func:`fanzha.graph.restriction_end`;
    with ``offenders`` given, the latest end among their records); returnees and released
    offenders: one year; village rules: open-ended (None).
    """
    check_key_person_kind(kind)
    if kind == "two_card":
        ends = [restriction_end(o.punished_at) for o in offenders]
        return max([restriction_end(since), *ends])
    if kind in ("returnee", "released"):
        return since + timedelta(days=_WATCH_DAYS)
    return None


def key_persons_from_offenders(
    offenders: Sequence[Offender],
    today: date,
    *,
    names: Mapping[str, str] | None = None,
    districts: Mapping[str, str] | None = None,
    interval_days: int | None = None,
) -> list[KeyPerson]:
    """The 两卡 key persons on ``today``: everyone :func:`fanzha.graph.restricted_at` still
    bars, one per person, followed up until their restriction ends. ``names`` and
    ``districts`` are keyed by the offender's ``person`` (ID number)."""
    names = names or {}
    districts = districts or {}
    out = []
    for bar in restricted_at(offenders, today):
        decision = may_open_card(bar.person, offenders, today)
        out.append(
            KeyPerson(
                id=None,
                kind="two_card",
                name=names.get(bar.person, ""),
                id_number=bar.person,
                district=districts.get(bar.person),
                since=bar.punished_at,
                until=bar.until,
                interval_days=interval_days or FOLLOW_UP_DAYS["two_card"],
                note=decision.reason,
            )
        )
    return out


def next_follow_up(person: KeyPerson) -> date | None:
    """The day of the next follow-up (None when the person's period is over)."""
    due = (person.last_follow_up or person.since) + timedelta(days=person.interval_days)
    if person.until is not None and due >= person.until:
        return None
    return due


def follow_up_schedule(person: KeyPerson, *, until: date | None = None) -> list[date]:
    """Every planned follow-up day from the next one up to the end of the person's period
    (or ``until``, whichever comes first; one of them must be set)."""
    ends = [d for d in (person.until, until) if d is not None]
    if not ends:
        raise InvalidInput("an open-ended person needs a horizon", field="until")
    end = min(ends)
    first = next_follow_up(person)
    out: list[date] = []
    day = first
    step = timedelta(days=person.interval_days)
    while day is not None and day < end:
        out.append(day)
        day = day + step
    return out


def due_follow_ups(persons: Iterable[KeyPerson], today: date) -> list[FollowUpDue]:
    """Active key persons whose next follow-up is on or before ``today``, most late first."""
    out = []
    for person in persons:
        if not person.active_on(today):
            continue
        due = next_follow_up(person)
        if due is not None and due <= today:
            out.append(FollowUpDue(person, due, (today - due).days))
    return sorted(out, key=lambda d: (-d.days_late, d.person.id or 0))
