"""Backup and restore: every table and the audit chain survive a round trip between SQLite
and PostgreSQL in every direction; a damaged archive or a non-empty target is refused and
the target is left as it was."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from fanzha.demo import generate_city
from fanzha.errors import FanzhaError, InvalidInput, NotFound
from fanzha.roles import Actor
from fanzha.store import (
    Person,
    bulk_load,
    make_engine,
    migrate,
    read_tables,
    table_counts,
)
from fanzha.store._bulk import LOAD_ORDER
from fanzha.store._db import head_revision
from fanzha.store._ops_models import OPERATIONS_TABLES
from fanzha.store._outreach_models import OUTREACH_TABLES
from fanzha.store.audit import AuditChain, append_audit, verify_audit_chain
from fanzha.store.backup import FORMAT_VERSION, backup_database, read_manifest, restore_database
from tests.conftest import fresh_database_url

ANALYST = Actor(user_id=None, username="analyst", role="analyst")


def fill(engine: Engine, chain: AuditChain, *, seed: int = 7, audit: bool = True) -> None:
    """A small demo city with a few audit entries (unless ``audit`` is false), one holding a
    text that reads ``\\N``."""
    frames = generate_city(
        seed=seed,
        records=1_500,
        start=datetime(2026, 9, 1, tzinfo=UTC),
        days=30,
        password_hash="hash",
    )
    bulk_load(engine, frames)
    if not audit:
        return
    for number in ("13900000001", "13900000002", "13900000003"):
        append_audit(
            engine, ANALYST, "read", "phone", number, chain=chain, reason="研判扩线", detail="\\N"
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A second, fresh (unmigrated) database to restore into."""
    with fresh_database_url(request.param, tmp_path / "target") as url:
        made = make_engine(url)
        yield made
        made.dispose()


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _assert_same_rows(source: Engine, restored: Engine) -> None:
    expected = read_tables(source, LOAD_ORDER)
    got = read_tables(restored, LOAD_ORDER)
    for name in LOAD_ORDER:
        assert got[name].equals(expected[name]), name


def test_round_trip_keeps_every_row_and_the_audit_chain(
    engine: Engine, target: Engine, tmp_path: Path, audit_chain: AuditChain
) -> None:
    fill(engine, audit_chain)
    archive = tmp_path / "fanzha.backup"
    manifest = backup_database(_url(engine), archive)
    assert manifest.schema_revision == head_revision()
    assert {entry.name: entry.rows for entry in manifest.tables} == table_counts(engine)
    assert archive.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only

    report = restore_database(_url(target), archive)

    assert report.schema_revision == head_revision()
    _assert_same_rows(engine, target)
    audit = verify_audit_chain(target, audit_chain, anchored=False)
    assert audit.ok and audit.checked == 3
    append_audit(target, ANALYST, "read", "phone", "13900000004", chain=audit_chain, reason="续写")
    with Session(target) as session:  # ids continue after the restored ones (sequences reset)
        person = Person(name="新录入", kind="citizen")
        session.add(person)
        session.commit()
        assert person.id == table_counts(engine)["persons"] + 1
    assert verify_audit_chain(target, audit_chain, anchored=False).checked == 4


def test_backup_is_a_consistent_snapshot_while_another_writer_is_open(
    engine: Engine, tmp_path: Path, audit_chain: AuditChain
) -> None:
    fill(engine, audit_chain)
    archive = tmp_path / "fanzha.backup"
    with engine.connect() as writer:
        writer.execute(text("DELETE FROM calls"))  # not committed while the backup runs
        backup_database(_url(engine), archive)
        writer.rollback()
    rows = {entry.name: entry.rows for entry in read_manifest(archive).tables}
    assert rows["calls"] == table_counts(engine)["calls"] > 0


def test_a_non_empty_target_is_refused_without_force(
    engine: Engine, target: Engine, tmp_path: Path, audit_chain: AuditChain
) -> None:
    fill(engine, audit_chain)
    archive = tmp_path / "fanzha.backup"
    backup_database(_url(engine), archive)
    migrate(target)
    fill(target, audit_chain, seed=8)
    before = table_counts(target)

    with pytest.raises(InvalidInput, match="--force"):
        restore_database(_url(target), archive)
    assert table_counts(target) == before

    restore_database(_url(target), archive, force=True)
    _assert_same_rows(engine, target)
    assert verify_audit_chain(target, audit_chain, anchored=False).ok


