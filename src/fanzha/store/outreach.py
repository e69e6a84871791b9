"""宣传防范 outreach in the store: audiences, templates, campaigns, the delivery log, opt-outs,
events, and the case counts targeting reads.

Audience queries return counts, or :class:`fanzha.outreach.Recipient` rows (id, address,
district) for the sender only: names, ID numbers and everything else about a person stay in
the database.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fanzha.errors import InvalidInput
from fanzha.outreach import (
    AGE_BANDS,
    AUDIENCE_GROUPS,
    AudienceSpec,
    Recipient,
    RecipientPlan,
    Schedule,
    Template,
    TypeTrend,
    age_on,
    birth_date_bounds,
    default_library,
    group_of,
)
from fanzha.store._models import Case, Person, WarningTask
from fanzha.store._ops_models import KeyArea
from fanzha.store._outreach_models import (
    OutreachCampaign,
    OutreachDelivery,
    OutreachEvent,
    OutreachOptOut,
    OutreachRun,
    OutreachTemplate,
)
from fanzha.store._pages import fetch_page

__all__ = [
    "AudienceCount",
    "CampaignRecord",
    "ClaimedDelivery",
    "EventRecord",
    "EventTotals",
    "NewCampaign",
    "NewEvent",
    "add_campaign",
    "add_event",
    "add_template",
    "audience_recipients",
    "claim_delivery",
    "count_audience",
    "defer_delivery",
    "delivery_counts",
    "finish_delivery",
    "finish_runs",
    "get_campaign",
    "get_template",
    "interrupt_stale",
    "list_campaigns",
    "list_deliveries",
    "list_events",
    "list_templates",
    "opt_out",
    "opt_out_number",
    "opted_out",
    "outreach_event_totals",
    "plan_run",
    "recent_message_counts",
    "runnable_campaigns",
    "set_campaign_state",
    "type_trends",
]

_SENT = ("sent",)


# ---------------------------------------------------------------------------- audiences
@dataclass(frozen=True, slots=True)
class AudienceCount:
    """How many an audience holds: with an address, of whom opted out, and per district."""

    total: int
    reachable: int
    opted_out: int
    by_district: dict[str, int]


def _birth_between(bounds: tuple[date | None, date | None]) -> ColumnElement[bool]:
    earliest, latest = bounds
    parts: list[ColumnElement[bool]] = [Person.birth_date.is_not(None)]
    if earliest is not None:
        parts.append(Person.birth_date >= earliest)
    if latest is not None:
        parts.append(Person.birth_date <= latest)
    return and_(*parts)


def _conditions(
    session: Session, spec: AudienceSpec, *, today: date, scope: str | None
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Person.kind != "suspect"]
    if scope is not None:
        where.append(Person.district == scope)
    if spec.districts:
        where.append(Person.district.in_(spec.districts))
    if spec.age_bands:
        where.append(
            or_(
                *(
                    _birth_between(birth_date_bounds(*AGE_BANDS[b], today=today))
                    for b in spec.age_bands
                )
            )
        )
    group = AUDIENCE_GROUPS[spec.group]
    if group.occupations:
        where.append(Person.occupation.in_(group.occupations))
    if group.gender:
        where.append(Person.gender == group.gender)
    if group.min_age is not None or group.max_age is not None:
        where.append(_birth_between(birth_date_bounds(group.min_age, group.max_age, today=today)))
    if spec.past_victims:
        victim = Case.victim_id == Person.id
        if spec.victim_fraud_types:
            victim = and_(victim, Case.fraud_type.in_(spec.victim_fraud_types))
        where.append(exists().where(victim))
    if spec.warned:
        where.append(exists().where(WarningTask.person_id == Person.id))
    if spec.key_villages:
        where.append(
            exists().where(
                KeyArea.district == Person.district,
                KeyArea.village == Person.village,
                KeyArea.state == "active",
            )
        )
    return where


def count_audience(
    session: Session, spec: AudienceSpec, *, today: date, scope: str | None = None
) -> AudienceCount:
    """The size of the audience ``spec`` within ``scope`` (a district, None: the city)."""
    where = _conditions(session, spec, today=today, scope=scope)
    addressed = and_(Person.phone_number.is_not(None), Person.phone_number != "")
    optout = exists().where(OutreachOptOut.person_id == Person.id)
    rows = session.execute(
        select(
            Person.district,
            func.count(),
            func.count().filter(addressed),
            func.count().filter(and_(addressed, optout)),
        )
        .where(*where)
        .group_by(Person.district)
    ).all()
    total = sum(int(r[1]) for r in rows)
    with_address = sum(int(r[2]) for r in rows)
    out = sum(int(r[3]) for r in rows)
    return AudienceCount(
        total=total,
        reachable=with_address - out,
        opted_out=out,
        by_district={(r[0] or "未知"): int(r[1]) for r in rows},
    )


def audience_recipients(
    session: Session, spec: AudienceSpec, *, today: date, scope: str | None = None
) -> list[Recipient]:
    """Everyone of the audience with an address (opted-out people included: the plan records
    them as skipped), as id, address and district only."""
    query: Select[Any] = (
        select(Person.id, Person.phone_number, Person.district)
        .where(*_conditions(session, spec, today=today, scope=scope))
        .where(Person.phone_number.is_not(None), Person.phone_number != "")
        .order_by(Person.id)
    )
    return [
        Recipient(int(pid), str(phone), district) for pid, phone, district in session.execute(query)
    ]


def opted_out(session: Session, person_ids: Iterable[int]) -> frozenset[int]:
    """Which of ``person_ids`` opted out."""
    ids = list(person_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        found.update(
            session.scalars(
                select(OutreachOptOut.person_id).where(OutreachOptOut.person_id.in_(chunk))
            )
        )
    return frozenset(found)


def recent_message_counts(
    session: Session, person_ids: Iterable[int], *, since: datetime
) -> dict[int, int]:
    """Messages sent to each of ``person_ids`` (any campaign) since ``since``, plus those
    queued for sending: what the frequency cap counts."""
    ids = list(person_ids)
    counts: dict[int, int] = {}
    pending = ("queued", "deferred", "sending")
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        rows = session.execute(
            select(OutreachDelivery.person_id, func.count())
            .where(
                OutreachDelivery.person_id.in_(chunk),
                or_(
                    and_(OutreachDelivery.status.in_(_SENT), OutreachDelivery.sent_at >= since),
                    OutreachDelivery.status.in_(pending),
                ),
            )
            .group_by(OutreachDelivery.person_id)
        )
        counts.update({int(pid): int(n) for pid, n in rows if pid is not None})
    return counts


def opt_out(session: Session, person_id: int, *, at: datetime, source: str = "officer") -> bool:
    """Record that ``person_id`` opted out (the caller commits); False if they had already.

    Deliveries still waiting for them are skipped at once."""
    if session.get(OutreachOptOut, person_id) is not None:
        return False
    session.add(OutreachOptOut(person_id=person_id, at=at, source=source))
    session.execute(
        update(OutreachDelivery)
        .where(
            OutreachDelivery.person_id == person_id,
            OutreachDelivery.status.in_(("queued", "deferred")),
        )
        .values(status="skipped_optout")
    )
    session.flush()
    return True


def opt_out_number(
    session: Session, number: str, *, at: datetime, source: str = "sms_reply"
) -> int:
    """退订 by phone number (an SMS reply ``T``): every person with that number; returns how
    many were newly opted out."""
    ids = session.scalars(select(Person.id).where(Person.phone_number == number)).all()
    return sum(opt_out(session, pid, at=at, source=source) for pid in ids)


# ---------------------------------------------------------------------------- templates
def _template(row: OutreachTemplate) -> Template:
    return Template(row.code, row.fraud_type, row.group, row.kind, row.title, row.body)


def list_templates(session: Session) -> list[tuple[Template, bool]]:
    """Every template, the default library first, each with whether it is built in."""
    stored = [
        _template(r)
        for r in session.scalars(select(OutreachTemplate).order_by(OutreachTemplate.id))
    ]
    return [(t, True) for t in default_library()] + [(t, False) for t in stored]


def get_template(session: Session, code: str) -> Template | None:
    """The template ``code`` (built in or stored), or None."""
    for template in default_library():
        if template.code == code:
            return template
    row = session.scalar(select(OutreachTemplate).where(OutreachTemplate.code == code))
    return _template(row) if row is not None else None


def add_template(session: Session, template: Template, *, user_id: int | None) -> None:
    """Store an officer's template (the caller validated it and commits); a code already used
    raises InvalidInput."""
    if get_template(session, template.code) is not None:
        raise InvalidInput("a template with this code exists", field="code", value=template.code)
    session.add(OutreachTemplate(**asdict(template), created_by=user_id))
    session.flush()


# ---------------------------------------------------------------------------- campaigns
@dataclass(frozen=True, slots=True)
class NewCampaign:
    """What an officer drafts."""

    name: str
    district: str | None
    audience: AudienceSpec
    template_code: str
    channel: str
    schedule: Schedule
    note: str = ""


@dataclass(frozen=True, slots=True)
class CampaignRecord:
    """A stored campaign."""

    id: int
    name: str
    district: str | None
    audience: AudienceSpec
    template_code: str
    channel: str
    schedule: Schedule
    state: str
    created_by: int | None
    created_at: datetime
    approved_by: int | None
    approved_at: datetime | None
    note: str


def _spec_json(spec: AudienceSpec) -> str:
    return json.dumps(asdict(spec), ensure_ascii=False)


def _spec(text: str) -> AudienceSpec:
    raw: dict[str, Any] = json.loads(text)
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
    return AudienceSpec(**values)


def _campaign(row: OutreachCampaign) -> CampaignRecord:
    return CampaignRecord(
        id=row.id,
        name=row.name,
        district=row.district,
        audience=_spec(row.audience),
        template_code=row.template_code,
        channel=row.channel,
        schedule=Schedule(row.schedule_kind, row.start_at, row.weekday, row.hour),
        state=row.state,
        created_by=row.created_by,
        created_at=row.created_at,
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        note=row.note,
    )


def add_campaign(
    session: Session, campaign: NewCampaign, *, user_id: int | None, at: datetime
) -> int:
    """Store a draft campaign (the caller commits); returns its id."""
    row = OutreachCampaign(
        name=campaign.name,
        district=campaign.district,
        audience=_spec_json(campaign.audience),
        template_code=campaign.template_code,
        channel=campaign.channel,
        schedule_kind=campaign.schedule.kind,
        start_at=campaign.schedule.start,
        weekday=campaign.schedule.weekday,
        hour=campaign.schedule.hour,
        state="draft",
        created_by=user_id,
        created_at=at,
        note=campaign.note,
    )
    session.add(row)
    session.flush()
    return row.id


def get_campaign(session: Session, campaign_id: int) -> CampaignRecord | None:
    """The campaign ``campaign_id``, or None."""
    row = session.get(OutreachCampaign, campaign_id)
    return _campaign(row) if row is not None else None


def list_campaigns(
    session: Session, *, district: str | None = None, state: str | None = None
) -> list[CampaignRecord]:
    """Campaigns, newest first; ``district``: that district's (None: all)."""
    query = select(OutreachCampaign).order_by(OutreachCampaign.id.desc())
    if district is not None:
        query = query.where(OutreachCampaign.district == district)
    if state:
        query = query.where(OutreachCampaign.state == state)
    return [_campaign(r) for r in session.scalars(query)]


