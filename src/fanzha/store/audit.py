"""The append-only audit log with a SHA-256 hash chain.

Each entry's ``hash`` covers its own fields and the previous entry's hash, so changing,
removing or inserting an entry anywhere breaks the chain from that point on, which
:func:`verify_audit_chain` reports.

An entry is appended inside the caller's transaction, next to what it records, and is
committed with it or not at all. Appends are serialised by a lock the database holds until
that transaction ends (PostgreSQL: a transaction-level advisory lock; SQLite: the write lock
of ``BEGIN IMMEDIATE``), so the head is read and the new entry written in one transaction
and concurrent writers, in any number of threads or processes, extend one chain.
``prev_hash`` is unique besides, so a writer that skipped the lock could not fork it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from fanzha.roles import Actor
from fanzha.store._models import AuditEntry
from fanzha.store._pages import fetch_page

__all__ = [
    "CHAIN_LOCK_KEY",
    "GENESIS_HASH",
    "AuditReport",
    "append_audit",
    "entry_hash",
    "list_entries",
    "lock_chain_head",
    "verify_audit_chain",
]

GENESIS_HASH = "0" * 64
CHAIN_LOCK_KEY = 0x66616E7A6861  # "fanzha": the PostgreSQL advisory lock of the chain head


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Result of checking the chain: ``ok``, entries checked, the first bad entry and why."""

    ok: bool
    checked: int
    first_bad_id: int | None = None
    problem: str = ""


def entry_hash(prev_hash: str, fields: dict[str, object]) -> str:
    """SHA-256 over the previous hash and the entry's fields in canonical JSON."""
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def _fields(entry: AuditEntry) -> dict[str, object]:
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


def lock_chain_head(session: Session) -> None:
    """Take the lock that serialises appends; the database holds it until the session's
    transaction ends.

    PostgreSQL: ``pg_advisory_xact_lock`` (READ COMMITTED, so the head read after it sees
    the last committed entry). SQLite: the write lock, taken by ``BEGIN IMMEDIATE`` unless
    the transaction already wrote (a write holds it to the end).
    """
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    elif dialect == "sqlite":
        driver = connection.connection.driver_connection
        if driver is not None and not driver.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def append_audit(
    target: Session | Engine,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    *,
    reason: str = "",
    detail: str = "",
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry at ``at`` (default: now) and return it.

    Given a session, the entry joins its transaction (the caller commits, so the entry is
    stored together with what it records); given an engine, it is committed on its own.
    """
    if isinstance(target, Engine):
        with Session(target, expire_on_commit=False) as session:
            entry = append_audit(
                session, actor, action, object_type, object_id, reason=reason, detail=detail, at=at
            )
            session.commit()
            return entry
    lock_chain_head(target)
    head = target.scalars(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    entry = AuditEntry(
        at=at or datetime.now(UTC),
        user_id=actor.user_id,
        username=actor.username,
        role=actor.role,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        reason=reason,
        detail=detail,
        prev_hash=head or GENESIS_HASH,
    )
    entry.hash = entry_hash(entry.prev_hash, _fields(entry))
    target.add(entry)
    target.flush()
    return entry


def verify_audit_chain(engine: Engine, *, batch: int = 10_000) -> AuditReport:
    """Recompute every hash in id order; the first entry that does not fit is reported."""
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    with Session(engine) as session:
        while True:
            entries = session.scalars(
                select(AuditEntry)
                .where(AuditEntry.id > last_id)
                .order_by(AuditEntry.id)
                .limit(batch)
            ).all()
            if not entries:
                return AuditReport(ok=True, checked=checked)
            for entry in entries:
                if entry.prev_hash != expected_prev:
                    return AuditReport(
                        False,
                        checked,
                        entry.id,
                        "previous hash does not match: an entry before it was removed or inserted",
                    )
                if entry_hash(entry.prev_hash, _fields(entry)) != entry.hash:
                    return AuditReport(
                        False,
                        checked,
                        entry.id,
                        "content does not match its hash: the entry was changed",
                    )
                expected_prev = entry.hash
                checked += 1
                last_id = entry.id
            session.expunge_all()


def list_entries(
    session: Session,
    *,
    username: str | None = None,
    object_type: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[AuditEntry], int]:
    """One page of entries, newest first, by ``username`` and ``object_type``; and the total."""
    query = select(AuditEntry)
    if username:
        query = query.where(AuditEntry.username == username)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    rows, total = fetch_page(session, query.order_by(AuditEntry.id.desc()), page, per_page)
    return [row for (row,) in rows], total
