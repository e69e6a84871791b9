"""Perturbations fraudsters use to slip past filters, for the robustness check.

Each perturbation is applied to a message with some probability, seeded, so the
obfuscated copy of a dev split is reproducible. Used by ``bench/robustness.py``.
"""

from __future__ import annotations

import random
import re

import opencc

__all__ = ["PERTURBATIONS", "obfuscate"]

ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
DECORATIONS = ("★", "*", "|", "~", "♥", "·", "💰", "_")
HOMOGLYPHS = {"a": "а", "o": "о", "e": "е", "p": "р", "c": "с", "x": "х", "0": "О", "1": "l"}
CIRCLED = {str(d): chr(0x2460 + d - 1) for d in range(1, 10)} | {"0": "〇"}
CHINESE_DIGITS = dict(zip("0123456789", "零一二三四五六七八九", strict=True))
WECHAT_SPELLINGS = ("薇信", "V信", "vx", "➕V", "威信", "徽信")
_T2S_REVERSE = opencc.OpenCC("s2t")


def _full_width(text: str, rng: random.Random) -> str:
    return "".join(
        chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" and rng.random() < 0.8 else ch for ch in text
    )


def _zero_width(text: str, rng: random.Random) -> str:
    return "".join(ch + rng.choice(ZERO_WIDTH) if rng.random() < 0.3 else ch for ch in text)


def _decorate(text: str, rng: random.Random) -> str:
    return "".join(
        ch + rng.choice(DECORATIONS) if "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.2 else ch
        for ch in text
    )


def _space_out(text: str, rng: random.Random) -> str:
    return "".join(
        ch + " " if "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.3 else ch for ch in text
    )


def _homoglyphs(text: str, rng: random.Random) -> str:
    return "".join(HOMOGLYPHS[ch] if ch in HOMOGLYPHS and rng.random() < 0.7 else ch for ch in text)


def _digits(text: str, rng: random.Random) -> str:
    table = CIRCLED if rng.random() < 0.5 else CHINESE_DIGITS

    def spell(match: re.Match[str]) -> str:
        return "".join(table.get(ch, ch) for ch in match.group(0))

    return re.sub(r"\d{5,}", spell, text)


def _wechat(text: str, rng: random.Random) -> str:
    return re.sub("微信", lambda _m: rng.choice(WECHAT_SPELLINGS), text)


def _traditional(text: str, rng: random.Random) -> str:
    return str(_T2S_REVERSE.convert(text))


PERTURBATIONS = (
    _full_width,
    _zero_width,
    _decorate,
    _space_out,
    _homoglyphs,
    _digits,
    _wechat,
    _traditional,
)


def obfuscate(text: str, rng: random.Random, *, rate: float = 0.5) -> str:
    """Apply each perturbation with probability ``rate`` (at least one is always applied)."""
    chosen = [p for p in PERTURBATIONS if rng.random() < rate] or [rng.choice(PERTURBATIONS)]
    for perturbation in chosen:
        text = perturbation(text, rng)
    return text