def set_campaign_state(
    session: Session,
    campaign_id: int,
    *,
    from_state: str,
    to_state: str,
    user_id: int | None,
    at: datetime,
) -> bool:
    """Move a campaign from ``from_state`` to ``to_state`` (the caller checked the transition
    and commits); False if it was no longer in ``from_state``. Approval records who and when."""
    values: dict[str, Any] = {"state": to_state}
    if to_state == "approved":
        values.update(approved_by=user_id, approved_at=at)
    done = session.execute(
        update(OutreachCampaign)
        .where(OutreachCampaign.id == campaign_id, OutreachCampaign.state == from_state)
        .values(**values)
    )
    session.expire_all()
    return bool(getattr(done, "rowcount", 0))


def runnable_campaigns(session: Session) -> list[CampaignRecord]:
    """Approved campaigns, oldest first (the sender checks which have a run due; an older
    campaign's messages count against the cap of a newer one, not the other way)."""
    return sorted(list_campaigns(session, state="approved"), key=lambda c: c.id)


# ---------------------------------------------------------------------------- deliveries
def plan_run(
    session: Session,
    campaign: CampaignRecord,
    run_key: str,
    plans: Sequence[RecipientPlan],
    *,
    at: datetime,
    send_after: datetime,
) -> bool:
    """Record run ``run_key`` of ``campaign`` and a delivery per planned recipient, in the
    caller's transaction; False (nothing written) if the run was planned already.

    The run's unique key makes planning happen once even if two senders race; the
    deliveries' unique key makes each recipient's message exist once.
    """
    if session.scalar(
        select(OutreachRun.id).where(
            OutreachRun.campaign_id == campaign.id, OutreachRun.run_key == run_key
        )
    ):
        return False
    try:
        with session.begin_nested():
            session.add(
                OutreachRun(
                    campaign_id=campaign.id, run_key=run_key, planned_at=at, recipients=len(plans)
                )
            )
            session.flush()
    except IntegrityError:
        return False
    session.add_all(
        OutreachDelivery(
            campaign_id=campaign.id,
            run_key=run_key,
            recipient_key=(
                f"person:{plan.recipient.person_id}"
                if plan.recipient.person_id is not None
                else f"group:{campaign.channel}"
            ),
            person_id=plan.recipient.person_id,
            district=plan.recipient.district,
            address=plan.recipient.address,
            channel=campaign.channel,
            status=plan.status,
            attempts=0,
            error="",
            planned_at=at,
            send_after=send_after,
        )
        for plan in plans
    )
    session.flush()
    return True


