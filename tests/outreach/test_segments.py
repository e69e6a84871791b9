"""SMS segment counting: 70 UCS-2 units in one segment, 67 per part when concatenated."""

from __future__ import annotations

import pytest

from fanzha.outreach._segments import (
    sms_segments,
)


@pytest.mark.parametrize(
    ("text", "units", "segments"),
    [
        pytest.param("", 0, 0, id="empty"),
        pytest.param("反" * 70, 70, 1, id="70-chinese-one-segment"),
        pytest.param("反" * 71, 71, 2, id="71-chinese-two-parts"),
        pytest.param("反" * 134, 134, 2, id="134-is-two-parts-of-67"),
        pytest.param("反" * 135, 135, 3, id="135-three-parts"),
        pytest.param("a" * 70, 70, 1, id="ascii-counted-as-ucs2"),
        pytest.param("😀" * 35, 70, 1, id="emoji-two-units-each"),
        pytest.param("😀" * 36, 72, 2, id="emoji-over-the-limit"),
    ],
)
def test_segments(text: str, units: int, segments: int) -> None:
    count = sms_segments(text)
    assert (count.units, count.segments) == (units, segments)


def test_rule_is_named() -> None:
    assert "67" in sms_segments("反" * 100).rule
    assert "70" in sms_segments("反").rule
