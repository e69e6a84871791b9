"""The API documentation pages render in headless Chromium with nothing fetched from outside
the server: Swagger UI lists the operations and ReDoc its sections."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By

from tests.web._browser import screenshot, script_errors, wait


def _outside_requests(driver: Any, base: str) -> list[str]:
    """Every resource the page loaded (or tried to) whose origin is not the server's."""
    names: list[str] = driver.execute_script(
        "return performance.getEntriesByType('resource').map((e) => e.name)"
    )
    origin = urlsplit(base).netloc
    return [name for name in names if urlsplit(name).netloc not in (origin, "")]


@pytest.mark.parametrize(
    ("page", "rendered"),
    [
        ("/api/docs", ".opblock-summary-path"),  # one row per operation
        ("/api/redoc", "[data-section-id^='operation/']"),
    ],
    ids=["swagger-ui", "redoc"],
)
def test_docs_page_renders_offline(
    browser: Any, live_server: tuple[str, dict[str, int]], page: str, rendered: str
) -> None:
    base, _ = live_server
    browser.get_log("browser")  # forget what earlier pages logged
    browser.get(f"{base}{page}")
    found = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, rendered))
    assert len(found) > 20
    # the operations of the API are there, with the app's title
    assert "/api/v1/health" in browser.page_source
    assert "fanzha" in browser.title
    assert _outside_requests(browser, base) == []
    assert script_errors(browser) == []
    screenshot(browser, f"docs-{page.rsplit('/', 1)[-1]}")
