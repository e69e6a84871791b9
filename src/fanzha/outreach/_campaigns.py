"""Campaign states, and which recipients of a run get a message.

A campaign is drafted, submitted, and approved by a commander before its first send
(``draft → pending → approved``); an approved campaign runs on its schedule until it is
finished (a ``once`` campaign after its run) or cancelled. A rejected one goes back to
draft. Who is skipped, and why, is decided here for every channel alike: people who opted
out (退订) and people who already got ``cap`` messages from any campaign in the last
``cap_days`` days (the frequency cap).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from fanzha.errors import IllegalTransition

__all__ = [
    "CAMPAIGN_STATES",
    "CAMPAIGN_STATE_LABELS",
    "CAMPAIGN_TRANSITIONS",
    "CHANNEL_KINDS",
    "DEFAULT_CAP",
    "DEFAULT_CAP_DAYS",
    "DELIVERY_STATUS_LABELS",
    "Recipient",
    "RecipientPlan",
    "check_transition",
    "plan_recipients",
]

CAMPAIGN_STATES = ("draft", "pending", "approved", "finished", "cancelled")
CAMPAIGN_STATE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "draft": "草稿",
        "pending": "待审批",
        "approved": "已批准",
        "finished": "已完成",
        "cancelled": "已取消",
    }
)
#: (from, to) → the action that makes the change
CAMPAIGN_TRANSITIONS: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("draft", "pending"): "submit",
        ("pending", "approved"): "approve",
        ("pending", "draft"): "reject",
        ("draft", "cancelled"): "cancel",
        ("pending", "cancelled"): "cancel",
        ("approved", "cancelled"): "cancel",
        ("approved", "finished"): "finish",
    }
)
#: channel kind → Chinese name; a template of kind ``sms`` goes to ``sms`` channels, a
#: ``post`` to ``group`` (chat-group robot) or ``email``
CHANNEL_KINDS: Mapping[str, str] = MappingProxyType(
    {"sms": "短信", "email": "电子邮件", "group": "群聊机器人", "file": "文件（演示）"}
)
DELIVERY_STATUS_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "queued": "待发送",
        "deferred": "静默时段顺延",
        "sending": "发送中",
        "sent": "已发送",
        "failed": "发送失败",
        "interrupted": "中断待核",
        "skipped_optout": "已退订",
        "skipped_cap": "超频次上限",
        "dry_run": "试运行",
    }
)
DEFAULT_CAP = 2
DEFAULT_CAP_DAYS = 7


def check_transition(state: str, to: str) -> str:
    """The action that moves a campaign from ``state`` to ``to``; raises IllegalTransition."""
    action = CAMPAIGN_TRANSITIONS.get((state, to))
    if action is None:
        raise IllegalTransition(
            f"活动状态不能从“{CAMPAIGN_STATE_LABELS.get(state, state)}”变为"
            f"“{CAMPAIGN_STATE_LABELS.get(to, to)}” (campaign cannot go {state} → {to})",
            from_state=state,
            to_state=to,
        )
    return action


@dataclass(frozen=True, slots=True)
class Recipient:
    """One person of an audience as a channel may know them: an id, an address, a district.

    ``person_id`` stays in the store (the idempotency key and the cap need it); a channel
    receives only the delivery id and ``address``. A chat group reached through a robot has
    no person (``person_id`` None): opt-out and the cap are the group's owners' business.
    """

    person_id: int | None
    address: str
    district: str | None


@dataclass(frozen=True, slots=True)
class RecipientPlan:
    """A recipient and the status their delivery starts with (``queued`` or a skip)."""

    recipient: Recipient
    status: str


def plan_recipients(
    recipients: Iterable[Recipient],
    *,
    opted_out: frozenset[int],
    recent_counts: Mapping[int, int],
    cap: int = DEFAULT_CAP,
) -> list[RecipientPlan]:
    """Each recipient with ``queued``, ``skipped_optout`` or ``skipped_cap``.

    ``recent_counts``: messages each person got (sent, from any campaign) within the cap's
    window. Opt-out wins over everything; a person already at ``cap`` is skipped.
    """
    plans = []
    for recipient in recipients:
        if recipient.person_id is None:
            status = "queued"
        elif recipient.person_id in opted_out:
            status = "skipped_optout"
        elif recent_counts.get(recipient.person_id, 0) >= cap:
            status = "skipped_cap"
        else:
            status = "queued"
        plans.append(RecipientPlan(recipient, status))
    return plans
