"""Search (issue 16 item 5): one query finds a case, a person by ID number or name, a phone
(however written), an account, an IM account or a URL; results grouped by kind with a link;
kept to the caller's district; audited with the reading of the query and no personal value;
masked for roles without pii.view; hostile input refused or answered, never a crash. And the
districts for the filters' choice lists (item 6)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fanzha.store import (
    AuditEntry,
    BankAccount,
    Case,
    IMAccount,
    Person,
    Phone,
    Url,
    WarningTask,
)
from tests.api.conftest import login

REASON = "综合查询：核查线索"
ID_NUMBER = "45010319500101123X"  # valid check character (the seeded person 1's is not)
AT = datetime(2026, 11, 1, 8, tzinfo=UTC)


def _id_with_check(body: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def _seed(engine: Engine) -> None:
    """Records in 青秀区 (the warning officer's district) and in 横州市."""
    other_id = _id_with_check("45012719880202331")
    with Session(engine) as session:
        session.add_all(
            [
                Person(id=2, name="李建国", id_number=ID_NUMBER, district="青秀区", kind="victim"),
                Person(id=3, name="李建华", id_number=other_id, district="横州市", kind="victim"),
                Person(id=4, name="李%_", district="青秀区", kind="citizen"),
            ]
        )
        session.flush()
        session.add_all(
            [
                Phone(id=1, number="13912345678", owner_id=2, kind="mobile", carrier="移动"),
                Phone(id=2, number="13987654321", owner_id=3, kind="mobile"),
                BankAccount(id=1, account_no="6222020000001234567", bank="工商银行", holder_id=2),
                BankAccount(id=2, account_no="6222020000007654321", bank="农业银行", holder_id=3),
                IMAccount(id=1, platform="wechat", handle="wxid_fraud001", owner_id=None),
                Url(id=1, url="http://fake-shop.com/pay", domain="fake-shop.com", flagged=True),
                Case(
                    id=1,
                    case_no="A4501002026000001",
                    fraud_type="刷单返利",
                    amount_lost_fen=1_234_500,
                    district="青秀区",
                    occurred_at=AT,
                    reported_at=AT,
                    victim_id=2,
                ),
                Case(
                    id=2,
                    case_no="A4501002026000002",
                    fraud_type="刷单返利",
                    amount_lost_fen=100,
                    district="横州市",
                    occurred_at=AT,
                    reported_at=AT,
                    victim_id=3,
                ),
            ]
        )
        session.commit()


def _search(client: TestClient, role: str, q: str, **extra: Any) -> Any:
    response = client.get(
        "/api/v1/search", params={"q": q, "reason": REASON, **extra}, headers=login(client, role)
    )
    assert response.status_code == 200, response.text
    return response.json()


def _hits(body: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return next((g["hits"] for g in body["groups"] if g["kind"] == kind), [])


@pytest.fixture
def seeded(client: TestClient, engine: Engine) -> TestClient:
    _seed(engine)
    return client


def test_a_case_number_finds_the_case_with_its_page(seeded: TestClient) -> None:
    body = _search(seeded, "analyst", "a4501002026000001")
    assert body["kinds"][0] == "case" and body["kind_labels"][0] == "案件编号"
    [hit] = _hits(body, "case")
    assert hit["title"] == "A4501002026000001"
    assert hit["link"] == "/cases/1"
    assert "刷单返利" in hit["detail"] and "12,345.00 元" in hit["detail"]
    assert body["groups"][0]["label"] == "案件"
    assert "找到 1 条记录" in body["message"]


def test_a_case_number_prefix_lists_cases(seeded: TestClient) -> None:
    body = _search(seeded, "analyst", "A450100202600000")
    assert [h["title"] for h in _hits(body, "case")] == ["A4501002026000001", "A4501002026000002"]


def test_an_id_number_is_a_person_not_an_account(seeded: TestClient) -> None:
    body = _search(seeded, "analyst", ID_NUMBER.lower())
    assert body["kinds"] == ["id_number"]
    [hit] = _hits(body, "person")
    assert (hit["id"], hit["title"]) == (2, "李建国")
    assert hit["node"] == "person:2" and hit["link"] == "/graph?from=person:2"
    assert ID_NUMBER in hit["detail"]
    assert _hits(body, "account") == []


def test_a_chinese_name_finds_persons_by_prefix(seeded: TestClient) -> None:
    body = _search(seeded, "analyst", "李建")
    assert body["kinds"] == ["name"]
    assert [h["title"] for h in _hits(body, "person")] == ["李建华", "李建国"]
    exact = _search(seeded, "analyst", "李建国")
    assert [h["id"] for h in _hits(exact, "person")] == [2]


@pytest.mark.parametrize(
    "spelling", ["13912345678", "+86 139-1234-5678", "0086 139 1234 5678", "１３９１２３４５６７８"]
)
def test_a_phone_is_found_however_written(seeded: TestClient, spelling: str) -> None:
    body = _search(seeded, "analyst", spelling)
    [hit] = _hits(body, "phone")
    assert (hit["id"], hit["title"]) == (1, "13912345678")
    assert hit["link"] == "/graph?from=phone:13912345678"


def test_a_phone_also_finds_the_person_whose_contact_number_it_is(seeded: TestClient) -> None:
    """Person 1 (王秀兰) gave 13900001111 as contact number; no phone record holds it."""
    body = _search(seeded, "warning_officer", "139 0000 1111")
    assert [(h["id"], h["title"]) for h in _hits(body, "person")] == [(1, "王秀兰")]
    assert _hits(body, "phone") == []


def test_an_account_is_found_with_spaces(seeded: TestClient) -> None:
    body = _search(seeded, "fund_officer", "6222 0200 0000 1234 567")
    [hit] = _hits(body, "account")
    assert (hit["id"], hit["title"]) == (1, "6222020000001234567")
    assert "工商银行" in hit["detail"]


def test_an_im_account_is_found(seeded: TestClient) -> None:
    for query in ("wxid_fraud001", "WXID_FRAUD001", "wechat:wxid_fraud001"):
        body = _search(seeded, "analyst", query)
        [hit] = _hits(body, "im")
        assert hit["title"] == "wxid_fraud001" and "微信" in hit["detail"], query
        assert hit["node"] == "im:wechat:wxid_fraud001"


def test_a_url_or_its_domain_is_found(seeded: TestClient) -> None:
    for query in ("http://fake-shop.com/pay", "FAKE-SHOP.com", "https://fake-shop.com/other"):
        body = _search(seeded, "analyst", query)
        [hit] = _hits(body, "url")
        assert hit["title"] == "http://fake-shop.com/pay" and hit["flagged"], query
        assert "域名 fake-shop.com" in hit["detail"]


def test_district_scope_hides_another_districts_records(seeded: TestClient) -> None:
    """The warning officer of 青秀区 finds 青秀区's records, and none of 横州市's."""
    own = _search(seeded, "warning_officer", "A4501002026000001")
    assert [h["id"] for h in _hits(own, "case")] == [1]
    for query in ("A4501002026000002", "13987654321", "6222020000007654321", "李建华"):
        body = _search(seeded, "warning_officer", query)
        assert body["groups"] == [] and body["total"] == 0, query
        assert "没有找到记录" in body["message"]
    names = _search(seeded, "warning_officer", "李建")
    assert [h["title"] for h in _hits(names, "person")] == ["李建国"]
    # the warning officer has no graph: persons link nowhere rather than to a refused page
    assert _hits(names, "person")[0]["link"] is None


def test_masked_for_roles_without_pii_view(seeded: TestClient) -> None:
    body = _search(seeded, "commander", ID_NUMBER)
    [hit] = _hits(body, "person")
    assert hit["title"] == "李*国"
    assert ID_NUMBER not in str(body) and "李建国" not in str(body)
    phone = _search(seeded, "commander", "13912345678")
    assert "13912345678" not in str(phone)
    assert _hits(phone, "phone")[0]["title"] == "139****5678"


def test_the_search_is_audited_with_its_reading_and_no_personal_value(
    seeded: TestClient, engine: Engine
) -> None:
    _search(seeded, "analyst", ID_NUMBER)
    _search(seeded, "analyst", "李建国")
    with Session(engine) as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "search").order_by(AuditEntry.id)
        ).all()
    assert [(e.username, e.object_type, e.reason) for e in entries] == [
        ("analyst", "id_number", REASON),
        ("analyst", "name", REASON),
    ]
    assert entries[0].detail == "found=person:2" and entries[1].detail == "found=person:2"
    for entry in entries:
        text = f"{entry.object_id} {entry.detail}"
        assert ID_NUMBER not in text and "李建国" not in text
        assert entry.object_id.startswith("k")
    assert entries[0].object_id != entries[1].object_id


