"""Bodies of key areas (重点村屯), key persons with follow-ups, sweeps and rectifications."""

from __future__ import annotations

import json
from datetime import date
from typing import Literal, Self

from pydantic import BaseModel, Field

from fanzha.api.schemas.common import STRICT, IsoDatetime, PagePublic, RecordId, Version, public_of
from fanzha.operations import (
    AREA_LEVELS,
    KEY_PERSON_KINDS,
    RECTIFICATION_LABELS,
    Rectification,
    key_person_until,
)
from fanzha.store._ops_models import KeyArea, KeyPerson, KeyPersonFollowUp, Sweep

__all__ = [
    "FollowUpCreate",
    "FollowUpPublic",
    "KeyAreaCreate",
    "KeyAreaListPublic",
    "KeyAreaPublic",
    "KeyPersonCreate",
    "KeyPersonDetailPublic",
    "KeyPersonListPublic",
    "KeyPersonPublic",
    "RectificationChange",
    "RectificationListPublic",
    "RectificationOpen",
    "RectificationOpenedPublic",
    "RectificationPublic",
    "SweepCreate",
    "SweepListPublic",
    "SweepPublic",
    "TwoCardOffender",
    "TwoCardRequest",
]

_PERSON_PII = {"name": "name", "id_number": "id_number"}


class KeyAreaCreate(BaseModel):
    """A key town or village (重点乡镇 / 重点村屯)."""

    model_config = STRICT
    name: str = Field(min_length=1, max_length=64)
    kind: Literal["town", "village"] = "village"
    district: str | None = Field(default=None, max_length=32)
    town: str | None = Field(default=None, max_length=32)
    village: str | None = Field(default=None, max_length=32)
    reason: str = Field(default="", max_length=2000)
    listed_on: date | None = None


class KeyAreaPublic(BaseModel):
    """A key area with its number of key persons."""

    id: int
    name: str
    kind: str
    kind_label: str
    district: str | None
    town: str | None
    village: str | None
    reason: str
    listed_on: date | None
    state: str
    key_persons: int

    @classmethod
    def of(cls, row: KeyArea, key_persons: int) -> Self:
        """The stored area."""
        return public_of(
            cls, row, kind_label=AREA_LEVELS.get(row.kind, row.kind), key_persons=key_persons
        )


class KeyAreaListPublic(BaseModel):
    """Every key area in scope."""

    count: int
    data: list[KeyAreaPublic]


class KeyPersonCreate(BaseModel):
    """A key person: kind, and ``since`` (day of the punishment, return, release or decision)."""

    model_config = STRICT
    name: str = Field(min_length=1, max_length=64)
    kind: Literal["two_card", "returnee", "released", "village_rules"]
    since: date
    district: str | None = Field(default=None, max_length=32)
    id_number: str | None = Field(default=None, max_length=18)
    person_id: RecordId | None = None
    key_area_id: RecordId | None = None
    follow_up_days: int | None = Field(default=None, ge=1, le=366)
    note: str = Field(default="", max_length=2000)


class TwoCardOffender(BaseModel):
    """One 两卡 punishment: who (ID number), when, and name and district to show."""

    model_config = STRICT
    id_number: str = Field(min_length=15, max_length=18)
    punished_at: date
    name: str = Field(default="", max_length=64)
    district: str | None = Field(default=None, max_length=32)


class TwoCardRequest(BaseModel):
    """两卡 punishments; those still under the five-year restriction become key persons."""

    model_config = STRICT
    offenders: list[TwoCardOffender] = Field(min_length=1, max_length=5000)


class KeyPersonPublic(BaseModel):
    """A key person: name and ID number masked for roles without ``pii.view``."""

    id: int
    name: str | None
    id_number: str | None
    kind: str
    kind_label: str
    district: str | None
    key_area_id: int | None
    since: date | None
    until: date | None
    follow_up_days: int
    next_follow_up_on: date | None
    state: str
    note: str

    @classmethod
    def of(cls, row: KeyPerson, *, visible: bool) -> Self:
        """The stored key person, masked unless ``visible``; ``until`` as the rules give it
        (for 两卡: the end of the card restriction)."""
        since = row.punished_at
        return public_of(
            cls,
            row,
            visible=visible,
            masked=_PERSON_PII,
            kind=row.category,
            kind_label=KEY_PERSON_KINDS.get(row.category, row.category),
            since=since,
            until=key_person_until(row.category, since) if since else None,
        )