@dataclass(frozen=True, slots=True)
class ClaimedDelivery:
    """A delivery the sender took: the channel gets ``delivery_id`` and ``address`` only."""

    id: int
    campaign_id: int
    run_key: str
    district: str | None
    address: str
    channel: str

    @property
    def delivery_id(self) -> str:
        """The idempotency key: campaign × recipient × run, as the channel sees it."""
        return f"fz-{self.campaign_id}-{self.run_key}-{self.id}"


def claim_delivery(session: Session, *, now: datetime) -> ClaimedDelivery | None:
    """Take the oldest due delivery (``queued`` or ``deferred`` with ``send_after`` ≤ now)
    and mark it ``sending``; None if none is due. The caller commits BEFORE sending, so a
    crash after the send leaves it ``sending``, never ``queued``: it is not sent again."""
    while True:
        row = session.execute(
            select(
                OutreachDelivery.id,
                OutreachDelivery.campaign_id,
                OutreachDelivery.run_key,
                OutreachDelivery.district,
                OutreachDelivery.address,
                OutreachDelivery.channel,
                OutreachDelivery.status,
            )
            .join(OutreachCampaign, OutreachCampaign.id == OutreachDelivery.campaign_id)
            .where(
                OutreachDelivery.status.in_(("queued", "deferred")),
                OutreachDelivery.send_after <= now,
                OutreachCampaign.state == "approved",
            )
            .order_by(OutreachDelivery.send_after, OutreachDelivery.id)
            .limit(1)
        ).first()
        if row is None:
            return None
        done = session.execute(
            update(OutreachDelivery)
            .where(OutreachDelivery.id == row.id, OutreachDelivery.status == row.status)
            .values(status="sending", attempts=OutreachDelivery.attempts + 1)
        )
        if getattr(done, "rowcount", 0):
            return ClaimedDelivery(
                row.id, row.campaign_id, row.run_key, row.district, row.address, row.channel
            )


