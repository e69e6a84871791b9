"""The audit chain: keyed (HMAC), anchored by checkpoints outside the database, rotatable;
broken by any change, removal, insertion, truncation or re-hashing without the key."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from fanzha.api import Settings, create_app
from fanzha.cli import app
from fanzha.roles import Actor
from fanzha.store import AuditEntry
from fanzha.store.audit import (
    GENESIS_HASH,
    AuditChain,
    AuditKeyError,
    AuditKeyring,
    add_key,
    append_audit,
    entry_hash,
    sealed_hash,
    verify_audit_chain,
    write_checkpoint,
)

ANALYST = Actor(user_id=3, username="analyst", role="analyst")


def _fill(engine: Engine, chain: AuditChain, n: int = 5) -> None:
    for i in range(n):
        append_audit(
            engine, ANALYST, "read", "phone", f"1390000{i:04d}", chain=chain, reason="研判扩线"
        )


def _plain_fields(entry: AuditEntry) -> dict[str, object]:
    """The fields a legacy (plain SHA-256) entry hashes: what an attacker can recompute."""
    return {
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "user_id": entry.user_id,
        "username": entry.username,
        "role": entry.role,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "reason": entry.reason,
        "detail": entry.detail,
    }


def test_an_untouched_chain_verifies(engine: Engine, audit_chain: AuditChain) -> None:
    _fill(engine, audit_chain)
    report = verify_audit_chain(engine, audit_chain)
    assert report.ok and report.checked == 5 and report.legacy == 0
    with Session(engine) as session:
        entries = session.query(AuditEntry).order_by(AuditEntry.id).all()
    assert {e.key_id for e in entries} == {audit_chain.keyring.signing_id}
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("tamper", "bad_id", "problem"),
    [
        (update(AuditEntry).where(AuditEntry.id == 3).values(reason="随便看看"), 3, "changed"),
        (update(AuditEntry).where(AuditEntry.id == 2).values(username="someone"), 2, "changed"),
        (delete(AuditEntry).where(AuditEntry.id == 2), 3, "removed"),
    ],
)
def test_tampering_is_detected_at_the_entry(
    engine: Engine, audit_chain: AuditChain, tamper: object, bad_id: int, problem: str
) -> None:
    _fill(engine, audit_chain)
    with Session(engine) as session:
        session.execute(tamper)  # type: ignore[call-overload]
        session.commit()
    report = verify_audit_chain(engine, audit_chain)
    assert not report.ok
    assert report.first_bad_id == bad_id
    assert problem in report.problem


@pytest.mark.parametrize("k", [1, 3])
def test_truncating_the_last_entries_is_detected(
    engine: Engine, audit_chain: AuditChain, k: int
) -> None:
    _fill(engine, audit_chain, 8)
    write_checkpoint(engine, audit_chain, "shutdown")
    with Session(engine) as session:
        session.execute(delete(AuditEntry).where(AuditEntry.id > 8 - k))
        session.commit()
    report = verify_audit_chain(engine, audit_chain)
    assert not report.ok and report.first_bad_id is None
    assert f"chain ends at {8 - k}" in report.problem and "says 8" in report.problem


def test_truncation_past_a_periodic_checkpoint_is_detected_without_shutdown(
    engine: Engine, audit_chain: AuditChain
) -> None:
    chain = AuditChain(audit_chain.keyring, audit_chain.checkpoint_file, checkpoint_every=4)
    _fill(engine, chain, 10)  # checkpoints at entries 1 (start), 5 and 9
    with Session(engine) as session:
        session.execute(delete(AuditEntry).where(AuditEntry.id > 7))
        session.commit()
    report = verify_audit_chain(engine, chain)
    assert not report.ok and "chain ends at 7" in report.problem and "says 9" in report.problem


def test_rewriting_rows_with_recomputed_plain_sha256_is_detected(
    engine: Engine, audit_chain: AuditChain
) -> None:
    _fill(engine, audit_chain)
    with Session(engine) as session:  # what a database account can do without the key
        prev = GENESIS_HASH
        for entry in session.query(AuditEntry).order_by(AuditEntry.id).all():
            if entry.id == 3:
                entry.reason = "随便看看"
            entry.key_id, entry.seq = None, None
            entry.prev_hash = prev
            entry.hash = entry_hash(prev, _plain_fields(entry))
            prev = entry.hash
            session.flush()
        session.commit()
    report = verify_audit_chain(engine, audit_chain)
    assert not report.ok and report.first_bad_id == 1
    assert "legacy" in report.problem


def test_recomputing_hashes_with_a_guessed_key_is_detected(
    engine: Engine, audit_chain: AuditChain
) -> None:
    _fill(engine, audit_chain)
    forged = AuditKeyring(
        {audit_chain.keyring.signing_id: b"x" * 32}, audit_chain.keyring.signing_id
    )
    with Session(engine) as session:
        entry = session.get(AuditEntry, 5)
        assert entry is not None
        entry.reason = "随便看看"
        fields = {**_plain_fields(entry), "key_id": entry.key_id, "seq": entry.seq}
        entry.hash = sealed_hash(forged, forged.signing_id, entry.prev_hash, fields)
        session.commit()
    report = verify_audit_chain(engine, audit_chain)
    assert not report.ok and report.first_bad_id == 5


def test_entries_of_a_rotated_key_still_verify(
    engine: Engine, audit_chain: AuditChain, tmp_path: Path
) -> None:
    key_file = tmp_path / "audit" / "audit.key"
    _fill(engine, audit_chain, 3)
    new_id = add_key(key_file)
    rotated = AuditChain(AuditKeyring.from_file(key_file), audit_chain.checkpoint_file)
    assert rotated.keyring.signing_id == new_id != audit_chain.keyring.signing_id
    _fill(engine, rotated, 3)
    report = verify_audit_chain(engine, rotated)
    assert report.ok and report.checked == 6
    with Session(engine) as session:
        key_ids = [e.key_id for e in session.query(AuditEntry).order_by(AuditEntry.id)]
    assert key_ids == [audit_chain.keyring.signing_id] * 3 + [new_id] * 3
    dropped_old = AuditChain(
        AuditKeyring({new_id: rotated.keyring.keys[new_id]}, new_id), audit_chain.checkpoint_file
    )
    report = verify_audit_chain(engine, dropped_old)
    assert not report.ok and "key" in report.problem  # a dropped key verifies nothing it signed


def test_legacy_entries_verify_up_to_the_recorded_boundary(
    engine: Engine, audit_chain: AuditChain
) -> None:
    with Session(engine) as session:  # entries written before the chain was keyed
        prev = GENESIS_HASH
        for i in range(3):
            entry = AuditEntry(
                at=datetime(2026, 12, 1, 8, i, tzinfo=UTC),
                user_id=3,
                username="analyst",
                role="analyst",
                action="read",
                object_type="phone",
                object_id=str(i),
                reason="研判扩线",
                detail="",
                prev_hash=prev,
            )
            entry.hash = entry_hash(prev, _plain_fields(entry))
            prev = entry.hash
            session.add(entry)
            session.flush()
        session.commit()
    _fill(engine, audit_chain, 2)
    report = verify_audit_chain(engine, audit_chain)
    assert report.ok and report.checked == 5 and report.legacy == 3
    with Session(engine) as session:
        assert session.get(AuditEntry, 4).seq == 4  # type: ignore[union-attr]


def test_an_altered_checkpoint_line_is_detected(engine: Engine, audit_chain: AuditChain) -> None:
    _fill(engine, audit_chain, 3)
    write_checkpoint(engine, audit_chain, "shutdown")
    text = audit_chain.checkpoint_file.read_text()
    audit_chain.checkpoint_file.write_text(text.replace('"count":3', '"count":2'))
    report = verify_audit_chain(engine, audit_chain)
    assert not report.ok and "altered" in report.problem


def test_the_app_checkpoints_at_shutdown(engine: Engine, audit_chain: AuditChain) -> None:
    from fastapi.testclient import TestClient

    application = create_app(Settings(), engine=engine, with_web=False, audit_chain=audit_chain)
    with TestClient(application):
        _fill(engine, audit_chain, 3)
    last = audit_chain.checkpoint_file.read_text().splitlines()[-1]
    assert '"event":"shutdown"' in last and '"count":3' in last


def test_a_start_without_an_audit_key_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("FANZHA_AUDIT_KEY", "FANZHA_AUDIT_KEY_FILE", "FANZHA_AUDIT_CHECKPOINT_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AuditKeyError, match="FANZHA_AUDIT_KEY_FILE"):
        create_app(Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}"), with_web=False)
    result = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 1 and "no audit key" in result.output


def test_a_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "audit.key"
    add_key(key_file)
    assert key_file.stat().st_mode & 0o777 == 0o600
    key_file.chmod(0o644)
    with pytest.raises(AuditKeyError, match="chmod 600"):
        AuditKeyring.from_file(key_file)


def test_cli_verify_names_the_bad_entry_and_the_missing_tail(
    engine: Engine, db_url: str, audit_chain: AuditChain
) -> None:
    _fill(engine, audit_chain)
    write_checkpoint(engine, audit_chain, "shutdown")
    runner = CliRunner()
    assert runner.invoke(app, ["audit", "verify", "--db", db_url]).exit_code == 0
    with Session(engine) as session:
        session.execute(delete(AuditEntry).where(AuditEntry.id == 5))
        session.commit()
    result = runner.invoke(app, ["audit", "verify", "--db", db_url])
    assert result.exit_code == 1
    assert "chain ends at 4" in result.output and "says 5" in result.output
    with Session(engine) as session:
        session.execute(update(AuditEntry).where(AuditEntry.id == 4).values(object_id="x"))
        session.commit()
    result = runner.invoke(app, ["audit", "verify", "--db", db_url])
    assert result.exit_code == 1
    assert "entry 4" in result.output


def test_entries_cannot_fork_the_chain(engine: Engine, audit_chain: AuditChain) -> None:
    _fill(engine, audit_chain, 2)
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
