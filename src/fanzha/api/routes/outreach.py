"""宣传防范 outreach: audiences (counts), suggestions, templates, campaigns with a
commander's approval, the delivery log, opt-outs and events. Outreach officers work in their
district; commanders approve; the sender (``fanzha.outreach_sender``) does the sending."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from fanzha.api._deps import DbSession, audit, page_size, permit
from fanzha.api._outreach_service import (
    campaign_in_scope,
    campaign_public,
    delivery_public,
    spec_of,
    template_public,
)
from fanzha.api.schemas.common import PageNumber, RecordId
from fanzha.api.schemas.outreach import (
    AudienceCountPublic,
    AudienceRequest,
    CampaignListPublic,
    CampaignPublic,
    CampaignRequest,
    CampaignTransition,
    ChannelPublic,
    DeliveryListPublic,
    DryRunPublic,
    EventListPublic,
    EventPublic,
    EventRequest,
    OptOutPublic,
    OptOutRequest,
    PreviewPublic,
    PreviewRequest,
    SuggestionListPublic,
    SuggestionPublic,
    TemplateListPublic,
    TemplatePublic,
    TemplateRequest,
)
from fanzha.errors import InvalidInput, NotFound, PermissionDenied
from fanzha.outreach import (
    CHANNEL_KINDS,
    DELIVERY_STATUS_LABELS,
    Schedule,
    Template,
    check_transition,
    render,
    sample_values,
    sms_segments,
    suggest_targets,
    validate_schedule,
    validate_template,
)
from fanzha.outreach_sender import dry_run_campaign
from fanzha.roles import Actor, district_scope, is_allowed
from fanzha.store import outreach as stored
from fanzha.store import users as stored_users
from fanzha.taxonomy import get_fraud_type

__all__ = ["router"]

router = APIRouter(prefix="/outreach", tags=["outreach"])
Reader = Annotated[Actor, Depends(permit("outreach.read"))]
Writer = Annotated[Actor, Depends(permit("outreach.write"))]
Approver = Annotated[Actor, Depends(permit("outreach.approve"))]


def _now() -> datetime:
    return datetime.now(UTC)


@router.post("/audiences/count", response_model=AudienceCountPublic)
def count_audience(
    body: AudienceRequest, request: Request, db: DbSession, actor: Reader
) -> AudienceCountPublic:
    """How many people an audience holds (never who): in all, reachable, opted out."""
    spec = spec_of(body, actor)
    count = stored.count_audience(db, spec, today=_now().date(), scope=district_scope(actor))
    audit(request, actor, "count", "audience", "-", detail=spec.describe())
    return AudienceCountPublic(
        description=spec.describe(),
        total=count.total,
        reachable=count.reachable,
        opted_out=count.opted_out,
        by_district=count.by_district,
    )


@router.get("/suggestions", response_model=SuggestionListPublic)
def suggestions(
    db: DbSession, actor: Reader, days: Annotated[int, Query(ge=3, le=90)] = 14
) -> SuggestionListPublic:
    """Per district, the fraud types rising in recent cases and what to send this week."""
    trends = stored.type_trends(db, now=_now(), days=days, district=district_scope(actor))
    found = suggest_targets(trends, days=days)
    return SuggestionListPublic(
        days=days, data=[SuggestionPublic.model_validate(s, from_attributes=True) for s in found]
    )


@router.get("/templates", response_model=TemplateListPublic)
def list_templates(
    db: DbSession,
    actor: Reader,
    fraud_type: str | None = None,
    group: str | None = None,
    kind: str | None = None,
) -> TemplateListPublic:
    """The default library and the officers' templates, with previews and segment counts."""
    data = [
        template_public(t, builtin=builtin)
        for t, builtin in stored.list_templates(db)
        if (not fraud_type or t.fraud_type == fraud_type)
        and (not group or t.group == group)
        and (not kind or t.kind == kind)
    ]
    return TemplateListPublic(count=len(data), data=data)


