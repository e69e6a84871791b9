"""Seeded fanzha apps for the web tests (officers, people, a case and a few warning tasks;
a small demo city with transfers through mule accounts for fund control and the graph),
served by uvicorn on free ports, and one headless Chromium for all browser tests."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from fanzha.api import Settings, create_app, hash_password
from fanzha.api._warning_service import ingest_signals
from fanzha.demo import DEMO_PASSWORD, generate_city
from fanzha.roles import Actor
from fanzha.store import BankAccount, Case, Person, Transfer, User, bulk_load
from fanzha.warning import EventSignal
from tests.conftest import local_audit_chain

PASSWORD = "correct-horse-9"
OFFICER = "wang.officer"
COMMANDER = "li.commander"
ANALYST = "zhao.analyst"
FRAUD_TEXT = "兼职刷单日结，做任务返佣金，先垫付后返利，加薇信 abc123"
WAIT_S = 10
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1440,1000",
    "--lang=zh-CN",
)


def seed(app: FastAPI, *, now: datetime | None = None) -> dict[str, int]:
    """Three officers, three people at risk (three open tasks) and one case; returns ids."""
    now = now or datetime.now(UTC)
    with app.state.sessions() as db:
        users = [
            User(
                username=username,
                display_name=name,
                role=role,
                district=district,
                password_hash=hash_password(PASSWORD),
            )
            for username, name, role, district in (
                # 市级值班: a warning officer of no district sees the tasks of every district
                (OFFICER, "王警官", "warning_officer", None),
                (COMMANDER, "李指挥", "commander", None),
                (ANALYST, "赵研判", "analyst", None),
            )
        ]
        people = [
            Person(
                name=name,
                id_number=id_number,
                phone_number=phone,
                district=district,
                birth_date=date.fromisoformat(id_number[6:14]),
            )
            for name, id_number, phone, district in (
                ("张三丰", "450103196001011234", "13877100001", "青秀区"),
                ("李四", "450103199505052345", "13877100002", "兴宁区"),
                ("王五", "450103198808083456", "13877100003", "江南区"),
            )
        ]
        db.add_all([*users, *people])
        db.flush()
        db.add(
            Case(
                case_no="NN2024-000001",
                fraud_type="brushing_rebate",
                amount_lost_fen=1_250_000,
                district="兴宁区",
                occurred_at=now - timedelta(days=3),
                reported_at=now - timedelta(days=2),
                victim_id=people[1].id,
                summary="受害人在网上兼职刷单，先后转账 12500 元后无法提现。",
            )
        )
        db.commit()
        actor = Actor(user_id=users[1].id, username=COMMANDER, role="commander")
        signals = [
            EventSignal(
                kind=kind,
                occurred_at=now - timedelta(minutes=minutes),
                person_id=person.id,
                age=now.year - person.birth_date.year if person.birth_date else None,
                district=person.district,
                phone=person.phone_number,
                amount_at_risk_fen=amount,
                fraud_type=fraud_type,
                counterparty=counterparty,
            )
            for kind, minutes, person, amount, fraud_type, counterparty in (
                ("fraud_call", 5, people[0], 5_000_000, "impersonate_authority", "+8617000000001"),
                ("flagged_transfer", 20, people[1], 300_000, "brushing_rebate", "6222000011112222"),
                ("fraud_call", 50, people[2], 0, "fake_customer_service", "+8617000000002"),
            )
        ]
        result = ingest_signals(db, actor, signals, now)
        db.commit()
        return {
            "officer_id": users[0].id,
            "commander_id": users[1].id,
            "task_id": result.created_task_ids[0],
            "case_id": db.query(Case.id).scalar() or 0,
        }


@pytest.fixture(scope="module")
def seeded_app(tmp_path_factory: pytest.TempPathFactory) -> tuple[FastAPI, dict[str, int]]:
    """A real app over a SQLite file in a temporary folder, seeded by :func:`seed`."""
    folder = tmp_path_factory.mktemp("web")
    app = create_app(
        Settings(db_url=f"sqlite:///{folder / 'web.db'}", cookie_secure=False),
        audit_chain=local_audit_chain(folder),
    )
    return app, seed(app)


def build_demo_app(folder: Path) -> tuple[FastAPI, int]:
    """The app (demo mode) on a small demo city (about 4,000 records, seed 7) in a SQLite file
    under ``folder``, with users holding the demo password; and the case with most transfers."""
    app = create_app(
        Settings(db_url=f"sqlite:///{folder / 'city.db'}", demo=True, cookie_secure=False),
        audit_chain=local_audit_chain(folder),
    )
    frames = generate_city(
        seed=7,
        records=4_000,
        start=datetime(2026, 9, 1, tzinfo=UTC),
        days=30,
        password_hash=hash_password(DEMO_PASSWORD),
    )
    bulk_load(app.state.engine, frames)
    with Session(app.state.engine) as db:
        case_id = db.execute(
            select(Transfer.case_id)
            .where(Transfer.case_id.is_not(None))
            .group_by(Transfer.case_id)
            .order_by(func.count().desc(), Transfer.case_id)
            .limit(1)
        ).scalar_one()
    assert case_id is not None
    return app, int(case_id)


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> tuple[FastAPI, dict[str, int | str]]:
    """A small demo city (about 4,000 records; users ``fund``, ``analyst``… with the demo
    password); ids: the case with the most transfers and the mule account its victim paid
    first."""
    app, case_id = build_demo_app(tmp_path_factory.mktemp("demo"))
    with Session(app.state.engine) as db:
        mule = aliased(BankAccount)
        account = db.execute(
            select(mule.account_no)
            .join(Transfer, Transfer.dst_account_id == mule.id)
            .where(Transfer.case_id == case_id)
            .order_by(Transfer.at, Transfer.id)
            .limit(1)
        ).scalar_one()
    return app, {"case_id": case_id, "account": str(account)}


def _binary(*names: str) -> str | None:
    return next((found for name in names if (found := shutil.which(name))), None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """``app`` under uvicorn in a background thread; yields its base URL."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT_S
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=WAIT_S)


@pytest.fixture(scope="module")
def live_server(
    seeded_app: tuple[FastAPI, dict[str, int]],
) -> Iterator[tuple[str, dict[str, int]]]:
    """The seeded app, served."""
    app, ids = seeded_app
    with serve(app) as base:
        yield base, ids


@pytest.fixture(scope="session")
def demo_server(
    demo_app: tuple[FastAPI, dict[str, int | str]],
) -> Iterator[tuple[str, dict[str, int | str]]]:
    """The demo city, served."""
    app, ids = demo_app
    with serve(app) as base:
        yield base, ids


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Chromium; skipped locally without it, a failure in CI."""
    webdriver = pytest.importorskip("selenium.webdriver")
    chromium = _binary("chromium", "chromium-browser", "google-chrome")
    driver_path = _binary("chromedriver")
    if chromium is None or driver_path is None:
        message = "chromium and chromedriver are needed for the browser test"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chrome')}")
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(driver_path))
    driver.set_page_load_timeout(WAIT_S * 3)
    yield driver
    driver.quit()
