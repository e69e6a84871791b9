"""宣传防范 outreach: audiences, reminder templates, campaigns, schedules and channels.

Plain functions over plain data; the store selects audiences and keeps the delivery log
(``fanzha.store.outreach``), and the sender job (``fanzha.outreach_sender``, a shell like
``store``) runs campaigns on their schedules through the channels defined here.
"""

from __future__ import annotations

from fanzha.outreach._audience import (
    AGE_BANDS,
    AUDIENCE_GROUPS,
    GROUP_LABELS,
    AudienceSpec,
    age_on,
    birth_date_bounds,
    group_of,
    validate_spec,
)
from fanzha.outreach._campaigns import (
    CAMPAIGN_STATE_LABELS,
    CHANNEL_KINDS,
    DEFAULT_CAP,
    DEFAULT_CAP_DAYS,
    DELIVERY_STATUS_LABELS,
    Recipient,
    RecipientPlan,
    check_transition,
    plan_recipients,
)
from fanzha.outreach._channels import (
    Channel,
    ChannelError,
    FileChannel,
    OutboundMessage,
    SmtpChannel,
    WeComRobotChannel,
    send_with_retry,
)
from fanzha.outreach._schedule import (
    Schedule,
    due_run,
    in_quiet_hours,
    quiet_hours_end,
    validate_schedule,
)
from fanzha.outreach._segments import (
    sms_segments,
)
from fanzha.outreach._targeting import (
    TypeTrend,
    suggest_targets,
)
from fanzha.outreach._templates import (
    TEMPLATE_KIND_LABELS,
    Template,
    default_library,
    render,
    sample_values,
    validate_template,
)

__all__ = [
    "AGE_BANDS",
    "AUDIENCE_GROUPS",
    "CAMPAIGN_STATE_LABELS",
    "CHANNEL_KINDS",
    "DEFAULT_CAP",
    "DEFAULT_CAP_DAYS",
    "DELIVERY_STATUS_LABELS",
    "GROUP_LABELS",
    "TEMPLATE_KIND_LABELS",
    "AudienceSpec",
    "Channel",
    "ChannelError",
    "FileChannel",
    "OutboundMessage",
    "Recipient",
    "RecipientPlan",
    "Schedule",
    "SmtpChannel",
    "Template",
    "TypeTrend",
    "WeComRobotChannel",
    "age_on",
    "birth_date_bounds",
    "check_transition",
    "default_library",
    "due_run",
    "group_of",
    "in_quiet_hours",
    "plan_recipients",
    "quiet_hours_end",
    "render",
    "sample_values",
    "send_with_retry",
    "sms_segments",
    "suggest_targets",
    "validate_schedule",
    "validate_spec",
    "validate_template",
]
