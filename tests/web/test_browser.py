"""The web UI in a real browser: headless Chromium over the real app on a free port.

An officer logs in (after a wrong password shows the error banner), opens the queue, opens
a task, takes it, records 电话 → 已接通，劝阻成功 with money saved, and sees the KPI page
change; the screening page highlights the rule span of a fraud text. Set
``FANZHA_SCREENSHOTS=<dir>`` to also save PNG screenshots of the pages there.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import COMMANDER, FRAUD_TEXT, PASSWORD

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.web._browser import (
    login,
    open_page,
    run_js,
    screenshot,
    script_errors,
    text_of,
    wait,
)


def kpi_tile(driver: Any, key: str) -> str:
    return text_of(driver, f'[data-kpi="{key}"] .tile-value')


# (module under /static/js/, JavaScript expression over it as ``m``, expected value)
JS_CASES = [
    pytest.param(
        "format.js",
        'm.formatTime("2024-05-01T00:00:00Z")',
        "2024-05-01 08:00:00",
        id="time-utc-to-beijing",
    ),
    pytest.param(
        "format.js",
        'm.formatTime("2024-05-01T16:30:00+00:00")',
        "2024-05-02 00:30:00",
        id="time-next-day",
    ),
    pytest.param(
        "format.js",
        'm.formatTime("2024-05-01T00:00:00")',
        "2024-05-01 08:00:00",
        id="time-naive-is-utc",
    ),
    pytest.param("format.js", "m.formatTime(null)", "—", id="time-missing"),
    pytest.param(
        "format.js",
        'm.formatDate("2026-12-02T18:36:00Z")',
        "2026-12-03",
        id="date-utc-evening-is-next-beijing-day",
    ),
    pytest.param(
        "format.js",
        'm.formatDateCn("2026-12-02T18:36:00+00:00")',
        "2026年12月3日",
        id="date-chinese-beijing-day",
    ),
    pytest.param("format.js", 'm.formatDate("2026-12-02T15:59:59Z")', "2026-12-02", id="date-same"),
    pytest.param("format.js", "m.formatDateCn(null)", "—", id="date-missing"),
    pytest.param("format.js", "m.formatYuan(123456)", "1,234.56 元", id="yuan"),
    pytest.param("format.js", "m.formatYuan(5)", "0.05 元", id="yuan-fen"),
    pytest.param("format.js", 'm.yuanToFen("12,000.5")', 1200050, id="fen-from-yuan"),
    pytest.param("format.js", 'm.yuanToFen("0.07")', 7, id="fen-small"),
    pytest.param("format.js", 'm.yuanToFen("12元")', 1200, id="fen-with-unit"),
    pytest.param("format.js", 'm.yuanToFen(" ")', None, id="fen-empty"),
    pytest.param(
        "format.js",
        '(() => { try { m.yuanToFen("1.234"); return "accepted"; } '
        "catch (e) { return e.message; } })()",
        "金额“1.234”无法识别：请填写不超过两位小数的元数，例如 12000.00",
        id="fen-refuses-three-decimals",
    ),
    pytest.param(
        "format.js",
        'm.countdown("2024-05-01T00:01:05Z", Date.parse("2024-05-01T00:00:00Z")).text',
        "剩余 00:01:05",
        id="countdown-left",
    ),
    pytest.param(
        "format.js",
        'm.countdown("2024-05-01T00:00:00Z", Date.parse("2024-05-02T01:00:01Z")).text',
        "已超时 1天 01:00:01",
        id="countdown-overdue",
    ),
    pytest.param(
        "format.js", 'm.dayStart("2024-05-01")', "2024-04-30T16:00:00.000Z", id="day-start-beijing"
    ),
    pytest.param(
        "format.js",
        'm.dayStart("2024-05-01", 1)',
        "2024-05-01T16:00:00.000Z",
        id="day-end-exclusive",
    ),
    pytest.param(
        "charts.js",
        "[m.axisTop(2, 4, true), m.axisTop(50, 4, true), m.axisTop(0, 4, true)]",
        [4, 60, 4],
        id="axis-top",
    ),
    pytest.param(
        "dom.js",
        'm.errorText({message: "用户名或密码错误 (wrong username or password)"})',
        "用户名或密码错误",
        id="error-drops-english-gloss",
    ),
    pytest.param(
        "dom.js",
        'm.errorText({message: "warning task 9 does not exist", code: "not_found"})',
        "未找到",
        id="error-english-becomes-chinese-headline",
    ),
    pytest.param(
        "dom.js",
        'm.errorText({message: "任务 3 处于「待分派」，不能记录。 Cannot record it"})',
        "任务 3 处于「待分派」，不能记录。",
        id="error-drops-english-sentence",
    ),
    pytest.param(
        "dom.js",
        'm.errorText({message: "金额不能超过 100"})',
        "金额不能超过 100",
        id="error-keeps-trailing-number",
    ),
]
HIGHLIGHT = (
    'm.highlight({text}, {rules}).map((p) => typeof p === "string" ? p : '
    '"[" + p.textContent + (p.classList.contains("hit-multi") ? "*" : "") + "]").join("")'
)
JS_CASES += [
    pytest.param(
        "pages/screen.js",
        HIGHLIGHT.format(
            text='"😀刷单返利"', rules='[{rule_id: "r", start: 1, end: 3, explanation: "x"}]'
        ),
        "😀[刷单]返利",
        id="highlight-code-points",
    ),
    pytest.param(
        "pages/screen.js",
        HIGHLIGHT.format(
            text='"abcdef"',
            rules='[{rule_id: "a", start: 0, end: 4}, {rule_id: "b", start: 2, end: 6}]',
        ),
        "[ab][cd*][ef]",
        id="highlight-overlap",
    ),
    pytest.param(
        "pages/screen.js",
        HIGHLIGHT.format(
            text='"abc"',
            rules='[{rule_id: "a", start: 1, end: 99}, {rule_id: "b", start: 2, end: 2}]',
        ),
        "a[bc]",
        id="highlight-clipped",
    ),
]


@pytest.mark.parametrize(("module", "expression", "expected"), JS_CASES)
def test_browser_helpers(
    live_server: tuple[str, dict[str, int]],
    browser: Any,
    module: str,
    expression: str,
    expected: object,
) -> None:
    assert run_js(browser, live_server[0], module, expression) == {"ok": True, "value": expected}


def test_officer_records_an_outcome_and_sees_the_kpis_change(
    live_server: tuple[str, dict[str, int]], browser: Any
) -> None:
    base, ids = live_server
    task_id = ids["task_id"]

    login(browser, base, "wrong-password")
    banner = wait(browser, lambda d: text_of(d, "#banner .banner-text"))
    assert "用户名或密码错误" in banner
    screenshot(browser, "login")

    browser.find_element(By.ID, "login-submit").click()  # the password field was emptied
    login(browser, base, PASSWORD)
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "tr.task-row"))
    assert browser.current_url == f"{base}/queue"
    assert text_of(browser, "#who-name") == "王警官"
    assert text_of(browser, "#who-role") == "预警员"
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.task-row")
    assert len(rows) == 3
    assert "band-high" in rows[0].get_attribute("class")
    countdown = browser.find_element(By.CSS_SELECTOR, f'tr[data-task-id="{task_id}"] .sla')
    first = countdown.text
    wait(browser, lambda d: countdown.text != first)  # the SLA countdown ticks
    screenshot(browser, "queue")

    browser.find_element(By.LINK_TEXT, "工作统计").click()
    wait(browser, lambda d: kpi_tile(d, "tasks") == "3")
    assert kpi_tile(browser, "dissuaded") == "0"
    assert kpi_tile(browser, "money_saved_fen") == "0.00 元"

    browser.find_element(By.LINK_TEXT, "预警队列").click()
    row = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f'[data-task-id="{task_id}"]'))
    row[0].find_elements(By.TAG_NAME, "td")[3].click()
    wait(browser, lambda d: text_of(d, "#task-title") == f"预警任务 #{task_id}")
    assert browser.current_url == f"{base}/tasks/{task_id}"
    if text_of(browser, "#task-state") == "待分派":  # not yet assigned by a commander
        browser.find_element(By.CSS_SELECTOR, '#transitions [data-to-state="assigned"]').click()
        wait(browser, lambda d: text_of(d, "#task-state") == "已分派")
    assert text_of(browser, "#task-state") == "已分派"
    Select(browser.find_element(By.ID, "outcome-channel")).select_by_visible_text("电话")
    Select(browser.find_element(By.ID, "outcome-result")).select_by_visible_text("已接通，劝阻成功")
    money = browser.find_element(By.ID, "outcome-money")
    assert money.is_displayed()
    money.send_keys("20000")
    browser.find_element(By.ID, "outcome-note").send_keys("当事人已明白是冒充公检法诈骗，未转账")
    browser.find_element(By.ID, "outcome-submit").click()
    wait(browser, lambda d: text_of(d, "#task-state") == "已劝阻")
    assert "已记录：电话 · 已接通，劝阻成功" in text_of(browser, "#banner")
    history = text_of(browser, "#history")
    assert "电话 · 已接通，劝阻成功" in history
    assert "挽回 20,000.00 元" in history
    assert text_of(browser, "#task-saved") == "20,000.00 元"
    screenshot(browser, "task")

    browser.find_element(By.LINK_TEXT, "工作统计").click()
    wait(browser, lambda d: kpi_tile(d, "dissuaded") == "1")
    assert kpi_tile(browser, "money_saved_fen") == "20,000.00 元"
    assert kpi_tile(browser, "dissuasion_rate") == "100.0%"
    bar = browser.find_element(By.CSS_SELECTOR, '#chart-states [data-key="dissuaded"]')
    assert bar.get_attribute("data-value") == "1"
    screenshot(browser, "kpi")

    browser.find_element(By.ID, "logout").click()
    wait(browser, lambda d: d.find_elements(By.ID, "login-form"))
    assert not browser.find_elements(By.ID, "who-name")
    assert script_errors(browser) == []


def test_screening_page_highlights_the_rule_span(
    live_server: tuple[str, dict[str, int]], browser: Any
) -> None:
    base, _ids = live_server
    open_page(browser, f"{base}/screen")
    browser.find_element(By.ID, "screen-input").send_keys(FRAUD_TEXT)
    browser.find_element(By.ID, "screen-submit").click()
    marks = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#verdict-text mark.hit"))
    assert all(mark.text and mark.text in FRAUD_TEXT for mark in marks)
    assert text_of(browser, "#verdict-text") == FRAUD_TEXT
    assert text_of(browser, "#verdict .level") in {"高风险", "中风险"}
    assert "刷单" in text_of(browser, "#verdict-type")
    assert text_of(browser, "#verdict-advice")
    screenshot(browser, "screen")


def test_commander_sees_cases_with_personal_data_masked(
    live_server: tuple[str, dict[str, int]], browser: Any
) -> None:
    base, ids = live_server
    login(browser, base, PASSWORD, username=COMMANDER)
    wait(browser, lambda d: text_of(d, "#who-role") == "指挥长")
    browser.find_element(By.ID, "queue-assign").click()
    wait(browser, lambda d: "已分派" in text_of(d, "#banner"))

    browser.find_element(By.LINK_TEXT, "案件查询").click()
    link = wait(browser, lambda d: d.find_elements(By.LINK_TEXT, "NN2024-000001"))
    assert text_of(browser, "#case-count") == "共 1 起"
    assert "李*" in text_of(browser, "#case-results tbody tr")
    link[0].click()
    wait(browser, lambda d: text_of(d, "#case-title") == "案件 NN2024-000001")
    assert browser.current_url == f"{base}/cases/{ids['case_id']}"
    page = text_of(browser, "main")
    assert "12,500.00 元" in page
    assert "450103********2345" in page
    assert "450103199505052345" not in page
    screenshot(browser, "case")
