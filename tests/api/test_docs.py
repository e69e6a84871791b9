"""The API documentation pages work offline: every script, style and icon they name is served
by the app itself (from the ``fastapi-offline`` package), none from a CDN."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

_URL = re.compile(r"""(?:src|href|spec-url|url)\s*[=:]\s*['"]([^'"]+)['"]""")


@pytest.mark.parametrize("page", ["/api/docs", "/api/redoc"])
def test_docs_pages_name_only_local_urls_and_every_one_is_served(
    client: TestClient, page: str
) -> None:
    response = client.get(page)
    assert response.status_code == 200
    html = response.text
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    urls = _URL.findall(html)
    assert "/api/openapi.json" in urls
    assets = [url for url in urls if url.startswith("/api/docs-assets/")]
    assert len(assets) >= 2, urls  # the script and the icon (and Swagger UI's style)
    for url in assets:
        assert url.startswith("/") and not url.startswith("//")
        served = client.get(url)
        assert served.status_code == 200, url
        assert len(served.content) > 1_000, url
    # the page itself may load nothing from elsewhere
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy


def test_swagger_ui_asks_no_public_validator(client: TestClient) -> None:
    assert '"validatorUrl": null' in client.get("/api/docs").text


def test_the_docs_pages_are_not_api_operations(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert not [path for path in paths if "docs" in path or "redoc" in path]


def test_redoc_shows_the_local_icon_not_its_makers_logo_from_a_cdn(client: TestClient) -> None:
    script = client.get("/api/docs-assets/redoc.standalone.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert b"cdn.redoc.ly" not in script.content
    assert b"/api/docs-assets/favicon.png" in script.content
