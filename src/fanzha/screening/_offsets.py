"""Normalise a text while tracking where each output character came from.

``normalize_with_offsets`` runs the steps of ``fanzha.screening._normalize`` while
tracking, for every output character, the index of the input character it came from;
``map_span`` turns a span of the normalised text back into a span of the original.

Speed: ``normalize_with_offsets`` works character by character and is 10-20 times
slower than ``normalize_text``, so run it only on texts with rule hits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from types import MappingProxyType
from typing import Final

from fanzha.errors import InvalidInput
from fanzha.screening._normalize import (
    BACKWARD_COMBINING,
    CONTACT,
    CONTACT_ROUNDS,
    DECORATION_RE,
    LETTER_RUN_RE,
    NUMERAL_RUN_RE,
    PRE_CONTACT,
    PRE_RE,
    ContactRepl,
    Rules,
    fold_char,
    letter_digit_repl,
    normalize_text,
    numeral_repl,
    pre_repl,
)

__all__ = ["map_span", "normalize_with_offsets"]

_Offsets = list[int]
_Repl = Callable[[re.Match[str]], str]

_SPACE_RUN_RE: Final = re.compile(r"\s+")


@cache
def _charwise_table() -> Mapping[int, str]:
    """Characters that normalise, on their own, to one other character (Ａ→a, 們→们)."""
    table = {}
    for code in range(0x10000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        single = normalize_text(char)
        if len(single) == 1 and single != char:
            table[code] = single
    return MappingProxyType(table)


def normalize_with_offsets(
    text: str, *, normalised: str | None = None
) -> tuple[str, tuple[int, ...]]:
    """Return ``normalize_text(text)`` and, per output character, its index in ``text``.

    Runs in O(n); meant for texts with rule hits, whose spans are shown in the original.
    Fast path: when normalising only replaced characters one for one (full-width
    punctuation, case, traditional characters), the offsets are the identity. A caller
    that already holds ``normalize_text(text)`` passes it as ``normalised``.
    """
    if normalised is None:
        normalised = normalize_text(text)
    if len(normalised) == len(text) and normalised == text.translate(_charwise_table()):
        return normalised, tuple(range(len(text)))
    offsets = list(range(len(text)))
    text, offsets = _sub_offsets(PRE_RE.finditer(text), pre_repl, text, offsets)
    text, offsets = _nfkc_offsets(text, offsets)
    text, offsets = _per_char_offsets(str.lower, text, offsets)
    text, offsets = _per_char_offsets(fold_char, text, offsets)
    text, offsets = _sub_offsets(_SPACE_RUN_RE.finditer(text), _space_repl, text, offsets)
    lead, kept = len(text) - len(text.lstrip()), len(text.strip())
    text, offsets = text.strip(), offsets[lead : lead + kept]
    text, offsets = _contact_offsets(PRE_CONTACT, text, offsets)
    text, offsets = _sub_offsets(DECORATION_RE.finditer(text), _delete, text, offsets)
    for _ in range(CONTACT_ROUNDS):
        fixed, offsets = _contact_offsets(CONTACT, text, offsets)
        if fixed == text:
            break
        text, offsets = _contact_offsets(PRE_CONTACT, fixed, offsets)
        text, offsets = _sub_offsets(DECORATION_RE.finditer(text), _delete, text, offsets)
    while True:
        numerals = NUMERAL_RUN_RE.finditer(text)
        fixed, offsets = _sub_offsets(numerals, numeral_repl, text, offsets)
        letters = LETTER_RUN_RE.finditer(fixed)
        fixed, offsets = _sub_offsets(letters, letter_digit_repl, fixed, offsets)
        if fixed == text:
            return text, tuple(offsets)
        text = fixed


def map_span(offsets: Sequence[int], start: int, end: int, original_length: int) -> tuple[int, int]:
    """Map the span ``[start, end)`` of a normalised text to the original text.

    ``offsets`` is the second item of :func:`normalize_with_offsets`. Returns the
    ``(start, end)`` of the original characters the span came from; an empty span
    maps to an empty span. Raises ``InvalidInput`` if the span is not inside the
    normalised text.
    """
    if not 0 <= start <= end <= len(offsets):
        raise InvalidInput(
            f"span [{start}, {end}) is outside the normalised text of length {len(offsets)}; "
            "pass a span of the text normalize_with_offsets returned",
            field="span",
            value=(start, end),
        )
    if start == end:
        position = offsets[start] if start < len(offsets) else original_length
        return position, position
    return offsets[start], min(offsets[end - 1] + 1, original_length)


# --- helpers ---------------------------------------------------------------------------------


def _space_repl(match: re.Match[str]) -> str:
    return "\n" if "\n" in match.group() else " "


def _delete(match: re.Match[str]) -> str:
    return ""


def _contact_offsets(rules: Rules, text: str, offsets: _Offsets) -> tuple[str, _Offsets]:
    return _sub_offsets(rules.matches(text), ContactRepl(rules), text, offsets)


def _spread(offsets: _Offsets, begin: int, end: int, length: int) -> list[int]:
    """Offsets for ``length`` output characters that replace ``offsets[begin:end]``."""
    width = end - begin
    if width == 0:
        return [offsets[min(begin, len(offsets) - 1)]] * length
    return [offsets[begin + (index * width) // length] for index in range(length)]


def _sub_offsets(
    matches: Iterable[re.Match[str]], repl: _Repl, text: str, offsets: _Offsets
) -> tuple[str, _Offsets]:
    """Apply ``repl`` to ``matches``; a prefix or suffix the replacement keeps maps one to one."""
    pieces: list[str] = []
    mapped: _Offsets = []
    done = 0
    for match in matches:
        begin, end = match.span()
        source, replacement = match.group(), repl(match)
        limit = min(len(source), len(replacement))
        head = 0
        while head < limit and source[head] == replacement[head]:
            head += 1
        tail = 0
        while tail < limit - head and source[-1 - tail] == replacement[-1 - tail]:
            tail += 1
        pieces.extend((text[done:begin], replacement))
        mapped.extend(offsets[done : begin + head])
        middle = len(replacement) - head - tail
        mapped.extend(_spread(offsets, begin + head, end - tail, middle))
        mapped.extend(offsets[end - tail : end])
        done = end
    pieces.append(text[done:])
    mapped.extend(offsets[done:])
    return "".join(pieces), mapped


def _per_char_offsets(
    fold: Callable[[str], str], text: str, offsets: _Offsets
) -> tuple[str, _Offsets]:
    pieces: list[str] = []
    mapped: _Offsets = []
    for char, offset in zip(text, offsets, strict=True):
        folded = fold(char)
        pieces.append(folded)
        mapped.extend([offset] * len(folded))
    return "".join(pieces), mapped


def _starts_chunk(char: str) -> bool:
    """Whether NFKC of the text before ``char`` cannot interact with NFKC from ``char`` on."""
    if char < "\u0300":
        return True
    head = unicodedata.normalize("NFKD", char)[:1]
    return (
        unicodedata.combining(char) == 0
        and unicodedata.combining(head) == 0
        and char not in BACKWARD_COMBINING
        and head not in BACKWARD_COMBINING
    )


def _nfkc_offsets(text: str, offsets: _Offsets) -> tuple[str, _Offsets]:
    if unicodedata.is_normalized("NFKC", text):
        return text, offsets
    pieces: list[str] = []
    mapped: _Offsets = []
    begin = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or _starts_chunk(text[index]):
            chunk = unicodedata.normalize("NFKC", text[begin:index])
            pieces.append(chunk)
            mapped.extend(offsets[begin + min(i, index - begin - 1)] for i in range(len(chunk)))
            begin = index
    result = "".join(pieces)
    if result != unicodedata.normalize("NFKC", text):  # safety net: never disagree with NFKC
        result = unicodedata.normalize("NFKC", text)
        return result, _spread(offsets, 0, len(offsets), len(result))
    return result, mapped
