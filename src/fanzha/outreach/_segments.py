"""How many SMS segments a text takes, by the UCS-2 rule every Chinese SMS is sent under.

A text with any Chinese character cannot use the 7-bit GSM alphabet, so it is sent as
UCS-2 (GSM 03.38 / 3GPP TS 23.040): one segment carries up to **70** characters; a longer
text is split into concatenated parts, each of which gives 3 characters to the 6-byte user
data header and so carries **67**. Characters outside the Basic Multilingual Plane (most
emoji) take two UCS-2 code units and are counted twice. Chinese carriers bill per segment,
so a template's segment count is what one recipient costs.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SMS_MULTI_PART", "SMS_SINGLE", "SmsCount", "sms_segments"]

SMS_SINGLE = 70
SMS_MULTI_PART = 67


@dataclass(frozen=True, slots=True)
class SmsCount:
    """``units``: UCS-2 code units; ``segments``: parts billed; ``rule``: how it was counted."""

    units: int
    segments: int
    rule: str


def sms_segments(text: str) -> SmsCount:
    """The UCS-2 segment count of ``text`` (0 for the empty text)."""
    units = sum(2 if ord(char) > 0xFFFF else 1 for char in text)
    if units == 0:
        return SmsCount(0, 0, "empty")
    if units <= SMS_SINGLE:
        return SmsCount(units, 1, f"单条：≤{SMS_SINGLE} 字")
    segments = -(-units // SMS_MULTI_PART)
    return SmsCount(units, segments, f"长短信：每条 {SMS_MULTI_PART} 字，共 {segments} 条")
