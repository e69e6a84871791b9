"""犯罪嫌疑人 and 在逃人员 pages in a real browser: an analyst records a legal decision on a
suspect through the page; the wanted list shows a fugitive's identifiers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.web.conftest import ANALYST, PASSWORD

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.web._browser import click, login, open_page, script_errors, text_of, wait


def _post(base: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    token = httpx.post(
        f"{base}/api/v1/auth/login", json={"username": ANALYST, "password": PASSWORD}, timeout=30
    ).json()["token"]
    response = httpx.post(
        f"{base}/api/v1{path}", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_analyst_records_a_detention_and_reads_the_wanted_list(
    live_server: tuple[str, dict[str, int]], browser: Any
) -> None:
    base, _ids = live_server
    suspect = _post(
        base, "/suspects", {"name": "黄某某", "role": "card_dealer", "district": "青秀区"}
    )
    fugitive = _post(
        base,
        "/fugitives",
        {
            "name": "韦某",
            "warrant_no": "桂公网逃〔2022〕17号",
            "identifiers": [{"kind": "phone", "value": "17012349999"}],
        },
    )
    login(browser, base, PASSWORD, ANALYST)
    wait(browser, lambda d: d.find_elements(By.ID, "logout"))
    open_page(browser, f"{base}/suspects")
    wait(browser, lambda d: text_of(d, "h1") == "犯罪嫌疑人")
    row = wait(
        browser, lambda d: d.find_elements(By.CSS_SELECTOR, f'tr[data-id="{suspect["id"]}"]')
    )[0]
    assert "卡头卡贩" in row.text and "已查明" in row.text
    click(browser, row)
    wait(browser, lambda d: d.find_elements(By.ID, "legal-form"))
    Select(browser.find_element(By.ID, "legal-to")).select_by_visible_text("刑事拘留")
    browser.find_element(By.ID, "legal-day").send_keys("2022-05-24")
    browser.find_element(By.ID, "legal-authority").send_keys("南宁市公安局青秀分局")
    browser.find_element(By.ID, "legal-doc").send_keys("青公(刑)拘字〔2022〕88号")
    click(browser, browser.find_element(By.CSS_SELECTOR, "#legal-form button[type=submit]"))
    wait(browser, lambda d: "已变更为刑事拘留" in text_of(d, "#banner"))
    wait(browser, lambda d: "青公(刑)拘字〔2022〕88号" in text_of(d, ".detail-panel"))
    assert "刑事拘留" in text_of(browser, f'tr[data-id="{suspect["id"]}"]')

    open_page(browser, f"{base}/fugitives")
    row = wait(
        browser, lambda d: d.find_elements(By.CSS_SELECTOR, f'tr[data-id="{fugitive["id"]}"]')
    )[0]
    assert "桂公网逃〔2022〕17号" in row.text and "在逃" in row.text
    click(browser, row)
    wait(browser, lambda d: "17012349999" in text_of(d, ".detail-panel"))
    assert "尚未比中新记录" in text_of(browser, ".detail-panel")
    assert not script_errors(browser)
