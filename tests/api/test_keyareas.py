"""/key-areas, /key-persons (the 两卡 restriction reused), /sweeps and /rectifications
(the state machine's 409 naming both states, the overdue list)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fanzha.graph import restriction_end
from fanzha.records import local_date
from fanzha.store._models import Outlet
from fanzha.store.rectifications import open_from_ranking
from tests.api.conftest import login

API = "/api/v1"
TODAY = local_date(datetime.now(UTC))


def test_two_card_offenders_under_restriction_become_key_persons(client: TestClient) -> None:
    analyst = login(client, "analyst")
    area = client.post(
        f"{API}/key-areas",
        json={"name": "宾阳县某村", "district": "宾阳县", "town": "某镇", "reason": "两卡高发"},
        headers=analyst,
    )
    assert area.status_code == 201 and area.json()["kind_label"] == "重点村屯"
    recent = TODAY - timedelta(days=400)
    body = {
        "offenders": [
            {
                "id_number": "450103199001011234",
                "punished_at": recent.isoformat(),
                "name": "张三",
                "district": "宾阳县",
            },
            {"id_number": "45010319850505123X", "punished_at": "2016-03-01", "name": "李四"},
        ]
    }
    made = client.post(f"{API}/key-persons/two-card", json=body, headers=analyst)
    assert made.status_code == 201, made.text
    (person,) = made.json()["data"]  # the 2016 punishment's restriction has ended
    assert person["kind_label"] == "两卡惩戒人员"
    assert person["until"] == restriction_end(recent).isoformat()
    assert person["next_follow_up_on"] == (recent + timedelta(days=30)).isoformat()
    again = client.post(f"{API}/key-persons/two-card", json=body, headers=analyst)
    assert again.json()["count"] == 0  # already listed
    due = client.get(f"{API}/key-persons?due=true", headers=analyst).json()
    assert [p["id"] for p in due["data"]] == [person["id"]]
    visited = client.post(
        f"{API}/key-persons/{person['id']}/follow-ups",
        json={"finding": "在家，未再办卡"},
        headers=analyst,
    )
    assert visited.status_code == 200
    assert visited.json()["next_follow_up_on"] == (TODAY + timedelta(days=30)).isoformat()
    assert [f["finding"] for f in visited.json()["follow_ups"]] == ["在家，未再办卡"]
    commander = client.get(
        f"{API}/key-persons/{person['id']}?reason=重点人员回访", headers=login(client, "commander")
    )
    assert commander.status_code == 200 and commander.json()["name"] != "张三"
    sweep = client.post(
        f"{API}/sweeps",
        json={
            "swept_on": TODAY.isoformat(),
            "district": "宾阳县",
            "key_area_id": area.json()["id"],
            "teams": ["宾阳县公安局"],
            "places": ["某村"],
            "officers": 1100,
            "persons_checked": 320,
            "findings": "查获涉诈手机卡 12 张",
        },
        headers=analyst,
    )
    assert sweep.status_code == 201 and sweep.json()["officers"] == 1100


def _seed_cases(engine: Engine) -> list[int]:
    with Session(engine) as session:
        session.add_all(
            [
                Outlet(id=1, name="某营业厅", kind="telecom", operator="移动", district="青秀区"),
                Outlet(id=2, name="某支行", kind="bank", operator="农业银行", district="兴宁区"),
            ]
        )
        session.flush()
        ranked = pl.DataFrame(
            {
                "id": ["outlet:1", "outlet:2"],
                "name": ["某营业厅", "某支行"],
                "district": ["青秀区", "兴宁区"],
                "cards": [400, 50],
                "case_cards": [300, 20],
                "score": [0.70, 0.27],
                "rank": [1, 2],
            }
        )
        ids = open_from_ranking(
            session,
            ranked,
            opened_on=TODAY - timedelta(days=40),
            deadline=TODAY - timedelta(days=10),
            measures=["停止异常开户"],
            now=datetime.now(UTC),
            user_id=None,
        )
        session.commit()
        return ids


def test_rectifications_move_and_overdue_ones_are_listed(
    client: TestClient, engine: Engine
) -> None:
    first, second = _seed_cases(engine)
    commander = login(client, "commander")
    overdue = client.get(f"{API}/rectifications?overdue=true", headers=commander).json()
    assert [(c["id"], c["overdue_days"]) for c in overdue["data"]] == [(first, 10), (second, 10)]
    assert overdue["data"][0]["reason"] == "断卡排名第1：开卡400张，其中涉案300张（风险评分0.700）"
    assert (
        client.get(f"{API}/rectifications", headers=login(client, "warning_officer")).json()[
            "count"
        ]
        == 1
    )  # 青秀区 only
    analyst = login(client, "analyst")

    def move(to: str, version: int, **extra: object) -> dict[str, object]:
        response = client.post(
            f"{API}/rectifications/{first}/transition",
            json={"to_state": to, "version": version, **extra},
            headers=analyst,
        )
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    refused = client.post(
        f"{API}/rectifications/{first}/transition",
        json={"to_state": "passed", "version": 1, "recheck_result": "合格"},
        headers=analyst,
    )
    assert refused.status_code == 409
    message = refused.json()["error"]["message"]
    assert "待整改" in message and "复查通过" in message
    case = move("rectifying", 1, deadline=(TODAY + timedelta(days=20)).isoformat())
    assert case["overdue_days"] == 0
    case = move("rechecking", case["version"])  # type: ignore[arg-type]
    case = move("passed", case["version"], recheck_result="实名核验到位")  # type: ignore[arg-type]
    assert (case["state_label"], case["recheck_on"]) == ("复查通过", TODAY.isoformat())
    overdue = client.get(f"{API}/rectifications?overdue=true", headers=commander).json()
    assert [c["id"] for c in overdue["data"]] == [second]
    assert date.fromisoformat(overdue["data"][0]["deadline"]) < TODAY
