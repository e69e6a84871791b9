"""宣传防范 outreach: audiences, reminder templates, campaigns, schedules and channels.

Plain functions over plain data; the store selects audiences and keeps the delivery log
(``fanzha.store.outreach``), and the sender job (``fanzha.outreach_sender``, a shell like
``store``) runs campaigns on their schedules through the channels defined here.
"""

from __future__ import annotations

from fanzha.outreach._audience import (
    AGE_BANDS,
    AUDIENCE_GROUPS,
    AudienceSpec,
    age_on,
    birth_date_bounds,
    group_of,
)
from fanzha.outreach._campaigns import (
    DEFAULT_CAP,
    DEFAULT_CAP_DAYS,
    Recipient,
    RecipientPlan,
    plan_recipients,
)
from fanzha.outreach._channels import (
    Channel,
    ChannelError,
    OutboundMessage,
    send_with_retry,
)
from fanzha.outreach._schedule import (
    Schedule,
    due_run,
    in_quiet_hours,
    quiet_hours_end,
)
from fanzha.outreach._segments import (
    sms_segments,
)
from fanzha.outreach._targeting import (
    TypeTrend,
)
from fanzha.outreach._templates import (
    Template,
    default_library,
    render,
    sample_values,
)

__all__ = [
    "AGE_BANDS",
    "AUDIENCE_GROUPS",
    "DEFAULT_CAP",
    "DEFAULT_CAP_DAYS",
    "AudienceSpec",
    "Channel",
    "ChannelError",
    "OutboundMessage",
    "Recipient",
    "RecipientPlan",
    "Schedule",
    "Template",
    "TypeTrend",
    "age_on",
    "birth_date_bounds",
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
]
