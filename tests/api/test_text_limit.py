"""One text limit: the API accepts a text of MAX_TEXT_CHARS characters and refuses one more."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fanzha.api import Settings, create_app
from fanzha.screening import MAX_TEXT_CHARS
from fanzha.store.audit import AuditChain
from tests.api.conftest import login, seed_users


@pytest.fixture
def default_client(engine: Engine, audit_chain: AuditChain) -> Iterator[TestClient]:
    """A client of an app with the default settings (the default body limit)."""
    seed_users(engine)
    app = create_app(Settings(), engine=engine, with_web=False, audit_chain=audit_chain)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_api_text_limit_is_the_core_limit(default_client: TestClient) -> None:
    headers = login(default_client, "warning_officer")
    at_limit = "今" * MAX_TEXT_CHARS  # 3 bytes a character in UTF-8
    accepted = default_client.post("/api/v1/screen/text", json={"text": at_limit}, headers=headers)
    assert accepted.status_code == 200, accepted.text[:300]
    assert accepted.json()["kind"] == "text"
    for path, body, field in [
        ("/api/v1/screen/text", {"text": at_limit + "天"}, "text"),
        ("/api/v1/screen/batch", {"items": [{"value": at_limit + "天"}]}, "items.0.value"),
    ]:
        refused = default_client.post(path, json=body, headers=headers)
        assert refused.status_code == 422, refused.text[:300]
        error = refused.json()["error"]
        assert error["field"] == field
        assert str(MAX_TEXT_CHARS) in error["message"] or f"{MAX_TEXT_CHARS:,}" in error["message"]
