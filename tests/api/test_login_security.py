"""Login hardening (issue 15 item 6): lock-out, audit of failures, constant time for unknown
users, the password policy, the demo password, the Secure cookie, the Origin check and the
security headers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fanzha.api import Settings, create_app, hash_password
from fanzha.api.routes import auth as auth_routes
from fanzha.demo import DEMO_PASSWORD
from fanzha.store import AuditEntry, User
from fanzha.store.audit import AuditChain, verify_audit_chain
from tests.api.conftest import PASSWORD, login, seed_users

WRONG = "not-the-password-1"


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def _login(client: TestClient, username: str, password: str) -> int:
    return client.post(
        "/api/v1/auth/login", json={"username": username, "password": password}
    ).status_code


def test_fifty_wrong_passwords_lock_the_account_until_the_lock_ends(
    client: TestClient,
) -> None:
    clock = FakeClock()
    client.app.state.login_guard.clock = clock  # type: ignore[attr-defined]
    client.app.state.rate_limits.login.clock = clock  # type: ignore[attr-defined]
    for _ in range(50):
        clock.now += 5  # slow enough for the per-address rate limit
        assert _login(client, "analyst", WRONG) in (401, 429)
    response = client.post("/api/v1/auth/login", json={"username": "analyst", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "login_locked"
    assert "锁定" in response.json()["error"]["message"]
    assert int(response.headers["Retry-After"]) >= 1
    clock.now += 16 * 60
    assert _login(client, "analyst", PASSWORD) == 200


def test_five_failures_lock_an_account_for_every_address(client: TestClient) -> None:
    for _ in range(5):
        assert _login(client, "analyst", WRONG) == 401
    other = TestClient(client.app, client=("198.51.100.7", 5000))
    assert (
        other.post(
            "/api/v1/auth/login", json={"username": "analyst", "password": PASSWORD}
        ).status_code
        == 429
    )
    # another account from the first address still logs in
    assert _login(client, "commander", PASSWORD) == 200


def test_an_address_trying_many_accounts_is_locked(client: TestClient) -> None:
    for index in range(20):
        assert _login(client, f"nobody{index}", WRONG) == 401
    assert _login(client, "commander", PASSWORD) == 429
    other = TestClient(client.app, client=("198.51.100.8", 5000))
    assert (
        other.post(
            "/api/v1/auth/login", json={"username": "commander", "password": PASSWORD}
        ).status_code
        == 200
    )


def test_failed_logins_are_audited(
    client: TestClient, engine: Engine, audit_chain: AuditChain
) -> None:
    """The refused request rolls back, yet its login_failed entry is committed on its own."""
    assert _login(client, "analyst", WRONG) == 401
    assert _login(client, "ghost", WRONG) == 401
    for _ in range(4):  # five failures in a row lock the account
        assert _login(client, "analyst", WRONG) == 401
    assert _login(client, "analyst", PASSWORD) == 429  # locked: refused and audited too
    with Session(engine) as db:
        failed = db.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed")).all()
    assert len(failed) == 7
    assert sum("locked" in entry.detail for entry in failed) == 1
    assert verify_audit_chain(engine, audit_chain).ok
    assert {entry.object_type for entry in failed} == {"user"}
    assert all(WRONG not in (entry.detail + entry.reason + entry.object_id) for entry in failed)


def test_unknown_users_cost_one_password_verification(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = auth_routes.verify_password

    def counting(password_hash: str, password: str) -> bool:
        calls.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(auth_routes, "verify_password", counting)
    assert _login(client, "ghost", WRONG) == 401
    assert _login(client, "analyst", WRONG) == 401
    assert len(calls) == 2
    assert calls[0].startswith("$argon2id$")


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short-pw-1", "12"),
        ("newbie-officer", "用户名"),
        ("password1234", "常见"),
        ("Qwerty123456", "常见"),
        (DEMO_PASSWORD + "x", "演示"),
    ],
)
def test_password_policy_on_create(client: TestClient, password: str, why: str) -> None:
    headers = login(client, "admin")
    body = {"display_name": "新人", "role": "analyst", "password": password}
    response = client.post(
        "/api/v1/users", json={"username": "newbie-officer", **body}, headers=headers
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == "password"
    assert why in response.json()["error"]["message"]


def test_password_reset_checks_the_policy_and_ends_the_old_logins(client: TestClient) -> None:
    admin = login(client, "admin")
    analyst = login(client, "analyst")
    users = {u["username"]: u["id"] for u in client.get("/api/v1/users", headers=admin).json()}
    url = f"/api/v1/users/{users['analyst']}/password"
    weak = client.put(url, json={"password": "analyst"}, headers=admin)
    assert weak.status_code == 422
    assert (
        client.put(url, json={"password": "a-new-long-secret-7"}, headers=analyst).status_code
        == 403
    )
    done = client.put(url, json={"password": "a-new-long-secret-7"}, headers=admin)
    assert done.status_code == 204, done.text
    assert client.get("/api/v1/auth/me", headers=analyst).status_code == 401
    assert _login(client, "analyst", "a-new-long-secret-7") == 200


@pytest.fixture
def demo_password_engine(engine: Engine) -> Engine:
    with Session(engine) as db:
        db.add(
            User(
                username="fund",
                display_name="演示资金",
                role="fund_officer",
                password_hash=hash_password(DEMO_PASSWORD),
            )
        )
        db.commit()
    return engine


@pytest.mark.parametrize(("demo", "status"), [(False, 401), (True, 200)])
def test_the_demo_password_logs_in_only_in_demo_mode(
    demo_password_engine: Engine, audit_chain: AuditChain, demo: bool, status: int
) -> None:
    app = create_app(
        Settings(demo=demo), engine=demo_password_engine, with_web=False, audit_chain=audit_chain
    )
    with TestClient(app) as client:
        response = client.post(
            "/api/v1/auth/login", json={"username": "fund", "password": DEMO_PASSWORD}
        )
    assert response.status_code == status
    if not demo:
        assert "演示" in response.json()["error"]["message"]


def test_the_login_cookie_is_secure_by_default(engine: Engine, audit_chain: AuditChain) -> None:
    seed_users(engine)
    app = create_app(Settings(), engine=engine, with_web=False, audit_chain=audit_chain)
    with TestClient(app) as client:
        response = client.post(
            "/api/v1/auth/login", json={"username": "analyst", "password": PASSWORD}
        )
    cookie = response.headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


@pytest.mark.parametrize(
    ("demo", "host", "secure"),
    [
        (False, "127.0.0.1", True),
        (True, "127.0.0.1", False),
        (True, "localhost", False),
        (True, "0.0.0.0", True),
    ],
)
def test_serve_drops_secure_only_for_the_demo_on_loopback(
    demo: bool, host: str, secure: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fanzha.cli._serve import serve_settings

    monkeypatch.delenv("FANZHA_COOKIE_SECURE", raising=False)
    settings = serve_settings(db=None, demo=demo, host=host)
    assert settings.cookie_secure is secure
    assert settings.demo is demo


@pytest.fixture
def cookie_client(engine: Engine, audit_chain: AuditChain) -> Iterator[TestClient]:
    """A client logged in as the commander with the login cookie only (no bearer header)."""
    seed_users(engine)
    app = create_app(
        Settings(cookie_secure=False), engine=engine, with_web=False, audit_chain=audit_chain
    )
    with TestClient(app) as client:
        assert _login(client, "commander", PASSWORD) == 200
        yield client


@pytest.mark.parametrize("path", ["/api/v1/tasks/assign", "/api/v1/auth/logout"])
def test_a_foreign_origin_may_not_use_the_cookie(cookie_client: TestClient, path: str) -> None:
    response = cookie_client.post(path, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden_origin"
    assert cookie_client.get("/api/v1/auth/me").status_code == 200
    cross = cookie_client.post(path, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403


def test_the_own_origin_and_bearer_clients_may(cookie_client: TestClient) -> None:
    own = cookie_client.post("/api/v1/tasks/assign", headers={"Origin": "http://testserver"})
    assert own.status_code == 200
    token = cookie_client.cookies.get("fanzha_token")
    cookie_client.cookies.clear()
    bearer = cookie_client.post(
        "/api/v1/tasks/assign",
        headers={"Origin": "https://evil.example", "Authorization": f"Bearer {token}"},
    )
    assert bearer.status_code == 200


def _assert_hardened(headers: object) -> None:
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") == "no-referrer"
    assert headers.get("X-Frame-Options") == "DENY"
    assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy")


def test_security_headers_on_every_kind_of_response(
    engine: Engine, audit_chain: AuditChain
) -> None:
    seed_users(engine)
    app = create_app(Settings(), engine=engine, audit_chain=audit_chain)
    with TestClient(app) as client:
        for path in (
            "/api/v1/auth/me",
            "/static/js/app.js",
            "/api/docs",
            "/api/openapi.json",
            "/login",
            "/no/such/page",
        ):
            response = client.get(path)
            _assert_hardened(response.headers)
        docs = client.get("/api/docs")
        assert "script-src" in docs.headers["Content-Security-Policy"]
        page = client.get("/login")
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
        _assert_hardened(
            client.post("/api/v1/auth/login", json={"username": "x", "password": "y"}).headers
        )


def test_serve_without_the_flag_keeps_demo_mode_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from fanzha.cli._serve import serve_settings

    monkeypatch.setenv("FANZHA_DEMO", "1")
    assert serve_settings(db=None, demo=False, host="127.0.0.1").demo is True
    monkeypatch.setenv("FANZHA_DEMO", "0")
    assert serve_settings(db=None, demo=False, host="127.0.0.1").demo is False
