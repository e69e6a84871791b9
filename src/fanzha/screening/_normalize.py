"""Undo the text obfuscation fraudsters use, before rules and the model see the text.

``normalize_text`` runs these steps, in this order (each one relies on the ones
before it):

1. **Invisible characters out, enclosed forms in.** Zero-width and format
   characters (U+200B–U+200F, U+2060–U+2064, U+FEFF, bidi controls), the soft
   hyphen, variation selectors, tag characters, C0/C1 control characters, lone
   surrogates and decorating combining marks (strike-through U+0336/U+0337,
   underline U+0332, keycap U+20E3 …) are dropped. Parenthesised, full-stop,
   negative-circled and regional-indicator forms (⑴ ⒈ ❶ 🅥 🇻) become the bare
   digit or letter, and ➕ becomes +. This runs before NFKC, which would turn
   ⑴ into "(1)" and ⒈ into "1.".
2. **NFKC.** Full-width forms (ＡＢＣ１２３，？), circled digits (①), super- and
   subscripts, mathematical letters and digits (𝐚 𝟘) and compatibility
   ideographs become their plain form.
3. **Lower case**, then one ``str.translate`` table: Cyrillic, Greek and other
   homoglyphs of Latin letters and digits (а→a, ο→o, ı→i, з→3, √→v), traditional
   → simplified Chinese at character level (點擊鏈接 → 点击链接; a table derived
   from opencc by ``scripts/build_t2s_table.py``, leaving characters that are
   also valid simplified ones alone), and combining marks that NFKC exposed.
4. **Whitespace.** Runs collapse to one space, or to one newline when they hold
   a line break; the ends are trimmed.
5. **Contact symbols** that the next step would drop: V❤ / 威♥ → 微信, ➕V → 加V.
6. **Decoration between Chinese characters.** Symbols, emoji and spaces between
   two CJK characters are removed: 刷★单, 刷*单, 兼.职, 刷💰单, 刷 单 返 利 →
   刷单, 兼职, 刷单返利. Punctuation (，。：、) and line breaks stay.
7. **Contact words** → canonical 微信, QQ, telegram (薇信, vx, 加V, 扣扣, 企鹅号,
   纸飞机, tg …; Latin handles only as whole tokens, so vip, wxyz, tv stay). The
   table is ``data/normalize_contacts.yaml``. If anything changed, steps 5 to 7
   run again (vx★刷 → 微信★刷 → 微信刷), at most four rounds.
8. **Chinese numerals in number runs.** A run of at least five digit characters
   (〇零一…九, 壹贰…玖, 幺/么, ASCII digits) that holds a Chinese numeral and
   either a "strong" one (零 〇 幺 壹… or an ASCII digit) or at least seven
   characters becomes ASCII digits: 幺三八零零一三八零零零 → 13800138000,
   九八七六五四三二一 → 987654321. 三十万, 第一, 一二三四五 stay.
9. **Letters inside digit runs.** In a token of at least five characters made
   only of digits and o/i/l/〇/○, with at least three real digits, o/〇/○ → 0
   and l/i → 1: 1З8OO138OOO, l38OOl38OOO → 13800138000. Steps 8 and 9 repeat
   until nothing changes, since each can feed the other (幺三八零零oo).

``normalize`` runs these steps once and records, per step, what it replaced
(``fanzha.screening._offsets``), so the returned ``Normalized`` maps spans of the
normalised text back to the original; ``normalize_text`` is its text alone.

Speed: everything is compiled at import (about 0.1 s). ``normalize_text`` skips
steps that a quick scan shows cannot apply and takes about 9 µs for an
80-character Chinese SMS on one core.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any, Final

import yaml

from fanzha.screening._offsets import BACKWARD_COMBINING, Edit, EditLog, Normalized, edit_of

__all__ = ["normalize", "normalize_text"]


def _data_text(name: str) -> str:
    return (resources.files("fanzha.screening") / "data" / name).read_text(encoding="utf-8")


def _read_pairs(name: str) -> Iterator[tuple[str, str]]:
    for line in _data_text(name).splitlines():
        if line and not line.startswith("#"):
            key, value = line.split("\t")[:2]
            yield key, value


def _ranges(*spans: tuple[int, int]) -> frozenset[int]:
    return frozenset(point for first, last in spans for point in range(first, last + 1))


def _bitmap(points: Iterable[int] = ()) -> bytearray:
    """One byte per code point, 1 for the given ones."""
    bitmap = bytearray(0x110000)
    for point in points:
        bitmap[point] = 1
    return bitmap


def _class_of(bitmap: bytearray, *, negate: bool = False) -> str:
    """Return a regex character class (with brackets) for the code points set in ``bitmap``."""
    parts: list[str] = []
    start = bitmap.find(1)
    while start != -1:
        end = bitmap.find(0, start)
        end = len(bitmap) if end == -1 else end
        first, last = re.escape(chr(start)), re.escape(chr(end - 1))
        parts.append(first if end - 1 == start else f"{first}-{last}")
        start = bitmap.find(1, end)
    return f"[{'^' if negate else ''}{''.join(parts)}]"


def _char_class(points: Iterable[int]) -> str:
    return _class_of(_bitmap(points))


# --- step 1: invisible characters and enclosed forms (before NFKC) ----------------------------

_DECORATING_MARKS: Final = _ranges(
    (0x0300, 0x036F), (0x0483, 0x0489), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)  # fmt: skip
_INVISIBLE: Final = _ranges(
    (0x00, 0x08), (0x0E, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x034F, 0x034F), (0x061C, 0x061C),
    (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0x3164, 0x3164), (0xD800, 0xDFFF), (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)  # fmt: skip


def _enclosed_forms() -> dict[str, str]:
    table = {"➕": "+", "✚": "+", "🄋": "0", "🄌": "0", "⓿": "0"}
    for first, count in ((0x2474, 20), (0x2488, 20), (0x2776, 10), (0x2780, 10), (0x278A, 10)):
        table.update((chr(first + value - 1), str(value)) for value in range(1, count + 1))
    table.update((chr(0x24F5 + value - 1), str(value)) for value in range(1, 11))  # ⓵..⓾
    table.update((chr(0x24EB + value - 11), str(value)) for value in range(11, 21))  # ⓫..⓴
    table.update((chr(0x1F100 + value), str(value)) for value in range(11))  # 🄀 0. .. 🄊 9,
    for first in (0x249C, 0x1F110, 0x1F150, 0x1F170, 0x1F1E6):  # ⒜ 🄐 🅐 🅰 🇦 → a..z
        table.update((chr(first + offset), chr(ord("a") + offset)) for offset in range(26))
    table.update((chr(point), "") for point in _INVISIBLE | _DECORATING_MARKS)
    return table


_PRE_MAP: Final = MappingProxyType(_enclosed_forms())
PRE_RE: Final = re.compile(_char_class(map(ord, _PRE_MAP)))
# The same split in two: a class with astral ranges is much slower to scan.
_PRE_BMP_RE: Final = re.compile(_char_class(ord(char) for char in _PRE_MAP if char <= "\uffff"))
_PRE_ASTRAL_RE: Final = re.compile(_char_class(ord(char) for char in _PRE_MAP if char > "\uffff"))
_ASTRAL_RE: Final = re.compile("[\U00010000-\U0010ffff]")


def pre_repl(match: re.Match[str]) -> str:
    return _PRE_MAP[match.group()]


# --- step 2: NFKC, skipped when it cannot change the text ------------------------------------

# Full-width punctuation is in nearly every Chinese message and sends unicodedata's
# NFKC down its slow path (~200 ns a character); these few replacements come first.
# A full-width form is a plain starter whose NFKD is one ASCII character, so replacing
# it early does not change what NFKC gives.
_COMMON_WIDE: Final = tuple((chr(0xFEE0 + ord(char)), char) for char in ",:!?;()")
_SCANNED_BLOCKS: Final = (
    (0x20, 0x24F), (0x370, 0x52F), (0x2010, 0x2BFF), (0x3001, 0x30FF), (0xFF01, 0xFFEF),
    (0x1F000, 0x1FAFF),
)  # fmt: skip


def _nfkc_stable_bitmap() -> bytearray:
    """Characters that NFKC leaves alone whatever their neighbours.

    Covers the blocks Chinese messages use; a character outside them sends the text
    through ``unicodedata.normalize``.
    """
    bitmap = _bitmap()
    # CJK ideographs have no decompositions (2F800-2FA1F, compatibility ones, are left out)
    for first, last in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2F7FF), (0x30000, 0x3134F)):
        bitmap[first : last + 1] = b"\x01" * (last + 1 - first)
    for first, last in _SCANNED_BLOCKS:
        for point in range(first, last + 1):
            char = chr(point)
            if (
                unicodedata.normalize("NFKC", char) == char
                and unicodedata.combining(char) == 0
                and char not in BACKWARD_COMBINING
            ):
                bitmap[point] = 1
    return bitmap


_NFKC_STABLE: Final = bytes(_nfkc_stable_bitmap())
_NFKC_MAY_CHANGE_RE: Final = re.compile(_class_of(bytearray(_NFKC_STABLE), negate=True))


# --- step 3: homoglyphs, traditional → simplified, exposed combining marks ---------------------

_DELETED: Final = "\x00"  # step 1 removed every NUL, so after folding NUL marks a deletion


def _fold_pairs() -> dict[int, str]:
    pairs = {point: _DELETED for point in _DECORATING_MARKS if point < 0x10000}
    for name in ("normalize_t2s.txt", "normalize_homoglyphs.txt"):
        pairs.update((ord(key), value) for key, value in _read_pairs(name))
    return pairs


def _fold_string(pairs: dict[int, str]) -> str:
    """A 64K string indexed by code point: ``str.translate`` on it needs no dict look-ups."""
    table = list("".join(map(chr, range(0x10000))))
    for point, value in pairs.items():
        table[point] = value
    return "".join(table)


_FOLD_PAIRS: Final = MappingProxyType(_fold_pairs())
_FOLD: Final = _fold_string(dict(_FOLD_PAIRS))
_FOLD_KEYS: Final = tuple(_FOLD_PAIRS)
_FOLD_RE: Final = re.compile(_char_class(_FOLD_KEYS))


# --- steps 4-9 -------------------------------------------------------------------------------

_ODD_SPACES: Final = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_ODD_SPACE_RE: Final = re.compile(f"[{_ODD_SPACES}]")


def _usual_bitmap() -> bytearray:
    """Characters that steps 1-4 leave alone, but for ASCII upper case (lowered)."""
    bitmap = bytearray(_NFKC_STABLE)
    for point in (*map(ord, _PRE_MAP), *map(ord, _ODD_SPACES), *_FOLD_KEYS):
        bitmap[point] = 0
    for first, last in _SCANNED_BLOCKS:
        for point in range(max(first, 0x80), last + 1):
            if bitmap[point] and chr(point).lower() != chr(point):
                bitmap[point] = 0
    return bitmap


# One scan tells whether a non-ASCII text needs steps 1-3 beyond lower-casing.
_UNUSUAL_RE: Final = re.compile(_class_of(_usual_bitmap(), negate=True))
# Step 4 in two passes: runs holding a line break become one, then other runs one space.
_LINE_BREAK_RUN_RE: Final = re.compile(r"\s*\n\s*")
_SPACE_OTHER_RE: Final = re.compile(r"[^\S\n]{2,}|[^\S \n]")
_CJK: Final = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_DECORATION: Final = (
    r"*.|~^_\-=#\\`+&@$<> "
    "\u00a4\u00a6\u00a7\u00a9\u00ac\u00ae\u00b0\u00b1\u00b6\u00b7\u2010-\u2013\u2016\u2017"
    "\u2020-\u2024\u2027\u2030-\u205e\u2190-\u245f\u2500-\u25ca\u25cc-\u25ee\u25f0-\u2bff"
    "\u2e00-\u2e7f\u3003\u3004\u3012\u3013\u301c\u3020\u3030\u3036\u303d\u30fb"
    "\ue000-\uf8ff\ufffc\ufffd\U0001f000-\U0001fbff"
)
# Starts with a consumed class (not a look-behind) so that re scans for it quickly.
DECORATION_RE: Final = re.compile(
    f"[{_DECORATION}](?<=[{_CJK}][{_DECORATION}])[{_DECORATION}]*(?=[{_CJK}])"
)
_HEARTS: Final = "❤♥♡❣💓💕💖💗💘💙💚💛💜💝💞🖤🤍🤎🧡"
_NUMERALS: Final = "〇○◯零一二三四五六七八九壹贰叁肆伍陆柒捌玖幺么"
_NUMERAL_DIGITS: Final = str.maketrans(_NUMERALS, "000012345678912345678911")
NUMERAL_RUN_RE: Final = re.compile(f"[{_NUMERALS}0-9][{_NUMERALS}0-9]{{4,}}")
_STRONG_NUMERAL_RE: Final = re.compile("[0-9〇○◯零幺壹贰叁肆伍陆柒捌玖]")
_CJK_CHAR_RE: Final = re.compile(f"[{_CJK}]")
_LETTER_DIGITS: Final = str.maketrans("oil〇○◯", "011000")
LETTER_RUN_RE: Final = re.compile(
    r"[0-9oil〇○◯](?<![0-9a-z/=%&?#_.\-][0-9oil〇○◯])[0-9oil〇○◯]{4,}(?![0-9a-z])"
)


@dataclass(frozen=True, slots=True)
class Rules:
    """One section of ``normalize_contacts.yaml``: an alternation tried only at ``starts``."""

    pattern: re.Pattern[str]
    starts: re.Pattern[str]
    needs: re.Pattern[str] | None
    replacements: tuple[str, ...]

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        """Yield what ``pattern.finditer`` would, trying the pattern at start characters only."""
        if self.needs is not None and not self.needs.search(text):
            return
        position = 0
        while (hit := self.starts.search(text, position)) is not None:
            match = self.pattern.match(text, hit.start())
            if match is None:
                position = hit.start() + 1
            else:
                yield match
                position = match.end()


def _char_re(chars: str) -> re.Pattern[str]:
    return re.compile(_char_class(map(ord, chars)))


def _needs_re(chars: str) -> re.Pattern[str]:
    """A class of the BMP characters plus every astral one: astral literals scan slowly."""
    bmp = _char_class(ord(char) for char in chars if char <= "\uffff")
    return re.compile(f"{bmp[:-1]}\U00010000-\U0010ffff]")


def _load_rules(data: dict[str, Any]) -> Rules:
    """Compile one section of ``normalize_contacts.yaml``."""
    fills = {"{heart}": f"[{_HEARTS}]", "{sep}": r"[ .*_\-]?", "{numeral}": f"[{_NUMERALS}0-9]"}

    def fill(pattern: str) -> str:
        for placeholder, body in fills.items():
            pattern = pattern.replace(placeholder, body)
        return pattern

    branches = "|".join(f"({fill(str(rule['pattern']))})" for rule in data["rules"])
    needs = data.get("needs")
    return Rules(
        pattern=re.compile(branches),
        needs=None if needs is None else _needs_re(str(needs).replace("{heart}", _HEARTS)),
        # A rule that starts with a Latin letter never follows a letter or digit (the YAML's
        # (?<![a-z0-9]) guard), so such positions need no try.
        starts=re.compile(_char_re(str(data["starts"])).pattern + "(?<![a-z0-9][a-z])"),
        replacements=tuple(str(rule["replace"]) for rule in data["rules"]),
    )


_CONTACT_TABLE: Final = yaml.safe_load(_data_text("normalize_contacts.yaml"))
PRE_CONTACT: Final = _load_rules(_CONTACT_TABLE["before_decoration"])
CONTACT_ROUNDS: Final = 4
CONTACT: Final = _load_rules(_CONTACT_TABLE["contacts"])


class ContactRepl:
    """Replace contact words, keeping a Latin result (QQ, telegram) apart from Latin neighbours.

    Without the space 123扣扣 → 123QQ would read as one token on a second pass
    (lower-cased to 123qq, no longer a QQ handle) and break idempotence. One
    instance serves one pass over one text, in match order.
    """

    __slots__ = ("last_char", "last_end", "replacements")

    def __init__(self, rules: Rules) -> None:
        self.replacements = rules.replacements
        self.last_end = -1
        self.last_char = ""

    def __call__(self, match: re.Match[str]) -> str:
        replacement = self.replacements[(match.lastindex or 1) - 1]
        begin, end = match.span()
        before = self.last_char if begin == self.last_end else match.string[begin - 1 : begin]
        if _is_ascii_alnum(before) and _is_ascii_alnum(replacement[0]):
            replacement = " " + replacement
        after = match.string[end : end + 1]
        if after.isascii() and after.isalpha() and _is_ascii_alnum(replacement[-1]):
            replacement += " "
        self.last_end, self.last_char = end, replacement[-1]
        return replacement


def _is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def numeral_repl(match: re.Match[str]) -> str:
    run = match.group()
    lead = 0
    start = match.start()
    if start > 0 and _CJK_CHAR_RE.match(match.string, start - 1):
        while lead < len(run) and run[lead] == "么":  # the 么 of 什么 / 怎么
            lead += 1
    body = run[lead:]
    if body.isascii() or len(body) < (5 if _STRONG_NUMERAL_RE.search(body) else 7):
        return run
    return run[:lead] + body.translate(_NUMERAL_DIGITS)


def letter_digit_repl(match: re.Match[str]) -> str:
    run = match.group()
    if sum("0" <= char <= "9" for char in run) < 3:
        return run
    return run.translate(_LETTER_DIGITS)


# --- the driver ------------------------------------------------------------------------------


def normalize(text: str) -> Normalized:
    """Return ``text`` with the obfuscations listed in the module docstring undone.

    The result holds the normalised text and the edits that map it back to ``text``
    (:meth:`Normalized.original_spans`), both from this one pass.
    """
    log = EditLog()
    if text.isascii():
        folded = log.sub(_PRE_BMP_RE, pre_repl, text).lower()
        unusual = _ODD_SPACE_RE.search(folded) is not None
    else:
        folded = text
        for wide, narrow in _COMMON_WIDE:  # one for one: no edit to record
            if wide in folded:
                folded = folded.replace(wide, narrow)
        unusual = _UNUSUAL_RE.search(folded) is not None
        folded = _fold_characters(folded, log) if unusual else folded.lower()
    return log.result(text, _normalize_folded(folded, log, unusual=unusual))


def normalize_text(text: str) -> str:
    """Return ``text`` with the obfuscations listed in the module docstring undone."""
    return normalize(text).text


def _normalize_folded(text: str, log: EditLog, *, unusual: bool) -> str:
    """Steps 4-9 on the output of steps 1-3."""
    if unusual or "  " in text or text[:1] == " " or text[-1:] == " ":
        text = log.sub(_LINE_BREAK_RUN_RE, "\n", text)
        text = log.strip(log.sub(_SPACE_OTHER_RE, " ", text))
    text = _scan_sub(PRE_CONTACT, text, log)
    if not text.isascii():  # decoration needs CJK characters
        text = log.sub(DECORATION_RE, "", text)
    for _ in range(CONTACT_ROUNDS):  # a new 微信 can expose more (vx+❤ → 微信+❤ → 微信加❤)
        fixed = _scan_sub(CONTACT, text, log)
        if fixed == text:
            break
        text = log.sub(DECORATION_RE, "", _scan_sub(PRE_CONTACT, fixed, log))
    while True:  # steps 8 and 9 can feed each other (幺三八零零oo): repeat until stable
        fixed = log.sub(NUMERAL_RUN_RE, numeral_repl, text) if not text.isascii() else text
        fixed = log.sub(LETTER_RUN_RE, letter_digit_repl, fixed)
        if fixed == text:
            return text
        text = fixed


def _fold_characters(text: str, log: EditLog) -> str:
    """Steps 1-3 in full, for a text that holds some unusual character."""
    text = log.sub(_PRE_BMP_RE, pre_repl, text)
    if _ASTRAL_RE.search(text):
        text = log.sub(_PRE_ASTRAL_RE, pre_repl, text)
    if _NFKC_MAY_CHANGE_RE.search(text):
        text = log.nfkc(text, _NFKC_MAY_CHANGE_RE)
    text = log.lower(text)
    if _FOLD_RE.search(text):
        text = log.drop_deleted(text.translate(_FOLD), _DELETED)  # one for one, then deletions
    return text


# --- helpers ---------------------------------------------------------------------------------


def _scan_sub(rules: Rules, text: str, log: EditLog) -> str:
    """``rules.pattern.sub`` with a fresh ``ContactRepl``, trying start characters only."""
    pieces: list[str] = []
    edits: list[Edit] = []
    done = 0
    repl = ContactRepl(rules)
    for match in rules.matches(text):
        replacement = repl(match)
        pieces.extend((text[done : match.start()], replacement))
        edit = edit_of(match.start(), match.group(), replacement)
        if edit is not None:
            edits.append(edit)
        done = match.end()
    if not pieces:
        return text
    log.add(edits)
    pieces.append(text[done:])
    return "".join(pieces)
