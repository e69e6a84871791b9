"""Outreach for the API: the configured channels, and stored records as response bodies."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from fanzha.api._settings import Settings
from fanzha.api.schemas.common import fraud_type_name
from fanzha.api.schemas.outreach import (
    AudienceRequest,
    CampaignPublic,
    DeliveryPublic,
    TemplatePublic,
)
from fanzha.errors import InvalidInput, NotFound
from fanzha.masking import mask_value
from fanzha.outreach import (
    CAMPAIGN_STATE_LABELS,
    DELIVERY_STATUS_LABELS,
    GROUP_LABELS,
    TEMPLATE_KIND_LABELS,
    AudienceSpec,
    Channel,
    FileChannel,
    SmtpChannel,
    Template,
    WeComRobotChannel,
    render,
    sample_values,
    sms_segments,
    validate_spec,
)
from fanzha.roles import Actor, district_scope
from fanzha.store import outreach as stored
from fanzha.store._outreach_models import OutreachDelivery

__all__ = [
    "campaign_in_scope",
    "campaign_public",
    "channels_from",
    "delivery_public",
    "spec_of",
    "template_public",
]


def channels_from(settings: Settings) -> dict[str, Channel]:
    """The channels ``settings`` configure: always ``file``; ``wecom`` and ``smtp`` when set."""
    channels: dict[str, Channel] = {"file": FileChannel(Path(settings.outreach_outbox))}
    if settings.outreach_webhook_url:
        channels["wecom"] = WeComRobotChannel(settings.outreach_webhook_url)
    if settings.outreach_smtp_host:
        channels["smtp"] = SmtpChannel(
            settings.outreach_smtp_host, settings.outreach_smtp_port, settings.outreach_smtp_sender
        )
    return channels


def spec_of(body: AudienceRequest, actor: Actor) -> AudienceSpec:
    """The audience spec of a request, kept to the actor's district."""
    scope = district_scope(actor)
    districts = tuple(body.districts)
    if scope is not None:
        if any(d != scope for d in districts):
            raise InvalidInput(f"只能选择本辖区（{scope}）", field="districts")
        districts = (scope,)
    return validate_spec(
        AudienceSpec(
            districts=districts,
            age_bands=tuple(body.age_bands),
            group=body.group,
            past_victims=body.past_victims,
            warned=body.warned,
            key_villages=body.key_villages,
            victim_fraud_types=tuple(body.victim_fraud_types),
        )
    )


def template_public(template: Template, *, builtin: bool) -> TemplatePublic:
    """A template with its preview for a sample person and its segment count."""
    preview = render(template, sample_values(template.group))
    count = sms_segments(preview)
    return TemplatePublic(
        **asdict(template),
        fraud_type_name=fraud_type_name(template.fraud_type),
        group_label=GROUP_LABELS.get(template.group, template.group),
        kind_label=TEMPLATE_KIND_LABELS.get(template.kind, template.kind),
        builtin=builtin,
        preview=preview,
        units=count.units,
        segments=count.segments if template.kind == "sms" else 0,
        segment_rule=count.rule if template.kind == "sms" else "群发帖文不分条",
    )


def campaign_in_scope(
    actor: Actor, campaign: stored.CampaignRecord | None
) -> stored.CampaignRecord:
    """``campaign`` if it exists and ``actor`` may see it; else NotFound."""
    scope = district_scope(actor)
    if campaign is None or (scope is not None and campaign.district != scope):
        raise NotFound("活动不存在 (campaign not found)")
    return campaign


def campaign_public(
    campaign: stored.CampaignRecord,
    *,
    title: str,
    deliveries: dict[str, int],
    names: dict[int, str],
) -> CampaignPublic:
    """A stored campaign as its response body."""
    spec = campaign.audience
    return CampaignPublic(
        id=campaign.id,
        name=campaign.name,
        district=campaign.district,
        audience=AudienceRequest(
            districts=list(spec.districts),
            age_bands=list(spec.age_bands),  # type: ignore[arg-type]
            group=spec.group,  # type: ignore[arg-type]
            past_victims=spec.past_victims,
            victim_fraud_types=list(spec.victim_fraud_types),
            warned=spec.warned,
            key_villages=spec.key_villages,
        ),
        audience_label=spec.describe(),
        template_code=campaign.template_code,
        template_title=title,
        channel=campaign.channel,
        schedule_kind=campaign.schedule.kind,
        start_at=campaign.schedule.start,
        weekday=campaign.schedule.weekday,
        hour=campaign.schedule.hour,
        schedule_label=campaign.schedule.describe(),
        state=campaign.state,
        state_label=CAMPAIGN_STATE_LABELS.get(campaign.state, campaign.state),
        created_at=campaign.created_at,
        approved_by=campaign.approved_by,
        approved_by_name=names.get(campaign.approved_by) if campaign.approved_by else None,
        approved_at=campaign.approved_at,
        note=campaign.note,
        deliveries=deliveries,
    )


def delivery_public(row: OutreachDelivery, *, visible: bool) -> DeliveryPublic:
    """A delivery-log row; the address masked unless ``visible``."""
    if row.recipient_key.startswith("group:"):
        address: str | None = row.address  # a chat group's robot, not a person
    elif "@" in row.address and not visible:
        address = "***@" + row.address.split("@", 1)[1]
    else:
        address = mask_value("phone", row.address, visible=visible)
    return DeliveryPublic(
        id=row.id,
        campaign_id=row.campaign_id,
        run_key=row.run_key,
        district=row.district,
        address=address or "",
        channel=row.channel,
        status=row.status,
        status_label=DELIVERY_STATUS_LABELS.get(row.status, row.status),
        attempts=row.attempts,
        error=row.error,
        planned_at=row.planned_at,
        sent_at=row.sent_at,
    )
