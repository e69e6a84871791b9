"""侦查打击 and 重点整治: suspects and their legal status, fugitives and hits on new records,
key areas and persons, outlet rectification (and, from other modules, clues and operations).

Pure logic over plain data: the store persists the dataclasses and frames, the API calls
the functions. Every function that depends on the time takes ``now`` / ``today`` / ``at``.
"""

from __future__ import annotations

from fanzha.operations._fugitives import (
    HitClue,
    clean_identifiers,
    hit_clues,
    match_wanted,
    new_hits,
    record_identifiers,
)

__all__ = [
    "HitClue",
    "clean_identifiers",
    "hit_clues",
    "match_wanted",
    "new_hits",
    "record_identifiers",
]
