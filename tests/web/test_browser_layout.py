"""The layout at the sizes officers' screens have (issue 16 item 11), on the demo city: at
1400×900 no table hides a column behind a scroll bar (a case's transfers: 金额/时间/渠道; a
task's signals: 风险分), the ledger's success and refusal banners are in sight of the form,
the KPI tiles fill their rows evenly, and dates are written 年-月-日 (no browser date picker,
which shows mm/dd/yyyy). Screenshots of the main pages at 1400×900 and 1024×768 go to
``$FANZHA_SCREENSHOTS`` (``docs/screenshots/<page>-<width>x<height>.png`` in the repository).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fanzha.demo import DEMO_PASSWORD
from tests.web.conftest import CHROME_FLAGS, build_demo_app, serve

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.web._browser import click, login, open_page, screenshot, script_errors, text_of, wait

SIZES = ((1400, 900), (1024, 768))
# Tables whose content is wider than their box (hidden columns): the index of each on the page.
_CUT_TABLES = """
return [...document.querySelectorAll(".table-wrap")]
  .map((wrap, i) => [i, wrap.scrollWidth - wrap.clientWidth, wrap.closest("section")?.id || ""])
  .filter(([, hidden]) => hidden > 1);
"""
_TILE_ROWS = """
const rows = {};
for (const tile of document.querySelectorAll(arguments[0] + " .tile")) {
  const top = Math.round(tile.getBoundingClientRect().top);
  rows[top] = (rows[top] || 0) + 1;
}
return Object.values(rows);
"""
_IN_VIEW = """
const r = arguments[0].getBoundingClientRect();
return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
"""


def _viewport(driver: Any, width: int, height: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


@pytest.fixture(scope="module")
def own_demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A small demo city of this module's own, for the ledger entries (the shared city's
    ledger stays untouched), served; the case with the most transfers."""
    app, case_id = build_demo_app(tmp_path_factory.mktemp("layout-demo"))
    with serve(app) as base:
        yield base, case_id


@pytest.fixture
def sized(browser: Any) -> Iterator[Any]:
    """The browser with a 1400×900 viewport; the window's own size again afterwards."""
    _viewport(browser, *SIZES[0])
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def shots(driver: Any, page: str) -> None:
    """Screenshots of the page at each size (it is re-laid out, not reloaded), none of which
    the page runs off sideways; back at 1400."""
    for width, height in SIZES:
        _viewport(driver, width, height)
        driver.execute_script("window.scrollTo(0, 0)")
        screenshot(driver, f"{page}-{width}x{height}")
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{page} is {overflow} px wider than a {width} px screen"
    _viewport(driver, *SIZES[0])


def cut_tables(driver: Any) -> list[Any]:
    return list(driver.execute_script(_CUT_TABLES))


def test_the_chromium_of_the_tests_speaks_chinese() -> None:
    assert "--lang=zh-CN" in CHROME_FLAGS


