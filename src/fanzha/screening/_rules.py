"""The text rule engine: every keyword of every text rule in one Aho-Corasick automaton.

One pass over the text collects keyword occurrences; a rule fires when each of its
keyword groups occurred (AND of ORs), no veto keyword occurred and, if the rule has
a ``window``, one occurrence per group fits in that many characters.

Each rule owns a bit field of the same big integer: one bit per keyword group plus
a guard bit above them. A keyword's value carries the bits of every (rule, group)
it belongs to, so OR-ing the values of the keywords found and adding one to every
field sets exactly the guard bits of the complete rules; a handful of integer
operations decide a text on which nothing fires.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import ahocorasick

from fanzha.errors import InvalidInput
from fanzha.screening._normalize import normalize_text
from fanzha.screening._types import RuleHit, hit_from_rule
from fanzha.taxonomy import Rule, rules

__all__ = ["RuleEngine", "default_engine"]

# (last byte index, (keyword length in bytes, group bits, veto bits))
_Found = tuple[int, tuple[int, int, int]]
# (group bit, start, end) of one keyword occurrence for one rule
_Occurrence = tuple[int, int, int]


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


class RuleEngine:
    """Matches text rules against normalised text.

    Parameters:
        rules: the text rules to match (default: every text rule of the taxonomy).

    Keywords are compared with the text as given, so pass text normalised by
    :func:`fanzha.screening.normalize_text`. The engine is immutable after
    construction and safe to share between threads.
    """

    __slots__ = ("_automaton", "_fields", "_guard_rule", "_guards", "_lows", "_rules", "_shifts")

    def __init__(self, rules: Sequence[Rule] | None = None) -> None:
        chosen = tuple(_text_rules() if rules is None else rules)
        for rule in chosen:
            if rule.kind != "text" or not rule.any_of:
                raise InvalidInput(
                    f"rule {rule.id!r} is a {rule.kind} rule without keyword groups; "
                    "pass text rules only",
                    field="rules",
                    value=rule.id,
                )
        self._rules = chosen
        shifts: list[int] = []
        fields: list[int] = []
        lows = guards = shift = 0
        guard_rule: dict[int, int] = {}
        for index, rule in enumerate(chosen):
            width = len(rule.any_of)
            shifts.append(shift)
            fields.append(((1 << width) - 1) << shift)
            lows |= 1 << shift
            guards |= 1 << (shift + width)
            guard_rule[1 << (shift + width)] = index
            shift += width + 1
        self._shifts = tuple(shifts)
        self._fields = tuple(fields)
        self._lows, self._guards, self._guard_rule = lows, guards, guard_rule

        for rule in chosen:
            for word in (*(w for group in rule.any_of for w in group), *rule.none_of):
                if normalize_text(word) != word:
                    raise InvalidInput(
                        f"keyword {word!r} normalises to {normalize_text(word)!r}, so it could "
                        "never match normalised text; write it in normalised form",
                        field=f"{rule.id}.any_of",
                        value=word,
                    )
        groups: dict[str, int] = {}
        vetoes: dict[str, int] = {}
        for index, rule in enumerate(chosen):
            for group, words in enumerate(rule.any_of):
                for word in words:
                    groups[word] = groups.get(word, 0) | (1 << (shifts[index] + group))
            guard = 1 << (shifts[index] + len(rule.any_of))
            for word in rule.none_of:
                vetoes[word] = vetoes.get(word, 0) | guard
        # pyahocorasick scans a trie node's children linearly. Keyed on UTF-8 bytes
        # (one latin-1 character per byte) the root has ~20 children instead of ~300
        # CJK characters, which makes matching 2-3 times faster.
        automaton = ahocorasick.Automaton()
        for word in groups.keys() | vetoes.keys():
            key = _encode(word).decode("latin-1")
            automaton.add_word(key, (len(key), groups.get(word, 0), vetoes.get(word, 0)))
        if len(automaton):
            automaton.make_automaton()
        self._automaton = automaton if len(automaton) else None

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules this engine matches, in order."""
        return self._rules

    def match(self, text: str) -> tuple[RuleHit, ...]:
        """Return the rules that fire on ``text``, ordered by span start then rule order.

        ``text`` is the normalised text; ``start``/``end`` of each hit index it and
        cover the shortest stretch holding one keyword of every group.
        """
        if self._automaton is None:
            return ()
        data = _encode(text)
        found: list[_Found] = list(self._automaton.iter(data.decode("latin-1")))
        if not found:
            return ()
        seen = vetoed = 0
        for _, (_, group_bits, veto_bits) in found:
            seen |= group_bits
            vetoed |= veto_bits
        complete = (seen + self._lows) & self._guards & ~vetoed
        if not complete:
            return ()
        firing: list[int] = []
        while complete:
            guard = complete & -complete
            firing.append(self._guard_rule[guard])
            complete ^= guard
        return self._hits(text, data, found, firing)

    def _hits(
        self, text: str, data: bytes, found: list[_Found], firing: list[int]
    ) -> tuple[RuleHit, ...]:
        ascii_only = len(data) == len(text)
        hits: list[RuleHit] = []
        for index in firing:
            field, shift = self._fields[index], self._shifts[index]
            occurrences = [
                ((bits & field) >> shift, last + 1 - length, last + 1)
                for last, (length, bits, _) in found
                if bits & field
            ]
            span = self._span(data, occurrences, index, ascii_only=ascii_only)
            if span is not None:
                hits.append(self._hit(index, text, *span))
        hits.sort(key=lambda hit: hit.start)  # stable: rule order breaks ties
        return tuple(hits)

    def _span(
        self,
        data: bytes,
        occurrences: list[_Occurrence],
        index: int,
        *,
        ascii_only: bool,
    ) -> tuple[int, int] | None:
        """Return the rule's character span, or None if no cover fits its window.

        The cover is chosen on UTF-8 byte offsets and only its ends are converted;
        if that cover misses the window, all offsets are converted and the
        character-shortest cover decides.
        """
        rule = self._rules[index]
        n_groups, window = len(rule.any_of), rule.window
        start, end = _shortest_cover(occurrences, n_groups)
        if not ascii_only:
            start, end = _char_offset(data, start), _char_offset(data, end)
        if window is None or end - start <= window:
            return start, end
        if ascii_only or len(occurrences) == n_groups:
            return None
        to_char = _char_offsets(data, occurrences)
        start, end = _shortest_cover(
            [(group, to_char[s], to_char[e]) for group, s, e in occurrences], n_groups
        )
        return (start, end) if end - start <= window else None

    def _hit(self, index: int, text: str, start: int, end: int) -> RuleHit:
        return hit_from_rule(self._rules[index], text, start, end)


