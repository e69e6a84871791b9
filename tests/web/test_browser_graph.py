"""研判扩线 in a real browser: merging subgraphs, the force layout, legends and paths as
functions, and an analyst on a small demo city who expands a clue, sees the truncation
notice, shows the rest of the neighbours and expands another node by clicking it."""

from __future__ import annotations

from typing import Any

import pytest

from fanzha.demo import DEMO_PASSWORD

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.web._browser import click, login, run_js, screenshot, script_errors, text_of, wait

# Two answers of /graph/expand: from a (cut after 1 of 6 neighbours), then from b.
FIRST = (
    '{nodes: [{id: "a", type: "phone", label: "a", hop: 0},'
    ' {id: "b", type: "account", label: "b", hop: 1}],'
    ' edges: [{source: "a", target: "b", type: "called", count: 2}],'
    ' truncated: [{id: "a", label: "a", kept: 1, dropped: 5}], stats: {hops: 1}}'
)
SECOND = (
    '{nodes: [{id: "b", type: "account", label: "b", hop: 0, gang: 3},'
    ' {id: "c", type: "person", label: "c", hop: 1}, {id: "a", type: "phone", label: "a", hop: 1}],'
    ' edges: [{source: "b", target: "c", type: "registered-by", count: 1},'
    ' {source: "a", target: "b", type: "called", count: 3}], truncated: [], stats: {hops: 1}}'
)
AGAIN = '{nodes: [{id: "a", type: "phone", label: "a", hop: 0}], edges: [], stats: {hops: 1}}'
SQUARE = (
    "(() => { const g = m.emptyGraph(); m.mergeGraph(g, {nodes: ['a', 'b', 'c', 'd'].map("
    "(id) => ({id, type: 'phone', label: id, hop: 0})), edges: ["
    "{source: 'a', target: 'b', type: 'called', count: 1},"
    " {source: 'c', target: 'd', type: 'called', count: 1}]}); return g; })()"
)
META = '{graph_roles: {cash_out: "取现"}, graph_node_types: [{type: "phone", label: "手机号"}]}'
# (module under /static/js/, JavaScript expression over it as ``m``, expected value)
JS_CASES = [
    pytest.param(
        "force.js",
        f"(() => {{ const g = m.emptyGraph(); const one = m.mergeGraph(g, {FIRST}); "
        f'const two = m.mergeGraph(g, {SECOND}, {{anchor: "b"}}); '
        f"return [one.added, two.added, g.nodes.size, g.edges.size, "
        f'g.edges.get(m.edgeKey({{source: "a", target: "b", type: "called"}})).count, '
        f'g.nodes.get("b").gang, g.nodes.get("b").hop]; }})()',
        [["a", "b"], ["c"], 3, 2, 3, 3, 1],
        id="merge-dedups-and-updates",
    ),
    pytest.param(
        "force.js",
        f"(() => {{ const g = m.emptyGraph(); const cut = () => [...g.truncated.keys()]; "
        f"m.mergeGraph(g, {FIRST}); const one = cut(); m.mergeGraph(g, {SECOND}); "
        f"const two = cut(); m.mergeGraph(g, {AGAIN}); return [one, two, cut()]; }})()",
        [["a"], ["a"], []],
        id="merge-truncation-cleared-by-expanding",
    ),
    pytest.param(
        "force.js",
        f"m.mergeGraph(m.emptyGraph(), {SECOND}, {{maxNodes: 2}})",
        {"added": ["b", "c"], "skipped": 1},
        id="merge-node-limit",
    ),
    pytest.param(
        "force.js",
        f"(() => {{ const g = {SQUARE}; m.layout(g); "
        "const p = Object.fromEntries([...g.nodes.values()].map((n) => [n.id, n])); "
        "const d = (u, v) => Math.hypot(p[u].x - p[v].x, p[u].y - p[v].y); "
        "return [d('a', 'b') < d('a', 'c'), d('c', 'd') < d('b', 'd'), "
        "[...g.nodes.values()].every((n) => Number.isFinite(n.x) && Number.isFinite(n.y))]; })()",
        [True, True, True],
        id="layout-pulls-linked-nodes-together",
    ),
    pytest.param(
        "force.js",
        f"(() => {{ const a = {SQUARE}; const b = {SQUARE}; m.layout(a); m.layout(b); "
        "const at = (g) => JSON.stringify([...g.nodes.values()].map((n) => [n.x, n.y])); "
        "const before = at(a); const x = a.nodes.get('a').x; "
        "m.layout(a, {heat: 0.5, fixed: new Set(['a'])}); "
        "return [at(b) === before, a.nodes.get('a').x === x]; })()",
        [True, True],
        id="layout-deterministic-and-fixed",
    ),
    pytest.param(
        "force.js",
        '(() => { const g = m.emptyGraph(); g.nodes.set("a", {id: "a", x: 10, y: 20}); '
        "return m.bounds(g); })()",
        {"x": -310, "y": -190, "width": 640, "height": 420},
        id="bounds-minimum-size",
    ),
    pytest.param(
        "force.js",
        '[m.colourKey({type: "phone"}, "type"), m.colourKey({role: {key: "cash_out"}}, "role"), '
        'm.colourKey({}, "role"), m.colourKey({gang: 13}, "gang"), '
        'm.colourKey({gang: null}, "gang")]',
        ["type-phone", "role-cash_out", "none", "gang-3", "none"],
        id="colour-keys",
    ),
    pytest.param(
        "pages/graph.js",
        f'm.legendItems({META}, [{{type: "phone", gang: 3}}, {{type: "phone", gang: 13}}, '
        '{type: "phone"}], "gang")',
        [["gang-3", "团伙 #3、#13"], ["none", "未归入团伙"]],
        id="legend-gangs-share-colours",
    ),
    pytest.param(
        "pages/graph.js",
        f'm.legendItems({META}, [{{type: "phone"}}, '
        '{type: "phone", role: {key: "cash_out", label: "x"}}], "role")',
        [["role-cash_out", "取现"], ["none", "无角色"]],
        id="legend-roles",
    ),
    pytest.param(
        "pages/graph.js",
        '(() => { const on = m.pathPairs([["a", "b", "c"]]); '
        'return [on.size, on.has("a"), on.has("c\\u0000b"), on.has("a\\u0000c")]; })()',
        [7, True, True, False],
        id="path-pairs",
    ),
]