def finish_delivery(
    session: Session, delivery_id: int, *, status: str, at: datetime, error: str = ""
) -> None:
    """Record the end of a send: ``sent`` (with its time) or ``failed`` (with the error)."""
    session.execute(
        update(OutreachDelivery)
        .where(OutreachDelivery.id == delivery_id)
        .values(status=status, sent_at=at if status == "sent" else None, error=error[:2000])
    )


def defer_delivery(session: Session, delivery_id: int, *, until: datetime) -> None:
    """Put a claimed delivery back until ``until`` (the quiet hours' end)."""
    session.execute(
        update(OutreachDelivery)
        .where(OutreachDelivery.id == delivery_id)
        .values(status="deferred", send_after=until)
    )


def interrupt_stale(session: Session) -> int:
    """At sender start: deliveries left ``sending`` by a crash become ``interrupted`` (for
    an officer to check), never re-sent; returns how many."""
    done = session.execute(
        update(OutreachDelivery)
        .where(OutreachDelivery.status == "sending")
        .values(status="interrupted", error="发送过程中断，未自动重发 (sender stopped mid-send)")
    )
    return int(getattr(done, "rowcount", 0) or 0)


def finish_runs(session: Session, *, at: datetime) -> list[int]:
    """Close runs with nothing left to send, and finish ``once`` campaigns whose run closed;
    returns the campaigns finished."""
    waiting = (
        select(OutreachDelivery.id)
        .where(
            OutreachDelivery.campaign_id == OutreachRun.campaign_id,
            OutreachDelivery.run_key == OutreachRun.run_key,
            OutreachDelivery.status.in_(("queued", "deferred", "sending")),
        )
        .exists()
    )
    session.execute(
        update(OutreachRun)
        .where(OutreachRun.finished_at.is_(None), ~waiting)
        .values(finished_at=at)
        .execution_options(synchronize_session=False)
    )
    ids = list(
        session.scalars(
            select(OutreachCampaign.id)
            .join(OutreachRun, OutreachRun.campaign_id == OutreachCampaign.id)
            .where(
                OutreachCampaign.state == "approved",
                OutreachCampaign.schedule_kind == "once",
                OutreachRun.finished_at.is_not(None),
            )
        )
    )
    if ids:
        session.execute(
            update(OutreachCampaign)
            .where(OutreachCampaign.id.in_(ids), OutreachCampaign.state == "approved")
            .values(state="finished")
        )
    return ids


