"""An app per test on SQLite and PostgreSQL, one user per role, and a helper to log in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fanzha.api import Settings, create_app, hash_password
from fanzha.demo import DEMO_PASSWORD, generate_city
from fanzha.roles import ROLES
from fanzha.store import Person, User, bulk_load
from fanzha.store.audit import AuditChain
from tests.conftest import local_audit_chain

PASSWORD = "correct-horse-9"
_HASH = hash_password(PASSWORD)


def seed_users(engine: Engine) -> dict[str, int]:
    """One active user per role (username = role), warning officers in 青秀区; ids by role."""
    with Session(engine) as session:
        users = {
            role: User(
                username=role,
                display_name=f"测试{role}",
                role=role,
                district="青秀区" if role == "warning_officer" else None,
                password_hash=_HASH,
            )
            for role in ROLES
        }
        session.add_all(users.values())
        session.add(
            Person(
                id=1,
                name="王秀兰",
                id_number="450103195001011234",
                phone_number="13900001111",
                district="青秀区",
                kind="citizen",
            )
        )
        session.commit()
        return {role: user.id for role, user in users.items()}


@pytest.fixture
def client(engine: Engine, audit_chain: AuditChain) -> Iterator[TestClient]:
    """A test client of the API (no web UI) on a migrated, seeded database."""
    seed_users(engine)
    app = create_app(
        Settings(max_body_bytes=20_000), engine=engine, with_web=False, audit_chain=audit_chain
    )
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def login(client: TestClient, role: str) -> dict[str, str]:
    """Authorization headers of the user of ``role``."""
    response = client.post("/api/v1/auth/login", json={"username": role, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.fixture
def demo_engine(engine: Engine) -> Engine:
    """The migrated engine holding a small seeded demo city (users with the demo password)."""
    frames = generate_city(
        seed=7,
        records=4_000,
        start=datetime(2026, 9, 1, tzinfo=UTC),
        days=30,
        password_hash=hash_password(DEMO_PASSWORD),
    )
    bulk_load(engine, frames)
    return engine


@contextmanager
def demo_app(engine: Engine, username: str) -> Iterator[TestClient]:
    """A client of the API on ``engine``, logged in as the demo user ``username``."""
    with TemporaryDirectory() as folder:
        chain = local_audit_chain(Path(folder))
        app = create_app(Settings(demo=True), engine=engine, with_web=False, audit_chain=chain)
        with TestClient(app, raise_server_exceptions=False) as client:
            token = client.post(
                "/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
            )
            client.headers["Authorization"] = f"Bearer {token.json()['token']}"
            yield client