@pytest.mark.parametrize(("module", "expression", "expected"), JS_CASES)
def test_graph_functions(
    live_server: tuple[str, dict[str, int]],
    browser: Any,
    module: str,
    expression: str,
    expected: object,
) -> None:
    assert run_js(browser, live_server[0], module, expression) == {"ok": True, "value": expected}


def node_count(driver: Any) -> int:
    return len(driver.find_elements(By.CSS_SELECTOR, "#graph-svg .gnode"))


def test_analyst_expands_a_clue_on_the_graph(
    demo_server: tuple[str, dict[str, int | str]], browser: Any
) -> None:
    base, ids = demo_server
    clue = f"account:{ids['account']}"
    login(browser, base, DEMO_PASSWORD, username="analyst")
    wait(browser, lambda d: text_of(d, "#who-role") == "研判员")
    browser.find_element(By.LINK_TEXT, "研判扩线").click()
    wait(browser, lambda d: d.find_elements(By.ID, "graph-form"))
    browser.find_element(By.ID, "graph-clue").send_keys("张三?")
    browser.find_element(By.ID, "graph-submit").click()
    wait(browser, lambda d: "无法识别线索“张三?”" in text_of(d, "#banner .banner-text"))
    browser.find_element(By.ID, "graph-clue").clear()
    browser.find_element(By.ID, "graph-clue").send_keys(ids["account"])
    Select(browser.find_element(By.ID, "graph-hops")).select_by_value("1")
    cap = browser.find_element(By.ID, "graph-cap")
    cap.clear()
    cap.send_keys("3")
    browser.find_element(By.ID, "graph-submit").click()
    wait(browser, lambda d: node_count(d) == 4)  # the clue and 3 of its neighbours
    assert browser.find_elements(By.CSS_SELECTOR, "#graph-svg line.gedge")
    assert text_of(browser, "#graph-panel-title") == ids["account"]
    notice = text_of(browser, f'#graph-truncated li[data-id="{clue}"]')
    dropped = int(notice.split("还有 ")[1].split(" 个")[0])
    assert "已截断：该节点还有" in notice and dropped > 0
    assert "银行卡/账户" in text_of(browser, "#graph-legend")
    Select(browser.find_element(By.ID, "graph-colour")).select_by_visible_text("按角色")
    wait(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, "#graph-svg .gnode.colour-role-pass_through"),
    )
    screenshot(browser, "graph")

    click(
        browser,
        browser.find_element(By.CSS_SELECTOR, f'#graph-truncated li[data-id="{clue}"] button'),
    )
    wait(browser, lambda d: node_count(d) == 4 + dropped)
    assert not browser.find_elements(By.CSS_SELECTOR, f'#graph-truncated li[data-id="{clue}"]')
    other = next(
        n
        for n in browser.find_elements(By.CSS_SELECTOR, "#graph-svg .gnode")
        if n.get_attribute("data-id") != clue
    )
    name = other.get_attribute("data-id")
    browser.execute_script(
        "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", other
    )
    wait(
        browser,
        lambda d: (
            name in text_of(d, "#graph-panel")
            and f"已展开 {text_of(d, '#graph-panel-title')}" in text_of(d, "#banner")
        ),
    )
    assert browser.find_element(By.CSS_SELECTOR, f'#graph-svg .gnode[data-id="{name}"]')
    assert "selected" in browser.find_element(
        By.CSS_SELECTOR, f'#graph-svg .gnode[data-id="{name}"]'
    ).get_attribute("class")
    assert script_errors(browser) == []