class FollowUpCreate(BaseModel):
    """A follow-up visit (走访) done now, and what it found."""

    model_config = STRICT
    finding: str = Field(min_length=2, max_length=2000)


class FollowUpPublic(BaseModel):
    """One follow-up."""

    due_on: date
    done_at: IsoDatetime | None
    finding: str

    @classmethod
    def of(cls, row: KeyPersonFollowUp) -> Self:
        """The stored follow-up."""
        return public_of(cls, row)


class KeyPersonDetailPublic(KeyPersonPublic):
    """A key person with their follow-ups."""

    follow_ups: list[FollowUpPublic]


class KeyPersonListPublic(PagePublic):
    """A page of key persons."""

    data: list[KeyPersonPublic]


class SweepCreate(BaseModel):
    """A sweep (清查) of a key area or district."""

    model_config = STRICT
    swept_on: date
    district: str | None = Field(default=None, max_length=32)
    key_area_id: RecordId | None = None
    operation_id: RecordId | None = None
    teams: list[str] = Field(default_factory=list, max_length=100)
    places: list[str] = Field(default_factory=list, max_length=500)
    officers: int = Field(default=0, ge=0, le=100_000)
    persons_checked: int = Field(default=0, ge=0, le=10_000_000)
    findings: str = Field(default="", max_length=10_000)


class SweepPublic(BaseModel):
    """A stored sweep."""

    id: int
    swept_on: date
    district: str | None
    key_area_id: int | None
    operation_id: int | None
    teams: list[str]
    places: list[str]
    officers: int
    persons_checked: int
    findings: str

    @classmethod
    def of(cls, row: Sweep) -> Self:
        """The stored sweep."""
        return public_of(cls, row, teams=json.loads(row.teams), places=json.loads(row.places))


class SweepListPublic(BaseModel):
    """The latest sweeps in scope."""

    count: int
    data: list[SweepPublic]


class RectificationOpen(BaseModel):
    """Open cases for the worst outlets of the 断卡 ranking that have none open."""

    model_config = STRICT
    deadline: date
    measures: list[str] = Field(min_length=1, max_length=20)
    min_score: float = Field(default=0.05, ge=0, le=1)
    min_case_cards: int = Field(default=2, ge=1, le=1_000_000)
    top: int = Field(default=20, ge=1, le=500)
    operation_id: RecordId | None = None


class RectificationChange(BaseModel):
    """A state change of a case (整改中, 待复查, 复查通过/未通过 …)."""

    model_config = STRICT
    to_state: Literal["rectifying", "rechecking", "passed", "failed", "penalised", "cancelled"]
    version: Version
    note: str = Field(default="", max_length=2000)
    deadline: date | None = None
    measures: list[str] | None = Field(default=None, max_length=20)
    recheck_result: str | None = Field(default=None, max_length=2000)


class RectificationPublic(BaseModel):
    """A rectification case, with whether it is overdue today."""

    id: int
    outlet_id: int
    outlet_name: str
    district: str | None
    state: str
    state_label: str
    reason: str
    measures: list[str]
    opened_on: date | None
    deadline: date
    overdue_days: int
    recheck_on: date | None
    recheck_result: str
    operation_id: int | None
    version: int

    @classmethod
    def of(cls, case: Rectification, *, overdue_days: int) -> Self:
        """The core case."""
        return public_of(
            cls,
            case,
            state_label=RECTIFICATION_LABELS.get(case.state, case.state),
            measures=list(case.measures),
            overdue_days=overdue_days,
        )


class RectificationListPublic(PagePublic):
    """A page of cases."""

    data: list[RectificationPublic]


class RectificationOpenedPublic(BaseModel):
    """The cases just opened."""

    count: int
    data: list[RectificationPublic]
