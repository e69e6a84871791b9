"""fanzha intake against the real NATS JetStream, on SQLite and on PostgreSQL: exactly one
task per signal id, dead letters, merges, a consumer killed before its ack, two consumers."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from fanzha.intake import IntakeOptions, Topology, connect_nats, publish_signals, run_intake
from fanzha.intake._consume import IntakeCounts
from fanzha.store import Event, IntakeSignal, WarningTask, make_session_factory


def _signal(i: int, phone: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"sig-{i}",
        "kind": "fraud_call",
        "phone": f"138{phone:08d}",
        "district": "青秀区",
        "counterparty": "17100001111",
        **extra,
    }


def _options(topology: Topology, **extra: Any) -> IntakeOptions:
    settings: dict[str, Any] = {"fetch_timeout": 0.1, "until_idle": 0.5, **extra}
    return IntakeOptions(subjects=topology.subjects, notices=topology.notices, **settings)


async def _publish_raw(url: str, topology: Topology, items: list[tuple[str, bytes]]) -> None:
    """Publish bodies as a careless producer would: no message id, so no broker dedup."""
    broker = await connect_nats(url, topology)
    try:
        for kind, body in items:
            await broker.publish(f"{topology.subjects}.{kind}", body)
    finally:
        await broker.close()


async def _consume(url: str, topology: Topology, engine: Engine, **extra: Any) -> IntakeCounts:
    broker = await connect_nats(url, topology, ack_wait=2.0)
    try:
        return await run_intake(
            broker, make_session_factory(engine), options=_options(topology, **extra)
        )
    finally:
        await broker.close()


def _count(engine: Engine, model: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_signal_published_twice_makes_one_task(
    engine: Engine, nats_url: str, topology: Topology
) -> None:
    body = json.dumps(_signal(1, 1)).encode()
    asyncio.run(_publish_raw(nats_url, topology, [("fraud_call", body), ("fraud_call", body)]))
    counts = asyncio.run(_consume(nats_url, topology, engine))
    assert (counts.taken, counts.merged, counts.skipped) == (1, 0, 1)
    # once more, in a later batch: still one task, one event
    asyncio.run(_publish_raw(nats_url, topology, [("fraud_call", body)]))
    again = asyncio.run(_consume(nats_url, topology, engine))
    assert (again.taken, again.skipped) == (0, 1)
    assert (_count(engine, WarningTask), _count(engine, Event)) == (1, 1)


def test_a_second_signal_merges_into_the_open_task(
    engine: Engine, nats_url: str, topology: Topology
) -> None:
    asyncio.run(publish_signals_at(nats_url, topology, [_signal(1, 5)]))
    asyncio.run(_consume(nats_url, topology, engine))
    later = _signal(2, 5, kind="flagged_transfer", amount_at_risk_fen=500_000)
    asyncio.run(publish_signals_at(nats_url, topology, [later]))
    counts = asyncio.run(_consume(nats_url, topology, engine))
    assert (counts.taken, counts.merged) == (0, 1)
    with make_session_factory(engine)() as session:
        task = session.scalars(select(WarningTask)).one()
        assert task.money_at_risk_fen == 500_000
        assert "向涉诈账户转账" in task.reason
        outcomes = dict(
            session.execute(select(IntakeSignal.signal_id, IntakeSignal.outcome)).tuples().all()
        )
    assert outcomes == {"sig-1": "taken", "sig-2": "merged"}
    assert _count(engine, Event) == 2


async def publish_signals_at(url: str, topology: Topology, signals: list[dict[str, Any]]) -> None:
    broker = await connect_nats(url, topology)
    try:
        await publish_signals(broker, signals, prefix=topology.subjects)
    finally:
        await broker.close()


async def _dead_letters(url: str, topology: Topology) -> list[dict[str, Any]]:
    import nats

    client = await nats.connect(url)
    try:
        js = client.jetstream()
        sub = await js.pull_subscribe(f"{topology.dead_subjects}.>", stream=topology.dead_stream)
        messages = await sub.fetch(10, timeout=1)
        return [{**json.loads(m.data), "dead_subject": m.subject} for m in messages]
    finally:
        await client.close()


def test_a_poison_message_is_dead_lettered_and_the_next_one_taken(
    engine: Engine, nats_url: str, topology: Topology
) -> None:
    unknown_person = json.dumps(_signal(3, 3, person_id=999_999)).encode()
    items = [
        ("fraud_call", b"\xff not json"),
        ("fraud_call", json.dumps({"id": "x", "kind": "fraud_call", "age": 300}).encode()),
        ("flagged_transfer", json.dumps(_signal(2, 2)).encode()),  # kind and subject differ
        ("fraud_call", unknown_person),
        ("fraud_call", json.dumps(_signal(1, 1)).encode()),
    ]
    asyncio.run(_publish_raw(nats_url, topology, items))
    counts = asyncio.run(_consume(nats_url, topology, engine))
    assert (counts.taken, counts.dead_lettered) == (1, 4)
    assert _count(engine, WarningTask) == 1
    dead = asyncio.run(_dead_letters(nats_url, topology))
    reasons = sorted(d["reason"] for d in dead)
    assert len(dead) == 4
    assert any("JSON" in r for r in reasons)
    assert any("age" in r for r in reasons)
    assert any("published on" in r for r in reasons)
    assert any("person 999999 does not exist" in r for r in reasons)
    assert {d["dead_subject"] for d in dead} == {
        f"{topology.dead_subjects}.fraud_call",
        f"{topology.dead_subjects}.flagged_transfer",
    }


# A consumer whose acks never leave: it commits its first batch, says so, and hangs.
_STUCK_CONSUMER = """
import asyncio, pathlib, sys
from fanzha.intake import IntakeOptions, Topology, connect_nats, run_intake
from fanzha.store import make_engine, make_session_factory

