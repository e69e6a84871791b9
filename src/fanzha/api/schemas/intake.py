"""Body of the stream intake's status (counts only, no personal data)."""

from __future__ import annotations

from pydantic import BaseModel

__all__ = ["IntakeStatusPublic"]


class IntakeStatusPublic(BaseModel):
    """How the stream intake keeps up.

    ``lag``: signals on the stream not yet delivered to a consumer; ``in_flight``: delivered,
    not yet acknowledged; ``errors``: redeliveries (a batch that failed and was nak'ed, or a
    consumer that died before its ack); ``dead_letters``: messages kept in the dead-letter
    stream; ``rate_per_s``: signals taken per second over the last minute; ``taken``,
    ``merged``, ``skipped``, ``dead_lettered``: signals by outcome, ever. The stream fields
    are None when NATS does not answer (``nats_reachable`` false).
    """

    nats_reachable: bool
    stream: str
    consumer: str
    lag: int | None
    in_flight: int | None
    errors: int | None
    dead_letters: int | None
    rate_per_s: float
    taken: int
    merged: int
    skipped: int
    dead_lettered: int
