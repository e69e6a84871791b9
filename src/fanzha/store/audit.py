"""The append-only audit log: a hash chain keyed with HMAC and anchored outside the database.

Each entry's ``hash`` is an HMAC-SHA256, under a key that is not in the database (see
:class:`AuditKeyring`), of its own fields, its position ``seq`` and the previous entry's hash;
the entry records the ``key_id`` that signed it. Changing, removing or inserting an entry
breaks the chain from that point, and an account that can write the database cannot recompute
the hashes without the key. Truncating the last entries leaves a valid chain, so the chain is
also anchored: every ``checkpoint_every`` entries and at shutdown its count and head hash are
appended to a checkpoint file outside the database, and :func:`verify_audit_chain` reports a
chain shorter than a checkpoint. Entries written before keying (``key_id`` NULL) verify as
plain SHA-256, but only as the leading part of the chain, up to the count the first checkpoint
recorded.

An entry is appended inside the caller's transaction, next to what it records, and is
committed with it or not at all; its checkpoint (when one is due) is written after that
commit. Appends are serialised by a lock the database holds until that transaction ends
(PostgreSQL: a transaction-level advisory lock; SQLite: the write lock of ``BEGIN
IMMEDIATE``), so concurrent writers, in any number of threads or processes, extend one chain.
``prev_hash`` is unique besides, so a writer that skipped the lock could not fork it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.orm import Session

from fanzha.roles import Actor
from fanzha.store._audit_anchor import Checkpoint, append_checkpoint, read_checkpoints
from fanzha.store._audit_keys import AuditKeyError, AuditKeyring, add_key, parse_keys
from fanzha.store._models import AuditEntry
from fanzha.store._pages import fetch_page

__all__ = [
    "CHAIN_LOCK_KEY",
    "GENESIS_HASH",
    "AuditChain",
    "AuditKeyError",
    "AuditKeyring",
    "AuditReport",
    "add_key",
    "append_audit",
    "entry_hash",
    "list_entries",
    "lock_chain_head",
    "parse_keys",
    "sealed_hash",
    "verify_audit_chain",
    "write_checkpoint",
]

GENESIS_HASH = "0" * 64
CHAIN_LOCK_KEY = 0x66616E7A6861  # "fanzha": the PostgreSQL advisory lock of the chain head


@dataclass(slots=True)
class AuditChain:
    """What signs and anchors the chain: the keyring, the checkpoint file, how often."""

    keyring: AuditKeyring
    checkpoint_file: Path
    checkpoint_every: int = 100
    _since_checkpoint: int = field(default=0, init=False)
    _legacy_count: int | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def note_appended(self, entry: AuditEntry, *, first_keyed: bool) -> None:
        """Call after ``entry`` was committed: checkpoints the first keyed entry and every
        ``checkpoint_every``-th one (a checkpoint never names an uncommitted entry)."""
        with self._lock:
            self._since_checkpoint += 1
            if first_keyed:
                self._legacy_count = (entry.seq or 1) - 1
            elif self._since_checkpoint < self.checkpoint_every:
                return
            self._since_checkpoint = 0
            self._write("start" if first_keyed else "every", entry.seq or 0, entry.id, entry.hash)

    def checkpoint(
        self,
        event: str,
        count: int,
        head_id: int,
        head_hash: str,
        *,
        legacy_count: int | None = None,
    ) -> None:
        """Append a checkpoint of ``count`` entries ending at ``head_id`` / ``head_hash``;
        ``legacy_count`` sets a new legacy boundary (restore), else the last one is kept."""
        with self._lock:
            self._since_checkpoint = 0
            if legacy_count is not None:
                self._legacy_count = legacy_count
            self._write(event, count, head_id, head_hash)

    def _write(self, event: str, count: int, head_id: int, head_hash: str) -> None:
        if self._legacy_count is None:
            found, _ = read_checkpoints(self.checkpoint_file, self.keyring)
            self._legacy_count = found[-1].legacy_count if found else 0
        checkpoint = Checkpoint(
            at=datetime.now(UTC).isoformat(timespec="microseconds"),
            event=event,
            count=count,
            head_id=head_id,
            head_hash=head_hash,
            legacy_count=self._legacy_count,
            key_id=self.keyring.signing_id,
        )
        append_checkpoint(self.checkpoint_file, checkpoint, self.keyring)


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Result of checking the chain: ``ok``, entries checked, the first bad entry and why;
    ``legacy`` entries were verified as plain SHA-256 (written before keying)."""

    ok: bool
    checked: int
    first_bad_id: int | None = None
    problem: str = ""
    legacy: int = 0


