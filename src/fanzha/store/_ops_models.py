"""The tables of 侦查打击, 重点整治 and 行业治理 (issue 17): clues, operations, gang profiles,
suspects, fugitives, dens, raids, seizures, key areas and persons, sweeps, rectifications.

Same forms as the rest of the store: money in integer fen, times UTC (:class:`UTCDateTime`),
districts as the names the users table holds, phone numbers and accounts in the forms of
``fanzha.records`` (``normalize_phone``, ``clean_accounts``). Lists that belong to one row
and are never queried on their own (a district scope, an evidence snapshot, the teams of a
sweep) are JSON text; identifiers that are matched against new records (a suspect's or a
fugitive's phones, cards, IMEI …) get rows of their own with an index on ``(kind, value)``.

Foreign keys point one way only (a raid names its den and clue, a clue never names its raid),
so ``Base.metadata.sorted_tables`` keeps a load order for bulk loads and backups.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from fanzha.store._models import Base, UTCDateTime, _now

__all__ = [
    "OPERATIONS_TABLES",
    "Clue",
    "ClueTransition",
    "Den",
    "Fugitive",
    "FugitiveHit",
    "FugitiveIdentifier",
    "GangProfile",
    "KeyArea",
    "KeyPerson",
    "KeyPersonFollowUp",
    "Operation",
    "OperationTarget",
    "Raid",
    "Rectification",
    "RectificationTransition",
    "Seizure",
    "Suspect",
    "SuspectIdentifier",
    "SuspectStatusChange",
    "Sweep",
]


class Operation(Base):
    """专项行动: a named operation over a period and some districts, led by one unit.

    ``districts`` is a JSON list of district names (``[]``: the whole city). Arrests, raids,
    seizures, rectifications and sweeps name their operation; its figures are rolled up from
    them, never stored here. ``outreach_sites`` is the number of 宣传 sites set up for it.
    """

    __tablename__ = "operations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    districts: Mapped[str] = mapped_column(Text, default="[]")
    lead_unit: Mapped[str] = mapped_column(String(64), default="")
    officers: Mapped[int] = mapped_column(Integer, default=0)
    outreach_sites: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(16), default="planned")
    description: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class OperationTarget(Base):
    """One target of an operation: a clue, gang, suspect, person, den or outlet, by id."""

    __tablename__ = "operation_targets"
    __table_args__ = (UniqueConstraint("operation_id", "kind", "target_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operations.id"))
    kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")


class Clue(Base):
    """线索: something worth 研判, from the graph, a fund trace, a fugitive hit or by hand.

    ``source`` is ``graph_node``, ``graph_gang``, ``graph_role``, ``fund_trace``,
    ``fugitive_hit`` or ``manual``; ``source_ref`` the node id, gang key, case number or hit
    it came from; ``evidence`` the JSON snapshot taken when it was made (a subgraph, a trace
    summary), so later changes to the record do not change what the clue was about.
    ``owner_level`` is ``city``, ``district`` or ``county`` (with ``district`` naming which);
    ``sla_due_at`` is when 线索不过夜 runs out. ``version`` guards against lost updates.
    """

    __tablename__ = "clues"
    __table_args__ = (Index("ix_clues_state_sla", "state", "sla_due_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    source_ref: Mapped[str] = mapped_column(String(128), default="")
    title: Mapped[str] = mapped_column(String(128))
    summary: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="{}")
    owner_level: Mapped[str] = mapped_column(String(8), default="city")
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    operation_id: Mapped[int | None] = mapped_column(ForeignKey("operations.id"), index=True)
    gang_id: Mapped[int | None] = mapped_column(ForeignKey("gangs.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_to: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    sla_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ClueTransition(Base):
    """One state change of a clue: from, to, who, when, why."""

    __tablename__ = "clue_transitions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clue_id: Mapped[int] = mapped_column(ForeignKey("clues.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")


class GangProfile(Base):
    """What the case file knows of a gang: the graph's found gang it links to (the
    ``fanzha.graph`` community key), JSON snapshots of its members, accounts and case numbers,
    the money involved (fen) and the operation that targets it. One per gang.
    """

    __tablename__ = "gang_profiles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gang_id: Mapped[int] = mapped_column(ForeignKey("gangs.id"), unique=True)
    graph_gang_id: Mapped[str | None] = mapped_column(String(64), index=True)
    operation_id: Mapped[int | None] = mapped_column(ForeignKey("operations.id"), index=True)
    members: Mapped[str] = mapped_column(Text, default="[]")
    accounts: Mapped[str] = mapped_column(Text, default="[]")
    case_numbers: Mapped[str] = mapped_column(Text, default="[]")
    money_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class Suspect(Base):
    """犯罪嫌疑人: identity (name and ID number are PII), role, gang and operation.

    ``legal_status`` is the latest of :class:`SuspectStatusChange`; ``caught_at`` is when
    they were taken (an arrest counts for ``operation_id``), ``raid_id`` the raid if any.
    """

    __tablename__ = "suspects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    gender: Mapped[str | None] = mapped_column(String(1))
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    role: Mapped[str] = mapped_column(String(32), default="other")
    gang_id: Mapped[int | None] = mapped_column(ForeignKey("gangs.id"), index=True)
    operation_id: Mapped[int | None] = mapped_column(ForeignKey("operations.id"), index=True)
    clue_id: Mapped[int | None] = mapped_column(ForeignKey("clues.id"), index=True)
    raid_id: Mapped[int | None] = mapped_column(ForeignKey("raids.id"), index=True)
    legal_status: Mapped[str] = mapped_column(String(16), default="identified")
    caught_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class SuspectStatusChange(Base):
    """One step of a suspect's legal status: the decision, its date, authority and document."""

    __tablename__ = "suspect_status_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suspect_id: Mapped[int] = mapped_column(ForeignKey("suspects.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    decided_on: Mapped[date] = mapped_column(Date)
    authority: Mapped[str] = mapped_column(String(64), default="")
    document_no: Mapped[str] = mapped_column(String(64), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    note: Mapped[str] = mapped_column(Text, default="")


class SuspectIdentifier(Base):
    """A phone, bank account, IM account, IMEI or IMSI of a suspect (normalised value)."""

    __tablename__ = "suspect_identifiers"
    __table_args__ = (
        UniqueConstraint("suspect_id", "kind", "value"),
        Index("ix_suspect_identifiers_kind_value", "kind", "value"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suspect_id: Mapped[int] = mapped_column(ForeignKey("suspects.id"))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(64))


class Fugitive(Base):
    """在逃人员 / 网逃: a wanted person and the team (level + district) that owns the case."""

    __tablename__ = "fugitives"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suspect_id: Mapped[int | None] = mapped_column(ForeignKey("suspects.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="online")
    warrant_no: Mapped[str] = mapped_column(String(64), default="")
    wanted_since: Mapped[date | None] = mapped_column(Date)
    owner_level: Mapped[str] = mapped_column(String(8), default="city")
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    state: Mapped[str] = mapped_column(String(16), default="wanted")
    caught_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class FugitiveIdentifier(Base):
    """Something that can find a fugitive: phone, IMSI, IMEI, bank card, IM account, ID."""

    __tablename__ = "fugitive_identifiers"
    __table_args__ = (
        UniqueConstraint("fugitive_id", "kind", "value"),
        Index("ix_fugitive_identifiers_kind_value", "kind", "value"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fugitive_id: Mapped[int] = mapped_column(ForeignKey("fugitives.id"))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(64))


class FugitiveHit(Base):
    """A new record that matched a fugitive's identifier; ``dedup_key`` makes it happen once."""

    __tablename__ = "fugitive_hits"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(160), unique=True)
    fugitive_id: Mapped[int] = mapped_column(ForeignKey("fugitives.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(64))
    record_kind: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    clue_id: Mapped[int | None] = mapped_column(ForeignKey("clues.id"), index=True)


class Den(Base):
    """窝点: a place (district/town/village or address) and kind (GOIP, 话务, 刷单 …).

    ``state`` is ``suspected``, ``confirmed``, ``raided`` or ``closed``; ``source`` is
    ``graph``, ``report`` or ``manual`` with ``source_ref`` and ``evidence`` as for clues.
    """

    __tablename__ = "dens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    town: Mapped[str | None] = mapped_column(String(32))
    village: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(255), default="")
    state: Mapped[str] = mapped_column(String(16), default="suspected")
    source: Mapped[str] = mapped_column(String(16), default="manual")
    source_ref: Mapped[str] = mapped_column(String(128), default="")
    evidence: Mapped[str] = mapped_column(Text, default="{}")
    gang_id: Mapped[int | None] = mapped_column(ForeignKey("gangs.id"), index=True)
    operation_id: Mapped[int | None] = mapped_column(ForeignKey("operations.id"), index=True)
    clue_id: Mapped[int | None] = mapped_column(ForeignKey("clues.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class Raid(Base):
    """A raid (抓捕/打击): when, how many officers, which den, operation and clue, how many
    suspects were caught on the spot (registered suspects name the raid in ``raid_id``)."""

    __tablename__ = "raids"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    raided_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    den_id: Mapped[int | None] = mapped_column(ForeignKey("dens.id"), index=True)
    operation_id: Mapped[int | None] = mapped_column(ForeignKey("operations.id"), index=True)
    clue_id: Mapped[int | None] = mapped_column(ForeignKey("clues.id"), index=True)
    officers: Mapped[int] = mapped_column(Integer, default=0)
    suspects_caught: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class Seizure(Base):
    """What was seized (电脑, 手机, 手机卡, 银行卡, 现金 …): kind and count; cash in fen."""

    __tablename__ = "seizures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    raid_id: Mapped[int | None] = mapped_column(ForeignKey("raids.id"), index=True)
    operation_id: Mapped[int | None] = mapped_column(ForeignKey("operations.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    count: Mapped[int] = mapped_column(Integer, default=0)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    seized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class KeyArea(Base):
    """重点村屯 / 乡镇: a village or town under key-area governance."""

    __tablename__ = "key_areas"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default="village")
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    town: Mapped[str | None] = mapped_column(String(32))
    village: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    listed_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class KeyPerson(Base):
    """重点人员: category (两卡 offender under restriction, 境外回流, released, 村规民约 …).

    ``punished_at`` and ``punishment_kind`` feed the existing 两卡 restriction logic
    (``fanzha.graph.restriction_end``); the follow-up schedule is every
    ``follow_up_days`` days from ``next_follow_up_on``.
    """

    __tablename__ = "key_persons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    category: Mapped[str] = mapped_column(String(24))
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    key_area_id: Mapped[int | None] = mapped_column(ForeignKey("key_areas.id"), index=True)
    punished_at: Mapped[date | None] = mapped_column(Date)
    punishment_kind: Mapped[str | None] = mapped_column(String(16))
    follow_up_days: Mapped[int] = mapped_column(Integer, default=30)
    next_follow_up_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="active")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class KeyPersonFollowUp(Base):
    """One follow-up visit or call to a key person: when due, when done, by whom, finding."""

    __tablename__ = "key_person_follow_ups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_person_id: Mapped[int] = mapped_column(ForeignKey("key_persons.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    finding: Mapped[str] = mapped_column(Text, default="")


class Sweep(Base):
    """清查: a sweep of key places on one day: teams and places (JSON lists), findings."""

    __tablename__ = "sweeps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    swept_on: Mapped[date] = mapped_column(Date)
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    operation_id: Mapped[int | None] = mapped_column(ForeignKey("operations.id"), index=True)
    key_area_id: Mapped[int | None] = mapped_column(ForeignKey("key_areas.id"), index=True)
    teams: Mapped[str] = mapped_column(Text, default="[]")
    places: Mapped[str] = mapped_column(Text, default="[]")
    officers: Mapped[int] = mapped_column(Integer, default=0)
    persons_checked: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class Rectification(Base):
    """整改: an outlet told to fix how it opens cards, by a deadline, then re-checked.

    ``state`` is ``open``, ``rechecking``, ``passed``, ``failed`` or ``closed`` (the checked
    transitions live in the core package); ``version`` guards against lost updates.
    """

    __tablename__ = "rectifications"
    __table_args__ = (Index("ix_rectifications_state_deadline", "state", "deadline"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id"), index=True)
    operation_id: Mapped[int | None] = mapped_column(ForeignKey("operations.id"), index=True)
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    opened_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="open")
    rechecked_on: Mapped[date | None] = mapped_column(Date)
    recheck_result: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class RectificationTransition(Base):
    """One state change of a rectification: from, to, who, when, why."""

    __tablename__ = "rectification_transitions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rectification_id: Mapped[int] = mapped_column(ForeignKey("rectifications.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")


#: The tables this module adds (all came with revision 0008).
OPERATIONS_TABLES: frozenset[str] = frozenset(
    model.__tablename__
    for model in (
        Clue,
        ClueTransition,
        Den,
        Fugitive,
        FugitiveHit,
        FugitiveIdentifier,
        GangProfile,
        KeyArea,
        KeyPerson,
        KeyPersonFollowUp,
        Operation,
        OperationTarget,
        Raid,
        Rectification,
        RectificationTransition,
        Seizure,
        Suspect,
        SuspectIdentifier,
        SuspectStatusChange,
        Sweep,
    )
)
