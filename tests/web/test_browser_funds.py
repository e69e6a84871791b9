"""资金追踪 in a real browser: the trace diagram's layout, the ledger's refusals in Chinese,
and a fund officer on a small demo city who traces a case, freezes an account from the
priority list, plans a return, records it and is refused an over-return (HTTP 409)."""

from __future__ import annotations

from typing import Any

import pytest

from fanzha.demo import DEMO_PASSWORD
from tests.web.conftest import ANALYST, PASSWORD

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.web._browser import (
    click,
    login,
    open_page,
    run_js,
    screenshot,
    script_errors,
    text_of,
    value_of,
    wait,
)

# A trace with a victim V, two first-layer accounts A and B, and C, which sends money back to A.
TRACE = (
    '{nodes: [{account: "C", depth: 2, status: "holding", received_fen: 300, sent_fen: 100},'
    ' {account: "A", depth: 1, status: "passing", received_fen: 600, sent_fen: 600},'
    ' {account: "B", depth: 1, status: "exit", received_fen: 400, sent_fen: 0},'
    ' {account: "V", depth: 0, status: "victim", received_fen: 0, sent_fen: 1000}],'
    ' edges: [{src: "C", dst: "A", amount_fen: 100}, {src: "A", dst: "C", amount_fen: 300},'
    ' {src: "V", dst: "A", amount_fen: 600}, {src: "V", dst: "B", amount_fen: 400}]}'
)


def sankey(body: str) -> str:
    """A JS expression: lay out TRACE as ``l``, its nodes by account as ``n``, return ``body``."""
    return (
        f"(() => {{ const l = m.sankeyLayout({TRACE}); "
        f"const n = Object.fromEntries(l.nodes.map((d) => [d.account, d])); return {body}; }})()"
    )


# (module under /static/js/, JavaScript expression over it as ``m``, expected value)
JS_CASES = [
    pytest.param("format.js", "m.formatEpoch(1714521600)", "2024-05-01 08:00:00", id="epoch"),
    pytest.param("format.js", 'm.formatEpoch(12, "step")', "第 12 步", id="epoch-step"),
    pytest.param(
        "sankey.js",
        sankey(
            "[n.V.x < n.A.x, n.A.x === n.B.x, n.A.x < n.C.x, "
            'l.links.find((k) => k.source.account === "C").back]'
        ),
        [True, True, True, True],
        id="sankey-columns-by-depth",
    ),
    pytest.param(
        "sankey.js",
        sankey(
            "[n.A.value, n.B.value, Math.round((n.A.h / n.B.h) * 100) / 100, "
            "l.links.every((k) => Math.abs(k.width - k.amount * l.scale) < 1e-9)]"
        ),
        [700, 400, 1.75, True],
        id="sankey-sizes-proportional",
    ),
    pytest.param(
        "sankey.js",
        sankey(
            "[l.links.map(m.ribbonPath).every((d) => !d.includes('NaN')), "
            "n.A.outgoing.every((k) => k.sy >= n.A.y && k.sy <= n.A.y + n.A.h), "
            "l.columns.every((c) => c.reduce((s, d) => s + d.h, 0) + 14 * (c.length - 1) "
            "<= 320 + 1e-9)]"
        ),
        [True, True, True],
        id="sankey-ribbons-fit",
    ),
    pytest.param(
        "pages/funds.js",
        "m.conflictText(\"entry 'L1' (返还 540 fen on 6222, case A1): only 539 fen are frozen\")",
        "台账余额不允许此操作，未记录：该账户冻结中的资金仅 5.39 元，余额不足",
        id="conflict-over-return",
    ),
    pytest.param(
        "pages/funds.js",
        'm.conflictText("(冻结 9 fen): only 100 fen are stop-paid to convert")',
        "台账余额不允许此操作，未记录：该账户止付中的资金仅 1.00 元，不能转为冻结这么多",
        id="conflict-convert",
    ),
    pytest.param(
        "pages/funds.js",
        'm.conflictText("something new")',
        "台账余额不允许此操作，未记录",
        id="conflict-unknown-reason",
    ),
]


@pytest.mark.parametrize(("module", "expression", "expected"), JS_CASES)
def test_fund_trace_functions(
    live_server: tuple[str, dict[str, int]],
    browser: Any,
    module: str,
    expression: str,
    expected: object,
) -> None:
    assert run_js(browser, live_server[0], module, expression) == {"ok": True, "value": expected}


def submit_ledger(driver: Any) -> None:
    click(driver, driver.find_element(By.ID, "ledger-submit"))


