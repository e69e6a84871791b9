"""The UI's server side: every page route serves index.html, static files are served, the
static files load nothing from outside the server, and the labels the pages use are complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fanzha.funds import ENTRY_KINDS, METHODS, RETURN_RULES, STATUS_NAMES
from fanzha.graph import EDGE_TYPES, NODE_TYPES, ROLE_LABELS
from fanzha.roles import PERMISSIONS
from fanzha.warning import CHANNELS, RESULT_LABELS, TaskState
from fanzha.web._app import PAGE_ROUTES, STATIC_DIR, ui_meta

STATIC_FILES = sorted(p for p in STATIC_DIR.rglob("*") if p.is_file())
# XML namespace names identify, they are never fetched.
NAMESPACES = ("http://www.w3.org/2000/svg",)
# Vendored libraries (static/vendor/) ship their licence texts and name their project's sites
# (apache.org, github.com) and XML namespaces (w3.org) in comments and strings; none is loaded.
VENDOR = STATIC_DIR / "vendor"
VENDOR_HOSTS = re.compile(
    r"""^(?:https?:)?//(?:[A-Za-z0-9-]+\.)*(?:apache\.org|github\.com|w3\.org)$"""
)
EXTERNAL = re.compile(
    r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}|@import\s+url|\burl\(\s*['"]?https?:"""
)
IMPORT = re.compile(r"""^\s*import\s+(?:[^'"]+?\s+from\s+)?["']([^"']+)["']""", re.MULTILINE)
CONTENT_TYPES = {
    ".html": "text/html",
    ".js": "javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".json": "application/json",
}
# Licence files of the vendored libraries (static/vendor/<name>/LICENSE, NOTICE).
VENDOR_TEXTS = ("LICENSE", "NOTICE")


@pytest.fixture(scope="module")
def client(seeded_app: tuple[FastAPI, dict[str, int]]) -> TestClient:
    return TestClient(seeded_app[0])


def _rel(path: Path) -> str:
    return path.relative_to(STATIC_DIR).as_posix()


@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_every_page_route_serves_the_app(client: TestClient, route: str) -> None:
    response = client.get(route.replace("{task_id}", "1").replace("{case_id}", "1"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/static/js/app.js"></script>' in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_an_unknown_page_is_a_404_in_the_one_error_shape(client: TestClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_browser_gets_the_chinese_page_for_an_unknown_address(client: TestClient) -> None:
    html = {"accept": "text/html,application/xhtml+xml"}
    page = client.get("/no-such-page", headers=html)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in page.text  # the UI, which says 页面不存在
    api = client.get("/api/v1/nowhere", headers=html)
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"


def test_page_routes_leave_the_api_alone(client: TestClient) -> None:
    response = client.get("/api/v1/tasks")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("path", STATIC_FILES, ids=_rel)
def test_static_file_is_served(client: TestClient, path: Path) -> None:
    response = client.get(f"/static/{_rel(path)}")
    assert response.status_code == 200
    assert response.content == path.read_bytes()
    if path.name in VENDOR_TEXTS:
        assert path.is_relative_to(VENDOR), f"{_rel(path)}: licence texts only in vendor/"
        return
    assert CONTENT_TYPES[path.suffix] in response.headers["content-type"]


@pytest.mark.parametrize("path", STATIC_FILES, ids=_rel)
def test_static_file_loads_nothing_from_outside(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for namespace in NAMESPACES:
        text = text.replace(namespace, "")
    found = EXTERNAL.findall(text)
    if path.is_relative_to(VENDOR):
        found = [url for url in found if not VENDOR_HOSTS.match(url)]
    assert not found, f"{_rel(path)} refers to another server: {found[:5]}"


@pytest.mark.parametrize("path", sorted(STATIC_DIR.rglob("*.js")), ids=_rel)
def test_module_imports_are_relative_and_exist(path: Path) -> None:
    imports = IMPORT.findall(path.read_text(encoding="utf-8"))
    for target in imports:
        assert target.startswith(("./", "../")), f"{_rel(path)} imports {target!r}"
        assert (path.parent / target).resolve().is_file(), f"{_rel(path)}: {target} is missing"


def test_no_page_uses_the_browsers_date_picker() -> None:
    """It shows mm/dd/yyyy under an English locale: dates are typed 年-月-日 in ``dayInput``."""
    pickers = re.compile(r"""type:\s*["'](?:date|datetime-local|month|week)["']""")
    found = [_rel(p) for p in STATIC_DIR.rglob("*.js") if pickers.search(p.read_text("utf-8"))]
    assert found == []


def test_index_references_exist() -> None:
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    for ref in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert (STATIC_DIR / ref).is_file(), ref


def test_meta_is_served(client: TestClient) -> None:
    response = client.get("/ui/meta.json")
    assert response.status_code == 200
    assert response.json() == ui_meta()


def test_meta_names_every_state_channel_result_and_action() -> None:
    meta = ui_meta()
    assert [s["state"] for s in meta["states"]] == [s.value for s in TaskState]
    assert set(meta["transitions"]) == {s.value for s in TaskState}
    assert [c["channel"] for c in meta["channels"]] == list(CHANNELS)
    for results in meta["channel_results"].values():
        assert set(results) <= set(RESULT_LABELS)
    assert set(meta["permissions"]) == set(PERMISSIONS)


def test_meta_names_every_trace_method_status_ledger_kind_and_rule() -> None:
    meta = ui_meta()
    assert [m["method"] for m in meta["trace_methods"]] == list(METHODS)
    assert set(meta["trace_statuses"]) == set(STATUS_NAMES)
    assert [k["kind"] for k in meta["ledger_kinds"]] == list(ENTRY_KINDS)
    assert set(meta["return_rules"]) == set(RETURN_RULES)


def test_meta_names_the_coded_graph_values_in_chinese() -> None:
    values = ui_meta()["graph_values"]
    assert values["kind"]["personal"] == "个人账户"
    assert values["status"]["normal"] == "正常" and values["status"]["open"] == "已受理"
    assert {"romance_scam", "brushing_rebate"} <= set(values["fraud_type"])
    names = [name for by_code in values.values() for name in by_code.values()]
    assert all(not name.isascii() for name in names if name != "QQ")


def test_meta_names_every_graph_node_and_edge_type_and_role() -> None:
    meta = ui_meta()
    assert [t["type"] for t in meta["graph_node_types"]] == [t.key for t in NODE_TYPES]
    assert [t["type"] for t in meta["graph_edge_types"]] == [t.key for t in EDGE_TYPES]
    assert meta["graph_roles"] == dict(ROLE_LABELS)


def test_meta_labels_are_chinese() -> None:
    meta = ui_meta()
    labels = [
        *(s["label"] for s in meta["states"]),
        *(c["label"] for c in meta["channels"]),
        *meta["result_labels"].values(),
        *meta["case_statuses"].values(),
        *(m["label"] for m in meta["trace_methods"]),
        *meta["trace_statuses"].values(),
        *meta["trace_actions"].values(),
        *(k["label"] for k in meta["ledger_kinds"]),
        *(r["name"] for r in meta["return_rules"].values()),
        *(t["label"] for t in meta["graph_node_types"]),
        *(t["label"] for t in meta["graph_edge_types"]),
        *meta["graph_roles"].values(),
    ]
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in labels)


# The colour classes the pages draw with (node-<status>, colour-type-<key>, colour-role-<key>).
COLOURED = [
    *(f".node-{status}" for status in STATUS_NAMES),
    *(f".colour-type-{t.key}" for t in NODE_TYPES),
    *(f".colour-role-{role}" for role in ROLE_LABELS),
]


@pytest.mark.parametrize("selector", COLOURED)
def test_style_sheet_gives_a_colour(selector: str) -> None:
    css = (STATIC_DIR / "css" / "app.css").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(selector)} {{ --c: #[0-9a-f]{{6}}; }}$", css, re.MULTILINE)


# the Chinese fonts of macOS, Windows and Linux (fonts-noto-cjk, fonts-wqy-microhei), in order
CJK_STACK = (
    "PingFang SC",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
)


def test_the_css_names_the_usual_chinese_font_stacks() -> None:
    css = (STATIC_DIR / "css" / "app.css").read_text(encoding="utf-8")
    stacks = [m.strip() for m in re.findall(r"font-family:\s*([^;]+);", css)]
    assert stacks
    for stack in stacks:
        if stack == "inherit":
            continue
        families = [name.strip().strip('"') for name in stack.replace("\n", " ").split(",")]
        named = [name for name in CJK_STACK if name in families]
        assert named, f"no Chinese font in {stack}"
        assert families[-1] in ("sans-serif", "monospace"), stack
    body = next(s for s in stacks if s.startswith('"PingFang SC"'))
    families = [name.strip().strip('"') for name in body.replace("\n", " ").split(",")]
    positions = [families.index(name) for name in CJK_STACK]
    assert positions == sorted(positions)
    assert families[-1] == "sans-serif"
