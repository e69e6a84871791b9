"""Stored cases in fund control: channels and exits, seeds, claimants, frozen money, plans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from fanzha.errors import InvalidInput, NotFound
from fanzha.funds import (
    CaseTransfers,
    FundCase,
    LedgerEntry,
    account_status,
    case_return_plan,
    case_seeds,
    case_transfers,
    claimant_cases,
    frozen_on,
    index_transfers,
    ledger_freezes,
    trace_funds,
)
from fanzha.funds._ledger import Holding
from fanzha.records import CHANNELS

START = datetime(2026, 9, 1, tzinfo=UTC)
VICTIM_1, VICTIM_2, MULE, CASH, OTHER = "V1", "V2", "M", "C", "O"


def _stored(rows: list[tuple[str, str, int, int, str | None, int | None]]) -> CaseTransfers:
    """Store-shaped transfers from (src, dst, fen, minute, channel, case) rows."""
    return case_transfers(
        pl.DataFrame(
            {
                "src": [r[0] for r in rows],
                "dst": [r[1] for r in rows],
                "amount_fen": [r[2] for r in rows],
                "at": [START + timedelta(minutes=r[3]) for r in rows],
                "channel": [r[4] for r in rows],
                "case_id": [r[5] for r in rows],
            },
            schema_overrides={"channel": pl.String, "case_id": pl.Int64},
        )
    )


def _two_victims() -> CaseTransfers:
    """Two victims pay one mule, who pays on part of it: case 1's money partly leaves."""
    return _stored(
        [
            (VICTIM_1, MULE, 50_000, 0, "mobile", 1),
            (VICTIM_2, MULE, 30_000, 30, "counter", 2),
            (MULE, OTHER, 20_000, 60, "online", 1),
            (VICTIM_1, VICTIM_2, 1_000, -60, "bank", None),
        ]
    )


def test_stored_channels_map_to_trace_channels_and_exits_stop_the_trace() -> None:
    stored = _stored(
        [
            (VICTIM_1, MULE, 50_000, 0, "mobile", 1),
            (MULE, CASH, 20_000, 10, " ATM ", 1),
            (MULE, OTHER, 10_000, 20, "otc", 1),
            (MULE, VICTIM_2, 5_000, 30, "whatever", 1),
            (VICTIM_2, OTHER, 100, 40, None, None),
        ]
    )
    assert stored.transfers.channel is not None
    names = [CHANNELS[int(code)] for code in stored.transfers.channel]
    assert names == ["transfer", "cash", "crypto", "transfer", "transfer"]
    assert stored.case_of.tolist() == [1, 1, 1, 1, -1]
    result = trace_funds(stored.transfers, case_seeds(stored, FundCase(1, "A001", 50_000)))
    status = {node.account: node.status for node in result.nodes}
    assert status[CASH] == status[OTHER] == "exit"
    assert status[VICTIM_2] == "holding"
    assert result.node(MULE).held_fen == 15_000  # type: ignore[union-attr]


def test_case_seeds_are_the_victims_payments_labelled_by_name_and_case() -> None:
    stored = _two_victims()
    seeds = case_seeds(stored, FundCase(1, "A001", 50_000, victim_name="王芳"))
    assert [(s.transfer, s.label) for s in seeds] == [(0, "王芳（A001）")]
    other = case_seeds(stored, FundCase(2, "A002", 30_000))
    assert [(s.transfer, s.label) for s in other] == [(1, "受害人（A002）")]
    with pytest.raises(InvalidInput, match="A009 has no transfers"):
        case_seeds(stored, FundCase(9, "A009", 1))


def test_claimants_are_the_cases_whose_money_reached_the_account() -> None:
    stored = _two_victims()
    assert claimant_cases(stored, MULE) == [1, 2]
    assert claimant_cases(stored, OTHER) == [1]
    assert claimant_cases(stored, VICTIM_2) == []
    with pytest.raises(NotFound):
        claimant_cases(stored, "nobody")


def _entry(entry_id: str, kind: str, account: str, fen: int, bank: str) -> LedgerEntry:
    return LedgerEntry(
        entry_id=entry_id,
        kind=kind,
        case_no="A001",
        account=account,
        bank=bank,
        amount_fen=fen,
        at=START + timedelta(days=1),
        officer="fund",
        legal_basis="冻字001号",
    )


def test_frozen_on_replays_the_entries_and_names_the_bank() -> None:
    entries = [
        _entry("L1", "freeze", MULE, 40_000, "工商银行"),
        _entry("L2", "stop_pay", OTHER, 100, "农业银行"),
    ]
    assert frozen_on(entries, case_no="A001", account=MULE) == (40_000, "工商银行")
    with pytest.raises(InvalidInput, match="nothing is frozen on O in case A001"):
        frozen_on(entries, case_no="A001", account=OTHER)
    with pytest.raises(InvalidInput, match="nothing is frozen"):
        frozen_on(entries, case_no="A002", account=MULE)


def test_account_status_follows_the_holding() -> None:
    assert account_status(Holding(frozen_fen=1, stopped_fen=5)) == "frozen"
    assert account_status(Holding(stopped_fen=5)) == "stop_paid"
    assert account_status(Holding()) == "normal"


