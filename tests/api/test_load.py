"""The server under concurrent load: one session per request, audit in the same transaction.

A real uvicorn server on a free loopback port serves the app; threads hit it at once with a
bounded wall-clock cap, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fanzha.api import Settings, create_app
from fanzha.api._warning_service import ingest_signals
from fanzha.roles import Actor
from fanzha.store import AuditEntry, Event, make_engine
from fanzha.store.audit import AuditChain, append_audit, verify_audit_chain
from fanzha.warning import EventSignal
from tests.api.conftest import PASSWORD, seed_users

WALL_CLOCK_CAP = 60.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port in a thread; its base URL."""
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _token(base: str, username: str) -> str:
    response = httpx.post(
        f"{base}/api/v1/auth/login", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


def _all_at_once(count: int, call: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    """``count`` calls from as many threads at once; fails past the wall-clock cap."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=count) as pool:
        responses = list(pool.map(call, range(count), timeout=WALL_CLOCK_CAP))
    assert time.monotonic() - started < WALL_CLOCK_CAP
    return responses


def _open_task(engine: Engine, officer: Actor) -> int:
    now = datetime.now(UTC)
    with Session(engine) as session:
        signal = EventSignal("fraud_call", now, person_id=1, district="青秀区")
        made = ingest_signals(session, officer, [signal], now)
        session.commit()
    return made.created_task_ids[0]


def test_concurrent_task_reads_by_one_officer_are_all_answered(
    engine: Engine, audit_chain: AuditChain
) -> None:
    ids = seed_users(engine)
    officer = Actor(ids["warning_officer"], "warning_officer", "warning_officer", "青秀区")
    task_id = _open_task(engine, officer)
    app = create_app(Settings(), engine=engine, with_web=False, audit_chain=audit_chain)
    with served(app) as base:
        headers = {"Authorization": f"Bearer {_token(base, 'warning_officer')}"}

        def read(_: int) -> httpx.Response:
            return httpx.get(
                f"{base}/api/v1/tasks/{task_id}",
                params={"reason": "预警处置：查看任务"},
                headers=headers,
                timeout=30,
            )

        responses = _all_at_once(36, read)
        health = httpx.get(f"{base}/api/v1/health", timeout=5)
    assert [r.status_code for r in responses] == [200] * 36
    assert {r.json()["id"] for r in responses} == {task_id}
    assert health.status_code == 200
    report = verify_audit_chain(engine, audit_chain)
    assert report.ok, report
    with Session(engine) as session:
        reads = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.object_type == "warning_task", AuditEntry.action == "read")
        )
    assert reads == 36


def test_more_concurrent_requests_than_threads_and_connections_are_all_answered(
    engine: Engine, audit_chain: AuditChain
) -> None:
    """Requests beyond the session slots wait without holding a connection: none is starved
    of one while others hold theirs waiting for a thread (or for their response's
    serialisation)."""
    ids = seed_users(engine)
    officer = Actor(ids["warning_officer"], "warning_officer", "warning_officer", "青秀区")
    task_id = _open_task(engine, officer)
    url = engine.url.render_as_string(hide_password=False)
    settings = Settings(db_url=url, threads=3, db_pool_overflow=1, db_pool_timeout=3)
    app = create_app(settings, with_web=False, audit_chain=audit_chain)
    with served(app) as base:
        headers = {"Authorization": f"Bearer {_token(base, 'warning_officer')}"}

        def read(index: int) -> httpx.Response:
            path = f"/api/v1/tasks/{task_id}?reason=预警处置" if index % 2 else "/api/v1/auth/me"
            return httpx.get(f"{base}{path}", headers=headers, timeout=30)

        responses = _all_at_once(40, read)
    app.state.engine.dispose()
    assert [r.status_code for r in responses] == [200] * 40


def test_concurrent_audited_writes_leave_one_verifying_chain(
    engine: Engine, audit_chain: AuditChain
) -> None:
    ids = seed_users(engine)
    app = create_app(Settings(), engine=engine, with_web=False, audit_chain=audit_chain)
    with served(app) as base:
        headers = {"Authorization": f"Bearer {_token(base, 'analyst')}"}

        def create(index: int) -> httpx.Response:
            # one person each: writes to one task would rightly conflict (409), see
            # test_concurrency.py
            body = {"kind": "fraud_call", "phone": f"1390000{index:04d}", "district": "青秀区"}
            return httpx.post(f"{base}/api/v1/events", json=body, headers=headers, timeout=30)

        responses = _all_at_once(30, create)
    assert [r.status_code for r in responses] == [201] * 30
    report = verify_audit_chain(engine, audit_chain)
    assert report.ok, report
    with Session(engine) as session:
        events = set(session.scalars(select(Event.id)))
        audited = set(
            session.scalars(
                select(AuditEntry.object_id).where(
                    AuditEntry.object_type == "event", AuditEntry.action == "create"
                )
            )
        )
    assert len(events) == 30
    assert audited == {str(event) for event in events}
    assert ids


def test_appends_in_concurrent_transactions_form_one_chain(
    engine: Engine, audit_chain: AuditChain
) -> None:
    """Writers on separate connections (as separate processes would be) never fork the chain."""
    actor = Actor(user_id=None, username="analyst", role="analyst")
    url = engine.url.render_as_string(hide_password=False)

    def writer(index: int) -> None:
        own = make_engine(url)
        try:
            for step in range(5):
                with Session(own) as session:
                    append_audit(
                        session, actor, "read", "phone", f"{index}-{step}", chain=audit_chain
                    )
                    time.sleep(0.002)
                    session.commit()
        finally:
            own.dispose()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(writer, range(8), timeout=WALL_CLOCK_CAP))
    report = verify_audit_chain(engine, audit_chain)
    assert report.ok, report
    assert report.checked == 40


def test_a_write_and_its_audit_entry_are_stored_together_or_not_at_all(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, audit_chain: AuditChain
) -> None:
    seed_users(engine)
    app = create_app(Settings(), engine=engine, with_web=False, audit_chain=audit_chain)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the audit log is unavailable")

    with served(app) as base:
        headers = {"Authorization": f"Bearer {_token(base, 'analyst')}"}
        monkeypatch.setattr("fanzha.api._deps.append_audit", broken)
        response = httpx.post(
            f"{base}/api/v1/events",
            json={"kind": "fraud_call", "person_id": 1},
            headers=headers,
            timeout=30,
        )
    assert response.status_code == 500
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 0
        assert (
            session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "create")
            )
            == 0
        )


def test_a_failed_look_up_is_still_audited(engine: Engine, audit_chain: AuditChain) -> None:
    seed_users(engine)
    app = create_app(Settings(), engine=engine, with_web=False, audit_chain=audit_chain)
    with served(app) as base:
        headers = {"Authorization": f"Bearer {_token(base, 'analyst')}"}
        response = httpx.get(
            f"{base}/api/v1/phones/13999999999",
            params={"reason": "核查来电号码"},
            headers=headers,
            timeout=30,
        )
    assert response.status_code == 404
    with Session(engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.object_type == "phone")).one()
    assert entry.detail == "not found"
    assert verify_audit_chain(engine, audit_chain).ok
