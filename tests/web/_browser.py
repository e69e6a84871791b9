"""Driving the web UI in headless Chromium: waits, clicks, log-in, running a module's
functions in the page. Set ``FANZHA_SCREENSHOTS=<dir>`` to save PNG screenshots there."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import OFFICER, WAIT_S

pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def wait(driver: Any, condition: Callable[[Any], Any]) -> Any:
    """Wait until ``condition(driver)`` is truthy (stale elements mean: not yet)."""
    return WebDriverWait(
        driver, WAIT_S, poll_frequency=0.1, ignored_exceptions=[StaleElementReferenceException]
    ).until(condition)


def text_of(driver: Any, css: str) -> str:
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return str(found[0].text) if found else ""


def value_of(driver: Any, css: str) -> str:
    return str(driver.find_element(By.CSS_SELECTOR, css).get_attribute("value"))


def click(driver: Any, element: Any) -> None:
    """Click ``element`` after scrolling it to the middle (clear of the sticky header)."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def screenshot(driver: Any, name: str) -> None:
    folder = os.environ.get("FANZHA_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def open_page(driver: Any, url: str) -> None:
    driver.get(url)
    wait(driver, lambda d: d.execute_script("return document.body.dataset.ready === '1'"))


def login(driver: Any, base: str, password: str, username: str = OFFICER) -> None:
    open_page(driver, f"{base}/queue")
    if driver.find_elements(By.ID, "logout"):
        driver.find_element(By.ID, "logout").click()
        open_page(driver, f"{base}/queue")
    wait(driver, lambda d: d.find_elements(By.ID, "login-form"))
    driver.find_element(By.ID, "username").clear()
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "login-submit").click()


def run_js(driver: Any, base: str, module: str, expression: str) -> dict[str, Any]:
    """Import ``/static/js/<module>`` in a page of ``base`` and evaluate ``expression`` over it
    as ``m``: ``{"ok": True, "value": …}`` or ``{"ok": False, "value": the error}``."""
    if not driver.current_url.startswith(base):
        open_page(driver, f"{base}/screen")
    script = f"""
        const done = arguments[arguments.length - 1];
        import("/static/js/{module}").then(
            (m) => {{ try {{ done({{ok: true, value: {expression}}}); }}
                     catch (e) {{ done({{ok: false, value: String(e)}}); }} }},
            (e) => done({{ok: false, value: String(e)}}));
    """
    result: dict[str, Any] = driver.execute_async_script(script)
    return result


def script_errors(driver: Any) -> list[Any]:
    """Console errors other than failed requests (a 401 or 409 is logged as "network")."""
    return [e for e in driver.get_log("browser") if e["source"] != "network"]
