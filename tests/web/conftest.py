"""A seeded fanzha app for the web tests: officers, people, a case and a few warning tasks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi import FastAPI

from fanzha.api import Actor, Settings, create_app, hash_password
from fanzha.api._warning_service import ingest_signals
from fanzha.store import Case, Person, User
from fanzha.warning import EventSignal

PASSWORD = "correct-horse-9"
OFFICER = "wang.officer"
COMMANDER = "li.commander"
ANALYST = "zhao.analyst"
FRAUD_TEXT = "兼职刷单日结，做任务返佣金，先垫付后返利，加薇信 abc123"


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
                (OFFICER, "王警官", "warning_officer", "青秀区"),
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
        return {
            "officer_id": users[0].id,
            "commander_id": users[1].id,
            "task_id": result.created_task_ids[0],
            "case_id": db.query(Case.id).scalar() or 0,
        }


@pytest.fixture(scope="module")
def seeded_app(tmp_path_factory: pytest.TempPathFactory) -> tuple[FastAPI, dict[str, int]]:
    """A real app over a SQLite file in a temporary folder, seeded by :func:`seed`."""
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"))
    return app, seed(app)
