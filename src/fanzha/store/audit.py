"""The append-only audit log with a SHA-256 hash chain.

Each entry's ``hash`` covers its own fields and the previous entry's hash, so changing,
removing or inserting an entry anywhere breaks the chain from that point on, which
:func:`verify_audit_chain` reports. ``prev_hash`` is unique, so two writers can never fork
the chain: the loser of a race retries on the new head.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fanzha.roles import Actor
from fanzha.store._models import AuditEntry
from fanzha.store._pages import fetch_page

__all__ = [
    "GENESIS_HASH",
    "AuditReport",
    "append_audit",
    "entry_hash",
    "list_entries",
    "verify_audit_chain",
]

GENESIS_HASH = "0" * 64
_WRITE_LOCK = threading.Lock()
_RETRIES = 20


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


def append_audit(
    engine: Engine,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    *,
    reason: str = "",
    detail: str = "",
) -> AuditEntry:
    """Append one entry in its own transaction and return it."""
    with _WRITE_LOCK:
        for _ in range(_RETRIES):
            with Session(engine, expire_on_commit=False) as session:
                head = session.scalars(
                    select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
                ).first()
                entry = AuditEntry(
                    at=datetime.now(UTC),
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
                session.add(entry)
                try:
                    session.commit()
                except IntegrityError:  # another process moved the head: retry on it
                    session.rollback()
                    continue
                return entry
    raise RuntimeError("audit log busy: could not append after repeated retries")


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
