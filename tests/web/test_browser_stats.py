"""战果统计 in a real browser: the commander opens the board on the demo city; the tiles show
the figures, the four ECharts charts draw (each has a canvas with coloured pixels), a tile and
a district bar open the records behind them, and the page logs no script error."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from fanzha.demo import DEMO_PASSWORD

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from fanzha.web._app import STATIC_DIR
from tests.web._browser import click, login, open_page, script_errors, text_of, wait

CHARTS = ("stats-chart-trend", "stats-chart-districts", "stats-chart-map", "stats-chart-types")
PERIOD = "since=2026-09-01&until=2026-09-30"
# Count the canvas pixels that are not transparent (ECharts' background is transparent).
PAINTED = """
const canvas = document.querySelector(`#${arguments[0]} canvas`);
if (!canvas || !canvas.width || !canvas.height) return 0;
const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
let painted = 0;
for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
return painted;
"""


def _centre(district: str) -> list[float]:
    """The middle of ``district``'s tile in the shipped schematic map (longitude, latitude)."""
    geo = json.loads((STATIC_DIR / "geo" / "demo_city_districts.json").read_text("utf-8"))
    feature = next(f for f in geo["features"] if f["properties"]["name"] == district)
    ring = feature["geometry"]["coordinates"][0]
    return [sum(p[0] for p in ring[:-1]) / 4, sum(p[1] for p in ring[:-1]) / 4]


def _click_chart(driver: Any, chart: str, value: list[Any]) -> None:
    """A real mouse click on the chart at ``value`` in its first series' coordinates."""
    box = driver.find_element(By.ID, chart)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    x, y = driver.execute_script(
        "const c = echarts.getInstanceByDom(arguments[0]);"
        "return c.convertToPixel({seriesIndex: 0}, arguments[1]);",
        box,
        value,
    )
    size = box.size
    ActionChains(driver).move_to_element_with_offset(
        box, int(x - size["width"] / 2), int(y - size["height"] / 2)
    ).click().perform()


def _painted(driver: Any, chart: str) -> int:
    painted: int = driver.execute_script(PAINTED, chart)
    return painted


def test_commander_sees_the_board_and_opens_the_records(
    demo_server: tuple[str, dict[str, int | str]], browser: Any
) -> None:
    base, _ids = demo_server
    browser.set_window_size(1400, 900)
    login(browser, base, DEMO_PASSWORD, username="commander")
    wait(browser, lambda d: text_of(d, "#who-name"))
    browser.get_log("browser")  # only this page's messages count
    assert browser.find_elements(By.LINK_TEXT, "战果统计")
    open_page(browser, f"{base}/stats?{PERIOD}")
    wait(browser, lambda d: text_of(d, "h1") == "战果统计")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#stats-tiles .stat-tile"))
    assert "电诈案件" in text_of(browser, "#stats-tiles")
    assert "环比" in text_of(browser, "#stats-tiles") and "同比" in text_of(browser, "#stats-tiles")
    assert text_of(browser, "#stats-sentence")
    for chart in CHARTS:
        wait(browser, lambda d, chart=chart: _painted(d, chart) > 500)
    href = browser.find_element(By.ID, "stats-xlsx").get_attribute("href")
    assert href.startswith(f"{base}/api/v1/stats/report.xlsx?period=2026-09-01..2026-09-30")
    assert "report.pdf" in browser.find_element(By.ID, "stats-pdf").get_attribute("href")

    # A tile: the cases behind 电诈案件.
    click(browser, browser.find_element(By.CSS_SELECTOR, '.stat-tile[data-figure="cases"]'))
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#stats-rows tbody tr[data-ref]"))
    assert "电诈案件" in text_of(browser, "#stats-rows h2")

    # A district bar: click the middle of the top bar (the district with the most cases).
    names, values = browser.execute_script(
        "const c = echarts.getInstanceByDom(document.getElementById('stats-chart-districts'));"
        "const o = c.getOption(); return [o.yAxis[0].data, o.series[0].data];"
    )
    district = names[-1]
    _click_chart(browser, "stats-chart-districts", [values[-1] / 2, district])
    wait(browser, lambda d: district in text_of(d, "#stats-rows h2"))
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#stats-rows tbody tr[data-ref]"))
    rows = browser.find_elements(By.CSS_SELECTOR, "#stats-rows tbody tr[data-ref]")
    assert all(district in row.text for row in rows[:5])

    # Another district on the map: click the middle of its tile.
    other = names[-2]
    _click_chart(browser, "stats-chart-map", _centre(other))
    wait(browser, lambda d: other in text_of(d, "#stats-rows h2"))
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#stats-rows tbody tr[data-ref]"))
    folder = os.environ.get("FANZHA_SCREENSHOTS")
    if folder:
        browser.execute_script("window.scrollTo(0, 0)")
        Path(folder).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(folder) / "stats-1400x900.png"))
        browser.execute_script("document.querySelector('.screen-grid').scrollIntoView()")
        browser.save_screenshot(str(Path(folder) / "stats-charts-1400x900.png"))
    errors = script_errors(browser)
    assert errors == [], {e["message"][:300] for e in errors}
