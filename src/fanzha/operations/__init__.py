"""侦查打击 and 重点整治: suspects and their legal status, fugitives and hits on new records,
key areas and persons, outlet rectification (and, from other modules, clues and operations).

Pure logic over plain data: the store persists the dataclasses and frames, the API calls
the functions. Every function that depends on the time takes ``now`` / ``today`` / ``at``.
"""

from __future__ import annotations

from fanzha.operations._fugitives import (
    IDENTIFIER_KINDS,
    RECORD_KIND_LABELS,
    HitClue,
    clean_identifiers,
    hit_clues,
    match_wanted,
    new_hits,
    record_identifiers,
)
from fanzha.operations._keypersons import (
    AREA_LEVELS,
    FOLLOW_UP_DAYS,
    KEY_PERSON_KINDS,
    KeyPerson,
    check_key_person_kind,
    key_person_until,
    key_persons_from_offenders,
    next_follow_up,
)
from fanzha.operations._legal import (
    LEGAL_STATUS_LABELS,
    SUSPECT_ROLE_LABELS,
    LegalStatus,
    change_legal_status,
    check_suspect_role,
)
from fanzha.operations._rectify import (
    OPEN_RECTIFICATION_STATES,
    RECTIFICATION_LABELS,
    Rectification,
    change_rectification,
    days_overdue,
    rectification_candidates,
    rectification_from_rank,
)

__all__ = [
    "AREA_LEVELS",
    "FOLLOW_UP_DAYS",
    "IDENTIFIER_KINDS",
    "KEY_PERSON_KINDS",
    "LEGAL_STATUS_LABELS",
    "OPEN_RECTIFICATION_STATES",
    "RECORD_KIND_LABELS",
    "RECTIFICATION_LABELS",
    "SUSPECT_ROLE_LABELS",
    "HitClue",
    "KeyPerson",
    "LegalStatus",
    "Rectification",
    "change_legal_status",
    "change_rectification",
    "check_key_person_kind",
    "check_suspect_role",
    "clean_identifiers",
    "days_overdue",
    "hit_clues",
    "key_person_until",
    "key_persons_from_offenders",
    "match_wanted",
    "new_hits",
    "next_follow_up",
    "record_identifiers",
    "rectification_candidates",
    "rectification_from_rank",
]
