"""District scope (issue 15 item 2): a district-scoped officer neither sees nor changes another
district's tasks, events, cases, persons, phones or accounts; the same requests on the
officer's own district succeed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from fanzha.roles import CITY_WIDE_ROLES, ROLES
from fanzha.store import BankAccount, Case, Event, Person, Phone, User, WarningTask
from tests.api.conftest import demo_app

OWN = "青秀区"
OTHER = "横州市"
DISTRICT_ROLES = [role for role in ROLES if role not in CITY_WIDE_ROLES]


@dataclass(frozen=True)
class DistrictObjects:
    """One object of every kind in a district of the demo city."""

    task_id: int
    event_id: int
    case_id: int
    person_id: int
    phone: str
    account: str


def _objects(engine: Engine, district: str) -> DistrictObjects:
    with Session(engine) as session:
        owner = Person.district == district

        def first(query: Any) -> Any:
            found = session.scalars(query.limit(1)).first()
            assert found is not None, query
            return found

        return DistrictObjects(
            task_id=first(select(WarningTask.id).where(WarningTask.district == district)),
            event_id=first(select(Event.id).where(Event.district == district)),
            case_id=first(select(Case.id).where(Case.district == district)),
            person_id=first(select(Person.id).where(owner)),
            phone=first(
                select(Phone.number).join(Person, Person.id == Phone.owner_id).where(owner)
            ),
            account=first(
                select(BankAccount.account_no)
                .join(Person, Person.id == BankAccount.holder_id)
                .where(owner)
            ),
        )


def _user_id(engine: Engine, username: str) -> int:
    with Session(engine) as session:
        found = session.scalars(select(User.id).where(User.username == username)).one()
        return int(found)


def _new_task(client: TestClient, person_id: int) -> tuple[int, int]:
    """A new task (id, version) opened by an event about ``person_id``."""
    response = client.post("/api/v1/events", json={"kind": "fraud_call", "person_id": person_id})
    assert response.status_code == 201, response.text
    body = response.json()
    task_id = (body["created_task_ids"] + body["merged_task_ids"])[0]
    detail = client.get(f"/api/v1/tasks/{task_id}", params={"reason": "预警处置：查看任务"})
    assert detail.status_code == 200, detail.text
    return task_id, detail.json()["version"]


def _list_ids(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(path, params={"per_page": 200, **params})
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def _refused(response: Any) -> bool:
    return response.status_code in (403, 404, 422)


def _reads(objects: DistrictObjects) -> list[str]:
    """The single-object reads and look-ups of ``objects``."""
    return [
        f"/api/v1/tasks/{objects.task_id}?reason=核查任务",
        f"/api/v1/cases/{objects.case_id}?reason=核查案件",
        f"/api/v1/persons/{objects.person_id}?reason=核查身份",
        f"/api/v1/phones/{objects.phone}?reason=核查号码",
        f"/api/v1/accounts/{objects.account}?reason=核查账户",
    ]


def test_a_warning_officer_is_kept_to_the_own_district(demo_engine: Engine) -> None:
    other = _objects(demo_engine, OTHER)
    own = _objects(demo_engine, OWN)
    self_id = _user_id(demo_engine, "warn_qingxiu_1")
    with demo_app(demo_engine, "warn_qingxiu_1") as client:
        # list: nothing of the other district, even when asked for by name
        for path, key in (("/api/v1/tasks", "id"), ("/api/v1/events", "id")):
            rows = _list_ids(client, path)
            assert rows and {row["district"] for row in rows} == {OWN}, path
            assert key in rows[0]
        assert _list_ids(client, "/api/v1/tasks", district=OTHER) == []
        cases = _list_ids(client, "/api/v1/cases")
        assert cases and {row["district"] for row in cases} == {OWN}
        assert _list_ids(client, "/api/v1/cases", district=OTHER) == []
        kpis = client.get("/api/v1/kpis", params={"district": OTHER}).json()
        assert kpis["overall"]["tasks"] == 0
        assert {row["district"] for row in client.get("/api/v1/kpis").json()["by_district"]} == {
            OWN
        }
        # read and look-up: the other district's objects answer 404 as if absent
        for path in _reads(other):
            response = client.get(path)
            assert response.status_code == 404, (path, response.text)
            assert OTHER not in response.text
        for path in _reads(own):
            assert client.get(path).status_code == 200, path
        # transition and outcome of another district's task: 404
        moved = client.post(
            f"/api/v1/tasks/{other.task_id}/transition",
            json={"to_state": "false_alarm", "version": 1},
        )
        assert moved.status_code == 404, moved.text
        noted = client.post(
            f"/api/v1/tasks/{other.task_id}/outcomes",
            json={"channel": "sms", "result": "sms_sent", "version": 1},
        )
        assert noted.status_code == 404, noted.text
        # an event about another district's person, or in another district: refused
        foreign = client.post(
            "/api/v1/events", json={"kind": "fraud_call", "person_id": other.person_id}
        )
        assert foreign.status_code == 422, foreign.text
        elsewhere = client.post(
            "/api/v1/events",
            json={"kind": "fraud_call", "phone": "13800138000", "district": OTHER},
        )
        assert elsewhere.status_code == 422, elsewhere.text
        # own district: event, transition, outcome succeed
        task_id, version = _new_task(client, own.person_id)
        # assignment only to an officer who may work the task
        for user in ("outreach", "analyst", "warn_hengzhou_1"):
            wrong = client.post(
                f"/api/v1/tasks/{task_id}/transition",
                json={
                    "to_state": "assigned",
                    "version": version,
                    "assigned_to": _user_id(demo_engine, user),
                },
            )
            assert wrong.status_code == 422, (user, wrong.text)
            assert wrong.json()["error"]["field"] == "assigned_to"
        assigned = client.post(
            f"/api/v1/tasks/{task_id}/transition",
            json={"to_state": "assigned", "version": version, "assigned_to": self_id},
        )
        assert assigned.status_code == 200, assigned.text
        assert assigned.json()["assigned_to"] == self_id
        contact = client.post(
            f"/api/v1/tasks/{task_id}/outcomes",
            json={"channel": "sms", "result": "sms_sent", "version": assigned.json()["version"]},
        )
        assert contact.status_code == 201, contact.text
    with demo_app(demo_engine, "commander") as client:
        other_task, version = _new_task_as_city(client, demo_engine, other.person_id)
        for user, status in (("warn_qingxiu_1", 422), ("outreach", 422), ("warn_hengzhou_1", 200)):
            response = client.post(
                f"/api/v1/tasks/{other_task}/transition",
                json={
                    "to_state": "assigned",
                    "version": version,
                    "assigned_to": _user_id(demo_engine, user),
                },
            )
            assert response.status_code == status, (user, response.text)


def _new_task_as_city(client: TestClient, engine: Engine, person_id: int) -> tuple[int, int]:
    """A new task of ``person_id``'s district, opened as a city-wide role (the commander may
    not create events: the store makes it)."""
    now = datetime.now(UTC)
    with Session(engine) as session:
        person = session.get(Person, person_id)
        assert person is not None
        task = WarningTask(
            person_id=person_id,
            phone_number=person.phone_number,
            district=person.district,
            state="new",
            priority=50.0,
            reason="测试",
            signal_at=now,
            sla_due_at=now + timedelta(minutes=30),
        )
        session.add(task)
        session.commit()
        task_id = task.id
    detail = client.get(f"/api/v1/tasks/{task_id}", params={"reason": "预警处置：查看任务"})
    assert detail.status_code == 200, detail.text
    return task_id, detail.json()["version"]


@pytest.mark.parametrize("role", [r for r in DISTRICT_ROLES if r != "warning_officer"])
def test_other_district_roles_are_refused_everything(demo_engine: Engine, role: str) -> None:
    """District-scoped roles other than the warning officer (outreach) get nothing, even with
    a district of their own."""
    other = _objects(demo_engine, OTHER)
    with Session(demo_engine) as session:
        username = session.scalars(select(User.username).where(User.role == role)).first()
        assert username is not None
        session.execute(update(User).where(User.username == username).values(district=OWN))
        session.commit()
    with demo_app(demo_engine, username) as client:
        for path in [*_reads(other), "/api/v1/tasks", "/api/v1/events", "/api/v1/cases"]:
            assert _refused(client.get(path)), path
        for path, body in (
            (f"/api/v1/tasks/{other.task_id}/transition", {"to_state": "new", "version": 1}),
            (
                f"/api/v1/tasks/{other.task_id}/outcomes",
                {"channel": "sms", "result": "sms_sent", "version": 1},
            ),
        ):
            assert _refused(client.post(path, json=body)), path
