"""`fanzha backup` and `fanzha restore`: archives, refusals in red with exit 1, the audit check."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.demo import generate_city
from fanzha.roles import Actor
from fanzha.store import AuditEntry, bulk_load, make_engine, migrate
from fanzha.store.audit import AuditChain, append_audit, write_checkpoint

runner = CliRunner()
ANALYST = Actor(user_id=None, username="analyst", role="analyst")


def _source(path: Path, chain: AuditChain, *, tamper: bool = False) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    migrate(engine)
    start = datetime(2026, 9, 1, tzinfo=UTC)
    bulk_load(engine, generate_city(seed=3, records=1_000, start=start, password_hash="h"))
    for number in ("13900000001", "13900000002"):
        append_audit(engine, ANALYST, "read", "phone", number, chain=chain, reason="研判扩线")
    if tamper:
        with Session(engine) as session:
            session.execute(update(AuditEntry).where(AuditEntry.id == 1).values(reason="改过"))
            session.commit()
    engine.dispose()
    return url


def test_backup_then_restore_reports_rows_and_an_intact_audit_chain(
    tmp_path: Path, audit_chain: AuditChain
) -> None:
    archive = tmp_path / "city.backup"
    made = runner.invoke(
        app, ["backup", "--db", _source(tmp_path / "a.db", audit_chain), "--out", str(archive)]
    )
    assert made.exit_code == 0, made.output
    assert "audit_entries" in made.stdout and "sha256" in made.stderr

    target = f"sqlite:///{tmp_path / 'b.db'}"
    restored = runner.invoke(app, ["restore", "--db", target, "--in", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert "intact" in restored.stdout and "2 entries" in restored.stdout

    again = runner.invoke(app, ["restore", "--db", target, "--in", str(archive)])
    assert again.exit_code == 1
    assert "error" in again.stderr and "--force" in again.stderr
    forced = runner.invoke(app, ["restore", "--db", target, "--in", str(archive), "--force"])
    assert forced.exit_code == 0, forced.output


def test_restore_of_a_damaged_archive_or_a_broken_chain_exits_1(
    tmp_path: Path, audit_chain: AuditChain
) -> None:
    archive = tmp_path / "city.backup"
    source = _source(tmp_path / "a.db", audit_chain, tamper=True)
    assert runner.invoke(app, ["backup", "--db", source, "--out", str(archive)]).exit_code == 0
    target = f"sqlite:///{tmp_path / 'b.db'}"

    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(archive.read_bytes()[:1000])
    refused = runner.invoke(app, ["restore", "--db", target, "--in", str(truncated)])
    assert refused.exit_code == 1
    assert "truncated" in refused.stderr and "nothing was restored" in refused.stderr

    broken = runner.invoke(app, ["restore", "--db", target, "--in", str(archive)])
    assert broken.exit_code == 1
    assert "broken at entry 1" in broken.stderr


def test_verify_passes_after_a_restore_and_still_catches_a_later_truncation(
    tmp_path: Path, audit_chain: AuditChain
) -> None:
    source = _source(tmp_path / "a.db", audit_chain)
    archive = tmp_path / "city.backup"
    assert runner.invoke(app, ["backup", "--db", source, "--out", str(archive)]).exit_code == 0
    engine = make_engine(source)
    for number in ("13900000003", "13900000004", "13900000005"):  # after the backup
        append_audit(engine, ANALYST, "read", "phone", number, chain=audit_chain, reason="研判扩线")
    write_checkpoint(engine, audit_chain, "shutdown")  # the anchor now says 5 entries
    engine.dispose()

    restored = runner.invoke(app, ["restore", "--db", source, "--in", str(archive), "--force"])
    assert restored.exit_code == 0, restored.output
    assert '"event":"restore"' in audit_chain.checkpoint_file.read_text().splitlines()[-1]
    verified = runner.invoke(app, ["audit", "verify", "--db", source])
    assert verified.exit_code == 0, verified.output  # 2 restored entries + the restore entry
    engine = make_engine(source)
    with Session(engine) as session:
        restore = session.query(AuditEntry).order_by(AuditEntry.id.desc()).first()
        assert restore is not None and (restore.action, restore.seq) == ("restore", 3)
        session.execute(delete(AuditEntry).where(AuditEntry.id == restore.id))
        session.commit()
    engine.dispose()
    truncated = runner.invoke(app, ["audit", "verify", "--db", source])
    assert truncated.exit_code == 1
    assert "chain ends at 2" in truncated.output and "says 3" in truncated.output