def test_a_search_needs_a_reason_and_a_login(seeded: TestClient) -> None:
    officer = login(seeded, "analyst")
    missing = seeded.get("/api/v1/search", params={"q": "李建国"}, headers=officer)
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "reason"
    anonymous = seeded.get("/api/v1/search", params={"q": "李建国", "reason": REASON})
    assert anonymous.status_code == 401
    outreach = seeded.get(
        "/api/v1/search",
        params={"q": "李建国", "reason": REASON},
        headers=login(seeded, "outreach_officer"),
    )
    assert outreach.status_code == 403


@pytest.mark.parametrize(
    "query", ["%", "李%", "李_", "%%%%", "' OR 1=1 --", "*", "A450100202600000_", "A45%"]
)
def test_wildcards_and_junk_match_nothing(seeded: TestClient, query: str) -> None:
    """LIKE's wildcards are no wildcards: nothing matches them, not even the person whose
    name holds them."""
    body = _search(seeded, "analyst", query)
    assert body["total"] == 0 and body["groups"] == [], body


def test_hostile_input_is_refused_or_answered(seeded: TestClient) -> None:
    officer = login(seeded, "analyst")
    for q, status in (("x" * 201, 422), ("李\x00建国", 422), ("", 422), ("李" * 200, 200)):
        response = seeded.get("/api/v1/search", params={"q": q, "reason": REASON}, headers=officer)
        assert response.status_code == status, (q[:10], response.text)
        if status == 422:
            assert response.json()["error"]["field"] in ("q", "query.q")
    unread = _search(seeded, "analyst", "？？？")
    assert unread["kinds"] == [] and unread["message"].startswith("无法识别查询内容")


