"""GET /api/v1/stats…: the figures of the hand-built store (tests/stats/conftest.py) for
commanders and administrators, a district team's commander kept to their district, the rows
behind a figure, and report downloads whose numbers are the JSON's."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fanzha.store import User
from tests.api.conftest import _HASH, PASSWORD, login
from tests.stats.conftest import PERIOD, XINGNING, fill_stats_store

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def filled(client: TestClient, engine: Engine) -> TestClient:
    fill_stats_store(engine)
    return client


def _figures(body: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {f["key"]: (f["count"], f["amount_fen"]) for f in body["figures"]}


@pytest.mark.parametrize("role", ["commander", "admin"])
def test_city_figures(filled: TestClient, role: str) -> None:
    response = filled.get("/api/v1/stats", params={"period": PERIOD}, headers=login(filled, role))
    assert response.status_code == 200, response.text
    body = response.json()
    figures = _figures(body)
    assert figures["cases"] == (3, 3_050_000)
    assert figures["freeze"] == (1, 200_000)
    assert body["sentence"].startswith("预警劝阻潜在被骗群众3人次")
    assert [d["district"] for d in body["districts"]] == ["青秀区", "兴宁区"]


def test_a_district_commander_sees_only_their_district(filled: TestClient, engine: Engine) -> None:
    with Session(engine) as db:
        db.add(
            User(
                username="xn_commander",
                display_name="兴宁指挥",
                role="commander",
                district=XINGNING,
                password_hash=_HASH,
            )
        )
        db.commit()
    token = filled.post(
        "/api/v1/auth/login", json={"username": "xn_commander", "password": PASSWORD}
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    body = filled.get("/api/v1/stats", params={"period": PERIOD}, headers=headers).json()
    assert body["district"] == XINGNING
    assert _figures(body)["warned"] == (2, 0) and _figures(body)["cases"] == (0, 0)
    other = filled.get(
        "/api/v1/stats", params={"period": PERIOD, "district": "青秀区"}, headers=headers
    )
    assert other.status_code == 403


def test_rows_behind_a_figure(filled: TestClient) -> None:
    headers = login(filled, "commander")
    body = filled.get(
        "/api/v1/stats/rows", params={"figure": "cases", "period": PERIOD}, headers=headers
    ).json()
    assert body["count"] == 3 and [r["ref"] for r in body["data"]] == ["A6", "A1", "A3"]
    bad = filled.get(
        "/api/v1/stats/rows", params={"figure": "nope", "period": PERIOD}, headers=headers
    )
    assert bad.status_code == 400 or bad.status_code == 422


def test_bad_period_is_a_field_error(filled: TestClient) -> None:
    response = filled.get(
        "/api/v1/stats", params={"period": "2022-05"}, headers=login(filled, "commander")
    )
    assert response.status_code in (400, 422)
    assert "period" in response.text


def test_xlsx_download_numbers_equal_the_json(filled: TestClient) -> None:
    headers = login(filled, "commander")
    body = filled.get("/api/v1/stats", params={"period": PERIOD}, headers=headers).json()
    download = filled.get("/api/v1/stats/report.xlsx", params={"period": PERIOD}, headers=headers)
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(download.content), read_only=True)
    rows = list(book["区县排名"].iter_rows(values_only=True))[1:]
    assert [(r[1], r[2], round(float(r[3]) * 100)) for r in rows] == [
        (d["district"], d["cases"], d["losses_fen"]) for d in body["districts"]
    ]


def test_pdf_download(filled: TestClient) -> None:
    headers = login(filled, "admin")
    download = filled.get("/api/v1/stats/report.pdf", params={"period": PERIOD}, headers=headers)
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert download.headers["content-type"] == "application/pdf"


def test_definitions(filled: TestClient) -> None:
    body = filled.get("/api/v1/stats/definitions", headers=login(filled, "commander")).json()
    keys = [d["key"] for d in body["data"]]
    assert keys[:3] == ["cases", "warned", "dissuaded"] and "officers_deployed" in keys
    assert all(d["definition"] for d in body["data"])
