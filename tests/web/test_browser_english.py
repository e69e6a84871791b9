"""No English reaches an officer (issue 16 item 10): one browser session walks every page of
the demo city as each demo role uses it (a citizen, the administrator, a commander, a
district's warning officer, the fund officer, the analyst and the outreach officer: a task,
a case, a trace and the ledger, a graph expand, search, the admin pages, the reports page…)
and fails on any ASCII-only word of two or more letters in the visible text, outside an
allow-list of acronyms officers use. Numbers, units, and ids (which hold digits, or are set in
a monospace face) pass."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fanzha.demo import DEMO_PASSWORD
from fanzha.store import User, WarningTask
from fanzha.warning import OPEN_STATES

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.web._browser import click, login, open_page, script_errors, text_of, wait

#: Acronyms an officer reads as they are.
ALLOWED = frozenset(
    {"IMEI", "IMSI", "GOIP", "SIM", "URL", "IP", "API", "CSV", "XLSX", "PDF", "ID", "QQ"}
    | {"POS", "SLA", "KPI", "APP", "App", "AI", "SMS", "USDT", "ATM", "VPN", "ETC"}
)
_TOKEN = re.compile(r"[A-Za-z0-9_@.\-:/+#*…]+")
_LETTERS = re.compile(r"[A-Za-z]{2,}")
# The text a person sees: text nodes of rendered elements (option texts of a shown list),
# placeholders; not what is set in a monospace face (ids, account numbers, login names).
_VISIBLE_TEXT = """
const out = [];
const shown = (el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const el = node.parentElement;
  if (!el || !node.textContent.trim() || el.closest("script, style, noscript, template")) continue;
  const list = el.closest("select");
  if (list ? !shown(list) : !shown(el)) continue;
  if (/monospace/.test(getComputedStyle(el).fontFamily)) continue;
  out.push(node.textContent);
}
for (const el of document.querySelectorAll("input[placeholder], textarea[placeholder]")) {
  if (shown(el) && !/monospace/.test(getComputedStyle(el).fontFamily)) out.push(el.placeholder);
}
return out;
"""


def english_words(texts: list[str]) -> set[str]:
    """The ASCII words of ``texts`` not allowed: letters only (a token holding a digit is an
    id, an amount or a time; one holding ``*`` or starting with ``…`` a masked or shortened
    account number), two or more of them, not a known acronym."""
    found: set[str] = set()
    for text in texts:
        for token in _TOKEN.findall(text):
            if any(c.isdigit() for c in token) or "*" in token or token.startswith("…"):
                continue  # an id, an amount, a time; a masked or shortened account number
            found.update(w for w in _LETTERS.findall(token) if w not in ALLOWED)
    return found


def test_english_words_are_found() -> None:
    assert english_words(["渠道 mobile", "IMEI/IMSI", "NN2024-000001", "1,234.56 元", "83.3%"]) == {
        "mobile"
    }
    assert english_words(["状态：personal · normal", "warn_qingxiu_1", "Not Found"]) == {
        "personal",
        "normal",
        "Not",
        "Found",
    }


class Sweep:
    """The English words seen on each page of one walk."""

    def __init__(self, driver: Any, base: str) -> None:
        self.driver = driver
        self.base = base
        self.found: dict[str, set[str]] = {}

    def check(self, where: str) -> None:
        words = english_words(self.driver.execute_script(_VISIBLE_TEXT))
        if words:
            self.found.setdefault(where, set()).update(words)

    def visit(self, path: str, ready: Callable[[Any], Any] | None = None) -> None:
        open_page(self.driver, f"{self.base}{path}")
        wait(self.driver, lambda d: text_of(d, "#main") not in ("", "正在加载…"))
        if ready is not None:
            wait(self.driver, ready)
        self.check(path)

    def as_user(self, username: str) -> None:
        login(self.driver, self.base, DEMO_PASSWORD, username=username)
        wait(self.driver, lambda d: text_of(d, "#who-name"))


def _first_link(css: str) -> Callable[[Any], str | None]:
    def href(driver: Any) -> str | None:
        links = driver.find_elements(By.CSS_SELECTOR, css)
        return str(links[0].get_attribute("href")) if links else None

    return href


def _district_officer(app: FastAPI) -> str:
    """A warning officer of the district with the most open tasks of the demo city."""
    with Session(app.state.engine) as db:
        district = db.execute(
            select(WarningTask.district)
            .where(
                WarningTask.state.in_([str(s) for s in OPEN_STATES]),
                WarningTask.district.is_not(None),
            )
            .group_by(WarningTask.district)
            .order_by(func.count().desc())
            .limit(1)
        ).scalar_one()
        return db.execute(
            select(User.username)
            .where(User.role == "warning_officer", User.district == district)
            .order_by(User.username)
            .limit(1)
        ).scalar_one()


def test_no_english_on_any_page(
    demo_app: tuple[FastAPI, dict[str, int | str]],
    demo_server: tuple[str, dict[str, int | str]],
    browser: Any,
) -> None:
    base, ids = demo_server
    case_id, account = ids["case_id"], ids["account"]
    sweep = Sweep(browser, base)
    rows = "table tbody tr td"

    # A citizen: the screening page with a verdict, the login page, a page that is not there.
    if browser.find_elements(By.ID, "logout"):
        browser.find_element(By.ID, "logout").click()
    sweep.visit("/screen")
    browser.find_element(By.CSS_SELECTOR, "#screen-input").send_keys(
        "【通知】您的医保卡异常，请点击短信链接验证身份，否则冻结"
    )
    browser.find_element(By.CSS_SELECTOR, "#screen-submit").click()
    wait(browser, lambda d: text_of(d, "#verdict"))
    sweep.check("/screen (verdict)")
    for kind in ("phone", "url"):
        sweep.visit(f"/screen?kind={kind}")
        browser.find_element(By.ID, "screen-example").click()
        browser.find_element(By.ID, "screen-submit").click()
        wait(browser, lambda d: text_of(d, "#verdict"))
        sweep.check(f"/screen?kind={kind} (verdict)")
    sweep.visit("/login")
    sweep.visit("/no-such-page")

    # The administrator: queue, a task, cases, a case, statistics, search, the admin pages.
    sweep.as_user("admin")
    sweep.visit("/queue", lambda d: d.find_elements(By.CSS_SELECTOR, rows))
    task = wait(browser, _first_link("#queue-results a[href^='/tasks/']"))
    sweep.visit(task.removeprefix(base), lambda d: d.find_elements(By.ID, "task-title"))
    sweep.visit("/tasks/999999999")
    sweep.visit("/cases", lambda d: d.find_elements(By.CSS_SELECTOR, rows))
    sweep.visit(f"/cases/{case_id}", lambda d: d.find_elements(By.ID, "case-title"))
    sweep.visit("/cases/999999999")
    sweep.visit("/kpi", lambda d: d.find_elements(By.CSS_SELECTOR, ".tile-value"))
    sweep.visit(f"/search?q={account}", lambda d: text_of(d, "#search-message"))
    sweep.visit("/admin/users", lambda d: d.find_elements(By.CSS_SELECTOR, rows))
    sweep.visit("/admin/sessions", lambda d: d.find_elements(By.CSS_SELECTOR, rows))
    sweep.visit("/admin/audit", lambda d: d.find_elements(By.CSS_SELECTOR, rows))
    for page in ("/suspects", "/fugitives", "/key-persons", "/rectifications"):
        sweep.visit(page, lambda d: d.find_elements(By.CSS_SELECTOR, "main .card, main table"))
    sweep.visit("/graph")  # 无权访问

    # A commander: the queue, the 战果 board and the audit log.
    sweep.as_user("commander")
    sweep.visit("/queue", lambda d: d.find_elements(By.CSS_SELECTOR, rows))
    sweep.visit("/stats", lambda d: d.find_elements(By.CSS_SELECTOR, "#stats-tiles .tile-value"))
    sweep.visit("/admin/audit", lambda d: d.find_elements(By.CSS_SELECTOR, rows))

    # A district's warning officer: the queue, a task, statistics, the citizens' reports.
    sweep.as_user(_district_officer(demo_app[0]))
    sweep.visit("/queue", lambda d: d.find_elements(By.CSS_SELECTOR, rows))
    task = wait(browser, _first_link("#queue-results a[href^='/tasks/']"))
    sweep.visit(task.removeprefix(base), lambda d: d.find_elements(By.ID, "task-title"))
    sweep.visit("/kpi", lambda d: d.find_elements(By.CSS_SELECTOR, ".tile-value"))
    sweep.visit("/reports")

    # The fund officer: a case's trace and ledger, a refused ledger entry, a graph expand.
    sweep.as_user("fund")
    sweep.visit(
        f"/cases/{case_id}/funds",
        lambda d: d.find_elements(By.CSS_SELECTOR, "#trace-priorities tbody tr"),
    )
    first = browser.find_elements(By.CSS_SELECTOR, "#trace-priorities tbody tr")[0]
    # 解冻 of money never frozen: refused (409), so the shared demo ledger stays untouched.
    click(browser, first.find_element(By.CSS_SELECTOR, 'button[data-kind="freeze"]'))
    Select(browser.find_element(By.ID, "ledger-kind")).select_by_value("unfreeze")
    browser.find_element(By.ID, "ledger-basis").send_keys("南公（反诈）解冻字〔2026〕099号")
    click(browser, browser.find_element(By.ID, "ledger-submit"))
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#banner.banner-error"))
    wait(browser, lambda d: text_of(d, "#banner"))
    sweep.check("/cases/…/funds (ledger refusal)")
    sweep.visit(
        f"/graph?from={account}&hops=1", lambda d: d.find_elements(By.CSS_SELECTOR, ".gnode")
    )
    node = browser.find_elements(By.CSS_SELECTOR, "#graph-svg .gnode")[-1]
    browser.execute_script(
        "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", node
    )
    wait(browser, lambda d: text_of(d, "#graph-panel").count("\n") > 2)
    sweep.check("/graph (node)")
    sweep.visit("/search?q=张", lambda d: text_of(d, "#search-message"))

    # The analyst and the outreach officer.
    sweep.as_user("analyst")
    sweep.visit(f"/cases/{case_id}/funds", lambda d: d.find_elements(By.ID, "trace-svg"))
    sweep.as_user("outreach")
    sweep.visit("/reports")
    sweep.visit("/outreach/campaigns", lambda d: d.find_elements(By.ID, "campaign-list"))
    sweep.visit("/outreach/audiences", lambda d: d.find_elements(By.ID, "aud-result"))
    sweep.visit("/outreach/suggestions", lambda d: d.find_elements(By.ID, "outreach-tabs"))
    sweep.visit("/outreach/templates", lambda d: d.find_elements(By.CSS_SELECTOR, "tr.tpl-row"))
    sweep.visit("/outreach/deliveries", lambda d: d.find_elements(By.ID, "delivery-count"))
    sweep.visit("/outreach/events", lambda d: d.find_elements(By.ID, "event-totals"))

    assert sweep.found == {}
    assert script_errors(browser) == []