def _plan(  # type: ignore[no-untyped-def]
    stored: CaseTransfers,
    claimants: dict[int, FundCase],
    account: str,
    frozen: int,
    entries: tuple[LedgerEntry, ...] = (),
):
    return case_return_plan(
        stored,
        claimants,
        case_no="A001",
        account=account,
        frozen_fen=frozen,
        bank="工商银行",
        index=index_transfers(stored.transfers),
        decided_at=START + timedelta(days=2),
        authority="南宁市公安局反诈中心",
        contact="0771-96110",
        freezes=ledger_freezes(entries),
    )


def test_two_victims_in_one_account_share_it_pro_rata_with_a_notice() -> None:
    stored = _two_victims()
    claimants = {
        1: FundCase(1, "A001", 50_000, "王芳", "6222000000000010"),
        2: FundCase(2, "A002", 30_000, None, None),
    }
    planned = _plan(stored, claimants, MULE, 40_000)
    plan = planned.plan
    # FIFO and LIFO disagree on whose money left: mixed, so each is credited the share of
    # theirs pro rata leaves (37,500 of A001's and 22,500 of A002's).
    assert plan.rule == "pro_rata" and plan.notice_required
    lines = [(line.victim, line.account, line.claim_fen, line.amount_fen) for line in plan.lines]
    assert lines == [
        ("A001", "6222000000000010", 37_500, 25_000),
        ("A002", "待受害人提供", 22_500, 15_000),
    ]
    assert plan.returned_fen == 40_000 and plan.remaining_fen == 0
    assert planned.notice is not None
    assert "被害人王*" in planned.notice


def test_one_deposit_from_one_victim_is_returned_whole() -> None:
    stored = _two_victims()
    planned = _plan(stored, {1: FundCase(1, "A001", 50_000, "王芳", "62220010")}, OTHER, 20_000)
    assert planned.plan.rule == "single_deposit" and planned.notice is None
    assert [(line.victim, line.amount_fen) for line in planned.plan.lines] == [("A001", 20_000)]


def test_a_claimant_without_transfers_is_refused() -> None:
    stored = _two_victims()
    with pytest.raises(InvalidInput, match="A009 has no transfers"):
        _plan(stored, {9: FundCase(9, "A009", 1)}, MULE, 100)


def _three_cases(before_freeze: int) -> CaseTransfers:
    """A001's victim pays the mule, which passes it all on; then A002's and A003's victims
    pay it; ``before_freeze`` fen leave before the freeze at minute 40, 5,000 after it."""
    rows: list[tuple[str, str, int, int, str | None, int | None]] = [
        ("V1", MULE, 50_000, 0, "mobile", 1),
        (MULE, OTHER, 50_000, 10, "online", 1),
        ("V2", MULE, 30_000, 20, "mobile", 2),
        ("V3", MULE, 10_000, 30, "mobile", 3),
        (MULE, "P", 5_000, 50, "online", None),
    ]
    if before_freeze:
        rows.append((MULE, "Q", before_freeze, 35, "online", None))
    return _stored(rows)


def _freeze(amount: int) -> LedgerEntry:
    return LedgerEntry(
        entry_id="L1",
        kind="freeze",
        case_no="A002",
        account=MULE,
        bank="工商银行",
        amount_fen=amount,
        at=START + timedelta(minutes=40),
        officer="fund_officer",
        legal_basis="南公（反诈）冻字〔2026〕003号",
    )


CLAIMANTS = {
    1: FundCase(1, "A001", 50_000, "王芳", "62170001"),
    2: FundCase(2, "A002", 30_000, "李强", "62170002"),
    3: FundCase(3, "A003", 10_000, "张伟", "62170003"),
}


@pytest.mark.parametrize(
    ("before_freeze", "frozen", "rule", "lines"),
    [
        pytest.param(
            0,
            40_000,
            "traced",
            [
                ("A001", 0, 0, 0),
                ("A002", 30_000, 30_000, 750_000),
                ("A003", 10_000, 10_000, 250_000),
            ],
            id="each-victim-traced-into-the-frozen-balance",
        ),
        pytest.param(
            8_000,
            32_000,
            "pro_rata",
            # 8,000 left before the freeze: FIFO says A002's, LIFO A003's; pro rata 6,000
            # of A002's and 2,000 of A003's. Shares 24,000 : 8,000.
            [("A001", 0, 0, 0), ("A002", 24_000, 24_000, 750_000), ("A003", 8_000, 8_000, 250_000)],
            id="mixed-money-shared-on-traced-amounts",
        ),
    ],
)
def test_several_cases_into_one_frozen_account_are_credited_on_traced_money(
    before_freeze: int, frozen: int, rule: str, lines: list[tuple[str, int, int, int]]
) -> None:
    """The reported bug: one case's victim was credited its traced money while the other
    cases' victims were credited their whole losses, though their money had left before the
    freeze. Every line is now the victim's money traced into the frozen balance."""
    stored = _three_cases(before_freeze)
    assert claimant_cases(stored, MULE) == [1, 2, 3]
    planned = _plan(stored, CLAIMANTS, MULE, frozen, (_freeze(frozen),))
    plan = planned.plan
    assert (plan.rule, plan.basis) == (rule, "traced")
    assert [
        (line.victim, line.traced_fen, line.amount_fen, line.share_ppm) for line in plan.lines
    ] == lines
    assert plan.returned_fen == frozen and plan.remaining_fen == 0
    first = plan.lines[0].basis_text()
    assert first.startswith("依据：追踪至该冻结账户的被骗资金 0.00 元") and "不予返还" in first
    assert plan.lines[1].basis_text().endswith("占全部认定金额的 75.00%")
    if planned.notice is not None:
        assert "王*" not in planned.notice and "李*" in planned.notice
