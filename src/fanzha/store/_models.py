"""The store's tables (SQLAlchemy 2 declarative models).

Money is stored as integer fen (分) so that ledgers add up exactly; times are UTC and come
back timezone-aware on SQLite and PostgreSQL alike (:class:`UTCDateTime`). Personal fields
(name, ID number, phone number, account number) are stored in full; masking happens when
they are shown, by role (``fanzha.api``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

__all__ = [
    "ApiSession",
    "AuditEntry",
    "BankAccount",
    "Base",
    "Case",
    "CitizenReport",
    "Device",
    "Event",
    "Gang",
    "IMAccount",
    "ImportBatch",
    "LedgerEntry",
    "Outcome",
    "Outlet",
    "Person",
    "Phone",
    "PhoneCall",
    "TaskTransition",
    "Transfer",
    "UTCDateTime",
    "Url",
    "User",
    "WarningTask",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime stored as naive UTC and returned timezone-aware (UTC) on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: fanzha stores timezone-aware times")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        parsed: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations name constraints stably."""

    metadata = MetaData(naming_convention=NAMING)


def _now() -> datetime:
    return datetime.now(UTC)


class User(Base):
    """An officer account: role decides what they may do and see."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    district: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class ApiSession(Base):
    """A login session: only the SHA-256 of the bearer token is stored."""

    __tablename__ = "api_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Gang(Base):
    """A fraud gang (团伙) as known to the center (its dens are in ``dens``, its link to the
    graph's found gang and its case-file figures in ``gang_profiles``)."""

    __tablename__ = "gangs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    fraud_type: Mapped[str | None] = mapped_column(String(32))
    district: Mapped[str | None] = mapped_column(String(32))


class Outlet(Base):
    """A business outlet where phone cards or bank cards are opened (营业网点)."""

    __tablename__ = "outlets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    operator: Mapped[str] = mapped_column(String(32))
    district: Mapped[str | None] = mapped_column(String(32))


class Person(Base):
    """A citizen, victim or suspect."""

    __tablename__ = "persons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    phone_number: Mapped[str | None] = mapped_column(String(32), index=True)
    gender: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[date | None] = mapped_column(Date)
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    town: Mapped[str | None] = mapped_column(String(32))
    village: Mapped[str | None] = mapped_column(String(32))
    occupation: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16), default="citizen")
    gang_id: Mapped[int | None] = mapped_column(ForeignKey("gangs.id"), index=True)
    gang_role: Mapped[str | None] = mapped_column(String(32))


class Device(Base):
    """A handset or a GOIP box (a device with many SIM slots), by IMEI."""

    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    imei: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    slots: Mapped[int] = mapped_column(Integer, default=1)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    cell_id: Mapped[str | None] = mapped_column(String(32))
    district: Mapped[str | None] = mapped_column(String(32))


class Phone(Base):
    """A phone number (and its SIM/IMSI), who registered it, where and in which device."""

    __tablename__ = "phones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    imsi: Mapped[str | None] = mapped_column(String(20))
    carrier: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16), default="mobile")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), index=True)
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    flag_reason: Mapped[str | None] = mapped_column(String(128))


class DeviceSighting(Base):
    """One device-log row: a SIM (phone number) seen in a device at a time, perhaps at a cell.

    ``phones.device_id`` keeps only the latest device of a number; the sightings keep the
    history 研判 needs (一机多卡: many SIMs in one box, 一卡多机: one SIM hopping boxes).
    """

    __tablename__ = "device_sightings"
    __table_args__ = (
        UniqueConstraint("device_id", "phone_id", "seen_at"),
        Index("ix_device_sightings_phone_seen", "phone_id", "seen_at"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    phone_id: Mapped[int] = mapped_column(ForeignKey("phones.id"))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    imsi: Mapped[str | None] = mapped_column(String(20))
    cell_id: Mapped[str | None] = mapped_column(String(32))


class BankAccount(Base):
    """A bank card / account (or a payment or crypto exit) and its status in fund control."""

    __tablename__ = "bank_accounts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_no: Mapped[str] = mapped_column(String(40), unique=True)
    bank: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16), default="personal")
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"), index=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="normal")


