"""The tables of 宣传防范 outreach: templates, campaigns, runs, deliveries, opt-outs, events.

``outreach_deliveries`` is the delivery log and the idempotency record at once: its unique
``(campaign_id, recipient_key, run_key)`` means a campaign's run can reach a recipient once,
whatever crashes and restarts of the sender happen in between.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fanzha.store._models import Base, UTCDateTime

__all__ = [
    "OUTREACH_TABLES",
    "OutreachCampaign",
    "OutreachDelivery",
    "OutreachEvent",
    "OutreachOptOut",
    "OutreachRun",
    "OutreachTemplate",
]


def _now() -> datetime:
    return datetime.now(UTC)


class OutreachTemplate(Base):
    """A template officers wrote (the default library lives in code, not here)."""

    __tablename__ = "outreach_templates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(96), unique=True)
    fraud_type: Mapped[str] = mapped_column(String(32))
    group: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(128))
    body: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class OutreachCampaign(Base):
    """Audience × template × schedule × channel, and its approval."""

    __tablename__ = "outreach_campaigns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    audience: Mapped[str] = mapped_column(Text)
    template_code: Mapped[str] = mapped_column(String(96))
    channel: Mapped[str] = mapped_column(String(32))
    schedule_kind: Mapped[str] = mapped_column(String(8))
    start_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    weekday: Mapped[int] = mapped_column(Integer, default=0)
    hour: Mapped[int] = mapped_column(Integer, default=10)
    state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")


class OutreachRun(Base):
    """One run of a campaign (``once`` or an ISO week): planned once, then sent."""

    __tablename__ = "outreach_runs"
    __table_args__ = (UniqueConstraint("campaign_id", "run_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("outreach_campaigns.id"), index=True)
    run_key: Mapped[str] = mapped_column(String(16))
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutreachDelivery(Base):
    """One message to one recipient in one run, and what became of it."""

    __tablename__ = "outreach_deliveries"
    __table_args__ = (
        UniqueConstraint("campaign_id", "recipient_key", "run_key"),
        Index("ix_outreach_deliveries_status_after", "status", "send_after"),
        Index("ix_outreach_deliveries_person_sent", "person_id", "sent_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("outreach_campaigns.id"), index=True)
    run_key: Mapped[str] = mapped_column(String(16))
    recipient_key: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    district: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(255))
    channel: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    send_after: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutreachOptOut(Base):
    """退订: a person who asked for no more reminders, on any channel."""

    __tablename__ = "outreach_opt_outs"
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(32), default="sms_reply")


class OutreachEvent(Base):
    """An outreach event held (反诈集市, 进社区/学校/企业, a parents' meeting …)."""

    __tablename__ = "outreach_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    district: Mapped[str | None] = mapped_column(String(32), index=True)
    place: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32))
    people_reached: Mapped[int] = mapped_column(Integer, default=0)
    materials: Mapped[str] = mapped_column(Text, default="")
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


#: every table of this module (the backup tests leave them out of archives older than 0009)
OUTREACH_TABLES: frozenset[str] = frozenset(
    model.__tablename__
    for model in (
        OutreachCampaign,
        OutreachDelivery,
        OutreachEvent,
        OutreachOptOut,
        OutreachRun,
        OutreachTemplate,
    )
)