@router.post("/templates", status_code=201, response_model=TemplatePublic)
def add_template(
    body: TemplateRequest, request: Request, db: DbSession, actor: Writer
) -> TemplatePublic:
    """Add a template (variables: salutation, district, center, hotline, optout)."""
    if get_fraud_type(body.fraud_type) is None:
        raise InvalidInput("unknown fraud type", field="fraud_type", value=body.fraud_type)
    template = validate_template(Template(**body.model_dump()))
    stored.add_template(db, template, user_id=actor.user_id)
    audit(request, actor, "create", "outreach_template", template.code)
    return template_public(template, builtin=False)


@router.post("/templates/preview", response_model=PreviewPublic)
def preview(body: PreviewRequest, actor: Reader) -> PreviewPublic:
    """A text rendered for a sample person, and its SMS segments."""
    template = Template("preview", "other_fraud", body.group, body.kind, "", body.body)
    text = render(template, sample_values(body.group, body.district))
    count = sms_segments(text)
    return PreviewPublic(
        preview=text, units=count.units, segments=count.segments, segment_rule=count.rule
    )


@router.get("/channels", response_model=list[ChannelPublic])
def channels(request: Request, actor: Reader) -> list[ChannelPublic]:
    """The channels this server sends through."""
    return [
        ChannelPublic(name=name, kind=c.kind, kind_label=CHANNEL_KINDS.get(c.kind, c.kind))
        for name, c in request.app.state.outreach_channels.items()
    ]


def _campaign_body(db: DbSession, campaign: stored.CampaignRecord) -> CampaignPublic:
    template = stored.get_template(db, campaign.template_code)
    names = stored_users.user_names(db, [campaign.approved_by] if campaign.approved_by else [])
    return campaign_public(
        campaign,
        title=template.title if template else campaign.template_code,
        deliveries=stored.delivery_counts(db, campaign.id),
        names=names,
    )


@router.get("/campaigns", response_model=CampaignListPublic)
def list_campaigns(db: DbSession, actor: Reader, state: str | None = None) -> CampaignListPublic:
    """Campaigns (a district officer: their district's), newest first."""
    found = stored.list_campaigns(db, district=district_scope(actor), state=state)
    return CampaignListPublic(count=len(found), data=[_campaign_body(db, c) for c in found])


@router.post("/campaigns", status_code=201, response_model=CampaignPublic)
def add_campaign(
    body: CampaignRequest, request: Request, db: DbSession, actor: Writer
) -> CampaignPublic:
    """Draft a campaign; it sends nothing until a commander approves it."""
    template = stored.get_template(db, body.template_code)
    if template is None:
        raise InvalidInput("unknown template", field="template_code", value=body.template_code)
    if body.channel not in request.app.state.outreach_channels:
        raise InvalidInput("unknown channel", field="channel", value=body.channel)
    schedule = validate_schedule(
        Schedule(body.schedule_kind, body.start_at, body.weekday, body.hour)
    )
    campaign_id = stored.add_campaign(
        db,
        stored.NewCampaign(
            name=body.name,
            district=district_scope(actor),
            audience=spec_of(body.audience, actor),
            template_code=template.code,
            channel=body.channel,
            schedule=schedule,
            note=body.note,
        ),
        user_id=actor.user_id,
        at=_now(),
    )
    audit(request, actor, "create", "outreach_campaign", campaign_id)
    campaign = stored.get_campaign(db, campaign_id)
    assert campaign is not None
    return _campaign_body(db, campaign)


@router.get("/campaigns/{campaign_id}", response_model=CampaignPublic)
def get_campaign(campaign_id: RecordId, db: DbSession, actor: Reader) -> CampaignPublic:
    """One campaign with its deliveries per status."""
    return _campaign_body(db, campaign_in_scope(actor, stored.get_campaign(db, campaign_id)))


