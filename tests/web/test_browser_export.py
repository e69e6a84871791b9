"""导出 and 打印 in a real browser: the officer clicks 导出 XLSX on the queue and 导出 CSV on
the cases, the files land in the download folder under their Chinese names and read back;
the case summary prints without the app's header, navigation and buttons."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from fanzha.demo import DEMO_PASSWORD
from tests.web.conftest import PASSWORD, WAIT_S, build_demo_app, serve

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By

from tests.web._browser import (
    click,
    login,
    open_page,
    run_js,
    screenshot,
    script_errors,
    text_of,
    wait,
)


def _downloaded(folder: Path, suffix: str) -> Path:
    """The one finished download ending in ``suffix`` (waits for it)."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        if done and not any(p.name.endswith(".crdownload") for p in folder.iterdir()):
            return done[0]
        time.sleep(0.1)
    pytest.fail(f"no {suffix} download in {sorted(p.name for p in folder.iterdir())}")


def _displayed(driver: Any, css: str) -> bool:
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return bool(found) and bool(found[0].is_displayed())


def test_officer_exports_the_queue_and_the_cases_and_prints_a_case(
    live_server: tuple[str, dict[str, int]], browser: Any, tmp_path: Path
) -> None:
    base, ids = live_server
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    login(browser, base, PASSWORD)
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#queue-results tr.task-row"))
    shown = len(browser.find_elements(By.CSS_SELECTOR, "#queue-results tr.task-row"))
    click(browser, browser.find_element(By.ID, "queue-export-xlsx"))
    queue = _downloaded(tmp_path, ".xlsx")
    assert queue.name.startswith("预警队列_")
    sheet = load_workbook(queue).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["任务编号", "优先级"]
    assert len(rows) - 1 == shown == 3
    wait(browser, lambda d: "已导出" in d.find_element(By.ID, "banner").text)

    open_page(browser, f"{base}/cases")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#case-results a.case-link"))
    click(browser, browser.find_element(By.ID, "case-export-csv"))
    cases = _downloaded(tmp_path, ".csv")
    assert cases.name.startswith("案件列表_")
    assert cases.read_bytes().startswith(b"\xef\xbb\xbf")
    read = list(csv.DictReader(io.StringIO(cases.read_text(encoding="utf-8-sig"))))
    assert [row["案件编号"] for row in read] == ["NN2024-000001"]
    assert read[0]["损失金额（元）"] == "12500.00"

    open_page(browser, f"{base}/cases/{ids['case_id']}")
    wait(browser, lambda d: d.find_elements(By.ID, "case-print"))
    assert _displayed(browser, "#transfers-export") and _displayed(browser, ".topbar")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not _displayed(browser, ".topbar")
        assert not _displayed(browser, "#case-print")
        assert not _displayed(browser, "#transfers-export")
        assert _displayed(browser, ".print-meta") and _displayed(browser, "#case-title")
        assert "打印时间" in browser.find_element(By.CSS_SELECTOR, ".print-meta").text
        screenshot(browser, "print-case")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert not script_errors(browser)


def test_download_names_come_from_the_utf8_filename(
    live_server: tuple[str, dict[str, int]], browser: Any
) -> None:
    header = (
        'attachment; filename=\\"fanzha-_.csv\\"; '
        "filename*=UTF-8''%E6%A1%88%E4%BB%B6%E5%88%97%E8%A1%A8.csv"
    )
    found = run_js(browser, live_server[0], "api.js", f'm.downloadName("{header}", "x")')
    assert found == {"ok": True, "value": "案件列表.csv"}
    plain = run_js(browser, live_server[0], "api.js", 'm.downloadName(null, "queue.csv")')
    assert plain == {"ok": True, "value": "queue.csv"}


@pytest.fixture(scope="module")
def own_demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A small demo city of this module's own (the shared one's ledger stays untouched),
    served; the case with the most transfers."""
    app, case_id = build_demo_app(tmp_path_factory.mktemp("export-demo"))
    with serve(app) as base:
        yield base, case_id


def test_fund_officer_exports_the_ledger_and_prints_only_the_return_plan(
    own_demo_server: tuple[str, int], browser: Any, tmp_path: Path
) -> None:
    base, case_id = own_demo_server
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    login(browser, base, DEMO_PASSWORD, username="fund")
    wait(browser, lambda d: text_of(d, "#who-role") == "资金查控员")
    open_page(browser, f"{base}/cases/{case_id}/funds")
    first = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#trace-priorities tbody tr"))
    account = first[0].get_attribute("data-account")
    click(browser, first[0].find_element(By.CSS_SELECTOR, 'button[data-kind="freeze"]'))
    browser.find_element(By.ID, "ledger-basis").send_keys("南公（反诈）冻字〔2026〕009号")
    click(browser, browser.find_element(By.ID, "ledger-submit"))
    wait(browser, lambda d: "已记录：冻结" in text_of(d, "#banner"))

    click(browser, browser.find_element(By.ID, "ledger-export-csv"))
    ledger = _downloaded(tmp_path, ".csv")
    assert "止付冻结台账" in ledger.name
    rows = list(csv.DictReader(io.StringIO(ledger.read_text(encoding="utf-8-sig"))))
    assert [(row["措施"], row["账户"]) for row in rows] == [("冻结", account)]
    assert rows[0]["法律文书"] == "南公（反诈）冻字〔2026〕009号"

    click(
        browser, browser.find_element(By.CSS_SELECTOR, f'#ledger-holdings [data-plan="{account}"]')
    )
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#plan-lines tbody tr"))
    shown = len(browser.find_elements(By.CSS_SELECTOR, "#plan-lines tbody tr"))
    click(browser, browser.find_element(By.ID, "plan-export-xlsx"))
    plan = _downloaded(tmp_path, ".xlsx")
    assert "返还方案" in plan.name
    book = load_workbook(plan)
    assert book.sheetnames[:2] == ["返还明细", "方案概要"]
    assert book.worksheets[0].max_row - 1 == shown

    # 打印: the button prints the return-plan section alone
    browser.execute_script(
        "window.print = () => { window.printed = [document.body.className,"
        " [...document.querySelectorAll('.print-target')].map((e) => e.id)]; };"
    )
    click(browser, browser.find_element(By.ID, "plan-print"))
    assert browser.execute_script("return window.printed") == ["print-section", ["return-plan"]]
    browser.execute_script(
        "document.body.classList.add('print-section');"
        "document.getElementById('return-plan').classList.add('print-target');"
    )
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert _displayed(browser, "#return-plan") and _displayed(browser, "#plan-lines")
        for hidden in ("#trace-card", "#ledger", "#funds-title", ".topbar", "#plan-tools"):
            assert not _displayed(browser, hidden), hidden
        headers = browser.find_elements(By.CSS_SELECTOR, "#plan-lines th")
        printed = [th.text for th in headers if th.is_displayed()]
        assert printed[:2] == ["受害人（案件）", "返还账户"] and "操作" not in printed
        screenshot(browser, "print-return-plan")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        browser.execute_script(
            "document.body.classList.remove('print-section');"
            "document.getElementById('return-plan').classList.remove('print-target');"
        )
    assert script_errors(browser) == []