def entry_hash(prev_hash: str, fields: dict[str, object]) -> str:
    """Plain SHA-256 over the previous hash and the fields (legacy entries, before keying)."""
    return hashlib.sha256(_message(prev_hash, fields)).hexdigest()


def sealed_hash(
    keyring: AuditKeyring, key_id: str, prev_hash: str, fields: dict[str, object]
) -> str:
    """HMAC-SHA256 under key ``key_id`` over the previous hash and the fields."""
    return keyring.mac(key_id, _message(prev_hash, fields))


def _message(prev_hash: str, fields: dict[str, object]) -> bytes:
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"{prev_hash}\n{canonical}".encode()


def _fields(entry: AuditEntry) -> dict[str, object]:
    fields: dict[str, object] = {
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
    if entry.key_id is not None:
        fields.update(key_id=entry.key_id, seq=entry.seq)
    return fields


def _position_after(session: Session, head: AuditEntry | None) -> int:
    """The ``seq`` of the entry after ``head`` (legacy heads have none: count them once)."""
    if head is None:
        return 1
    if head.seq is not None:
        return head.seq + 1
    return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0) + 1


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
    chain: AuditChain,
    reason: str = "",
    detail: str = "",
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry at ``at`` (default: now), signed by ``chain``'s newest key; return it.

    Given a session, the entry joins its transaction (the caller commits, so the entry is
    stored together with what it records); given an engine, it is committed on its own. A due
    checkpoint is written once the transaction commits.
    """
    if isinstance(target, Engine):
        with Session(target, expire_on_commit=False) as session:
            entry = append_audit(
                session,
                actor,
                action,
                object_type,
                object_id,
                chain=chain,
                reason=reason,
                detail=detail,
                at=at,
            )
            session.commit()
            return entry
    lock_chain_head(target)
    head = target.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
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
        prev_hash=head.hash if head else GENESIS_HASH,
        key_id=chain.keyring.signing_id,
        seq=_position_after(target, head),
    )
    entry.hash = sealed_hash(
        chain.keyring, chain.keyring.signing_id, entry.prev_hash, _fields(entry)
    )
    target.add(entry)
    target.flush()
    _after_commit(target, chain, entry, first_keyed=head is None or head.key_id is None)
    return entry


def _after_commit(
    session: Session, chain: AuditChain, entry: AuditEntry, *, first_keyed: bool
) -> None:
    """Tell ``chain`` about ``entry`` when ``session`` commits; forget it on rollback."""
    pending: list[tuple[AuditChain, AuditEntry, bool]] = session.info.setdefault(
        "audit_pending", []
    )
    pending.append((chain, entry, first_keyed))
    if session.info.get("audit_listening"):
        return
    session.info["audit_listening"] = True

    def committed(done: Session) -> None:
        for waiting_chain, waiting, first in done.info.pop("audit_pending", []):
            waiting_chain.note_appended(waiting, first_keyed=first)

    def rolled_back(done: Session) -> None:
        done.info.pop("audit_pending", None)

    event.listen(session, "after_commit", committed)
    event.listen(session, "after_soft_rollback", lambda done, _previous: rolled_back(done))


def write_checkpoint(engine: Engine, chain: AuditChain, event: str) -> Checkpoint | None:
    """Checkpoint the chain's current head now (``shutdown``, ``restore``); None if empty.

    A ``restore`` checkpoint starts a new anchor: verification checks the checkpoints from the
    last restore on, and the leading legacy entries of the restored chain become the boundary.
    """
    with Session(engine) as session:
        head = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
        if head is None:
            return None
        count = _position_after(session, head) - 1
        legacy = None
        if event == "restore":
            first_keyed = session.scalar(
                select(func.min(AuditEntry.seq)).where(AuditEntry.key_id.is_not(None))
            )
            legacy = (first_keyed or count + 1) - 1
    chain.checkpoint(event, count, head.id, head.hash, legacy_count=legacy)
    found, _ = read_checkpoints(chain.checkpoint_file, chain.keyring)
    return found[-1] if found else None


def list_entries(
    session: Session,
    *,
    username: str | None = None,
    object_type: str | None = None,
    action: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[AuditEntry], int]:
    """One page of entries, newest first, by ``username``, ``action``, ``object_type``,
    ``object_id`` and time (``since`` ≤ at < ``until``); and the total."""
    query = select(AuditEntry)
    if username:
        query = query.where(AuditEntry.username == username)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if action:
        query = query.where(AuditEntry.action == action)
    if object_id:
        query = query.where(AuditEntry.object_id == object_id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    rows, total = fetch_page(session, query.order_by(AuditEntry.id.desc()), page, per_page)
    return [row for (row,) in rows], total


@dataclass(slots=True)
class _Walk:
    """State of one verification walk along the chain."""

    keyring: AuditKeyring
    legacy_limit: int | None
    anchors: dict[int, list[Checkpoint]]
    expected_prev: str = GENESIS_HASH
    checked: int = 0
    legacy: int = 0
    keyed: bool = False

    def problem_of(self, entry: AuditEntry) -> str:
        """Why ``entry`` does not fit where it is ("" if it does); advances the walk."""
        position = self.checked + 1
        if entry.prev_hash != self.expected_prev:
            return "previous hash does not match: an entry before it was removed or inserted"
        if entry.key_id is None:
            if self.keyed or (self.legacy_limit is not None and position > self.legacy_limit):
                return (
                    f"unkeyed entry at position {position}, past the {self.legacy_limit or 0} "
                    "legacy entries the checkpoint file allows: the entry was rewritten"
                )
            if entry_hash(entry.prev_hash, _fields(entry)) != entry.hash:
                return "content does not match its hash: the entry was changed"
            self.legacy += 1
        else:
            self.keyed = True
            if entry.key_id not in self.keyring.keys:
                return f"signed with key id {entry.key_id!r}, which is not in the keyring"
            if entry.seq != position:
                return f"position {entry.seq} recorded, {position} found: entries were moved"
            if sealed_hash(self.keyring, entry.key_id, entry.prev_hash, _fields(entry)) != (
                entry.hash
            ):
                return "content does not match its HMAC: the entry was changed or re-hashed"
        for anchor in self.anchors.get(position, []):
            if (anchor.head_id, anchor.head_hash) != (entry.id, entry.hash):
                return f"differs from the checkpoint of {anchor.at}: the chain was rewritten"
        self.expected_prev = entry.hash
        self.checked = position
        return ""


def _anchors(chain: AuditChain) -> tuple[list[Checkpoint], str]:
    """The checkpoints that bind the chain now: from the last restore on."""
    found, problem = read_checkpoints(chain.checkpoint_file, chain.keyring)
    restores = [i for i, checkpoint in enumerate(found) if checkpoint.event == "restore"]
    return found[restores[-1] if restores else 0 :], problem


def verify_audit_chain(
    engine: Engine, chain: AuditChain, *, anchored: bool = True, batch: int = 10_000
) -> AuditReport:
    """Recompute every hash in id order and compare the chain with its checkpoints.

    Reports the first entry that does not fit, or a chain shorter than a checkpoint says
    (its last entries were removed). ``anchored=False`` skips the checkpoints and allows any
    number of leading legacy entries (a restore checks the restored chain that way before it
    writes its own checkpoint).
    """
    anchors, problem = _anchors(chain) if anchored else ([], "")
    if problem:
        return AuditReport(False, 0, None, problem)
    by_count: dict[int, list[Checkpoint]] = {}
    for anchor in anchors:
        by_count.setdefault(anchor.count, []).append(anchor)
    legacy_limit = (anchors[0].legacy_count if anchors else 0) if anchored else None
    walk = _Walk(chain.keyring, legacy_limit, by_count)
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
                break
            for entry in entries:
                problem = walk.problem_of(entry)
                if problem:
                    return AuditReport(False, walk.checked, entry.id, problem, walk.legacy)
                last_id = entry.id
            session.expunge_all()
    longest = max(anchors, key=lambda anchor: anchor.count, default=None)
    if longest is not None and longest.count > walk.checked:
        return AuditReport(
            False,
            walk.checked,
            None,
            f"chain ends at {walk.checked}, checkpoint of {longest.at} says {longest.count}: "
            "the last entries were removed",
            walk.legacy,
        )
    if anchored and walk.checked and not anchors:
        return AuditReport(
            False,
            walk.checked,
            None,
            f"no checkpoint in {chain.checkpoint_file}: the chain is not anchored",
            walk.legacy,
        )
    return AuditReport(True, walk.checked, legacy=walk.legacy)