class IMAccount(Base):
    """An instant-messaging account (WeChat, QQ, Telegram …)."""

    __tablename__ = "im_accounts"
    __table_args__ = (UniqueConstraint("platform", "handle"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    handle: Mapped[str] = mapped_column(String(64), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)


class Url(Base):
    """A URL or domain seen in fraud (fake shop, fake investment platform, APK)."""

    __tablename__ = "urls"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(512), unique=True)
    domain: Mapped[str] = mapped_column(String(255), index=True)
    gang_id: Mapped[int | None] = mapped_column(ForeignKey("gangs.id"))
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Case(Base):
    """A reported fraud case (报案/警情)."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_no: Mapped[str] = mapped_column(String(32), unique=True)
    fraud_type: Mapped[str] = mapped_column(String(32), index=True)
    amount_lost_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    victim_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    gang_id: Mapped[int | None] = mapped_column(ForeignKey("gangs.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    summary: Mapped[str] = mapped_column(Text, default="")


class PhoneCall(Base):
    """A call or SMS between two numbers (call detail record)."""

    __tablename__ = "calls"
    __table_args__ = (Index("ix_calls_callee_started", "callee_id", "started_at"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    caller_id: Mapped[int] = mapped_column(ForeignKey("phones.id"), index=True)
    callee_id: Mapped[int] = mapped_column(ForeignKey("phones.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_s: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(8), default="call")


class Transfer(Base):
    """A money transfer between two accounts, in fen."""

    __tablename__ = "transfers"
    __table_args__ = (
        Index("ix_transfers_src_at", "src_account_id", "at"),
        Index("ix_transfers_dst_at", "dst_account_id", "at"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    txn_id: Mapped[str] = mapped_column(String(40), unique=True)
    src_account_id: Mapped[int] = mapped_column(ForeignKey("bank_accounts.id"))
    dst_account_id: Mapped[int] = mapped_column(ForeignKey("bank_accounts.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(16), default="transfer")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)


class Event(Base):
    """A signal that someone may be being defrauded now (a call, a transfer, a report, a hit)."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    district: Mapped[str | None] = mapped_column(String(32))
    phone_number: Mapped[str | None] = mapped_column(String(32))
    counterpart: Mapped[str | None] = mapped_column(String(512))
    counterpart_kind: Mapped[str | None] = mapped_column(String(16))
    amount_at_risk_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    fraud_type: Mapped[str | None] = mapped_column(String(32))
    risk: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(32), default="system")
    detail: Mapped[str] = mapped_column(Text, default="")
    task_id: Mapped[int | None] = mapped_column(ForeignKey("warning_tasks.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class WarningTask(Base):
    """A warning & dissuasion task (预警劝阻任务); ``version`` guards against lost updates."""

    __tablename__ = "warning_tasks"
    __table_args__ = (Index("ix_warning_tasks_state_priority", "state", "priority"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    phone_number: Mapped[str | None] = mapped_column(String(32))
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    fraud_type: Mapped[str | None] = mapped_column(String(32))
    money_at_risk_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    state: Mapped[str] = mapped_column(String(16), default="new")
    assigned_to: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    signal_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    sla_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contact_count: Mapped[int] = mapped_column(Integer, default=0)
    no_answer_count: Mapped[int] = mapped_column(Integer, default=0)
    money_saved_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class TaskTransition(Base):
    """One state change of a warning task: from, to, who, when, why."""

    __tablename__ = "task_transitions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("warning_tasks.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")


class Outcome(Base):
    """One contact attempt on a task: channel, result, note, money saved."""

    __tablename__ = "outcomes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("warning_tasks.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    result: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    money_saved_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    """Append-only audit log; each entry's ``hash`` covers its fields and the previous hash.

    ``hash`` is an HMAC under the key ``key_id`` and ``seq`` the entry's position in the chain;
    both are NULL for legacy entries (plain SHA-256, written before the chain was keyed).
    """

    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_id: Mapped[str | None] = mapped_column(String(32))
    seq: Mapped[int | None] = mapped_column(BigInteger)


class LedgerEntry(Base):
    """One fund-control act (止付, 冻结, 解冻, 返还 …) on one account for one case, in fen.

    Append-only: the balances are never stored, they are replayed from the entries by
    ``fanzha.funds.replay_ledger``, so they always reconcile with what was done.
    """

    __tablename__ = "ledger_entries"
    __table_args__ = (Index("ix_ledger_entries_case_account", "case_id", "account_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("bank_accounts.id"), index=True)
    bank: Mapped[str] = mapped_column(String(64))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    officer: Mapped[str] = mapped_column(String(64))
    legal_basis: Mapped[str] = mapped_column(String(255))
    payee: Mapped[str | None] = mapped_column(String(64))
    payee_account: Mapped[str | None] = mapped_column(String(40))
    from_stop: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class ImportBatch(Base):
    """One bulk import: committed whole or not at all."""

    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(512))
    rows: Mapped[int] = mapped_column(BigInteger, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CitizenReport(Base):
    """举报: what a citizen sent, screened, waiting for an officer's decision.

    Nothing a report says reaches the record (flags, events, tasks) until a warning or
    outreach officer accepts it; ``state`` is ``pending``, ``accepted`` or ``rejected``.
    """

    __tablename__ = "citizen_reports"
    __table_args__ = (Index("ix_citizen_reports_state_received", "state", "received_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    number: Mapped[str | None] = mapped_column(String(40))
    account: Mapped[str | None] = mapped_column(String(40))
    url: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    reporter_phone: Mapped[str | None] = mapped_column(String(40))
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    being_defrauded: Mapped[bool] = mapped_column(Boolean, default=False)
    risk: Mapped[float | None] = mapped_column(Float)
    fraud_type: Mapped[str | None] = mapped_column(String(32))
    verdicts: Mapped[str] = mapped_column(Text, default="[]")
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str] = mapped_column(Text, default="")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))


class IntakeSignal(Base):
    """A signal the stream intake took, by the producer's id: the idempotency key.

    The primary key makes a redelivered or re-published signal a no-op; ``outcome`` is
    ``taken`` (opened a task), ``merged`` (into an open task), ``skipped`` (the rules made
    no task) or ``dead_letter`` (refused, e.g. an unknown person).
    """

    __tablename__ = "intake_signals"
    signal_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16), default="skipped")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("warning_tasks.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


# The 侦查打击 and 宣传防范 tables live in their own modules; importing them here registers
# them on ``Base.metadata`` before anything (migrations, LOAD_ORDER, backups) reads it.
from fanzha.store import _ops_models, _outreach_models  # noqa: E402, F401
