"""Suspects' roles and their legal status over time (强制措施与诉讼阶段), a checked state machine.

::

    status              may move to
    identified 已查明    at_large, detained, bail (known, no measure taken yet)
    at_large   在逃      detained
    detained   刑事拘留  arrested, bail, released
    bail       取保候审  arrested, prosecuted, released, at_large (脱保)
    arrested   逮捕      prosecuted, bail, released
    prosecuted 起诉      sentenced, released
    sentenced  判决      released (刑满或缓刑)
    released   释放      terminal

Every change carries the day it was decided, the deciding authority (决定机关) and the
document number (文书号); a day before the previous change is refused, and so is an
authority of the wrong kind (a 判决 by a 公安局, a 起诉 not by a 检察院).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from fanzha.errors import InvalidInput
from fanzha.operations._checked import StateMachine

__all__ = [
    "LEGAL_STATUS_LABELS",
    "LEGAL_TRANSITIONS",
    "SUSPECT_ROLES",
    "SUSPECT_ROLE_LABELS",
    "LegalChange",
    "LegalStatus",
    "change_legal_status",
    "check_suspect_role",
    "legal_history",
    "legal_status_machine",
]

#: Roles of a suspect in a gang or in the 两卡 chain: English key → Chinese label.
SUSPECT_ROLE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "leader": "组长",
        "manager": "主管",
        "core": "骨干",
        "operator": "业务员",
        "card_dealer": "卡头卡贩",
        "cash_out": "取现",
        "score_runner": "跑分",
        "traffic": "引流",
        "goip_operator": "GOIP 操作员",
        "other": "其他",
    }
)
SUSPECT_ROLES = tuple(SUSPECT_ROLE_LABELS)

LEGAL_STATUS_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "identified": "已查明",
        "at_large": "在逃",
        "detained": "刑事拘留",
        "bail": "取保候审",
        "arrested": "逮捕",
        "prosecuted": "起诉",
        "sentenced": "判决",
        "released": "释放",
    }
)
LEGAL_TRANSITIONS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "identified": frozenset({"at_large", "detained", "bail"}),
        "at_large": frozenset({"detained"}),
        "detained": frozenset({"arrested", "bail", "released"}),
        "bail": frozenset({"arrested", "prosecuted", "released", "at_large"}),
        "arrested": frozenset({"prosecuted", "bail", "released"}),
        "prosecuted": frozenset({"sentenced", "released"}),
        "sentenced": frozenset({"released"}),
        "released": frozenset(),
    }
)
#: States a suspect record may start in (known, caught on the spot, wanted, or bailed).
_INITIAL = frozenset({"identified", "at_large", "detained", "bail"})
#: Which kind of authority decides each status (a word its name must contain).
_AUTHORITY: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "identified": ("公安",),
        "at_large": ("公安",),
        "detained": ("公安",),
        "bail": ("公安", "检察院", "法院"),
        "arrested": ("检察院", "法院"),
        "prosecuted": ("检察院",),
        "sentenced": ("法院",),
        "released": ("公安", "检察院", "法院", "看守所", "监狱"),
    }
)
legal_status_machine = StateMachine("嫌疑人 suspect", LEGAL_STATUS_LABELS, LEGAL_TRANSITIONS)


@dataclass(frozen=True, slots=True)
class LegalChange:
    """One decision on a suspect: the status it puts them in, when, by whom, which document."""

    suspect_id: int | None
    from_status: str | None
    to_status: str
    decided_on: date
    authority: str
    document_no: str
    by_user: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class LegalStatus:
    """A suspect's current status and the day it was decided."""

    status: str
    since: date

    @property
    def label(self) -> str:
        """The Chinese name of the status."""
        return LEGAL_STATUS_LABELS[self.status]


def check_suspect_role(role: str) -> str:
    """Return ``role`` if it is one of :data:`SUSPECT_ROLES`; raise :class:`InvalidInput`."""
    if role not in SUSPECT_ROLE_LABELS:
        known = ", ".join(f"{k} ({v})" for k, v in SUSPECT_ROLE_LABELS.items())
        raise InvalidInput(f"unknown suspect role {role!r}; known: {known}", field="role")
    return role


def _required(value: str, field: str, hint: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise InvalidInput(f"missing; {hint}", field=field, value=value)
    return text


def change_legal_status(
    current: LegalStatus | None,
    to_status: str,
    *,
    decided_on: date,
    authority: str,
    document_no: str,
    by_user: str,
    suspect_id: int | None = None,
    note: str = "",
) -> tuple[LegalStatus, LegalChange]:
    """Move a suspect from ``current`` (None: a new record) to ``to_status``.

    Returns the new status and the change to record.

    Raises:
        IllegalTransition: the state machine forbids the move (409, names both states).
        InvalidInput: an unknown status, a missing authority / document number / user,
            an authority of the wrong kind, or a day before the current status's day.
    """
    legal_status_machine.check_state(to_status, "to_status")
    if current is None:
        if to_status not in _INITIAL:
            allowed = ", ".join(sorted(_INITIAL))
            raise InvalidInput(
                f"a suspect record starts as one of {allowed}, not {to_status!r}",
                field="to_status",
                value=to_status,
            )
    else:
        legal_status_machine.check_move(current.status, to_status, ref=suspect_id)
        if decided_on < current.since:
            raise InvalidInput(
                f"{decided_on.isoformat()} is before the current status "
                f"{current.label} of {current.since.isoformat()}",
                field="decided_on",
                value=decided_on.isoformat(),
            )
    authority = _required(authority, "authority", "name the deciding authority (决定机关)")
    kinds = _AUTHORITY[to_status]
    if not any(word in authority for word in kinds):
        raise InvalidInput(
            f"{authority!r} cannot decide {LEGAL_STATUS_LABELS[to_status]}; "
            f"the authority must be a {' / '.join(kinds)}",
            field="authority",
            value=authority,
        )
    document_no = _required(document_no, "document_no", "give the document number (文书号)")
    by_user = _required(by_user, "by_user", "name the user making the change")
    change = LegalChange(
        suspect_id=suspect_id,
        from_status=None if current is None else current.status,
        to_status=to_status,
        decided_on=decided_on,
        authority=authority,
        document_no=document_no,
        by_user=by_user,
        note=note,
    )
    return LegalStatus(to_status, decided_on), change


def legal_history(changes: Sequence[LegalChange]) -> LegalStatus | None:
    """Replay recorded changes (oldest first) and return the status they lead to.

    Raises :class:`IllegalTransition` / :class:`InvalidInput` where a stored change breaks
    the rules (a record edited outside fanzha).
    """
    status: LegalStatus | None = None
    for change in changes:
        status, _ = change_legal_status(
            status,
            change.to_status,
            decided_on=change.decided_on,
            authority=change.authority,
            document_no=change.document_no,
            by_user=change.by_user,
            suspect_id=change.suspect_id,
        )
    return status