def _char_offset(data: bytes, offset: int) -> int:
    """Return the character offset of UTF-8 byte ``offset`` in ``data``."""
    return len(data[:offset].decode("utf-8", "surrogatepass"))


def _char_offsets(data: bytes, occurrences: list[_Occurrence]) -> dict[int, int]:
    """Map every UTF-8 byte offset used by ``occurrences`` to its character offset."""
    offsets = sorted({offset for _, s, e in occurrences for offset in (s, e)})
    result: dict[int, int] = {}
    previous = chars = 0
    for offset in offsets:
        chars += len(data[previous:offset].decode("utf-8", "surrogatepass"))
        result[offset] = chars
        previous = offset
    return result


def _shortest_cover(occurrences: list[_Occurrence], n_groups: int) -> tuple[int, int]:
    """Return the shortest (start, end) holding one occurrence of every group.

    ``occurrences`` are (group bits, start, end) sorted by end, as the automaton
    reports them. For each candidate right edge, the best choice per group is its
    occurrence with the latest start among those ending by then. A keyword in
    several groups of one rule counts for each of them.
    """
    if len(occurrences) == n_groups:  # one occurrence per group: nothing to choose
        return min(s for _, s, _ in occurrences), occurrences[-1][2]
    latest = [-1] * n_groups
    best = (0, 0)
    best_length = -1
    for bits, start, end in occurrences:
        if bits & (bits - 1) == 0:  # the usual case: a keyword of one group
            group = bits.bit_length() - 1
            if start > latest[group]:
                latest[group] = start
        else:
            for group in range(n_groups):
                if bits >> group & 1 and start > latest[group]:
                    latest[group] = start
        first = min(latest)
        if first >= 0 and (best_length < 0 or end - first < best_length):
            best, best_length = (first, end), end - first
    return best


@cache
def _text_rules() -> tuple[Rule, ...]:
    return tuple(rule for rule in rules() if rule.kind == "text")


@cache
def default_engine() -> RuleEngine:
    """Return the engine over every text rule of the taxonomy (built once)."""
    return RuleEngine()
