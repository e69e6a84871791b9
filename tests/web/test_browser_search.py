"""综合查询 and the district filter in a real browser, on a small demo city: the header's
search box finds a person by ID number and by name, a case by its number, and leads to the
graph and the case page; the graph takes an ID number and a name; the queue's district
filter is a choice list, a district's warning officer sees their own district by default
(issue 16 items 5 and 6)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fanzha.demo import DEMO_PASSWORD
from fanzha.records import classify_clue
from fanzha.store import Case, Person

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.web._browser import click, login, screenshot, script_errors, text_of, wait


def _person(app: FastAPI) -> Person:
    """A person of the demo city with a valid ID number and a name nobody else bears."""
    with Session(app.state.engine) as db:
        unique = (
            select(Person.name).group_by(Person.name).having(func.count() == 1).scalar_subquery()
        )
        for person in db.scalars(
            select(Person).where(Person.name.in_(unique)).order_by(Person.id).limit(200)
        ):
            clues = classify_clue(person.id_number or "")
            if clues and clues[0].kind == "id_number" and person.name and len(person.name) > 1:
                db.expunge(person)
                return person
    pytest.fail("the demo city has no person with a valid ID number and a unique name")


def _case_no(app: FastAPI) -> tuple[int, str]:
    with Session(app.state.engine) as db:
        case = db.scalars(select(Case).order_by(Case.id).limit(1)).one()
        return case.id, case.case_no


def _search(driver: Any, query: str) -> None:
    box = driver.find_element(By.ID, "search-q")
    box.clear()
    box.send_keys(query, Keys.ENTER)
    wait(driver, lambda d: d.current_url.split("?")[0].endswith("/search"))
    wait(driver, lambda d: text_of(d, "#search-message"))


def test_the_search_box_finds_persons_and_cases(
    demo_app: tuple[FastAPI, dict[str, int | str]],
    demo_server: tuple[str, dict[str, int | str]],
    browser: Any,
) -> None:
    app, _ = demo_app
    base, _ = demo_server
    person = _person(app)
    case_id, case_no = _case_no(app)
    login(browser, base, DEMO_PASSWORD, username="analyst")
    wait(browser, lambda d: text_of(d, "#who-role") == "研判员")
    assert browser.find_element(By.ID, "search-q").get_attribute("placeholder")

    _search(browser, person.id_number or "")
    assert "按身份证号查询，找到 1 条记录" in text_of(browser, "#search-message")
    box = browser.find_element(By.ID, "search-q")
    assert box.get_attribute("value") == person.id_number  # the box keeps the query, readable
    assert box.value_of_css_property("color") != box.value_of_css_property("background-color")
    hit = browser.find_element(By.CSS_SELECTOR, '.search-group[data-kind="person"] .search-hit')
    assert person.name in hit.text and "人员（1）" in text_of(browser, ".search-group h2")
    assert not browser.find_elements(By.CSS_SELECTOR, '.search-group[data-kind="account"]')
    screenshot(browser, "search")

    _search(browser, person.name)
    assert "按姓名查询" in text_of(browser, "#search-message")
    names = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".search-hit-link")]
    assert person.name in names

    _search(browser, case_no.lower())
    link = browser.find_element(By.CSS_SELECTOR, '.search-group[data-kind="case"] a')
    assert link.text == case_no
    click(browser, link)
    wait(browser, lambda d: d.current_url.endswith(f"/cases/{case_id}"))
    wait(browser, lambda d: case_no in text_of(d, "main"))

    _search(browser, "这不是线索!!")
    assert text_of(browser, "#search-message").startswith("无法识别查询内容")
    _search(browser, person.id_number or "")
    click(browser, browser.find_element(By.CSS_SELECTOR, ".search-hit-link"))
    wait(browser, lambda d: "/graph?from=person" in d.current_url)
    wait(
        browser, lambda d: d.find_elements(By.CSS_SELECTOR, f'.gnode[data-id="person:{person.id}"]')
    )
    assert script_errors(browser) == []


def test_the_graph_takes_an_id_number_and_a_name(
    demo_app: tuple[FastAPI, dict[str, int | str]],
    demo_server: tuple[str, dict[str, int | str]],
    browser: Any,
) -> None:
    app, _ = demo_app
    base, _ = demo_server
    person = _person(app)
    login(browser, base, DEMO_PASSWORD, username="analyst")
    wait(browser, lambda d: text_of(d, "#who-role") == "研判员")
    browser.get(f"{base}/graph")
    wait(browser, lambda d: d.find_elements(By.ID, "graph-form"))
    for clue in (person.id_number or "", person.name):
        field = browser.find_element(By.ID, "graph-clue")
        field.clear()
        field.send_keys(clue)
        browser.find_element(By.ID, "graph-submit").click()
        wait(
            browser,
            lambda d: d.find_elements(By.CSS_SELECTOR, f'.gnode[data-id="person:{person.id}"]'),
        )
    field = browser.find_element(By.ID, "graph-clue")
    field.clear()
    field.send_keys("查无此人")
    browser.find_element(By.ID, "graph-submit").click()
    wait(browser, lambda d: "库中没有姓名“查无此人”对应的人员" in text_of(d, "#banner"))
    assert "person" not in text_of(browser, "#banner") and "found" not in text_of(
        browser, "#banner"
    )


def test_the_queue_filters_by_a_choice_of_districts(
    demo_server: tuple[str, dict[str, int | str]], browser: Any
) -> None:
    base, _ = demo_server
    login(browser, base, DEMO_PASSWORD, username="warn_qingxiu_1")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#queue-results table"))
    district = Select(browser.find_element(By.ID, "filter-district"))
    assert district.first_selected_option.text == "青秀区"
    assert [o.text for o in district.options] == ["青秀区"]

    login(browser, base, DEMO_PASSWORD, username="commander")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#queue-results table"))
    district = Select(browser.find_element(By.ID, "filter-district"))
    options = [o.text for o in district.options]
    assert options[0] == "全部辖区" and "青秀区" in options and "西乡塘区" in options
    district.select_by_visible_text("西乡塘区")  # 青秀区 has no open task in this small city
    wait(browser, lambda d: "district=" in d.current_url)

    def districts_shown(driver: Any) -> set[str]:
        rows = driver.find_elements(By.CSS_SELECTOR, "#queue-results tr.task-row td:nth-child(6)")
        return {row.text for row in rows}

    wait(browser, lambda d: districts_shown(d) == {"西乡塘区"})
    screenshot(browser, "queue-district")
    assert script_errors(browser) == []