def delivery_counts(session: Session, campaign_id: int) -> dict[str, int]:
    """Deliveries of a campaign per status."""
    rows = session.execute(
        select(OutreachDelivery.status, func.count())
        .where(OutreachDelivery.campaign_id == campaign_id)
        .group_by(OutreachDelivery.status)
    )
    return {str(status): int(n) for status, n in rows}


def list_deliveries(
    session: Session,
    *,
    campaign_id: int | None = None,
    status: str | None = None,
    district: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[OutreachDelivery], int]:
    """One page of the delivery log (newest first) and its total."""
    query = select(OutreachDelivery)
    if campaign_id is not None:
        query = query.where(OutreachDelivery.campaign_id == campaign_id)
    if status:
        query = query.where(OutreachDelivery.status == status)
    if district is not None:
        query = query.where(OutreachDelivery.district == district)
    rows, total = fetch_page(session, query.order_by(OutreachDelivery.id.desc()), page, per_page)
    return [row for (row,) in rows], total


# ---------------------------------------------------------------------------- events
@dataclass(frozen=True, slots=True)
class NewEvent:
    """An outreach event to record."""

    held_on: date
    district: str | None
    place: str
    kind: str
    people_reached: int
    materials: str = ""
    online: bool = False


@dataclass(frozen=True, slots=True)
class EventRecord:
    """A recorded outreach event."""

    id: int
    held_on: date
    district: str | None
    place: str
    kind: str
    people_reached: int
    materials: str
    online: bool


