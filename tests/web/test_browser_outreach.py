"""宣传防范 in a real browser: an outreach officer drafts a campaign (counting its audience
first) and submits it; a commander approves it; the sender sends it; the campaign shows as
finished and the delivery log lists every message, addresses masked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from fanzha.api import Settings, create_app, hash_password
from fanzha.store import User
from tests.conftest import local_audit_chain
from tests.web.conftest import COMMANDER, PASSWORD, seed, serve

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By

from tests.web._browser import click, login, open_page, screenshot, script_errors, text_of, wait

OUTREACH = "zhou.outreach"


@pytest.fixture(scope="module")
def outreach_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, FastAPI, Path]]:
    folder = tmp_path_factory.mktemp("outreach")
    outbox = folder / "outbox.jsonl"
    app = create_app(
        Settings(
            db_url=f"sqlite:///{folder / 'web.db'}",
            cookie_secure=False,
            outreach_outbox=str(outbox),
        ),
        audit_chain=local_audit_chain(folder),
    )
    seed(app)
    with app.state.sessions() as db:
        db.add(
            User(
                username=OUTREACH,
                display_name="周宣传",
                role="outreach_officer",
                district=None,
                password_hash=hash_password(PASSWORD),
            )
        )
        db.commit()
    with serve(app) as base:
        yield base, app, outbox


def _row(driver: Any) -> Any:
    return wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "tr.campaign-row"))[0]


def _state(driver: Any, state: str) -> Any:
    return wait(
        driver,
        lambda d: d.find_elements(By.CSS_SELECTOR, f'tr.campaign-row[data-state="{state}"]'),
    )[0]


def test_campaign_from_draft_to_approved_to_sent(
    outreach_server: tuple[str, FastAPI, Path], browser: Any
) -> None:
    base, app, outbox = outreach_server
    login(browser, base, PASSWORD, username=OUTREACH)
    wait(browser, lambda d: d.find_elements(By.ID, "logout"))
    browser.find_element(By.LINK_TEXT, "宣传防范").click()
    wait(browser, lambda d: text_of(d, "h1") == "宣传活动")

    browser.find_element(By.ID, "campaign-name").send_keys("全市防刷单提醒")
    click(browser, browser.find_element(By.ID, "campaign-count-button"))
    counted = wait(browser, lambda d: text_of(d, "#aud-count"))
    assert "共 3 人" in counted and "可送达 3 人" in counted
    click(browser, browser.find_element(By.ID, "campaign-save"))
    row = _state(browser, "draft")
    assert "全市防刷单提醒" in row.text and "草稿" in row.text
    click(browser, row.find_element(By.CSS_SELECTOR, ".campaign-submit"))
    row = _state(browser, "pending")
    assert "待审批" in row.text and not row.find_elements(By.CSS_SELECTOR, ".campaign-approve")

    login(browser, base, PASSWORD, username=COMMANDER)
    wait(browser, lambda d: d.find_elements(By.ID, "logout"))
    open_page(browser, f"{base}/outreach/campaigns")
    row = _state(browser, "pending")
    assert not browser.find_elements(By.ID, "campaign-form")  # a commander approves, not drafts
    click(browser, row.find_element(By.CSS_SELECTOR, ".campaign-approve"))
    row = _state(browser, "approved")
    assert "已批准" in row.text and "李指挥" in row.text
    assert not outbox.exists()  # approved is not sent: the sender sends

    result = app.state.outreach_sender.tick()
    assert result.sent == 3
    open_page(browser, f"{base}/outreach/campaigns")
    row = _state(browser, "finished")
    assert "已完成" in row.text and "已发送 3" in row.text
    click(browser, row.find_element(By.CSS_SELECTOR, "a.campaign-deliveries"))
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "tr.delivery-row")) == 3)
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.delivery-row")
    assert all("已发送" in r.text and "*" in r.text for r in rows)
    screenshot(browser, "outreach-deliveries")
    lines = [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3 and all("谨防刷单返利" in line["text"] for line in lines)

    # the template page previews a draft SMS with its segments; 退订 is recorded by number
    open_page(browser, f"{base}/outreach/templates")
    browser.find_element(By.ID, "tpl-draft").send_keys("{salutation}，" + "反" * 70 + "{optout}")
    click(browser, browser.find_element(By.ID, "tpl-draft-button"))
    shown = wait(browser, lambda d: text_of(d, "#tpl-draft-preview"))
    assert shown.startswith("广大市民朋友") and "2 条" in shown
    assert not script_errors(browser)