def test_tables_tiles_and_dates_fit_at_1400(
    demo_server: tuple[str, dict[str, int | str]], sized: Any
) -> None:
    base, ids = demo_server
    driver = sized
    login(driver, base, DEMO_PASSWORD, username="admin")
    wait(driver, lambda d: text_of(d, "#who-role") == "系统管理员")

    open_page(driver, f"{base}/queue")
    link = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#queue-results a.task-link"))
    shots(driver, "queue")
    assert cut_tables(driver) == []
    link[0].click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#task-title"))
    assert "风险分" in text_of(driver, "main")
    assert cut_tables(driver) == []  # the signals' 风险分 column is in sight
    shots(driver, "task")

    open_page(driver, f"{base}/cases/{ids['case_id']}")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#case-transfers tbody tr"))
    assert cut_tables(driver) == []  # 金额, 时间 and 渠道 of the transfers are in sight
    right = driver.execute_script(
        "const th = [...document.querySelectorAll('#case-transfers th')].pop();"
        "return [th.textContent, th.getBoundingClientRect().right, window.innerWidth];"
    )
    assert right[0] == "渠道" and right[1] <= right[2]
    shots(driver, "case")

    open_page(driver, f"{base}/kpi")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#kpi-tiles .tile"))
    rows = driver.execute_script(_TILE_ROWS, "#kpi-tiles")
    assert len(rows) > 1 and len(set(rows)) == 1, rows  # no tile alone on a row
    assert not driver.find_elements(By.CSS_SELECTOR, "input[type=date]")
    since = driver.find_element(By.ID, "kpi-since")
    assert since.get_attribute("placeholder") == "2026-12-01"
    since.send_keys("12/03/2026")
    driver.find_element(By.CSS_SELECTOR, "#kpi-filters button[type=submit]").click()
    wait(driver, lambda d: "请按 年-月-日 填写" in text_of(d, "#banner"))
    since.clear()
    shots(driver, "kpi")

    for page in ("admin/users", "admin/audit", "search?q=%E6%9D%8E"):
        open_page(driver, f"{base}/{page}")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "main .table-wrap, main .card"))
        assert cut_tables(driver) == [], page
        shots(driver, page.split("?")[0].replace("/", "-"))
    assert not driver.find_elements(By.CSS_SELECTOR, "input[type=date]")

    login(driver, base, DEMO_PASSWORD, username="analyst")
    wait(driver, lambda d: text_of(d, "#who-role") == "研判员")
    open_page(driver, f"{base}/graph?from={ids['account']}&hops=1")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#graph-svg .gnode"))
    assert not driver.find_elements(By.CSS_SELECTOR, "input[type=date]")
    shots(driver, "graph")
    assert script_errors(driver) == []


def test_ledger_banners_are_in_sight_of_the_form(
    own_demo_server: tuple[str, int], sized: Any
) -> None:
    base, case_id = own_demo_server
    driver = sized
    login(driver, base, DEMO_PASSWORD, username="fund")
    wait(driver, lambda d: text_of(d, "#who-role") == "资金查控员")
    open_page(driver, f"{base}/cases/{case_id}/funds")
    rows = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#trace-priorities tbody tr"))
    shots(driver, "funds")
    account = rows[-1].get_attribute("data-account")
    click(driver, rows[-1].find_element(By.CSS_SELECTOR, 'button[data-kind="freeze"]'))
    driver.find_element(By.ID, "ledger-basis").send_keys("南公（反诈）冻字〔2026〕201号")
    click(driver, driver.find_element(By.ID, "ledger-submit"))
    banner = wait(
        driver, lambda d: "已记录" in text_of(d, "#banner") and d.find_element(By.ID, "banner")
    )
    assert driver.execute_script(_IN_VIEW, banner)
    assert driver.execute_script("return window.scrollY") > 900  # still down at the form
    rows = driver.execute_script(_TILE_ROWS, "#ledger-totals")
    assert len(set(rows)) == 1, rows

    # 解冻 more than is frozen: refused (HTTP 409) while the officer is still at the form.
    Select(driver.find_element(By.ID, "ledger-kind")).select_by_value("unfreeze")
    amount = driver.find_element(By.ID, "ledger-amount")
    amount.clear()
    amount.send_keys("99999999")
    driver.find_element(By.ID, "ledger-account").clear()
    driver.find_element(By.ID, "ledger-account").send_keys(account)
    driver.find_element(By.ID, "ledger-basis").send_keys("南公（反诈）解冻字〔2026〕202号")
    click(driver, driver.find_element(By.ID, "ledger-submit"))
    refused = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#banner.banner-error"))
    assert "未记录" in text_of(driver, "#banner")
    assert driver.execute_script(_IN_VIEW, refused[0])
    screenshot(driver, "funds-ledger-refused-1400x900")
    assert script_errors(driver) == []
