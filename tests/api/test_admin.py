"""The administrator's endpoints: accounts (create, rename, role, district, disable, enable),
login sessions (list, revoke) and the audit log's filters; each audited, each permissioned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from fanzha.roles import ROLES
from tests.api.conftest import login

API = "/api/v1"
NEW_USER = {
    "username": "chen.new",
    "display_name": "陈新",
    "role": "warning_officer",
    "district": "兴宁区",
    "password": "another-horse-7",
}


def _audit(client: TestClient, headers: dict[str, str], **filters: str) -> list[dict[str, str]]:
    response = client.get(f"{API}/audit", params={"per_page": 200, **filters}, headers=headers)
    assert response.status_code == 200, response.text
    entries: list[dict[str, str]] = response.json()["data"]
    return entries


def test_admin_creates_disables_and_enables_an_account(client: TestClient) -> None:
    admin = login(client, "admin")
    created = client.post(f"{API}/users", json=NEW_USER, headers=admin)
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["role_name"] == "预警员" and user["district"] == "兴宁区" and user["active"]
    officer = login(client, "warning_officer")  # another account's login stays
    new_login = client.post(
        f"{API}/auth/login", json={"username": "chen.new", "password": "another-horse-7"}
    )
    token = new_login.json()["token"]
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get(f"{API}/auth/me", headers=bearer).status_code == 200

    disabled = client.patch(f"{API}/users/{user['id']}", json={"active": False}, headers=admin)
    assert disabled.status_code == 200 and disabled.json()["active"] is False
    # its login ended at once, and it cannot log in again
    assert client.get(f"{API}/auth/me", headers=bearer).status_code == 401
    again = client.post(
        f"{API}/auth/login", json={"username": "chen.new", "password": "another-horse-7"}
    )
    assert again.status_code == 401
    assert client.get(f"{API}/auth/me", headers=officer).status_code == 200

    enabled = client.patch(f"{API}/users/{user['id']}", json={"active": True}, headers=admin)
    assert enabled.json()["active"] is True
    client.cookies.clear()
    assert (
        client.post(
            f"{API}/auth/login", json={"username": "chen.new", "password": "another-horse-7"}
        ).status_code
        == 200
    )
    client.cookies.clear()
    actions = [
        e["action"] for e in _audit(client, admin, object_type="user", object_id=str(user["id"]))
    ]
    assert [a for a in actions if not a.startswith("login")] == ["enable", "disable", "create"]
    assert "login_failed" in actions  # the refused login of the disabled account


def test_admin_changes_role_district_and_name(client: TestClient) -> None:
    admin = login(client, "admin")
    user = client.post(f"{API}/users", json=NEW_USER, headers=admin).json()
    changed = client.patch(
        f"{API}/users/{user['id']}",
        json={"role": "fund_officer", "district": None, "display_name": "陈资金"},
        headers=admin,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["role"], body["role_name"], body["district"], body["display_name"]) == (
        "fund_officer",
        "资金查控员",
        None,
        "陈资金",
    )
    # a field left out stays as it is
    kept = client.patch(f"{API}/users/{user['id']}", json={"district": "青秀区"}, headers=admin)
    assert kept.json()["role"] == "fund_officer" and kept.json()["district"] == "青秀区"
    (entry, *_) = _audit(client, admin, action="update", object_type="user")
    assert entry["object_id"] == str(user["id"]) and entry["username"] == "admin"


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        pytest.param({"role": "king"}, 422, "未知角色", id="unknown-role"),
        pytest.param({"active": "no"}, 422, "", id="not-a-bool"),
        pytest.param({"password_hash": "x"}, 422, "", id="no-such-field"),
    ],
)
def test_bad_account_changes_are_refused(
    client: TestClient, body: dict[str, object], status: int, text: str
) -> None:
    admin = login(client, "admin")
    user = client.post(f"{API}/users", json=NEW_USER, headers=admin).json()
    response = client.patch(f"{API}/users/{user['id']}", json=body, headers=admin)
    assert response.status_code == status
    assert text in response.json()["error"]["message"]


def test_an_admin_cannot_lock_themselves_out(client: TestClient) -> None:
    admin = login(client, "admin")
    me = client.get(f"{API}/auth/me", headers=admin).json()
    for body in ({"active": False}, {"role": "analyst"}):
        response = client.patch(f"{API}/users/{me['id']}", json=body, headers=admin)
        assert response.status_code == 422
        assert "不能停用自己的账号" in response.json()["error"]["message"]
    assert client.get(f"{API}/auth/me", headers=admin).json()["active"] is True
    assert client.patch(f"{API}/users/99999", json={}, headers=admin).status_code == 404


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_only_the_admin_manages_accounts_and_sessions(client: TestClient, role: str) -> None:
    headers = login(client, role)
    assert client.get(f"{API}/users", headers=headers).status_code == 403
    assert client.post(f"{API}/users", json=NEW_USER, headers=headers).status_code == 403
    assert client.patch(f"{API}/users/1", json={}, headers=headers).status_code == 403
    assert client.get(f"{API}/sessions", headers=headers).status_code == 403
    assert client.delete(f"{API}/sessions/0123456789abcdef", headers=headers).status_code == 403
    audit = client.get(f"{API}/audit", headers=headers).status_code
    assert audit == (200 if role == "commander" else 403)
    verify = client.get(f"{API}/audit/verify", headers=headers).status_code
    assert verify == 403


def test_admin_lists_and_revokes_login_sessions(client: TestClient) -> None:
    admin = login(client, "admin")
    officer = login(client, "warning_officer")
    sessions = client.get(f"{API}/sessions", headers=admin)
    assert sessions.status_code == 200
    rows = sessions.json()
    mine = [row for row in rows if row["current"]]
    assert len(mine) == 1 and mine[0]["username"] == "admin"
    theirs = [row for row in rows if row["username"] == "warning_officer"]
    assert len(theirs) == 1 and theirs[0]["role_name"] == "预警员"
    assert len(theirs[0]["id"]) == 16
    token = officer["Authorization"].removeprefix("Bearer ")
    assert theirs[0]["id"] not in token  # the id is no part of the token
    assert client.delete(f"{API}/sessions/{theirs[0]['id']}", headers=admin).status_code == 204
    assert client.get(f"{API}/auth/me", headers=officer).status_code == 401
    assert client.get(f"{API}/auth/me", headers=admin).status_code == 200
    again = client.delete(f"{API}/sessions/{theirs[0]['id']}", headers=admin)
    assert again.status_code == 404
    assert client.delete(f"{API}/sessions/not-hex", headers=admin).status_code == 422
    (entry,) = _audit(client, admin, action="revoke")
    assert entry["object_type"] == "session"
    assert {r["id"] for r in client.get(f"{API}/sessions", headers=admin).json()} == {mine[0]["id"]}


def test_the_audit_log_filters_by_user_action_object_and_time(client: TestClient) -> None:
    admin = login(client, "admin")
    login(client, "analyst")
    user = client.post(f"{API}/users", json=NEW_USER, headers=admin).json()
    everything = _audit(client, admin)
    assert {e["action"] for e in everything} >= {"login", "create"}
    by_user = _audit(client, admin, username="analyst")
    assert by_user and {e["username"] for e in by_user} == {"analyst"}
    assert {e["action"] for e in _audit(client, admin, action="create")} == {"create"}
    by_object = _audit(client, admin, object_type="user", object_id=str(user["id"]))
    assert [e["action"] for e in by_object] == ["create"]
    now = datetime.now(UTC)
    assert len(_audit(client, admin, since=(now - timedelta(hours=1)).isoformat())) == len(
        everything
    )
    assert _audit(client, admin, since=(now + timedelta(hours=1)).isoformat()) == []
    assert _audit(client, admin, until=(now - timedelta(hours=1)).isoformat()) == []
    bad = client.get(f"{API}/audit", params={"since": "yesterday"}, headers=admin)
    assert bad.status_code == 422
    # and the admin verifies the chain the page shows
    verified = client.get(f"{API}/audit/verify", headers=admin).json()
    assert verified["ok"] is True and verified["checked"] >= len(everything)
