"""The audit hash chain: intact after appends, broken by any change, removal or insertion."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, delete, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.roles import Actor
from fanzha.store import AuditEntry
from fanzha.store.audit import append_audit, verify_audit_chain

ANALYST = Actor(user_id=3, username="analyst", role="analyst")


def _fill(engine: Engine, n: int = 5) -> None:
    for i in range(n):
        append_audit(engine, ANALYST, "read", "phone", f"1390000{i:04d}", reason="研判扩线")


def test_an_untouched_chain_verifies(engine: Engine) -> None:
    _fill(engine)
    report = verify_audit_chain(engine)
    assert report.ok and report.checked == 5


@pytest.mark.parametrize(
    ("tamper", "bad_id", "problem"),
    [
        (update(AuditEntry).where(AuditEntry.id == 3).values(reason="随便看看"), 3, "changed"),
        (update(AuditEntry).where(AuditEntry.id == 2).values(username="someone"), 2, "changed"),
        (delete(AuditEntry).where(AuditEntry.id == 2), 3, "removed"),
    ],
)
def test_tampering_is_detected_at_the_entry(
    engine: Engine, tamper: object, bad_id: int, problem: str
) -> None:
    _fill(engine)
    with Session(engine) as session:
        session.execute(tamper)  # type: ignore[call-overload]
        session.commit()
    report = verify_audit_chain(engine)
    assert not report.ok
    assert report.first_bad_id == bad_id
    assert problem in report.problem


def test_cli_verify_exits_1_on_a_broken_chain(engine: Engine, db_url: str) -> None:
    _fill(engine)
    runner = CliRunner()
    assert runner.invoke(app, ["audit", "verify", "--db", db_url]).exit_code == 0
    with Session(engine) as session:
        session.execute(update(AuditEntry).where(AuditEntry.id == 4).values(object_id="x"))
        session.commit()
    result = runner.invoke(app, ["audit", "verify", "--db", db_url])
    assert result.exit_code == 1
    assert "entry 4" in result.output


def test_entries_cannot_fork_the_chain(engine: Engine) -> None:
    _fill(engine, 2)
    with Session(engine) as session:
        first = session.get(AuditEntry, 1)
        assert first is not None
        session.add(
            AuditEntry(
                at=first.at,
                user_id=None,
                username="x",
                role="x",
                action="x",
                object_type="x",
                object_id="x",
                reason="",
                detail="",
                prev_hash=first.prev_hash,
                hash="f" * 64,
            )
        )
        with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
            session.commit()
