"""The page routes the server serves (Python) and the routes the single-page app renders
(``static/js/app.js``) are the same list, and every page names a permission that exists."""

from __future__ import annotations

import re

from fanzha.web._app import PAGE_ROUTES, STATIC_DIR, ui_meta

APP_JS = (STATIC_DIR / "js" / "app.js").read_text(encoding="utf-8")
ROUTES_BLOCK = re.search(r"const ROUTES = \[(.*?)\n\];", APP_JS, re.DOTALL)
JS_ROUTE = re.compile(r'\{ pattern: /(.+?)/, page: [\w.]+, title: "[^"]+"(?:, action: "([\w.]+)")?')
NAV_BLOCK = re.search(r"const NAV = \[(.*?)\n\];", APP_JS, re.DOTALL)
NAV_ITEM = re.compile(r'\{ path: "([^"]+)", label: "[^"]+", action: "([\w.]+)"')


def _js_routes() -> list[tuple[re.Pattern[str], str | None]]:
    assert ROUTES_BLOCK, "app.js has no `const ROUTES = [...]` block"
    found = [
        (re.compile(pattern.replace("\\/", "/")), action or None)
        for pattern, action in JS_ROUTE.findall(ROUTES_BLOCK.group(1))
    ]
    assert len(found) == ROUTES_BLOCK.group(1).count("pattern:"), "an app.js route was not parsed"
    return found


def _example(route: str) -> str:
    """A concrete path for a server route: each ``{placeholder}`` becomes a number."""
    return re.sub(r"\{[a-z_]+\}", "42", route)


def test_every_server_page_has_exactly_one_app_route() -> None:
    routes = _js_routes()
    for route in PAGE_ROUTES:
        if route == "/":
            continue  # the app sends "/" to the user's home page
        matching = [pattern.pattern for pattern, _ in routes if pattern.fullmatch(_example(route))]
        assert len(matching) == 1, f"{route} is rendered by {matching or 'no app.js route'}"


def test_every_app_route_is_served_by_the_server() -> None:
    examples = [_example(route) for route in PAGE_ROUTES]
    for pattern, _ in _js_routes():
        assert any(pattern.fullmatch(path) for path in examples), (
            f"app.js route /{pattern.pattern}/ has no entry in fanzha.web.PAGE_ROUTES"
        )


def test_pages_and_navigation_name_known_permissions() -> None:
    permissions = ui_meta()["permissions"]
    assert NAV_BLOCK, "app.js has no `const NAV = [...]` block"
    nav = NAV_ITEM.findall(NAV_BLOCK.group(1))
    assert nav, "no app.js navigation item was parsed"
    actions = [action for _, action in _js_routes() if action] + [action for _, action in nav]
    unknown = sorted(set(actions) - set(permissions))
    assert not unknown, f"app.js names permissions the server does not know: {unknown}"
    served = [_example(route) for route in PAGE_ROUTES]
    for path, _ in nav:
        assert path in served, f"navigation link {path} is not a server page route"
