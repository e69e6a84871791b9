"""Where each character of a normalised text came from: the edits normalisation made.

``fanzha.screening._normalize.normalize`` records, step by step, every stretch of its
input that a step replaced (an :data:`Edit`) in an :class:`EditLog`; the result is a
:class:`Normalized`, which holds the normalised text and those edits. The offsets back
into the original text are derived from the edits only when asked for (a text with a
rule hit), so normalising stays as fast as without them, and the text and its offsets
come from the same pass.

A replacement that keeps a prefix or suffix of what it replaced maps those characters
one to one (加v → 加微信: 加 maps to 加, 微信 to v); the rest of the replacement is spread
over the rest of the source.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from fanzha.errors import InvalidInput

__all__ = ["Normalized"]

# (start, end, length): ``length`` new characters replaced [start, end) of a step's text
Edit = tuple[int, int, int]

_Repl = Callable[[re.Match[str]], str]


# Characters of combining class 0 that canonical composition can still merge into the
# character before them (Hangul vowel and final jamo, Indic length marks …); a chunk for
# chunked NFKC must not start at one. tests/screening/test_normalize.py recomputes the set
# from unicodedata to catch a Unicode update.
BACKWARD_COMBINING: Final = frozenset(
    map(chr, [*range(0x1161, 0x1176), *range(0x11A8, 0x11C3),
              0x09BE, 0x09D7, 0x0B3E, 0x0B56, 0x0B57, 0x0BBE, 0x0BD7, 0x0CC2, 0x0CD5, 0x0CD6,
              0x0D3E, 0x0D57, 0x0DCF, 0x0DDF, 0x0FB5, 0x0FB7, 0x102E, 0x1B35, 0x11127, 0x1133E,
              0x11357, 0x114B0, 0x114BA, 0x114BD, 0x115AF, 0x11930])
)  # fmt: skip
# The only character whose str.lower() is longer than one character (İ → i̇);
# tests/screening/test_normalize.py checks that against every code point.
LOWER_EXPANDS_RE: Final = re.compile("\u0130")
_DELETED_RUN_RE: Final = re.compile("\x00+")


def edit_of(start: int, source: str, replacement: str) -> Edit | None:
    """The edit of replacing ``source`` at ``start``, without the prefix and suffix it keeps."""
    limit = min(len(source), len(replacement))
    head = 0
    while head < limit and source[head] == replacement[head]:
        head += 1
    tail = 0
    while tail < limit - head and source[-1 - tail] == replacement[-1 - tail]:
        tail += 1
    if head == len(source) == len(replacement):
        return None
    return start + head, start + len(source) - tail, len(replacement) - head - tail


class _Recorder:
    """A ``re.sub`` replacement function that records the edits it makes."""

    __slots__ = ("edits", "repl")

    def __init__(self, repl: _Repl | str) -> None:
        self.repl = repl
        self.edits: list[Edit] = []

    def __call__(self, match: re.Match[str]) -> str:
        replacement = self.repl if isinstance(self.repl, str) else self.repl(match)
        edit = edit_of(match.start(), match.group(), replacement)
        if edit is not None:
            self.edits.append(edit)
        return replacement


@dataclass(frozen=True, slots=True)
class _NfkcStep:
    """NFKC of ``before`` is ``after``; the edits are worked out only when asked for."""

    before: str
    after: str
    candidates: re.Pattern[str]
    """Matches every character that NFKC may change or merge with its neighbours."""

    def edits(self) -> list[Edit]:
        """Edits of chunks that NFKC can change apart from the rest of the text."""
        text = self.before
        edits: list[Edit] = []
        pieces: list[str] = []
        done = 0
        for begin, end in _nfkc_chunks(text, self.candidates):
            chunk = unicodedata.normalize("NFKC", text[begin:end])
            pieces.extend((text[done:begin], chunk))
            edit = edit_of(begin, text[begin:end], chunk)
            if edit is not None:
                edits.append(edit)
            done = end
        pieces.append(text[done:])
        if "".join(pieces) == self.after:
            return edits
        # NFKC of the whole differs from NFKC by chunks (not seen in any test): map the
        # stretch between the common prefix and suffix as one edit.
        whole = edit_of(0, text, self.after)
        return [] if whole is None else [whole]


_Step = tuple[Edit, ...] | _NfkcStep


class EditLog:
    """The edits of one normalisation, step by step; the step functions record into it."""

    __slots__ = ("steps",)

    def __init__(self) -> None:
        self.steps: list[_Step] = []

    def sub(self, pattern: re.Pattern[str], repl: _Repl | str, text: str) -> str:
        """``pattern.sub(repl, text)``, recording what it replaced."""
        recorder = _Recorder(repl)
        result = pattern.sub(recorder, text)
        self.add(recorder.edits)
        return result

    def add(self, edits: Sequence[Edit]) -> None:
        """Record the edits of one step, in order of position (none: the step changed nothing)."""
        if edits:
            self.steps.append(tuple(edits))

    def nfkc(self, text: str, candidates: re.Pattern[str]) -> str:
        """NFKC of ``text``; ``candidates`` matches every character NFKC may touch."""
        result = unicodedata.normalize("NFKC", text)
        if result != text:
            self.steps.append(_NfkcStep(text, result, candidates))
        return result

    def lower(self, text: str) -> str:
        """``text.lower()``."""
        result = text.lower()
        if len(result) != len(text):
            self.add([(match.start(), match.end(), 2) for match in LOWER_EXPANDS_RE.finditer(text)])
        return result

    def drop_deleted(self, text: str, deleted: str) -> str:
        """``text`` without the characters ``deleted``, which marks deletions."""
        if deleted not in text:
            return text
        self.add([(match.start(), match.end(), 0) for match in _DELETED_RUN_RE.finditer(text)])
        return text.replace(deleted, "")

    def strip(self, text: str) -> str:
        """``text.strip()``."""
        stripped = text.strip()
        if len(stripped) != len(text):
            lead = len(text) - len(text.lstrip())
            ends = ((0, lead), (lead + len(stripped), len(text)))
            self.add([(begin, end, 0) for begin, end in ends if end > begin])
        return stripped

    def result(self, original: str, text: str) -> Normalized:
        """The normalised ``text`` of ``original`` with the recorded edits."""
        return Normalized(original, text, tuple(self.steps))


@dataclass(frozen=True, slots=True)
class Normalized:
    """A text as normalisation left it, and the edits that lead back to the original.

    ``text`` is what rules and models see; :meth:`offsets` and :meth:`original_spans`
    point back into ``original``, where a citizen sees the text.
    """

    original: str
    text: str
    steps: tuple[_Step, ...] = ()

    def offsets(self) -> list[int]:
        """Per character of ``text``, the index in ``original`` it came from.

        Non-decreasing; O(len) list work per step that changed the text, so ask once
        per text.
        """
        offsets = list(range(len(self.original)))
        for step in self.steps:
            edits = step.edits() if isinstance(step, _NfkcStep) else step
            offsets = _apply(offsets, edits)
        return offsets

    def original_spans(self, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """Map spans ``[start, end)`` of ``text`` to the spans of ``original`` they came from.

        An empty span maps to an empty span. Raises ``InvalidInput`` if a span is not
        inside ``text``.
        """
        spans = list(spans)
        for start, end in spans:
            if not 0 <= start <= end <= len(self.text):
                raise InvalidInput(
                    f"span [{start}, {end}) is outside the normalised text of length "
                    f"{len(self.text)}; pass a span of Normalized.text",
                    field="span",
                    value=(start, end),
                )
        if not self.steps:
            return spans
        offsets, length = self.offsets(), len(self.original)
        mapped = []
        for start, end in spans:
            if start == end:
                position = offsets[start] if start < len(offsets) else length
                mapped.append((position, position))
            else:
                mapped.append((offsets[start], min(offsets[end - 1] + 1, length)))
        return mapped


# --- helpers ---------------------------------------------------------------------------------


def _apply(offsets: list[int], edits: Iterable[Edit]) -> list[int]:
    """The offsets after one step's edits, given the offsets of its input."""
    mapped: list[int] = []
    done = 0
    for begin, end, length in edits:
        mapped.extend(offsets[done:begin])
        width = end - begin
        if width == 0:  # an insertion: points at the character after it
            mapped.extend([offsets[min(begin, len(offsets) - 1)]] * length)
        else:
            mapped.extend(offsets[begin + (index * width) // length] for index in range(length))
        done = end
    mapped.extend(offsets[done:])
    return mapped


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


def _nfkc_chunks(text: str, candidates: re.Pattern[str]) -> list[tuple[int, int]]:
    """Disjoint ``[begin, end)`` chunks, in order, outside which NFKC changes nothing."""
    chunks: list[tuple[int, int]] = []
    for match in candidates.finditer(text):
        index = match.start()
        if chunks and index < chunks[-1][1]:
            continue
        begin = index
        while begin > 0 and not _starts_chunk(text[begin]):
            begin -= 1
        end = index + 1
        while end < len(text) and not _starts_chunk(text[end]):
            end += 1
        chunks.append((begin, end))  # begin >= the last end: that end starts a chunk
    return chunks