def _rewrite(archive: Path, damaged: Path, change: dict[str, bytes]) -> None:
    """Copy ``archive`` to ``damaged`` with some members' bytes replaced."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(damaged, "w") as copy:
        for member in source.namelist():
            copy.writestr(member, change.get(member, source.read(member)))


def _flip_last_part(archive: Path, damaged: Path) -> None:
    manifest = read_manifest(archive)
    member = manifest.tables[-1].parts[-1]
    with zipfile.ZipFile(archive) as source:
        data = bytearray(source.read(member))
    data[len(data) // 2] ^= 0xFF
    _rewrite(archive, damaged, {member: bytes(data)})


def _truncate(archive: Path, damaged: Path) -> None:
    damaged.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])


def _newer_format(archive: Path, damaged: Path) -> None:
    with zipfile.ZipFile(archive) as source:
        manifest = json.loads(source.read("manifest.json"))
    manifest["format_version"] = FORMAT_VERSION + 1
    _rewrite(archive, damaged, {"manifest.json": json.dumps(manifest).encode()})


def _unknown_revision(archive: Path, damaged: Path) -> None:
    with zipfile.ZipFile(archive) as source:
        manifest = json.loads(source.read("manifest.json"))
    manifest["schema_revision"] = "9999"
    _rewrite(archive, damaged, {"manifest.json": json.dumps(manifest).encode()})


def _injected_column(archive: Path, damaged: Path) -> None:
    with zipfile.ZipFile(archive) as source:
        manifest = json.loads(source.read("manifest.json"))
    manifest["tables"][0]["columns"][0] = 'id") SELECT 1; --'
    _rewrite(archive, damaged, {"manifest.json": json.dumps(manifest).encode()})


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        pytest.param(_flip_last_part, "checksum", id="flipped-byte"),
        pytest.param(_truncate, "truncated", id="truncated"),
        pytest.param(_newer_format, "format version", id="newer-format"),
        pytest.param(_unknown_revision, "unknown to this fanzha", id="unknown-revision"),
        pytest.param(_injected_column, "bad column name", id="injected-column"),
    ],
)
def test_a_damaged_archive_is_refused_and_the_target_left_as_it_was(
    damage: object, message: str, engine: Engine, tmp_path: Path, audit_chain: AuditChain
) -> None:
    source_url = f"sqlite:///{tmp_path / 'source.db'}"
    source = make_engine(source_url)
    migrate(source)
    fill(source, audit_chain)
    archive = tmp_path / "fanzha.backup"
    backup_database(source_url, archive)
    source.dispose()
    damaged = tmp_path / "damaged.backup"
    damage(archive, damaged)  # type: ignore[operator]
    fill(engine, audit_chain, seed=8)
    before = read_tables(engine, LOAD_ORDER)

    with pytest.raises(InvalidInput, match=message):
        restore_database(_url(engine), damaged, force=True)

    after = read_tables(engine, LOAD_ORDER)
    assert all(after[name].equals(before[name]) for name in LOAD_ORDER)
    assert verify_audit_chain(engine, audit_chain, anchored=False).ok


def test_a_database_that_is_not_at_the_newest_revision_is_not_backed_up(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = make_engine(url)
    migrate(old, "0002")
    old.dispose()
    with pytest.raises(InvalidInput, match="schema revision 0002"):
        backup_database(url, tmp_path / "fanzha.backup")
    assert not list(tmp_path.glob("*backup*"))


def test_a_missing_sqlite_file_or_archive_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        backup_database(f"sqlite:///{tmp_path / 'absent.db'}", tmp_path / "fanzha.backup")
    assert not (tmp_path / "absent.db").exists()
    with pytest.raises(NotFound):
        restore_database(f"sqlite:///{tmp_path / 'target.db'}", tmp_path / "absent.backup")


def test_an_archive_of_an_older_revision_is_restored_and_migrated_on(
    target: Engine, tmp_path: Path, audit_chain: AuditChain
) -> None:
    source_url = f"sqlite:///{tmp_path / 'source.db'}"
    source = make_engine(source_url)
    migrate(source)
    fill(source, audit_chain, audit=False)
    archive = tmp_path / "fanzha.backup"
    backup_database(source_url, archive)
    with zipfile.ZipFile(archive) as made:  # as revision 0002 wrote it: no device_sightings
        manifest = json.loads(made.read("manifest.json"))
    manifest["schema_revision"] = "0002"
    # audit_entries is left out too: its key_id and seq columns came with 0005; and
    # citizen_reports came with 0007, the operations tables with 0008, outreach with 0009,
    # intake_signals with 0011_intake
    left_out = {
        "device_sightings",
        "audit_entries",
        "citizen_reports",
        "intake_signals",
        *OPERATIONS_TABLES,
        *OUTREACH_TABLES,
    }
    manifest["tables"] = [t for t in manifest["tables"] if t["name"] not in left_out]
    older = tmp_path / "older.backup"
    _rewrite(archive, older, {"manifest.json": json.dumps(manifest).encode()})

    report = restore_database(_url(target), older)

    assert (report.manifest.schema_revision, report.schema_revision) == ("0002", head_revision())
    _assert_same_rows(source, target)
    source.dispose()


def test_a_database_that_cannot_be_reached_is_a_clear_error(tmp_path: Path) -> None:
    archive = tmp_path / "fanzha.backup"
    url = f"sqlite:///{tmp_path / 'source.db'}"
    migrate(make_engine(url))
    backup_database(url, archive)
    unreachable = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    with pytest.raises(FanzhaError, match="the database failed") as raised:
        restore_database(unreachable, archive)
    assert "secret" not in raised.value.message
