"""Migration 0004: stored transfer channels become the canonical ones, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from fanzha.store import make_engine, migrate


def test_stored_channels_become_canonical(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate(engine, "0003")
        spellings = ["bank", "mobile", " ATM ", "otc", "POS", "现金", "whatever", "crypto"]
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO bank_accounts (id, account_no, bank, kind, flagged, status) "
                    "VALUES (1, '622200000000001', 'b', 'personal', false, 'normal'), "
                    "(2, '622200000000002', 'b', 'personal', false, 'normal')"
                )
            )
            for number, channel in enumerate(spellings):
                connection.execute(
                    text(
                        "INSERT INTO transfers (id, txn_id, src_account_id, dst_account_id, "
                        "amount_fen, currency, at, channel) "
                        "VALUES (:id, :txn, 1, 2, 100, 'CNY', :at, :channel)"
                    ),
                    {
                        "id": number + 1,
                        "txn": f"T{number}",
                        "at": datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None),
                        "channel": channel,
                    },
                )
        migrate(engine)
        with engine.connect() as connection:
            stored = connection.execute(text("SELECT channel FROM transfers ORDER BY id")).scalars()
            assert list(stored) == [
                "transfer",
                "transfer",
                "cash",
                "crypto",
                "merchant",
                "cash",
                "transfer",
                "crypto",
            ]
    finally:
        engine.dispose()