@router.post("/campaigns/{campaign_id}/transition", response_model=CampaignPublic)
def transition(
    campaign_id: RecordId,
    body: CampaignTransition,
    request: Request,
    db: DbSession,
    actor: Reader,
) -> CampaignPublic:
    """Submit (outreach officer), approve or reject (commander), cancel (either)."""
    campaign = campaign_in_scope(actor, stored.get_campaign(db, campaign_id))
    action = check_transition(campaign.state, body.to)
    needed = "outreach.approve" if action in ("approve", "reject") else "outreach.write"
    if action == "cancel" and is_allowed(actor.role, "outreach.approve"):
        needed = "outreach.approve"
    if not is_allowed(actor.role, needed):
        raise PermissionDenied(
            "此操作需要指挥长审批权限" if needed == "outreach.approve" else "无权操作"
        )
    if not stored.set_campaign_state(
        db,
        campaign_id,
        from_state=campaign.state,
        to_state=body.to,
        user_id=actor.user_id,
        at=_now(),
    ):
        raise NotFound("活动状态已变化，请刷新 (the campaign changed meanwhile)")
    audit(request, actor, action, "outreach_campaign", campaign_id, detail=body.note)
    updated = stored.get_campaign(db, campaign_id)
    assert updated is not None
    return _campaign_body(db, updated)


@router.post("/campaigns/{campaign_id}/dry-run", response_model=DryRunPublic)
def dry_run(campaign_id: RecordId, request: Request, db: DbSession, actor: Reader) -> DryRunPublic:
    """试运行: who a run would reach now and how the text reads; nothing written or sent."""
    campaign = campaign_in_scope(actor, stored.get_campaign(db, campaign_id))
    result = dry_run_campaign(
        db, campaign, now=_now(), channel=request.app.state.outreach_channels.get(campaign.channel)
    )
    audit(request, actor, "dry_run", "outreach_campaign", campaign_id)
    return DryRunPublic(
        run_key=result.run_key,
        statuses=result.statuses,
        status_labels=dict(DELIVERY_STATUS_LABELS),
        sample_text=result.sample_text,
        segments=result.segments,
        quiet_hours=result.quiet_hours,
    )


@router.get("/deliveries", response_model=DeliveryListPublic)
def deliveries(
    request: Request,
    db: DbSession,
    actor: Reader,
    campaign_id: int | None = None,
    status: str | None = None,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> DeliveryListPublic:
    """The delivery log, newest first; addresses masked unless the role may see them."""
    per_page = page_size(request, per_page)
    rows, count = stored.list_deliveries(
        db,
        campaign_id=campaign_id,
        status=status,
        district=district_scope(actor),
        page=page,
        per_page=per_page,
    )
    audit(request, actor, "list", "outreach_delivery", campaign_id or "-", detail=f"page={page}")
    visible = is_allowed(actor.role, "pii.view")
    return DeliveryListPublic(
        data=[delivery_public(r, visible=visible) for r in rows],
        count=count,
        page=page,
        per_page=per_page,
    )


@router.post("/opt-outs", response_model=OptOutPublic)
def opt_out(body: OptOutRequest, request: Request, db: DbSession, actor: Writer) -> OptOutPublic:
    """退订: the people with this number get no more reminders on any channel."""
    count = stored.opt_out_number(db, body.number, at=_now(), source=body.source)
    audit(request, actor, "opt_out", "phone", body.number, detail=body.source)
    return OptOutPublic(opted_out=count)


@router.get("/events", response_model=EventListPublic)
def list_events(
    db: DbSession, actor: Reader, start: date | None = None, end: date | None = None
) -> EventListPublic:
    """Outreach events held (a district officer: their district's) and their totals."""
    scope = district_scope(actor)
    totals = stored.outreach_event_totals(db, start, end, scope)
    rows = stored.list_events(db, start=start, end=end, district=scope)
    return EventListPublic(
        events=totals.events,
        sites=totals.sites,
        people_reached=totals.people_reached,
        data=[EventPublic.model_validate(e, from_attributes=True) for e in rows],
    )


@router.post("/events", status_code=201, response_model=EventPublic)
def add_event(body: EventRequest, request: Request, db: DbSession, actor: Writer) -> EventPublic:
    """Record an outreach event (place, date, kind, people reached, materials)."""
    scope = district_scope(actor)
    district = scope if scope is not None else body.district
    event = stored.NewEvent(
        held_on=body.held_on,
        district=district,
        place=body.place,
        kind=body.kind,
        people_reached=body.people_reached,
        materials=body.materials,
        online=body.online,
    )
    event_id = stored.add_event(db, event, user_id=actor.user_id, at=_now())
    audit(request, actor, "create", "outreach_event", event_id)
    return EventPublic(id=event_id, **asdict(event))
