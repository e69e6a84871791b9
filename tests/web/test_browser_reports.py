"""举报审核 in a real browser: a citizen's report waits in the review queue; a warning officer
sees it there, rejects one and accepts another (which goes on to the warning rules)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.web.conftest import PASSWORD

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.web._browser import click, login, open_page, script_errors, text_of, wait

REPORTER = "13700002222"


def _report(base: str, **body: object) -> int:
    """A citizen's 举报, sent without logging in; its receipt id."""
    response = httpx.post(f"{base}/api/v1/reports", json=body, timeout=30)
    assert response.status_code == 201, response.text
    receipt: int = response.json()["receipt_id"]
    return receipt


def _row(driver: Any, report_id: int) -> Any:
    return wait(
        driver, lambda d: d.find_elements(By.CSS_SELECTOR, f'tr[data-report-id="{report_id}"]')
    )[0]


def test_officer_reviews_the_citizen_reports(
    live_server: tuple[str, dict[str, int]], browser: Any
) -> None:
    base, _ids = live_server
    spam = _report(base, text="你好，今天天气不错")
    fraud = _report(
        base,
        number="17012345678",
        text="有人冒充公检法让我转账到安全账户",
        reporter_phone=REPORTER,
        being_defrauded=True,
        amount_fen=5_000_000,
    )

    login(browser, base, PASSWORD)
    wait(browser, lambda d: d.find_elements(By.ID, "logout"))
    browser.find_element(By.LINK_TEXT, "举报审核").click()
    wait(browser, lambda d: text_of(d, "h1") == "举报审核")
    assert browser.current_url == f"{base}/reports"
    row = _row(browser, fraud)
    assert "冒充公检法" in row.text
    assert "正在被骗" in row.text
    assert "50,000.00 元" in row.text
    assert "待审核" in row.text

    spam_row = _row(browser, spam)
    spam_row.find_element(By.CSS_SELECTOR, ".report-note").send_keys("无诈骗内容")
    click(browser, spam_row.find_element(By.CSS_SELECTOR, ".report-reject"))
    wait(browser, lambda d: f"举报 #{spam} 已驳回" in text_of(d, "#banner"))
    wait(browser, lambda d: not d.find_elements(By.CSS_SELECTOR, f'tr[data-report-id="{spam}"]'))

    click(browser, _row(browser, fraud).find_element(By.CSS_SELECTOR, ".report-accept"))
    wait(browser, lambda d: f"举报 #{fraud} 已采纳" in text_of(d, "#banner"))
    assert "预警任务 #" in text_of(browser, "#banner") or "未触发预警任务" in text_of(
        browser, "#banner"
    )

    Select(browser.find_element(By.ID, "reports-state")).select_by_visible_text("已驳回")
    row = _row(browser, spam)
    assert "已驳回" in row.text and "无诈骗内容" in row.text
    assert "王警官" in row.text
    assert browser.current_url == f"{base}/reports?state=rejected"

    open_page(browser, f"{base}/reports?state=accepted")
    assert "已采纳" in _row(browser, fraud).text
    assert script_errors(browser) == []
