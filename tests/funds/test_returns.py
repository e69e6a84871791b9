"""Return plans under the 2016 rules: whole, by trace, or pro rata after a 30-day notice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.errors import InvalidInput
from fanzha.funds import victim_seeds
from fanzha.funds._returns import (
    NOTICE_DAYS,
    VictimClaim,
    mask_account,
    mask_name,
    plan_returns,
    return_notice,
    trace_claims,
)
from tests.funds.conftest import make_transfers

DECIDED = datetime(2024, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=8)))


def plan(claims: list[VictimClaim], *, frozen: int, deposits: int = 3, traceable: bool = False):  # type: ignore[no-untyped-def]
    return plan_returns(
        claims,
        case_no="南公反诈〔2024〕88",
        frozen_account="6222021234567890123",
        bank="农业银行南宁分行",
        frozen_fen=frozen,
        deposits=deposits,
        traceable=traceable,
        decided_at=DECIDED,
    )


def test_single_deposit_is_returned_whole() -> None:
    result = plan([VictimClaim("V1", "6217001", loss_fen=50_000)], frozen=30_000, deposits=1)
    assert result.rule == "single_deposit"
    assert [(line.victim, line.amount_fen) for line in result.lines] == [("V1", 30_000)]
    assert not result.notice_required and result.executable_from == DECIDED


def test_traceable_deposits_go_back_by_trace() -> None:
    claims = [
        VictimClaim("V1", "6217001", loss_fen=50_000, traced_fen=20_000),
        VictimClaim("V2", "6217002", loss_fen=10_000, traced_fen=15_000),
    ]
    result = plan(claims, frozen=40_000, traceable=True)
    assert result.rule == "traced"
    assert [line.amount_fen for line in result.lines] == [20_000, 10_000]
    assert result.remaining_fen == 10_000


def test_untraceable_deposits_are_shared_pro_rata_on_traced_money_after_notice() -> None:
    claims = [
        VictimClaim("V1", "6217001", loss_fen=30_000, traced_fen=30_000),
        VictimClaim("V2", "6217002", loss_fen=20_000, traced_fen=20_000),
        VictimClaim("V3", "6217003", loss_fen=10_000),
    ]
    result = plan(claims, frozen=10_001)
    assert result.rule == "pro_rata" and result.basis == "traced"
    # V3's money is not traced into the frozen balance: it is credited nothing here, not its
    # whole loss (the reported bug), and the others share by what is traced (largest remainder).
    assert [line.amount_fen for line in result.lines] == [6_001, 4_000, 0]
    assert [line.share_ppm for line in result.lines] == [600_000, 400_000, 0]
    assert result.returned_fen == 10_001 and result.remaining_fen == 0
    assert result.notice_required
    assert result.executable_from == DECIDED + timedelta(days=NOTICE_DAYS)
    texts = [line.basis_text() for line in result.lines]
    assert texts[0] == "依据：追踪至该冻结账户的被骗资金 300.00 元，占全部认定金额的 60.00%"
    assert "追踪至该冻结账户的被骗资金 0.00 元" in texts[2] and "本账户不予返还" in texts[2]
    notice = return_notice(result, authority="南宁市公安局", contact="0771-0000000")
    assert "认定金额为追踪至该冻结账户的被骗资金" in notice
    assert "3. " not in notice  # the line paid nothing is not in the notice


def test_traced_money_is_capped_at_the_loss_and_said_so() -> None:
    claims = [
        VictimClaim("V1", "6217001", loss_fen=10_000, traced_fen=15_000),
        VictimClaim("V2", "6217002", loss_fen=30_000, traced_fen=30_000),
    ]
    result = plan(claims, frozen=20_000)
    assert [(line.claim_fen, line.amount_fen) for line in result.lines] == [
        (10_000, 5_000),
        (30_000, 15_000),
    ]
    assert "（以报案被骗金额 100.00 元为限）" in result.lines[0].basis_text()


def test_losses_are_the_claims_only_when_nothing_is_traced_there() -> None:
    claims = [
        VictimClaim("V1", "6217001", loss_fen=30_000),
        VictimClaim("V2", "6217002", loss_fen=10_000),
    ]
    result = plan(claims, frozen=20_000)
    assert (result.rule, result.basis) == ("pro_rata", "loss")
    assert [line.amount_fen for line in result.lines] == [15_000, 5_000]
    assert result.lines[0].basis_text() == (
        "依据：报案被骗金额（资金未能追踪至该冻结账户） 300.00 元，占全部认定金额的 75.00%"
    )
    assert result.to_dict()["lines"][1]["basis_text"].endswith("25.00%")


@settings(max_examples=100, deadline=None)
@given(
    claims=st.lists(st.integers(1, 10**9), min_size=1, max_size=8),
    frozen=st.integers(0, 10**9),
)
def test_a_plan_never_pays_more_than_frozen_or_claimed(claims: list[int], frozen: int) -> None:
    result = plan(
        [VictimClaim(f"V{i}", f"62{i}", loss_fen=c) for i, c in enumerate(claims)], frozen=frozen
    )
    assert result.returned_fen == min(frozen, sum(claims))
    assert result.returned_fen + result.remaining_fen == frozen
    assert all(0 <= line.amount_fen <= line.claim_fen for line in result.lines)


def test_notice_text_is_chinese_and_masked() -> None:
    claims = [
        VictimClaim("V1", "6217001", loss_fen=30_000),
        VictimClaim("V2", "6217002", loss_fen=10_000),
    ]
    text = return_notice(
        plan(claims, frozen=20_000),
        authority="南宁市公安局",
        contact="0771-0000000",
        names={"V1": "张三丰", "V2": "李四"},
    )
    for part in (
        "冻结资金返还公告",
        "第八条",
        "公告期为30日",
        "张**",
        "李*",
        "6222 **** 0123",
        "拟返还人民币150.00元",
        "2024年3月31日",
        "继续冻结",
    ):
        assert part in text, part
    assert "张三丰" not in text


def test_notice_is_dated_in_beijing_time_when_decided_on_a_utc_evening() -> None:
    """02:36 on 3 December in Beijing is 18:36 on 2 December in UTC, as the API stamps it."""
    claims = [VictimClaim("V1", "6217001", 30_000), VictimClaim("V2", "6217002", 10_000)]
    decided = datetime(2026, 12, 2, 18, 36, tzinfo=UTC)
    text = return_notice(
        plan_returns(
            claims,
            case_no="南公反诈〔2026〕12",
            frozen_account="6222021234567890123",
            bank="农业银行南宁分行",
            frozen_fen=20_000,
            deposits=3,
            traceable=False,
            decided_at=decided,
        ),
        authority="南宁市公安局",
        contact="0771-0000000",
    )
    assert "自2026年12月3日起至2027年1月2日止" in text
    assert text.rstrip().endswith("南宁市公安局\n2026年12月3日")
    assert "12月2日" not in text


def test_notice_only_for_pro_rata() -> None:
    single = plan([VictimClaim("V1", "6217001", loss_fen=1)], frozen=1, deposits=1)
    with pytest.raises(InvalidInput, match="needs no public notice"):
        return_notice(single, authority="x", contact="y")


@pytest.mark.parametrize(
    ("claims", "match"),
    [
        pytest.param([], "at least one", id="none"),
        pytest.param(
            [VictimClaim("V1", "1", 5), VictimClaim("V1", "2", 6)], "claims twice", id="twice"
        ),
        pytest.param([VictimClaim("V1", "1", -5)], "whole fen", id="negative"),
        pytest.param([VictimClaim("V1", "1", 0)], "no loss", id="no-loss"),
        pytest.param([VictimClaim("V1", " ", 5)], "no account", id="no-account"),
    ],
)
def test_bad_claims(claims: list[VictimClaim], match: str) -> None:
    with pytest.raises(InvalidInput, match=match):
        plan(claims, frozen=10)


@pytest.mark.parametrize(
    ("rows", "traceable", "held_by"),
    [
        pytest.param(
            [("V1", "M", 100.0, 1), ("M", "X", 100.0, 2), ("V2", "M", 50.0, 3)],
            True,
            {"V2": 5_000},
            id="earlier-victim-gone-before-the-next-arrived",
        ),
        pytest.param(
            [("V1", "M", 100.0, 1), ("V2", "M", 50.0, 2), ("M", "X", 60.0, 3)],
            False,
            # FIFO (40 of V1's, 50 of V2's) and LIFO disagree: mixed, so pro rata's.
            {"V1": 6_000, "V2": 3_000},
            id="mixed-fifo-and-lifo-disagree",
        ),
    ],
)
def test_trace_claims_decides_traceability(
    rows: list[tuple[str, str, float, int]], traceable: bool, held_by: dict[str, int]
) -> None:
    transfers = make_transfers(rows)
    seeds = [*victim_seeds(transfers, "V1"), *victim_seeds(transfers, "V2")]
    claims = trace_claims(transfers, seeds, "M")
    assert claims.traceable is traceable
    assert dict(claims.held) == held_by
    assert claims.deposits == 2


@pytest.mark.parametrize(
    ("raw", "masked"), [("张三丰", "张**"), ("李四", "李*"), ("王", "王*"), ("", "")]
)
def test_mask_name(raw: str, masked: str) -> None:
    assert mask_name(raw) == masked


def test_mask_account() -> None:
    assert mask_account("6222021234567890123") == "6222 **** 0123"
    assert mask_account("123456") == "12****"
