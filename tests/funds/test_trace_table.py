"""The trace as a table: a tree of accounts, priorities in order, and the JSON shape."""

from __future__ import annotations

from fanzha.funds import TRACE_COLUMNS, priority_rows, trace_funds, trace_rows, victim_seeds
from tests.funds.conftest import make_transfers
from tests.funds.test_trace import MIXING


def test_priorities_most_money_first_then_earliest() -> None:
    transfers = make_transfers(
        [
            ("V", "A", 300.0, 1),
            ("A", "B", 100.0, 2),
            ("A", "C", 100.0, 3),
            ("V", "D", 100.0, 4),
        ]
    )
    result = trace_funds(transfers, victim_seeds(transfers, "V"))
    order = [(p.account, p.amount_fen) for p in result.priorities]
    assert order == [("A", 10_000), ("B", 10_000), ("C", 10_000), ("D", 10_000)]
    assert priority_rows(result)[0][:3] == ("1", "止付", "A")


def test_rows_draw_a_tree_and_json_has_every_edge() -> None:
    transfers = make_transfers(MIXING)
    result = trace_funds(transfers, victim_seeds(transfers, "V"))
    rows = trace_rows(result)
    assert [r[0] for r in rows] == ["V", "  └ M", "    └ N", "    └ P"]
    assert all(len(r) == len(TRACE_COLUMNS) for r in rows)
    data = result.to_dict()
    assert {(e["src"], e["dst"]) for e in data["edges"]} == {("V", "M"), ("M", "N"), ("M", "P")}
    assert data["total_fen"] == 10_000