url, db, tag, marker = sys.argv[1:5]
topology = Topology.unique(tag)

class Stuck:
    def __init__(self, delivery):
        self._d = delivery
    subject = property(lambda self: self._d.subject)
    data = property(lambda self: self._d.data)
    sequence = property(lambda self: self._d.sequence)
    async def ack(self):
        pathlib.Path(marker).write_text("committed")
        await asyncio.sleep(3600)
    async def nak(self, delay=1.0):
        await self._d.nak(delay)

async def main():
    broker = await connect_nats(url, topology, ack_wait=2.0)
    fetch = broker.fetch
    async def stuck_fetch(batch, timeout):
        return [Stuck(d) for d in await fetch(batch, timeout)]
    broker.fetch = stuck_fetch
    options = IntakeOptions(subjects=topology.subjects, notices=topology.notices, batch=10)
    await run_intake(broker, make_session_factory(make_engine(db)), options=options)

asyncio.run(main())
"""


def test_a_consumer_killed_before_its_ack_loses_nothing_and_doubles_nothing(
    engine: Engine, db_url: str, nats_url: str, topology: Topology, tmp_path: Path
) -> None:
    # 40 people, ten of whom get a second signal: 40 tasks, 50 events
    signals = [_signal(i, i % 40) for i in range(50)]
    asyncio.run(publish_signals_at(nats_url, topology, signals))
    marker = tmp_path / "committed"
    tag = topology.durable.removeprefix("t").removesuffix("-intake")
    process = subprocess.Popen(
        [sys.executable, "-c", _STUCK_CONSUMER, nats_url, db_url, tag, str(marker)],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, "the consumer died before committing"
            assert time.monotonic() < deadline, "the consumer never committed"
            time.sleep(0.05)
        assert _count(engine, IntakeSignal) == 10  # its batch is committed, not acked
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    counts = asyncio.run(_consume(nats_url, topology, engine, until_idle=3.0))
    # the killed consumer's batch came again and was known (a slow batch may come again too)
    assert counts.skipped >= 10
    assert counts.taken + counts.merged == 40
    assert (_count(engine, WarningTask), _count(engine, Event)) == (40, 50)
    assert _count(engine, IntakeSignal) == 50


def test_two_consumers_at_once_keep_one_task_per_person(
    engine: Engine, nats_url: str, topology: Topology
) -> None:
    # 12 people, 8 signals each, in small batches that two consumers take side by side
    signals = [_signal(i, i % 12) for i in range(96)]
    asyncio.run(publish_signals_at(nats_url, topology, signals))

    async def both() -> list[IntakeCounts]:
        return list(
            await asyncio.gather(
                _consume(nats_url, topology, engine, batch=5),
                _consume(nats_url, topology, engine, batch=5),
            )
        )

    counts = asyncio.run(both())
    assert sum(c.taken for c in counts) == 12
    assert sum(c.merged for c in counts) == 84
    assert all(c.batches for c in counts)  # both took part
    with make_session_factory(engine)() as session:
        per_task = session.execute(
            select(Event.task_id, func.count()).group_by(Event.task_id)
        ).all()
        tasks = session.scalars(select(WarningTask)).all()
    assert len(tasks) == 12
    assert sorted(n for _, n in per_task) == [8] * 12
    assert {t.reason for t in tasks} == {tasks[0].reason}
