"""Small transfer sets the funds tests build themselves."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from fanzha.funds import Transfers, transfers_from_arrays

Row = tuple[str, str, float, int]


def make_transfers(
    rows: Sequence[Row], *, unit: str = "s", channel: Sequence[str] | None = None
) -> Transfers:
    """Transfers from (src, dst, yuan, time) rows, in that input order."""
    return transfers_from_arrays(
        [r[0] for r in rows],
        [r[1] for r in rows],
        np.rint(np.array([r[2] for r in rows], dtype=np.float64) * 100).astype(np.int64),
        [r[3] for r in rows],
        time_unit=unit,
        channel=channel,
    )


def held(result: object, account: str) -> int:
    """Victim money (fen) left in ``account`` by a trace result."""
    node = result.node(account)  # type: ignore[attr-defined]
    return 0 if node is None else int(node.held_fen)
