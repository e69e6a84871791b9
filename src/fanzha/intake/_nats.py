"""The broker on NATS JetStream (``nats-py``): file-backed streams, a durable pull consumer.

Signals live in the stream ``topology.stream`` (subjects ``<subjects>.>``, a two-minute
duplicate window keyed on ``Nats-Msg-Id``), dead letters in ``topology.dead_stream``.
Several ``fanzha intake`` processes, on one machine or several, share the one durable
consumer: JetStream hands each message to one of them (a queue group over pull requests).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import nats
from nats.aio.client import Client
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, StreamConfig
from nats.js.errors import NotFoundError

from fanzha.intake._broker import Delivery, Topology

__all__ = ["DEFAULT_NATS_URL", "NatsBroker", "connect_nats"]

DEFAULT_NATS_URL = "nats://127.0.0.1:4222"
_DUPLICATE_WINDOW_S = 120.0


class _NatsDelivery:
    """A JetStream message as a :class:`Delivery`."""

    __slots__ = ("_msg",)

    def __init__(self, msg: Any) -> None:
        self._msg = msg

    @property
    def subject(self) -> str:
        return str(self._msg.subject)

    @property
    def data(self) -> bytes:
        return bytes(self._msg.data)

    @property
    def sequence(self) -> int:
        return int(self._msg.metadata.sequence.stream)

    async def ack(self) -> None:
        await self._msg.ack()

    async def nak(self, delay: float = 1.0) -> None:
        await self._msg.nak(delay=delay)


class NatsBroker:
    """:class:`fanzha.intake.Broker` on NATS JetStream; build it with :func:`connect_nats`."""

    def __init__(
        self,
        client: Client,
        js: JetStreamContext,
        topology: Topology,
        *,
        max_in_flight: int,
        ack_wait: float,
    ) -> None:
        self.client = client
        self.js = js
        self.topology = topology
        self.max_in_flight = max_in_flight
        self.ack_wait = ack_wait
        self._subscription: Any = None

    async def ensure_streams(self) -> None:
        """Create the signal and dead-letter streams unless they exist."""
        t = self.topology
        for name, subjects in ((t.stream, t.subjects), (t.dead_stream, t.dead_subjects)):
            try:
                await self.js.stream_info(name)
            except NotFoundError:
                await self.js.add_stream(
                    StreamConfig(
                        name=name,
                        subjects=[f"{subjects}.>"],
                        duplicate_window=_DUPLICATE_WINDOW_S,
                    )
                )

    async def publish(self, subject: str, data: bytes, *, msg_id: str | None = None) -> None:
        headers = {"Nats-Msg-Id": msg_id} if msg_id else None
        await self.js.publish(subject, data, headers=headers)

    async def publish_many(self, items: list[tuple[str, bytes, str | None]]) -> None:
        """Publish a burst without waiting for each ack in turn; returns when all are stored."""
        for subject, data, msg_id in items:
            headers = {"Nats-Msg-Id": msg_id} if msg_id else None
            await self.js.publish_async(subject, data, headers=headers)
        await self.js.publish_async_completed()

    async def _pull(self) -> Any:
        if self._subscription is None:
            t = self.topology
            self._subscription = await self.js.pull_subscribe(
                f"{t.subjects}.>",
                durable=t.durable,
                stream=t.stream,
                config=ConsumerConfig(
                    durable_name=t.durable,
                    ack_policy=AckPolicy.EXPLICIT,
                    ack_wait=self.ack_wait,
                    max_ack_pending=self.max_in_flight,
                ),
            )
        return self._subscription

    async def fetch(self, batch: int, timeout: float) -> list[Delivery]:
        subscription = await self._pull()
        try:
            messages = await subscription.fetch(batch, timeout=timeout)
        except (NatsTimeout, TimeoutError):
            return []
        return [_NatsDelivery(msg) for msg in messages]

    async def dead_letter(self, subject: str, data: bytes, reason: str, *, msg_id: str) -> None:
        body = {
            "reason": reason,
            "subject": subject,
            "data": data.decode("utf-8", errors="replace"),
            "at": datetime.now(UTC).isoformat(),
        }
        kind = subject.rsplit(".", 1)[-1] if subject.startswith(self.topology.subjects) else ""
        target = f"{self.topology.dead_subjects}.{kind or 'unknown'}"
        payload = json.dumps(body, ensure_ascii=False).encode()
        await self.js.publish(target, payload, headers={"Nats-Msg-Id": msg_id})

    async def notify(self, subject: str, data: bytes) -> None:
        await self.client.publish(subject, data)

    async def pending(self) -> dict[str, int]:
        """The durable consumer's lag (not yet delivered), in-flight and redelivered counts,
        and the number of dead letters kept."""
        t = self.topology
        found = {"lag": 0, "in_flight": 0, "redelivered": 0, "dead_letters": 0}
        try:
            info = await self.js.consumer_info(t.stream, t.durable)
            found.update(
                lag=int(info.num_pending or 0),
                in_flight=int(info.num_ack_pending or 0),
                redelivered=int(info.num_redelivered or 0),
            )
        except NotFoundError:
            pass
        try:
            dead = await self.js.stream_info(t.dead_stream)
            found["dead_letters"] = int(dead.state.messages)
        except NotFoundError:
            pass
        return found

    async def close(self) -> None:
        """Flush what was sent (acks included: the server has them when this returns), then
        close; a drain would wait out the pull request still open on the server."""
        if self.client.is_connected:
            await self.client.flush(timeout=5)
        await self.client.close()


async def connect_nats(
    url: str = DEFAULT_NATS_URL,
    topology: Topology | None = None,
    *,
    max_in_flight: int = 1000,
    ack_wait: float = 30.0,
    ensure_streams: bool = True,
    connect_timeout: float = 5.0,
) -> NatsBroker:
    """Connect to NATS at ``url`` and (``ensure_streams``) make sure the streams exist."""
    client = await nats.connect(url, connect_timeout=connect_timeout, max_reconnect_attempts=3)
    broker = NatsBroker(
        client,
        client.jetstream(),
        topology or Topology(),
        max_in_flight=max_in_flight,
        ack_wait=ack_wait,
    )
    if ensure_streams:
        await broker.ensure_streams()
    return broker
