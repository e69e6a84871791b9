"""The outreach API: counts only for audiences, templates with segments, a campaign from
draft through a commander's approval to sent, masked delivery log, opt-out, events,
suggestions, roles and district scope."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fanzha.api import Settings, create_app
from fanzha.store import Case, Person, User
from fanzha.store.audit import AuditChain
from tests.api.conftest import login, seed_users

API = "/api/v1/outreach"


@pytest.fixture
def outreach(
    engine: Engine, audit_chain: AuditChain, tmp_path: Path
) -> Iterator[tuple[TestClient, Path]]:
    seed_users(engine)
    now = datetime.now(UTC)
    with Session(engine) as db:
        db.add(
            User(
                username="xianing.outreach",
                display_name="宣传员",
                role="outreach_officer",
                district="兴宁区",
                password_hash=db.query(User.password_hash).first()[0],  # type: ignore[index]
            )
        )
        people = [
            Person(
                id=100 + i,  # seed_users stores person 1 with its id (no sequence on PostgreSQL)
                name=f"学生{i}",
                occupation="学生",
                district="青秀区" if i < 4 else "兴宁区",
                phone_number=f"1387710{i:04d}",
                birth_date=date(2006, 1, 1),
            )
            for i in range(6)
        ]
        db.add_all(people)
        db.flush()
        db.add_all(
            Case(
                case_no=f"C{i}",
                fraud_type="brushing_rebate",
                amount_lost_fen=100_000,
                district="青秀区",
                occurred_at=now - timedelta(days=2),
                reported_at=now - timedelta(days=1),
                victim_id=people[i].id,
            )
            for i in range(3)
        )
        db.commit()
    outbox = tmp_path / "outbox.jsonl"
    app = create_app(
        Settings(outreach_outbox=str(outbox)),
        engine=engine,
        with_web=False,
        audit_chain=audit_chain,
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, outbox


def test_campaign_from_draft_to_sent(outreach: tuple[TestClient, Path]) -> None:
    client, outbox = outreach
    officer, commander = login(client, "outreach_officer"), login(client, "commander")
    audience = {"group": "students", "districts": ["青秀区"]}
    count = client.post(f"{API}/audiences/count", json=audience, headers=officer).json()
    assert (count["total"], count["reachable"], count["by_district"]) == (4, 4, {"青秀区": 4})
    assert "学生" in count["description"] and "13877" not in json.dumps(count)

    made = client.post(
        f"{API}/campaigns",
        json={
            "name": "青秀区学生刷单提醒",
            "audience": audience,
            "template_code": "brushing_rebate.students.sms",
            "schedule_kind": "once",
        },
        headers=officer,
    )
    assert made.status_code == 201, made.text
    campaign = made.json()
    assert campaign["state"] == "draft" and campaign["state_label"] == "草稿"
    cid = campaign["id"]
    dry = client.post(f"{API}/campaigns/{cid}/dry-run", headers=officer).json()
    assert dry["statuses"] == {"queued": 4} and "同学们" in dry["sample_text"]

    move = f"{API}/campaigns/{cid}/transition"
    assert client.post(move, json={"to": "approved"}, headers=officer).status_code == 409
    assert client.post(move, json={"to": "pending"}, headers=officer).status_code == 200
    assert client.post(move, json={"to": "approved"}, headers=officer).status_code == 403
    approved = client.post(move, json={"to": "approved"}, headers=commander).json()
    assert approved["state"] == "approved" and approved["approved_by_name"]

    result = client.app.state.outreach_sender.tick()  # type: ignore[attr-defined]
    assert result.sent == 4
    assert len(outbox.read_text(encoding="utf-8").splitlines()) == 4
    done = client.get(f"{API}/campaigns/{cid}", headers=officer).json()
    assert done["state"] == "finished" and done["deliveries"] == {"sent": 4}

    log = client.get(f"{API}/deliveries", params={"campaign_id": cid}, headers=officer).json()
    assert log["count"] == 4 and all("*" in d["address"] for d in log["data"])
    assert {d["status_label"] for d in log["data"]} == {"已发送"}


def test_templates_preview_and_custom(outreach: tuple[TestClient, Path]) -> None:
    client, _ = outreach
    officer = login(client, "outreach_officer")
    found = client.get(
        f"{API}/templates", params={"fraud_type": "phishing", "kind": "sms"}, headers=officer
    ).json()
    assert found["count"] == 5 and all(t["segments"] == 1 for t in found["data"])
    preview = client.post(
        f"{API}/templates/preview",
        json={"body": "{salutation}，" + "反" * 80 + "{optout}", "group": "elderly"},
        headers=officer,
    ).json()
    assert preview["preview"].startswith("叔叔阿姨们") and preview["segments"] == 2
    bad = client.post(
        f"{API}/templates",
        json={
            "code": "my.sms",
            "fraud_type": "phishing",
            "group": "general",
            "kind": "sms",
            "title": "t",
            "body": "{name}你好",
        },
        headers=officer,
    )
    assert bad.status_code == 422


def test_opt_out_events_suggestions_and_scope(outreach: tuple[TestClient, Path]) -> None:
    client, _ = outreach
    officer, district = login(client, "outreach_officer"), login(client, "xianing.outreach")
    assert client.post(
        f"{API}/opt-outs", json={"number": "13877100000"}, headers=officer
    ).json() == {"opted_out": 1}
    count = client.post(f"{API}/audiences/count", json={"group": "students"}, headers=officer)
    assert count.json()["opted_out"] == 1
    # a district officer counts and drafts only in their district
    mine = client.post(f"{API}/audiences/count", json={"group": "students"}, headers=district)
    assert mine.json()["by_district"] == {"兴宁区": 2}
    other = {"group": "students", "districts": ["青秀区"]}
    assert client.post(f"{API}/audiences/count", json=other, headers=district).status_code == 422

    event = {
        "held_on": "2022-03-01",
        "place": "朝阳菜市",
        "kind": "反诈菜市",
        "people_reached": 120,
    }
    assert client.post(f"{API}/events", json=event, headers=district).status_code == 201
    listed = client.get(f"{API}/events", headers=district).json()
    assert (listed["events"], listed["sites"], listed["people_reached"]) == (1, 1, 120)
    assert listed["data"][0]["district"] == "兴宁区"

    tips = client.get(f"{API}/suggestions", headers=login(client, "commander")).json()
    (tip,) = tips["data"]
    assert (tip["district"], tip["fraud_type"], tip["group"]) == (
        "青秀区",
        "brushing_rebate",
        "students",
    )
    assert "3 起" in tip["reason"]
    # roles: an analyst has no outreach; a commander may read but not draft
    assert client.get(f"{API}/campaigns", headers=login(client, "analyst")).status_code == 403
    assert (
        client.post(f"{API}/events", json=event, headers=login(client, "commander")).status_code
        == 403
    )
