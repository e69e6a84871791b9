"""Public endpoints are rate-limited per client address (issue 15 item 4): a clear 429 in the
one error shape with Retry-After; logged-in officers are not limited; the bucket is exact
under threads."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fanzha.api import Settings, create_app
from fanzha.api._ratelimit import RateLimiter
from fanzha.store.audit import AuditChain
from tests.api.conftest import PASSWORD, seed_users


@pytest.fixture
def tight(engine: Engine, audit_chain: AuditChain) -> Iterator[TestClient]:
    """An app whose public endpoints allow a burst of 3 and 6 per minute."""
    seed_users(engine)
    settings = Settings(public_burst=3, public_per_minute=6, login_burst=2, login_per_minute=2)
    app = create_app(settings, engine=engine, with_web=False, audit_chain=audit_chain)
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/screen/text", {"text": "你好"}),
        ("/api/v1/screen/phone", {"number": "13800138000"}),
        ("/api/v1/reports", {"number": "17012345678"}),
    ],
)
def test_anonymous_callers_get_a_clear_429(
    tight: TestClient, path: str, body: dict[str, str]
) -> None:
    codes = [tight.post(path, json=body).status_code for _ in range(3)]
    assert all(code < 300 for code in codes)
    refused = tight.post(path, json=body)
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "rate_limited" and "请求过于频繁" in error["message"]
    assert int(refused.headers["Retry-After"]) == 10
    other = TestClient(tight.app, client=("203.0.113.9", 4000))
    assert other.post(path, json=body).status_code < 300


def test_login_is_limited_per_address(tight: TestClient) -> None:
    body = {"username": "analyst", "password": PASSWORD}
    assert [tight.post("/api/v1/auth/login", json=body).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]


def test_logged_in_officers_are_not_limited(tight: TestClient) -> None:
    token = tight.post(
        "/api/v1/auth/login", json={"username": "analyst", "password": PASSWORD}
    ).json()["token"]
    tight.cookies.clear()
    headers = {"Authorization": f"Bearer {token}"}
    codes = {
        tight.post("/api/v1/screen/text", json={"text": "你好"}, headers=headers).status_code
        for _ in range(8)
    }
    assert codes == {200}


def test_the_bucket_refills_and_is_exact_under_threads() -> None:
    now = [0.0]
    limiter = RateLimiter(burst=50, per_minute=60, clock=lambda: now[0])
    granted: list[bool] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(25):
            ok = limiter.acquire("10.0.0.1") == 0
            with lock:
                granted.append(ok)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert granted.count(True) == 50
    assert limiter.acquire("10.0.0.1") == 1
    now[0] += 1.0
    assert limiter.acquire("10.0.0.1") == 0
    assert limiter.acquire("10.0.0.2") == 0


def test_the_limiter_forgets_old_addresses() -> None:
    limiter = RateLimiter(burst=1, per_minute=60, max_keys=100, clock=lambda: 0.0)
    for index in range(1_000):
        limiter.acquire(f"10.0.{index // 256}.{index % 256}")
    assert len(limiter) <= 100
