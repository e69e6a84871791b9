"""The broker behind the intake, as a small interface: NATS JetStream today, Kafka later.

A broker publishes, hands out batches of messages from a durable consumer (at least once:
a message not acknowledged in time comes again), takes acks and naks, and keeps dead
letters in a place of their own. The consumer loop only sees these two protocols.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["Broker", "Delivery", "Topology"]


@dataclass(frozen=True, slots=True)
class Topology:
    """Names on the broker: the signal stream and subjects, the dead letters, the consumer.

    Tests give every test its own names (``Topology.unique(...)``) so they run in parallel.
    """

    stream: str = "FANZHA_SIGNALS"
    subjects: str = "fanzha.signals"
    dead_stream: str = "FANZHA_DEADLETTER"
    dead_subjects: str = "fanzha.deadletter"
    durable: str = "fanzha-intake"
    notices: str = "fanzha.intake.committed"

    @classmethod
    def unique(cls, tag: str) -> Topology:
        """Names no other run uses (``tag`` is a short [a-z0-9] string)."""
        return cls(
            stream=f"T{tag.upper()}_SIGNALS",
            subjects=f"t{tag}.signals",
            dead_stream=f"T{tag.upper()}_DEADLETTER",
            dead_subjects=f"t{tag}.deadletter",
            durable=f"t{tag}-intake",
            notices=f"t{tag}.intake.committed",
        )


class Delivery(Protocol):
    """One delivered message of the durable consumer."""

    @property
    def subject(self) -> str: ...

    @property
    def data(self) -> bytes: ...

    @property
    def sequence(self) -> int:
        """The message's position in the stream (stable across redeliveries)."""
        ...

    async def ack(self) -> None: ...

    async def nak(self, delay: float = 1.0) -> None: ...


class Broker(Protocol):
    """What the intake needs of a message broker."""

    async def publish(self, subject: str, data: bytes, *, msg_id: str | None = None) -> None:
        """Publish durably (returns once the broker stored it); ``msg_id`` lets the broker
        drop a re-publish of the same message."""
        ...

    async def fetch(self, batch: int, timeout: float) -> list[Delivery]:
        """Up to ``batch`` messages of the durable consumer; [] when none came in ``timeout``."""
        ...

    async def dead_letter(self, subject: str, data: bytes, reason: str, *, msg_id: str) -> None:
        """Keep a message that cannot be taken, with the reason, in the dead-letter place."""
        ...

    async def notify(self, subject: str, data: bytes) -> None:
        """Fire-and-forget notice (e.g. what a committed batch did), for live views."""
        ...

    async def close(self) -> None: ...
