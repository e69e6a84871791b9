"""The administrator's and the commander's pages in headless Chromium: the administrator
creates an officer, disables and enables the account, changes its district, revokes a login
session, filters the audit log by action, user and day and verifies the chain from the page;
the commander reads the audit log but may neither verify it nor manage accounts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from fanzha.api import hash_password
from fanzha.store import User
from tests.web.conftest import COMMANDER, OFFICER, PASSWORD, serve

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.web._browser import click, login, open_page, screenshot, script_errors, text_of, wait

ADMIN = "sun.admin"
NEW = "chen.new"
NEW_PASSWORD = "another-horse-7"


@pytest.fixture(scope="module")
def admin_server(seeded_app: tuple[FastAPI, dict[str, int]]) -> Iterator[str]:
    """The seeded app with an administrator, served."""
    app, _ = seeded_app
    with app.state.sessions() as db:
        db.add(
            User(
                username=ADMIN,
                display_name="孙管理",
                role="admin",
                district=None,
                password_hash=hash_password(PASSWORD),
            )
        )
        db.commit()
    with serve(app) as base:
        yield base


def _row(driver: Any, table: str, username: str) -> Any:
    found = driver.find_elements(By.CSS_SELECTOR, f'#{table} tr[data-username="{username}"]')
    return found[0] if found else None


def _api_login(base: str, username: str, password: str) -> int:
    return httpx.post(
        f"{base}/api/v1/auth/login", json={"username": username, "password": password}
    ).status_code


def _login_as(driver: Any, base: str, username: str) -> None:
    """Log in and wait until the header shows who is logged in."""
    login(driver, base, PASSWORD, username=username)
    wait(driver, lambda d: d.find_elements(By.ID, "logout"))


def _click_in_row(driver: Any, table: str, username: str, css: str) -> None:
    """Click ``css`` in the row of ``username`` (found again if the table was redrawn)."""

    def found(d: Any) -> bool:
        row = _row(d, table, username)
        if row is None:
            return False
        click(d, row.find_element(By.CSS_SELECTOR, css))
        return True

    wait(driver, found)


def _beijing_today() -> str:
    return (datetime.now(UTC) + timedelta(hours=8)).strftime("%Y-%m-%d")


def test_admin_creates_disables_and_enables_an_officer(browser: Any, admin_server: str) -> None:
    base = admin_server
    browser.get_log("browser")
    _login_as(browser, base, ADMIN)
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, 'a.nav-link[href="/admin/users"]'))
    click(browser, browser.find_element(By.CSS_SELECTOR, 'a.nav-link[href="/admin/users"]'))
    wait(browser, lambda d: _row(d, "user-results", OFFICER))
    assert "用户管理" in browser.title

    browser.find_element(By.ID, "new-username").send_keys(NEW)
    browser.find_element(By.ID, "new-display-name").send_keys("陈新")
    Select(browser.find_element(By.ID, "new-role")).select_by_visible_text("预警员")
    browser.find_element(By.ID, "new-district").send_keys("兴宁区")
    browser.find_element(By.ID, "new-password").send_keys(NEW_PASSWORD)
    click(browser, browser.find_element(By.ID, "user-create-submit"))
    row = wait(browser, lambda d: _row(d, "user-results", NEW))
    assert "陈新" in row.text and "正常" in row.text
    assert "已新建用户“陈新”" in text_of(browser, "#banner")
    screenshot(browser, "admin-users")
    assert _api_login(base, NEW, NEW_PASSWORD) == 200

    _click_in_row(browser, "user-results", NEW, ".user-disable")
    assert "停用" in browser.switch_to.alert.text
    browser.switch_to.alert.accept()
    wait(browser, lambda d: "已停用" in _row(d, "user-results", NEW).text)
    assert _api_login(base, NEW, NEW_PASSWORD) == 401

    _click_in_row(browser, "user-results", NEW, ".user-enable")
    wait(browser, lambda d: "正常" in _row(d, "user-results", NEW).text)
    assert _api_login(base, NEW, NEW_PASSWORD) == 200

    # a new password set from the row (the password policy applies on the server)
    _click_in_row(browser, "user-results", NEW, ".user-reset")
    browser.switch_to.alert.send_keys("fresh-river-58")
    browser.switch_to.alert.accept()
    wait(browser, lambda d: "已重置" in text_of(d, "#banner"))
    assert _api_login(base, NEW, NEW_PASSWORD) == 401
    assert _api_login(base, NEW, "fresh-river-58") == 200

    # a new district, saved from the row
    district = _row(browser, "user-results", NEW).find_element(By.CSS_SELECTOR, ".user-district")
    district.clear()
    district.send_keys("青秀区")
    _click_in_row(browser, "user-results", NEW, ".user-save")
    wait(browser, lambda d: "青秀区" in text_of(d, "#banner"))
    # the table re-renders after the banner: read the rows inside the wait (stale = not yet)
    wait(
        browser,
        lambda d: (
            _row(d, "user-results", NEW)
            .find_element(By.CSS_SELECTOR, ".user-district")
            .get_attribute("value")
            == "青秀区"
        ),
    )
    # the administrator's own account cannot be disabled from the page
    own_disabled = wait(
        browser,
        lambda d: (
            _row(d, "user-results", ADMIN)
            .find_element(By.CSS_SELECTOR, ".user-disable")
            .get_attribute("disabled")
            is not None
            or "enabled"
        ),
    )
    assert own_disabled is True
    assert script_errors(browser) == []


def test_admin_revokes_a_login_session(browser: Any, admin_server: str) -> None:
    base = admin_server
    token = httpx.post(
        f"{base}/api/v1/auth/login", json={"username": OFFICER, "password": PASSWORD}
    ).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{base}/api/v1/auth/me", headers=bearer).status_code == 200
    _login_as(browser, base, ADMIN)
    open_page(browser, f"{base}/admin/sessions")
    row = wait(browser, lambda d: _row(d, "session-results", OFFICER))
    assert "预警员" in row.text
    assert "当前会话" in _row(browser, "session-results", ADMIN).text
    screenshot(browser, "admin-sessions")
    _click_in_row(browser, "session-results", OFFICER, ".session-revoke")
    browser.switch_to.alert.accept()
    wait(browser, lambda d: "已注销" in text_of(d, "#banner"))
    assert httpx.get(f"{base}/api/v1/auth/me", headers=bearer).status_code == 401


def test_admin_filters_the_audit_log_and_verifies_the_chain(
    browser: Any, admin_server: str
) -> None:
    base = admin_server
    _login_as(browser, base, ADMIN)
    open_page(browser, f"{base}/admin/audit")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#audit-results tr[data-action]"))

    Select(browser.find_element(By.ID, "audit-action")).select_by_visible_text("停用账号")
    click(browser, browser.find_element(By.ID, "audit-search"))
    wait(browser, lambda d: "action=disable" in d.current_url)
    rows = wait(
        browser,
        lambda d: (
            [r.text for r in d.find_elements(By.CSS_SELECTOR, "#audit-results tr[data-action]")]
            or None
        ),
    )
    assert all("停用账号" in row and ADMIN in row for row in rows), rows
    assert text_of(browser, "#audit-count") == f"共 {len(rows)} 条"

    # by user and by today's Beijing date; a future day finds nothing
    Select(browser.find_element(By.ID, "audit-action")).select_by_value("")
    browser.find_element(By.ID, "audit-username").send_keys(NEW)
    browser.find_element(By.ID, "audit-since").send_keys(_beijing_today())
    click(browser, browser.find_element(By.ID, "audit-search"))
    wait(browser, lambda d: f"username={NEW}" in d.current_url)
    wait(
        browser,
        lambda d: (
            {
                r.get_attribute("data-username")
                for r in d.find_elements(By.CSS_SELECTOR, "#audit-results tr[data-action]")
            }
            == {NEW}
        ),
    )
    until = browser.find_element(By.ID, "audit-until")
    until.send_keys("2000-01-01")
    click(browser, browser.find_element(By.ID, "audit-search"))
    wait(browser, lambda d: "没有符合条件的审计记录" in text_of(d, "#audit-results"))
    until.clear()
    until.send_keys("01/02/2026")
    click(browser, browser.find_element(By.ID, "audit-search"))
    wait(browser, lambda d: "年-月-日" in text_of(d, "#banner"))

    click(browser, browser.find_element(By.ID, "audit-verify"))
    wait(browser, lambda d: "审计链完整" in text_of(d, "#audit-verify-result"))
    assert "未发现篡改" in text_of(browser, "#banner")
    screenshot(browser, "admin-audit")
    assert script_errors(browser) == []


def test_commander_reads_the_audit_log_but_manages_nothing(browser: Any, admin_server: str) -> None:
    base = admin_server
    _login_as(browser, base, COMMANDER)
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, 'a.nav-link[href="/admin/audit"]'))
    assert not browser.find_elements(By.CSS_SELECTOR, 'a.nav-link[href="/admin/users"]')
    open_page(browser, f"{base}/admin/audit")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#audit-results tr[data-action]"))
    assert not browser.find_elements(By.ID, "audit-verify")
    for page in ("/admin/users", "/admin/sessions"):
        open_page(browser, f"{base}{page}")
        wait(browser, lambda d: "无权访问" in text_of(d, "#main"))
