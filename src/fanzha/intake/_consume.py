"""The consumer loop of ``fanzha intake``: fetch a batch, validate, write, commit, then ack.

At least once, and exactly one effect: a message is acknowledged only after the batch that
holds it committed, and the signal id's unique key makes a redelivery a no-op. A message
that cannot be taken (bad JSON, wrong schema, unknown person) goes to the dead-letter
subject with the reason before its batch commits, and is then acknowledged: it never
blocks the stream. When the database fails, the batch is rolled back and its messages are
nak'ed for a later redelivery. In flight: at most one batch per consumer, and the durable
consumer's ``max_ack_pending`` over all of them. A stop (SIGTERM) lets the batch at hand
finish (commit and ack) before the connection drains.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from fanzha.errors import InvalidInput, StaleVersion
from fanzha.intake._apply import BatchResult, Screen, apply_batch
from fanzha.intake._broker import Broker, Delivery
from fanzha.intake._schema import _SignalV1, parse_signal

__all__ = ["IntakeCounts", "IntakeOptions", "run_intake"]

_RETRYABLE = (IntegrityError, StaleDataError, StaleVersion, DBAPIError)


@dataclass(frozen=True, slots=True)
class IntakeOptions:
    """How the consumer works: ``batch`` messages per transaction, ``fetch_timeout`` s to
    wait for a batch, stop after ``until_idle`` s without messages (None: run until stopped),
    ``retries`` of a batch that met a concurrent writer before it is nak'ed."""

    subjects: str = "fanzha.signals"
    notices: str = "fanzha.intake.committed"
    batch: int = 200
    fetch_timeout: float = 0.05
    until_idle: float | None = None
    retries: int = 8


@dataclass(slots=True)
class IntakeCounts:
    """Signals taken (opened a task), merged, skipped (rules or duplicates), dead-lettered;
    batches committed and failed."""

    taken: int = 0
    merged: int = 0
    skipped: int = 0
    dead_lettered: int = 0
    batches: int = 0
    errors: int = 0

    def add(self, result: BatchResult, dead: int) -> None:
        self.taken += result.taken
        self.merged += result.merged
        self.skipped += result.skipped
        self.dead_lettered += dead
        self.batches += 1


def _validate(
    deliveries: list[Delivery], subjects: str
) -> tuple[list[tuple[Delivery, _SignalV1]], list[tuple[Delivery, str]]]:
    valid: list[tuple[Delivery, _SignalV1]] = []
    dead: list[tuple[Delivery, str]] = []
    for delivery in deliveries:
        try:
            signal = parse_signal(delivery.data)
        except InvalidInput as error:
            dead.append((delivery, str(error)))
            continue
        expected = f"{subjects}.{signal.kind}"
        if delivery.subject != expected:
            dead.append(
                (
                    delivery,
                    f"kind {signal.kind!r} published on {delivery.subject}, expected {expected}",
                )
            )
        else:
            valid.append((delivery, signal))
    return valid, dead


class _Batch:
    """One batch's transaction, held across the dead-letter publishes before its commit."""

    def __init__(self, factory: sessionmaker[Session], screen: Screen | None) -> None:
        self.factory = factory
        self.screen = screen
        self.session: Session | None = None

    def prepare(self, signals: list[_SignalV1], retries: int) -> BatchResult:
        for attempt in range(retries + 1):
            self.session = self.factory()
            try:
                return apply_batch(self.session, signals, datetime.now(UTC), screen=self.screen)
            except _RETRYABLE:
                self.rollback()
                if attempt == retries:
                    raise
                time.sleep(0.005 * (attempt + 1))
        raise AssertionError("unreachable")

    def commit(self) -> None:
        assert self.session is not None
        try:
            self.session.commit()
        finally:
            self.session.close()
            self.session = None

    def rollback(self) -> None:
        if self.session is not None:
            self.session.rollback()
            self.session.close()
            self.session = None


async def _take(
    broker: Broker,
    factory: sessionmaker[Session],
    deliveries: list[Delivery],
    options: IntakeOptions,
    counts: IntakeCounts,
    screen: Screen | None,
) -> None:
    valid, dead = _validate(deliveries, options.subjects)
    batch = _Batch(factory, screen)
    signals = [signal for _, signal in valid]
    try:
        result = await asyncio.to_thread(batch.prepare, signals, options.retries)
        dead += [(valid[index][0], reason) for index, reason in result.dead]
        for delivery, reason in dead:
            await broker.dead_letter(
                delivery.subject, delivery.data, reason, msg_id=f"dl-{delivery.sequence}"
            )
        await asyncio.to_thread(batch.commit)
    except Exception:
        await asyncio.to_thread(batch.rollback)
        counts.errors += 1
        for delivery in deliveries:
            await delivery.nak(delay=1.0)
        return
    for delivery in deliveries:
        await delivery.ack()
    counts.add(result, len(dead))
    notice = {
        "ids": [signal.id for signal in signals],
        "created": result.created_task_ids,
        "merged": result.merged_task_ids,
        "at": time.time(),
    }
    await broker.notify(options.notices, json.dumps(notice).encode())


async def run_intake(
    broker: Broker,
    factory: sessionmaker[Session],
    *,
    options: IntakeOptions = IntakeOptions(),
    stop: asyncio.Event | None = None,
    screen: Screen | None = None,
    on_batch: Callable[[IntakeCounts], None] | None = None,
) -> IntakeCounts:
    """Consume until ``stop`` is set (or the stream was idle ``options.until_idle`` s)."""
    stop = stop or asyncio.Event()
    counts = IntakeCounts()
    idle_since = time.monotonic()
    while not stop.is_set():
        deliveries = await broker.fetch(options.batch, options.fetch_timeout)
        if not deliveries:
            idle = time.monotonic() - idle_since
            if options.until_idle is not None and idle >= options.until_idle:
                break
            continue
        await _take(broker, factory, deliveries, options, counts, screen)
        idle_since = time.monotonic()
        if on_batch is not None:
            on_batch(counts)
    return counts
