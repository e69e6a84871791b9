"""追逃: an import's new records hit the wanted list in the same run, once, audited."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fanzha.cli._ingest import ingest_file
from fanzha.ingest import IngestOptions
from fanzha.store import AuditEntry
from fanzha.store._ops_models import Clue, FugitiveHit
from fanzha.store.audit import AuditChain
from fanzha.store.fugitives import NewFugitive, add_fugitive

PHONE = "13800138000"
CARD = "6222020012345678901"
NOW = datetime(2024, 5, 2, 8, tzinfo=UTC)


def _wanted(engine: Engine) -> int:
    with Session(engine) as session, session.begin():
        return add_fugitive(
            session,
            NewFugitive(
                name="韦某",
                kind="online",
                warrant_no="桂公网逃〔2024〕17号",
                district="青秀区",
                wanted_since=date(2024, 1, 5),
                identifiers=(
                    ("phone", "138-0013-8000"),
                    ("card", CARD),
                    ("imei", "861234567890123"),
                ),
            ),
            now=NOW,
        )


def _files(folder: Path) -> tuple[Path, Path]:
    calls = folder / "calls.csv"
    calls.write_text(
        "caller,callee,started_at\n"
        f"{PHONE},13900000001,2024-05-01 10:00:00\n"
        "13900000002,13900000001,2024-05-01 10:05:00\n"
        f"13900000003,{PHONE},2024-05-01 11:00:00\n",
        encoding="utf-8",
    )
    transfers = folder / "transfers.csv"
    transfers.write_text(
        "txn_id,src,dst,amount,time\n"
        f"T1,6217000000000000012,{CARD},5000.00,2024-05-01 10:30:00\n"
        "T2,6217000000000000012,6217000000000000020,10.00,2024-05-01 10:31:00\n",
        encoding="utf-8",
    )
    return calls, transfers


def _ingest_both(engine: Engine, calls: Path, transfers: Path, chain: AuditChain) -> None:
    ingest_file(engine, "calls", calls, chain=chain)
    ingest_file(
        engine, "transfers", transfers, options=IngestOptions(create_missing=True), chain=chain
    )


def test_a_wanted_phone_and_card_hit_in_the_run_and_never_twice(
    engine: Engine, tmp_path: Path, audit_chain: AuditChain
) -> None:
    fugitive_id = _wanted(engine)
    calls, transfers = _files(tmp_path)
    _ingest_both(engine, calls, transfers, audit_chain)
    with Session(engine) as session:
        hits = session.scalars(select(FugitiveHit).order_by(FugitiveHit.kind)).all()
        assert [(h.fugitive_id, h.kind, h.value, h.record_kind) for h in hits] == [
            (fugitive_id, "card", CARD, "transfer"),
            (fugitive_id, "phone", PHONE, "call"),
        ]
        clues = session.scalars(select(Clue)).all()
        # the transfer's hit joins the clue the call's hit opened (still open)
        assert len(clues) == 1 and {h.clue_id for h in hits} == {clues[0].id}
        clue = clues[0]
        assert (clue.urgent, clue.district, clue.source, clue.state) == (
            True,
            "青秀区",
            "fugitive_hit",
            "pending",
        )
        assert PHONE not in clue.title + clue.summary
        audited = session.scalar(
            select(func.count()).where(
                AuditEntry.action == "hit", AuditEntry.object_type == "fugitive"
            )
        )
        assert audited == 2
    _ingest_both(engine, calls, transfers, audit_chain)  # the same files again: nothing new
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(FugitiveHit)) == 2
        assert session.scalar(select(func.count()).select_from(Clue)) == 1
