"""GET /phones/{number}: the devices its SIM was logged in, latest first, IMEIs masked by role."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fanzha.store import Device, DeviceSighting, Phone
from tests.api.conftest import login

NUMBER = "15400000009"
BOX, HANDSET = "860000000000017", "860000000000025"


def _sim_that_hopped(engine: Engine) -> None:
    with Session(engine) as session:
        session.add_all(
            [
                Device(id=1, imei=BOX, kind="goip", slots=16),
                Device(id=2, imei=HANDSET, kind="handset"),
                Phone(id=1, number=NUMBER, device_id=2),
            ]
        )
        session.flush()
        session.add_all(
            [
                DeviceSighting(device_id=1, phone_id=1, seen_at=datetime(2026, 3, d, tzinfo=UTC))
                for d in (1, 2, 3)
            ]
            + [DeviceSighting(device_id=2, phone_id=1, seen_at=datetime(2026, 3, 9, tzinfo=UTC))]
        )
        session.commit()


@pytest.mark.parametrize(("role", "visible"), [("analyst", True), ("commander", False)])
def test_a_phone_lists_the_devices_its_sim_was_seen_in(
    client: TestClient, engine: Engine, role: str, visible: bool
) -> None:
    _sim_that_hopped(engine)
    response = client.get(
        f"/api/v1/phones/{NUMBER}", params={"reason": "一卡多机"}, headers=login(client, role)
    )
    assert response.status_code == 200, response.text
    devices = response.json()["devices"]
    assert [(d["kind"], d["sightings"]) for d in devices] == [("handset", 1), ("goip", 3)]
    assert devices[1]["first_seen"].startswith("2026-03-01")
    assert devices[1]["last_seen"].startswith("2026-03-03")
    assert (devices[1]["imei"] == BOX) is visible
    if not visible:
        assert devices[1]["imei"] == "86000000*****17"
