"""Liveness and readiness: unauthenticated, no data, 503 when the database cannot answer."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine

from fanzha.api import Settings, create_app
from fanzha.store import make_engine, make_session_factory
from fanzha.store.audit import AuditChain
from tests.api.conftest import login, seed_users


def test_health_answers_without_login_and_without_data(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_the_database(client: TestClient) -> None:
    response = client.get("/api/v1/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_ready_is_503_when_the_database_cannot_answer(client: TestClient) -> None:
    unreachable = create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:9/none", connect_args={"connect_timeout": 2}
    )
    app = client.app
    app.state.sessions = make_session_factory(unreachable)  # type: ignore[attr-defined]
    response = client.get("/api/v1/ready")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert client.get("/api/v1/health").status_code == 200


def test_health_and_ready_are_typed_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/v1/health", "/api/v1/ready"):
        schema = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in schema


def test_a_request_that_cannot_get_a_connection_is_answered_503_not_hung(
    engine: Engine, audit_chain: AuditChain
) -> None:
    seed_users(engine)
    url = engine.url.render_as_string(hide_password=False)
    small = make_engine(url, pool_size=1, max_overflow=0, pool_timeout=0.5)
    app = create_app(Settings(), engine=small, with_web=False, audit_chain=audit_chain)
    with TestClient(app, raise_server_exceptions=False) as client:
        headers = login(client, "analyst")
        with small.connect():  # the only connection, held elsewhere
            response = client.get("/api/v1/auth/me", headers=headers)
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    small.dispose()