def test_the_graph_takes_an_id_number_and_a_name(seeded: TestClient, engine: Engine) -> None:
    officer = login(seeded, "analyst")
    params = {"reason": "研判扩线：扩线查询", "hops": 1}
    by_id = seeded.get(
        "/api/v1/graph/expand", params={"from": ID_NUMBER, **params}, headers=officer
    )
    assert by_id.status_code == 200, by_id.text
    assert "person:2" in {node["id"] for node in by_id.json()["nodes"]}
    by_name = seeded.get(
        "/api/v1/graph/expand", params={"from": "李建国", **params}, headers=officer
    )
    assert by_name.status_code == 200, by_name.text
    assert "person:2" in {node["id"] for node in by_name.json()["nodes"]}
    with Session(engine) as session:
        session.add(Person(id=5, name="李建国", district="青秀区"))
        session.commit()
    twice = seeded.get("/api/v1/graph/expand", params={"from": "李建国", **params}, headers=officer)
    assert twice.status_code == 422
    assert "对应 2 人" in twice.json()["error"]["message"]
    nobody = seeded.get(
        "/api/v1/graph/expand", params={"from": "王不在", **params}, headers=officer
    )
    assert nobody.status_code == 404 and "没有" in nobody.json()["error"]["message"]
    junk = seeded.get("/api/v1/graph/expand", params={"from": "？？ ？", **params}, headers=officer)
    assert junk.status_code == 422
    assert "无法识别线索" in junk.json()["error"]["message"]


def test_districts_list_the_city_and_keep_an_officer_to_theirs(seeded: TestClient) -> None:
    with Session(seeded.app.state.engine) as session:  # type: ignore[attr-defined]
        session.add(
            WarningTask(district="西乡塘区", signal_at=AT, sla_due_at=AT, reason="", state="new")
        )
        session.commit()
    city = seeded.get("/api/v1/districts", headers=login(seeded, "commander"))
    assert city.status_code == 200, city.text
    assert city.json() == {"data": sorted(["青秀区", "横州市", "西乡塘区"]), "own": None}
    officer = seeded.get("/api/v1/districts", headers=login(seeded, "warning_officer"))
    assert officer.json() == {"data": ["青秀区"], "own": "青秀区"}
    assert seeded.get("/api/v1/districts").status_code == 401