def test_fund_officer_traces_freezes_and_plans_a_return(
    demo_server: tuple[str, dict[str, int | str]], browser: Any
) -> None:
    base, ids = demo_server
    case_id = ids["case_id"]
    login(browser, base, DEMO_PASSWORD, username="fund")
    wait(browser, lambda d: text_of(d, "#who-role") == "资金查控员")

    open_page(browser, f"{base}/cases/{case_id}")
    wait(browser, lambda d: d.find_elements(By.ID, "case-funds")).pop().click()
    ribbons = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#trace-svg path.link"))
    assert browser.current_url == f"{base}/cases/{case_id}/funds"
    assert all(float(r.get_attribute("stroke-width")) >= 1 for r in ribbons)
    assert browser.find_elements(By.CSS_SELECTOR, '#trace-svg .node[data-status="victim"]')
    assert "受害人" in text_of(browser, "#trace-legend")
    assert "先进先出" in text_of(browser, "#trace-summary")
    Select(browser.find_element(By.ID, "trace-method")).select_by_visible_text("按比例")
    browser.find_element(By.CSS_SELECTOR, "#trace-form button[type=submit]").click()
    wait(browser, lambda d: "按比例" in text_of(d, "#trace-summary"))
    assert browser.current_url.endswith("?method=pro_rata")
    screenshot(browser, "funds-trace")

    first = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#trace-priorities tbody tr"))
    account = first[0].get_attribute("data-account")
    held = first[0].find_elements(By.TAG_NAME, "td")[3].text
    click(browser, first[0].find_element(By.CSS_SELECTOR, 'button[data-kind="freeze"]'))
    assert value_of(browser, "#ledger-account") == account
    assert value_of(browser, "#ledger-kind") == "freeze"
    assert f"{float(value_of(browser, '#ledger-amount')):,.2f} 元" == held
    browser.find_element(By.ID, "ledger-basis").send_keys("南公（反诈）冻字〔2026〕001号")
    submit_ledger(browser)
    wait(browser, lambda d: "已记录：冻结" in text_of(d, "#banner"))
    assert text_of(browser, '#ledger-totals [data-total="frozen_fen"] .tile-value') == held
    assert held in text_of(browser, f'#ledger-holdings tr[data-account="{account}"]')

    click(
        browser, browser.find_element(By.CSS_SELECTOR, f'#ledger-holdings [data-plan="{account}"]')
    )
    line = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#plan-lines tbody tr"))
    assert text_of(browser, "#plan-rule") in {"单笔直接返还", "溯源返还", "按比例返还"}
    assert text_of(browser, "#plan-executable").startswith("20")
    # Every line says on what it is based; a claimant none of whose money is traced into
    # the frozen balance is listed with 0 and no button.
    payable = [row for row in line if row.find_elements(By.CSS_SELECTOR, "button[data-payee]")]
    cells = payable[0].find_elements(By.TAG_NAME, "td")
    paid = cells[4].text
    assert cells[5].text.startswith("依据：") and "占全部认定金额的" in cells[5].text
    assert text_of(browser, "#plan-basis")
    click(browser, payable[0].find_element(By.CSS_SELECTOR, "button[data-payee]"))
    assert value_of(browser, "#ledger-kind") == "return"
    assert browser.find_element(By.ID, "ledger-payee-account").is_displayed()
    browser.find_element(By.ID, "ledger-basis").send_keys("南公（反诈）返字〔2026〕001号")
    submit_ledger(browser)
    wait(browser, lambda d: "已记录：返还" in text_of(d, "#banner"))
    assert text_of(browser, '#ledger-totals [data-total="returned_fen"] .tile-value') == paid
    assert value_of(browser, "#ledger-basis") == ""  # the form was emptied
    click(browser, payable[0].find_element(By.CSS_SELECTOR, "button[data-payee]"))
    amount = browser.find_element(By.ID, "ledger-amount")
    amount.clear()
    amount.send_keys(held.removesuffix(" 元"))  # all that was frozen: more than is left
    browser.find_element(By.ID, "ledger-basis").send_keys("南公（反诈）返字〔2026〕002号")
    submit_ledger(browser)
    wait(browser, lambda d: "台账余额不允许此操作" in text_of(d, "#banner .banner-text"))
    assert "余额不足" in text_of(browser, "#banner .banner-text")
    assert "资金台账" in text_of(browser, "#banner .banner-detail")  # the API's Chinese message
    assert text_of(browser, '#ledger-totals [data-total="returned_fen"] .tile-value') == paid
    screenshot(browser, "funds-ledger")
    assert script_errors(browser) == []


def test_analyst_traces_but_keeps_no_ledger(
    live_server: tuple[str, dict[str, int]], browser: Any
) -> None:
    base, ids = live_server
    login(browser, base, PASSWORD, username=ANALYST)
    wait(browser, lambda d: text_of(d, "#who-role") == "研判员")
    open_page(browser, f"{base}/cases/{ids['case_id']}/funds")
    wait(browser, lambda d: "没有登记转账流水" in text_of(d, "#trace-empty"))
    assert text_of(browser, "#funds-title") == "资金追踪 · 案件 NN2024-000001"
    assert not browser.find_elements(By.ID, "ledger")
    assert not browser.find_elements(By.ID, "ledger-form")
    assert browser.find_element(By.ID, "banner").get_attribute("hidden") is not None
