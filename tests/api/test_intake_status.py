"""`/api/v1/intake/status` and `/metrics`: the stream intake's lag, dead letters and rate,
read from the real NATS and the store; counts only."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fanzha.api import Settings, create_app
from fanzha.intake import IntakeOptions, Topology, connect_nats, run_intake
from fanzha.store import make_session_factory
from fanzha.store.audit import AuditChain
from tests.api.conftest import login, seed_users
from tests.intake.conftest import nats_url, topology  # noqa: F401 (fixtures)


@pytest.fixture
def status_client(
    engine: Engine,
    audit_chain: AuditChain,
    nats_url: str,  # noqa: F811
    topology: Topology,  # noqa: F811
) -> Iterator[TestClient]:
    seed_users(engine)
    tag = topology.durable.removeprefix("t").removesuffix("-intake")
    settings = Settings(nats_url=nats_url, intake_names=tag)
    app = create_app(settings, engine=engine, with_web=False, audit_chain=audit_chain)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


async def _feed_and_take(url: str, topology: Topology, engine: Engine) -> None:  # noqa: F811
    broker = await connect_nats(url, topology)
    try:
        good = {"id": "s-1", "kind": "fraud_call", "phone": "13800000001"}
        await broker.publish(f"{topology.subjects}.fraud_call", json.dumps(good).encode())
        await broker.publish(f"{topology.subjects}.fraud_call", b"not json")
        options = IntakeOptions(
            subjects=topology.subjects, notices=topology.notices, fetch_timeout=0.1, until_idle=0.3
        )
        await run_intake(broker, make_session_factory(engine), options=options)
        # the consumer's last pull request lives on in the server until its expiry (the fetch
        # time-out); a message published before then is handed to it (in flight, not lag)
        await asyncio.sleep(3 * options.fetch_timeout)
        await broker.publish(f"{topology.subjects}.fraud_call", json.dumps(good).encode())
    finally:
        await broker.close()


def test_status_and_metrics_report_lag_dead_letters_and_outcomes(
    status_client: TestClient,
    engine: Engine,
    nats_url: str,  # noqa: F811
    topology: Topology,  # noqa: F811
) -> None:
    asyncio.run(_feed_and_take(nats_url, topology, engine))
    headers = login(status_client, "commander")
    body = status_client.get("/api/v1/intake/status", headers=headers).json()
    assert body["nats_reachable"] is True
    assert (body["lag"], body["dead_letters"], body["taken"]) == (1, 1, 1)
    assert body["rate_per_s"] > 0
    metrics = status_client.get("/metrics", headers=headers)
    assert metrics.status_code == 200
    assert "fanzha_intake_lag 1" in metrics.text
    assert 'fanzha_intake_signals_total{outcome="taken"} 1' in metrics.text
    assert status_client.get("/metrics").status_code == 401


def test_status_says_so_when_nats_does_not_answer(engine: Engine, audit_chain: AuditChain) -> None:
    seed_users(engine)
    settings = Settings(nats_url="nats://127.0.0.1:1")
    app = create_app(settings, engine=engine, with_web=False, audit_chain=audit_chain)
    with TestClient(app, raise_server_exceptions=False) as client:
        body = client.get("/api/v1/intake/status", headers=login(client, "admin")).json()
    assert body["nats_reachable"] is False
    assert body["lag"] is None
