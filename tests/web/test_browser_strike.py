"""侦查打击 in a real browser: an analyst makes a clue from a node on the graph page and
moves it to 已落地; the commander reads an operation's page with its live figures."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from fanzha.demo import DEMO_PASSWORD
from fanzha.store.operations import NewOperation, NewRaid, NewSeizure, add_operation, add_raid

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.web._browser import login, script_errors, text_of, wait


def _move(browser: Any, state: str, note: str = "") -> None:
    Select(browser.find_element(By.ID, "clue-to")).select_by_value(state)
    if note:
        browser.find_element(By.ID, "clue-note").send_keys(note)
    browser.find_element(By.ID, "clue-move-submit").click()


def test_a_clue_made_on_the_graph_page_is_moved_to_landed(
    demo_server: tuple[str, dict[str, int | str]], browser: Any
) -> None:
    base, ids = demo_server
    login(browser, base, DEMO_PASSWORD, username="analyst")
    wait(browser, lambda d: text_of(d, "#who-role") == "研判员")
    browser.find_element(By.LINK_TEXT, "研判扩线").click()
    wait(browser, lambda d: d.find_elements(By.ID, "graph-form"))
    browser.find_element(By.ID, "graph-clue").send_keys(str(ids["account"]))
    Select(browser.find_element(By.ID, "graph-hops")).select_by_value("1")
    browser.find_element(By.ID, "graph-submit").click()
    wait(browser, lambda d: text_of(d, "#graph-panel-title") == ids["account"])
    browser.find_element(By.ID, "graph-make-clue").click()
    wait(browser, lambda d: d.find_elements(By.ID, "clue-move"))
    assert "待研判" in text_of(browser, "#clue-state-label")
    assert "图谱快照" in text_of(browser, "main")
    _move(browser, "analysing")
    wait(browser, lambda d: text_of(d, "#clue-state-label") == "研判中")
    _move(browser, "landed", "打掉跑分窝点一个，抓获2人")
    wait(browser, lambda d: text_of(d, "#clue-state-label") == "已落地")
    assert "打掉跑分窝点一个" in text_of(browser, "main")
    assert not browser.find_elements(By.ID, "clue-move")
    assert not script_errors(browser)


def test_the_commander_reads_an_operation_with_its_live_figures(
    demo_app: tuple[FastAPI, dict[str, int | str]],
    demo_server: tuple[str, dict[str, int | str]],
    browser: Any,
) -> None:
    app, _ = demo_app
    base, _ = demo_server
    with Session(app.state.engine) as db:
        op = add_operation(
            db,
            NewOperation(
                "断卡第二轮（测试）", date(2022, 5, 23), date(2022, 5, 24), (), "市局", 1500, 59
            ),
        )
        seized = (
            NewSeizure("computer", 105),
            NewSeizure("phone", 200),
            NewSeizure("cash", 0, 8_000_000),
        )
        add_raid(
            db,
            NewRaid(
                datetime(2022, 5, 23, 13, tzinfo=UTC), None, None, op.id, None, 120, 103, "", seized
            ),
        )
        db.commit()
    login(browser, base, DEMO_PASSWORD, username="commander")
    wait(browser, lambda d: d.find_elements(By.LINK_TEXT, "专项行动"))
    browser.find_element(By.LINK_TEXT, "专项行动").click()
    wait(browser, lambda d: d.find_elements(By.LINK_TEXT, "断卡第二轮（测试）"))
    browser.find_element(By.LINK_TEXT, "断卡第二轮（测试）").click()
    wait(browser, lambda d: d.find_elements(By.ID, "op-rollup"))
    rollup = text_of(browser, "#op-rollup")
    for expected in (
        "出动警力",
        "1,500",
        "现场抓获",
        "103",
        "宣传点",
        "59",
        "缴获电脑",
        "105",
        "缴获手机",
        "200",
        "80,000",
    ):
        assert expected in rollup, expected
    assert not script_errors(browser)