@dataclass(frozen=True, slots=True)
class EventTotals:
    """Outreach events in a period: events held, distinct sites, people reached."""

    events: int
    sites: int
    people_reached: int


def add_event(session: Session, event: NewEvent, *, user_id: int | None, at: datetime) -> int:
    """Record an outreach event (the caller commits); returns its id."""
    if event.people_reached < 0:
        raise InvalidInput("people_reached cannot be negative", field="people_reached")
    row = OutreachEvent(**asdict(event), created_by=user_id, created_at=at)
    session.add(row)
    session.flush()
    return row.id


def _event_where(
    start: date | None, end: date | None, district: str | None
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if start is not None:
        where.append(OutreachEvent.held_on >= start)
    if end is not None:
        where.append(OutreachEvent.held_on <= end)
    if district is not None:
        where.append(OutreachEvent.district == district)
    return where


def list_events(
    session: Session,
    *,
    start: date | None = None,
    end: date | None = None,
    district: str | None = None,
) -> list[EventRecord]:
    """Events held from ``start`` to ``end`` (inclusive), newest first."""
    rows = session.scalars(
        select(OutreachEvent)
        .where(*_event_where(start, end, district))
        .order_by(OutreachEvent.held_on.desc(), OutreachEvent.id.desc())
    )
    return [
        EventRecord(
            r.id, r.held_on, r.district, r.place, r.kind, r.people_reached, r.materials, r.online
        )
        for r in rows
    ]


def outreach_event_totals(
    session: Session, start: date | None, end: date | None, district: str | None
) -> EventTotals:
    """Events held from ``start`` to ``end`` (inclusive; None: open) in ``district`` (None:
    the city): how many, at how many distinct sites (district × place), reaching how many
    people (人次, as each event reported them). For ``fanzha.stats``."""
    where = _event_where(start, end, district)
    events, people = session.execute(
        select(func.count(), func.coalesce(func.sum(OutreachEvent.people_reached), 0)).where(*where)
    ).one()
    sites = session.scalar(
        select(func.count()).select_from(
            select(OutreachEvent.district, OutreachEvent.place).where(*where).distinct().subquery()
        )
    )
    return EventTotals(events=int(events), sites=int(sites or 0), people_reached=int(people))


# ---------------------------------------------------------------------------- targeting
def type_trends(
    session: Session, *, now: datetime, days: int, district: str | None = None
) -> list[TypeTrend]:
    """Cases per district × fraud type reported in the last ``days`` days and the ``days``
    before, the recent loss, and the recent victims per audience group."""
    recent_start = now - timedelta(days=days)
    previous_start = recent_start - timedelta(days=days)
    is_recent = Case.reported_at >= recent_start
    query = (
        select(
            Case.district,
            Case.fraud_type,
            func.count().filter(is_recent),
            func.count().filter(~is_recent),
            func.coalesce(func.sum(Case.amount_lost_fen).filter(is_recent), 0),
        )
        .where(
            Case.reported_at >= previous_start,
            Case.reported_at < now,
            Case.district.is_not(None),
        )
        .group_by(Case.district, Case.fraud_type)
    )
    victims_query = (
        select(Case.district, Case.fraud_type, Person.occupation, Person.gender, Person.birth_date)
        .join(Person, Person.id == Case.victim_id)
        .where(is_recent, Case.reported_at < now, Case.district.is_not(None))
    )
    if district is not None:
        query = query.where(Case.district == district)
        victims_query = victims_query.where(Case.district == district)
    groups: dict[tuple[str, str], Counter[str]] = {}
    today = now.date()
    for d, ftype, occupation, gender, birth in session.execute(victims_query):
        age = age_on(birth, today) if birth else None
        groups.setdefault((d, ftype), Counter())[group_of(occupation, gender, age)] += 1
    return [
        TypeTrend(
            district=d,
            fraud_type=ftype,
            recent=int(recent),
            previous=int(previous),
            recent_loss_fen=int(loss),
            victims_by_group=dict(groups.get((d, ftype), Counter())),
        )
        for d, ftype, recent, previous, loss in session.execute(query)
    ]
