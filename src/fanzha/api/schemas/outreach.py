"""Bodies of 宣传防范 outreach: audiences (counts only), suggestions, templates, campaigns,
the delivery log (addresses masked) and events."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from fanzha.api.schemas.common import STRICT, ApiTime, PagePublic

__all__ = [
    "AudienceCountPublic",
    "AudienceRequest",
    "CampaignListPublic",
    "CampaignPublic",
    "CampaignRequest",
    "CampaignTransition",
    "ChannelPublic",
    "DeliveryListPublic",
    "DeliveryPublic",
    "DryRunPublic",
    "EventListPublic",
    "EventPublic",
    "EventRequest",
    "OptOutPublic",
    "OptOutRequest",
    "PreviewPublic",
    "PreviewRequest",
    "SuggestionListPublic",
    "SuggestionPublic",
    "TemplateListPublic",
    "TemplatePublic",
    "TemplateRequest",
]

GroupKey = Literal["students", "elderly", "mothers", "finance_staff", "general"]
AgeBand = Literal["under_18", "18_29", "30_44", "45_59", "60_plus"]


class AudienceRequest(BaseModel):
    """Whom to reach: every field given narrows the audience."""

    model_config = STRICT
    districts: list[str] = Field(default_factory=list, max_length=50)
    age_bands: list[AgeBand] = Field(default_factory=list, max_length=5)
    group: GroupKey = "general"
    past_victims: bool = False
    victim_fraud_types: list[str] = Field(default_factory=list, max_length=40)
    warned: bool = False
    key_villages: bool = False


class AudienceCountPublic(BaseModel):
    """The size of an audience (never who is in it)."""

    description: str
    total: int
    reachable: int
    opted_out: int
    by_district: dict[str, int]


class SuggestionPublic(BaseModel):
    """A fraud type rising in a district and what to send this week, with the reason."""

    district: str
    fraud_type: str
    fraud_type_name: str
    recent: int
    previous: int
    change: float | None
    recent_loss_fen: int
    group: str
    group_label: str
    sms_template: str
    post_template: str
    reason: str


class SuggestionListPublic(BaseModel):
    """Suggestions for every district (or the officer's own), and the window compared."""

    days: int
    data: list[SuggestionPublic]


class TemplatePublic(BaseModel):
    """A template with its preview for a sample person and its SMS segment count."""

    code: str
    fraud_type: str
    fraud_type_name: str
    group: str
    group_label: str
    kind: str
    kind_label: str
    title: str
    body: str
    builtin: bool
    preview: str
    units: int
    segments: int
    segment_rule: str


class TemplateListPublic(BaseModel):
    """Templates matching the filters."""

    count: int
    data: list[TemplatePublic]


class TemplateRequest(BaseModel):
    """An officer's own template."""

    model_config = STRICT
    code: str = Field(min_length=3, max_length=96, pattern=r"^[a-z0-9_.\-]+$")
    fraud_type: str = Field(max_length=32)
    group: GroupKey
    kind: Literal["sms", "post"]
    title: str = Field(min_length=1, max_length=128)
    body: str = Field(min_length=1, max_length=4000)


class PreviewRequest(BaseModel):
    """A text to preview for a sample person of ``group`` in ``district``."""

    model_config = STRICT
    body: str = Field(min_length=1, max_length=4000)
    group: GroupKey = "general"
    kind: Literal["sms", "post"] = "sms"
    district: str = Field(default="青秀区", max_length=32)


class PreviewPublic(BaseModel):
    """The rendered text and its SMS segments."""

    preview: str
    units: int
    segments: int
    segment_rule: str


class CampaignRequest(BaseModel):
    """A campaign to draft: audience × template × channel × schedule."""

    model_config = STRICT
    name: str = Field(min_length=1, max_length=128)
    audience: AudienceRequest
    template_code: str = Field(max_length=96)
    channel: str = Field(default="file", max_length=32)
    schedule_kind: Literal["once", "weekly"] = "once"
    start_at: ApiTime | None = None
    weekday: int = Field(default=0, ge=0, le=6)
    hour: int = Field(default=10, ge=0, le=23)
    note: str = Field(default="", max_length=500)


class CampaignPublic(BaseModel):
    """A campaign, its state and its deliveries per status."""

    id: int
    name: str
    district: str | None
    audience: AudienceRequest
    audience_label: str
    template_code: str
    template_title: str
    channel: str
    schedule_kind: str
    start_at: datetime | None
    weekday: int
    hour: int
    schedule_label: str
    state: str
    state_label: str
    created_at: datetime
    approved_by: int | None
    approved_by_name: str | None
    approved_at: datetime | None
    note: str
    deliveries: dict[str, int]


class CampaignListPublic(BaseModel):
    """Campaigns, newest first."""

    count: int
    data: list[CampaignPublic]


class CampaignTransition(BaseModel):
    """Move a campaign: submit (→ pending), approve, reject (→ draft), cancel."""

    model_config = STRICT
    to: Literal["pending", "approved", "draft", "cancelled"]
    note: str = Field(default="", max_length=500)


class DryRunPublic(BaseModel):
    """试运行: recipients per status and a sample text; nothing written or sent."""

    run_key: str | None
    statuses: dict[str, int]
    status_labels: dict[str, str]
    sample_text: str
    segments: int
    quiet_hours: bool


class DeliveryPublic(BaseModel):
    """One line of the delivery log; the address masked for roles without ``pii.view``."""

    id: int
    campaign_id: int
    run_key: str
    district: str | None
    address: str
    channel: str
    status: str
    status_label: str
    attempts: int
    error: str
    planned_at: datetime
    sent_at: datetime | None


class DeliveryListPublic(PagePublic):
    """One page of the delivery log."""

    data: list[DeliveryPublic]


class OptOutRequest(BaseModel):
    """退订 by phone number (an SMS reply, a call to the hotline)."""

    model_config = STRICT
    number: str = Field(min_length=5, max_length=32)
    source: Literal["sms_reply", "hotline", "officer"] = "officer"


class OptOutPublic(BaseModel):
    """How many people were newly opted out."""

    opted_out: int


class EventRequest(BaseModel):
    """An outreach event held."""

    model_config = STRICT
    held_on: date
    district: str | None = Field(default=None, max_length=32)
    place: str = Field(min_length=1, max_length=128)
    kind: str = Field(min_length=1, max_length=32)
    people_reached: int = Field(ge=0, le=10_000_000)
    materials: str = Field(default="", max_length=2000)
    online: bool = False


class EventPublic(BaseModel):
    """A recorded outreach event."""

    id: int
    held_on: date
    district: str | None
    place: str
    kind: str
    people_reached: int
    materials: str
    online: bool


class EventListPublic(BaseModel):
    """Events and their totals."""

    events: int
    sites: int
    people_reached: int
    data: list[EventPublic]


class ChannelPublic(BaseModel):
    """A configured channel."""

    name: str
    kind: str
    kind_label: str
