"""Campaign transitions, and the skip rules of a run: opt-out first, then the cap."""

from __future__ import annotations

import pytest

from fanzha.errors import IllegalTransition
from fanzha.outreach._campaigns import (
    Recipient,
    check_transition,
    plan_recipients,
)


def test_approval_path_and_illegal_jumps() -> None:
    assert check_transition("draft", "pending") == "submit"
    assert check_transition("pending", "approved") == "approve"
    assert check_transition("pending", "draft") == "reject"
    with pytest.raises(IllegalTransition):
        check_transition("draft", "approved")  # no send without approval
    with pytest.raises(IllegalTransition):
        check_transition("finished", "approved")


def test_plan_skips_opted_out_and_capped() -> None:
    people = [Recipient(i, f"1387710000{i}", "青秀区") for i in range(1, 5)]
    plans = plan_recipients(
        [*people, Recipient(None, "wecom", None)],
        opted_out=frozenset({1, 2}),
        recent_counts={2: 5, 3: 2, 4: 1},
        cap=2,
    )
    assert [p.status for p in plans] == [
        "skipped_optout",
        "skipped_optout",
        "skipped_cap",
        "queued",
        "queued",
    ]
