"""The outreach sender: a background job that plans due campaign runs and sends them.

A shell, like ``store`` and ``cli``: it joins the store (``fanzha.store.outreach``) and the
core (``fanzha.outreach``), and imports nothing of the API, so ``fanzha outreach run`` and
the server start it cheaply.

One :meth:`OutreachSender.tick` plans every run that is due (approved campaigns only),
then sends the due deliveries one by one: claim (``queued`` → ``sending``, committed), send
through the campaign's channel with retries, record ``sent``/``failed`` (committed). What
survives a crash or a restart is all in the database:

- a run is planned once (unique campaign × run key), each recipient's message exists once
  (unique campaign × recipient × run key: the idempotency key);
- a delivery is committed as ``sending`` before it is handed to the channel, so a sender
  killed mid-send leaves it ``sending``; the next start marks it ``interrupted`` for an
  officer to check and never sends it again (at most once, by design: a reminder sent
  twice costs trust, one missed costs little). The channel also gets the delivery id, so a
  gateway that deduplicates by message id closes even that window.

SMS (templates of kind ``sms``) is never sent in the quiet hours (21:00–08:00 Beijing
time): such a delivery is deferred to 08:00. Opt-outs and the frequency cap are applied
when a run is planned, and an opt-out recorded later skips what is still waiting.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from fanzha.errors import NotFound
from fanzha.outreach import (
    DEFAULT_CAP,
    DEFAULT_CAP_DAYS,
    Channel,
    ChannelError,
    OutboundMessage,
    Recipient,
    RecipientPlan,
    Template,
    due_run,
    in_quiet_hours,
    plan_recipients,
    quiet_hours_end,
    render,
    sample_values,
    send_with_retry,
    sms_segments,
)
from fanzha.store import outreach as stored

__all__ = ["DryRun", "OutreachSender", "TickResult", "dry_run_campaign"]


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class DryRun:
    """What a run of a campaign would do now: recipients per status, and one sample text."""

    run_key: str | None
    statuses: dict[str, int]
    sample_text: str
    segments: int
    quiet_hours: bool


@dataclass(slots=True)
class TickResult:
    """What one tick did."""

    planned_runs: int = 0
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    finished_campaigns: list[int] = field(default_factory=list)


def _template_of(session: Session, code: str) -> Template:
    template = stored.get_template(session, code)
    if template is None:
        raise NotFound(f"template {code!r} does not exist")
    return template


def _plans(
    session: Session,
    campaign: stored.CampaignRecord,
    channel: Channel | None,
    *,
    now: datetime,
    cap: int,
    cap_days: int,
) -> list[RecipientPlan]:
    if channel is not None and channel.kind == "group":
        return [RecipientPlan(Recipient(None, channel.name, campaign.district), "queued")]
    recipients = stored.audience_recipients(
        session, campaign.audience, today=now.date(), scope=campaign.district
    )
    ids = [r.person_id for r in recipients if r.person_id is not None]
    return plan_recipients(
        recipients,
        opted_out=stored.opted_out(session, ids),
        recent_counts=stored.recent_message_counts(
            session, ids, since=now - timedelta(days=cap_days)
        ),
        cap=cap,
    )


def dry_run_campaign(
    session: Session,
    campaign: stored.CampaignRecord,
    *,
    now: datetime,
    channel: Channel | None = None,
    cap: int = DEFAULT_CAP,
    cap_days: int = DEFAULT_CAP_DAYS,
) -> DryRun:
    """试运行: who a run of ``campaign`` would reach now and how it reads; nothing is written
    and nothing sent."""
    template = _template_of(session, campaign.template_code)
    plans = _plans(session, campaign, channel, now=now, cap=cap, cap_days=cap_days)
    statuses: dict[str, int] = {}
    for plan in plans:
        statuses[plan.status] = statuses.get(plan.status, 0) + 1
    due = due_run(campaign.schedule, now)
    text = render(template, sample_values(template.group, campaign.district or "青秀区"))
    return DryRun(
        run_key=due[0] if due else None,
        statuses=statuses,
        sample_text=text,
        segments=sms_segments(text).segments if template.kind == "sms" else 0,
        quiet_hours=template.kind == "sms" and in_quiet_hours(now),
    )


class OutreachSender:
    """Plans and sends campaign runs through ``channels`` (name → channel).

    Parameters: ``sessions`` makes database sessions; ``clock`` gives the time (tests pass
    their own); ``cap`` messages per person in ``cap_days`` days across campaigns;
    ``attempts`` and ``base_delay`` drive the retries; ``sleep`` is what backoff waits with.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        channels: Mapping[str, Channel],
        *,
        clock: Callable[[], datetime] = _utcnow,
        cap: int = DEFAULT_CAP,
        cap_days: int = DEFAULT_CAP_DAYS,
        attempts: int = 3,
        base_delay: float = 0.5,
        sleep: Callable[[float], object] | None = None,
    ) -> None:
        self.sessions = sessions
        self.channels = dict(channels)
        self.clock = clock
        self.cap, self.cap_days = cap, cap_days
        self.attempts, self.base_delay = attempts, base_delay
        self._stop = threading.Event()
        self._sleep: Callable[[float], object] = sleep or self._stop.wait
        self._thread: threading.Thread | None = None
        self._started = False

    # -------------------------------------------------------------- one tick
    def start_up(self) -> int:
        """Mark deliveries a previous sender left mid-send ``interrupted``; returns how many."""
        with self.sessions() as session:
            count = stored.interrupt_stale(session)
            session.commit()
        self._started = True
        return count

    def plan_due(self, now: datetime) -> int:
        """Plan every due, not yet planned run of an approved campaign; returns how many."""
        planned = 0
        with self.sessions() as session:
            for campaign in stored.runnable_campaigns(session):
                due = due_run(campaign.schedule, now)
                if due is None:
                    continue
                plans = _plans(
                    session,
                    campaign,
                    self.channels.get(campaign.channel),
                    now=now,
                    cap=self.cap,
                    cap_days=self.cap_days,
                )
                if stored.plan_run(session, campaign, due[0], plans, at=now, send_after=now):
                    planned += 1
                session.commit()
        return planned

    def send_due(self, now: datetime | None = None, *, limit: int | None = None) -> TickResult:
        """Send due deliveries (at most ``limit``) and record each outcome."""
        result = TickResult()
        texts: dict[int, tuple[Template, str]] = {}
        with self.sessions() as session:
            while limit is None or result.sent + result.failed < limit:
                at = now or self.clock()
                claimed = stored.claim_delivery(session, now=at)
                if claimed is None:
                    break
                campaign = stored.get_campaign(session, claimed.campaign_id)
                assert campaign is not None
                if claimed.campaign_id not in texts:
                    template = _template_of(session, campaign.template_code)
                    texts[claimed.campaign_id] = (template, template.title)
                template, title = texts[claimed.campaign_id]
                if template.kind == "sms" and in_quiet_hours(at):
                    stored.defer_delivery(session, claimed.id, until=quiet_hours_end(at))
                    session.commit()
                    result.deferred += 1
                    continue
                session.commit()  # 'sending' is durable before the channel sees anything
                status, error = self._send(claimed, template, title)
                stored.finish_delivery(
                    session, claimed.id, status=status, at=now or self.clock(), error=error
                )
                session.commit()
                if status == "sent":
                    result.sent += 1
                else:
                    result.failed += 1
        return result

    def _send(
        self, claimed: stored.ClaimedDelivery, template: Template, title: str
    ) -> tuple[str, str]:
        channel = self.channels.get(claimed.channel)
        if channel is None:
            return "failed", f"channel {claimed.channel!r} is not configured"
        text = render(template, sample_values(template.group, claimed.district or ""))
        message = OutboundMessage(claimed.delivery_id, claimed.address, text, title)
        try:
            send_with_retry(
                channel,
                message,
                attempts=self.attempts,
                base_delay=self.base_delay,
                sleep=self._sleep,
            )
        except ChannelError as exc:
            return "failed", exc.message
        return "sent", ""

    def tick(self, now: datetime | None = None) -> TickResult:
        """Plan what is due, send what is due, close finished runs."""
        if not self._started:
            self.start_up()
        at = now or self.clock()
        planned = self.plan_due(at)
        result = self.send_due(now)
        result.planned_runs = planned
        with self.sessions() as session:
            result.finished_campaigns = stored.finish_runs(session, at=now or self.clock())
            session.commit()
        return result

    # -------------------------------------------------------------- background thread
    def start(self, interval: float) -> None:
        """Run :meth:`tick` every ``interval`` seconds in a daemon thread until :meth:`stop`."""

        def loop() -> None:
            self.start_up()
            while not self._stop.is_set():
                self.tick()
                self._stop.wait(interval)

        self._stop.clear()
        self._thread = threading.Thread(target=loop, name="outreach-sender", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the background thread (after the delivery in hand)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
