"""Feeding the stream: the publisher helper for producers, and the demo city's signals.

``await publish_signals(broker, signals)`` validates each signal against its schema and
publishes it on ``fanzha.signals.<kind>`` with its id as ``Nats-Msg-Id`` (the broker
drops a re-publish within its duplicate window; the consumer's unique key drops any
later one).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from fanzha.intake._broker import Broker
from fanzha.intake._schema import SUBJECT_PREFIX, parse_signal, subject_of

__all__ = ["demo_signals", "publish_signals"]

_CHUNK = 500
_RECORDS_PER_SIGNAL = 80  # the demo city makes about one event per 77 records
_MAX_RECORDS = 20_000_000


async def publish_signals(
    broker: Broker,
    signals: Iterable[Mapping[str, Any]],
    *,
    prefix: str = SUBJECT_PREFIX,
    rate: float | None = None,
    sent: Callable[[str, float], None] | None = None,
) -> int:
    """Validate and publish the signals (``rate`` per second, None: as fast as the broker
    takes them); ``sent(id, time)`` is called as each one goes. Returns how many went.

    Raises InvalidInput for a signal that fails its schema (nothing after it is sent).
    """
    started = time.monotonic()
    count = 0
    chunk: list[tuple[str, bytes, str | None]] = []
    for raw in signals:
        signal = parse_signal(_dumps(raw))
        chunk.append(
            (subject_of(signal.kind, prefix), signal.model_dump_json().encode(), signal.id)
        )
        if sent is not None:
            sent(signal.id, time.time())
        count += 1
        if rate is not None:
            await _flush(broker, chunk)
            ahead = count / rate - (time.monotonic() - started)
            if ahead > 0:
                await asyncio.sleep(ahead)
        elif len(chunk) >= _CHUNK:
            await _flush(broker, chunk)
    await _flush(broker, chunk)
    return count


async def _flush(broker: Broker, chunk: list[tuple[str, bytes, str | None]]) -> None:
    many = getattr(broker, "publish_many", None)
    if many is not None:
        await many(chunk)
    else:
        for subject, data, msg_id in chunk:
            await broker.publish(subject, data, msg_id=msg_id)
    chunk.clear()


def _dumps(raw: Mapping[str, Any]) -> str:
    import json

    return json.dumps(raw, ensure_ascii=False, default=str)


def demo_signals(n: int, *, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` signals of the demo city, in time order, with ids ``demo-<seed>-<n>-<i>`` (the
    same ``n`` and ``seed`` give the same ids and bodies).

    They name the person's phone, district and age rather than the city's person id, so
    they can be taken into any database; they carry no time (the consumer stamps its own).
    """
    from fanzha.demo import generate_city
    from fanzha.warning import age_of

    records = min(max(1_000, n * _RECORDS_PER_SIGNAL), _MAX_RECORDS)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    city = generate_city(seed=seed, records=records, start=start, password_hash="-")
    people = city["persons"].select("id", "birth_date")
    births = dict(zip(people["id"].to_list(), people["birth_date"].to_list(), strict=True))
    rows = city["events"].to_dicts()
    today = start.date()
    found: list[dict[str, Any]] = []
    for i in range(n):
        row = rows[i % len(rows)]
        lap = i // len(rows)
        phone = row["phone_number"]
        signal: dict[str, Any] = {
            "id": f"demo-{seed}-{n}-{i}",
            "kind": row["kind"],
            "phone": phone if lap == 0 else f"{phone[:-4]}{(int(phone[-4:]) + lap) % 10_000:04d}",
            "district": row["district"],
            "age": age_of(births.get(row["person_id"]), today),
            "amount_at_risk_fen": int(row["amount_at_risk_fen"] or 0),
            "fraud_type": row["fraud_type"],
            "counterparty": row["counterpart"],
            "detail": row["detail"],
        }
        if row["kind"] == "screening_hit":
            signal["risk"] = float(row["risk"])
        found.append({key: value for key, value in signal.items() if value is not None})
    return found
