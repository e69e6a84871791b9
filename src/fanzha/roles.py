"""Who may do what: the roles, their Chinese names and the one role × action table.

Every endpoint names one action; :func:`is_allowed` decides. ``pii.view`` is not an
endpoint but decides whether names, ID numbers, phone and account numbers are shown in
full or masked. A core module: the API enforces the table, the web UI shows it.

Reads and writes of records are also scoped by district (:func:`district_scope`): the
city-wide roles see the whole city, a district officer only the records of their district.
"""

from __future__ import annotations

from dataclasses import dataclass

from fanzha.errors import PermissionDenied

__all__ = [
    "ACTIONS",
    "ANONYMOUS",
    "CITY_WIDE_ROLES",
    "PERMISSIONS",
    "ROLES",
    "ROLE_NAMES",
    "Actor",
    "district_scope",
    "in_scope",
    "is_allowed",
    "may_hold_task",
    "require",
    "stats_scope",
]

ROLES = (
    "admin",
    "commander",
    "analyst",
    "warning_officer",
    "fund_officer",
    "outreach_officer",
    "investigator",
)
ANONYMOUS = "anonymous"
ROLE_NAMES = {
    "admin": "系统管理员",
    "commander": "指挥长",
    "analyst": "研判员",
    "warning_officer": "预警员",
    "fund_officer": "资金查控员",
    "outreach_officer": "宣传员",
    "investigator": "侦查员",
    ANONYMOUS: "群众",
}

_ALL = frozenset(ROLES)
_OPERATIONS = frozenset({"admin", "commander", "analyst", "warning_officer", "fund_officer"})
# 侦查打击 (issue 17): clues, operations, dens, raids and seizures. An investigator with a
# district is that district's team (分局/县局), one without a district the city team.
_STRIKE = frozenset({"commander", "analyst", "investigator"})

PERMISSIONS: dict[str, frozenset[str]] = {
    "screen": _ALL | {ANONYMOUS},
    "report.create": _ALL | {ANONYMOUS},
    "report.review": frozenset({"warning_officer", "outreach_officer"}),
    "event.create": frozenset({"admin", "analyst", "warning_officer"}),
    "event.list": _OPERATIONS,
    "task.list": frozenset({"admin", "commander", "warning_officer", "fund_officer"}),
    "task.read": frozenset({"admin", "commander", "warning_officer", "fund_officer"}),
    "task.update": frozenset({"commander", "warning_officer"}),
    "task.assign": frozenset({"admin", "commander"}),
    "kpi.read": frozenset({"admin", "commander", "analyst", "warning_officer"}),
    # the stream intake's health (lag, rate, dead letters): counts only, no personal data
    "intake.status": frozenset({"admin", "commander"}),
    "case.list": _OPERATIONS,
    "case.read": _OPERATIONS,
    "person.read": _OPERATIONS,
    "phone.read": _OPERATIONS,
    "account.read": _OPERATIONS,
    "search": _OPERATIONS,
    "district.list": _ALL,
    "pii.view": frozenset({"analyst", "warning_officer", "fund_officer"}),
    "funds.trace": frozenset({"analyst", "fund_officer"}),
    "funds.ledger.read": frozenset({"fund_officer"}),
    "funds.ledger.write": frozenset({"fund_officer"}),
    "graph.read": frozenset({"analyst", "fund_officer"}),
    # 侦查打击 / 重点整治 / 行业治理 (issue 17): suspects, fugitives, key areas and persons,
    # rectifications. Reads by every operational role (district-scoped), writes by those
    # who do the work.
    "suspect.read": _OPERATIONS,
    "suspect.write": frozenset({"analyst", "commander"}),
    "fugitive.read": _OPERATIONS,
    "fugitive.write": frozenset({"analyst", "commander"}),
    "keyarea.read": _OPERATIONS,
    "keyarea.write": frozenset({"analyst", "commander", "warning_officer"}),
    "rectification.read": _OPERATIONS,
    "rectification.write": frozenset({"analyst", "commander"}),
    "audit.read": frozenset({"admin", "commander"}),
    "stats.read": frozenset({"admin", "commander"}),
    "audit.verify": frozenset({"admin"}),
    "user.manage": frozenset({"admin"}),
    "outreach.read": frozenset({"admin", "commander", "outreach_officer"}),
    "outreach.write": frozenset({"outreach_officer"}),
    "outreach.approve": frozenset({"commander"}),
    "clue.list": _STRIKE | {"admin", "fund_officer"},
    "clue.read": _STRIKE | {"admin", "fund_officer"},
    "clue.create": _STRIKE | {"fund_officer"},
    "clue.update": _STRIKE,
    "operation.list": _STRIKE | {"admin"},
    "operation.read": _STRIKE | {"admin"},
    "operation.write": frozenset({"commander"}),
    "den.list": _STRIKE,
    "den.write": _STRIKE,
    "raid.list": _STRIKE,
    "raid.write": frozenset({"commander", "investigator"}),
}
ACTIONS = tuple(PERMISSIONS)

#: Roles that work on the whole city; every other role is kept to its own district.
CITY_WIDE_ROLES = frozenset({"admin", "commander", "analyst", "fund_officer"})


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a logged-in officer or an anonymous citizen."""

    user_id: int | None
    username: str
    role: str
    district: str | None = None


def is_allowed(role: str, action: str) -> bool:
    """Whether ``role`` may perform ``action`` (an unknown action is never allowed)."""
    return role in PERMISSIONS.get(action, frozenset())


def require(role: str, action: str) -> None:
    """Raise :class:`PermissionDenied` unless ``role`` may perform ``action``."""
    if not is_allowed(role, action):
        name = ROLE_NAMES.get(role, role)
        raise PermissionDenied(f"角色“{name}”无权执行此操作 (role {role!r} may not {action!r})")


def district_scope(actor: Actor) -> str | None:
    """The one district whose records ``actor`` may read and change; None for the whole city.

    City-wide roles (:data:`CITY_WIDE_ROLES`) see the whole city. Any other role sees its own
    district; an officer of such a role without a district is the city-level duty pool
    (市级值班, as :func:`fanzha.warning.assign` treats warning officers without one). The
    anonymous citizen has no scope: asking for one raises :class:`PermissionDenied`.
    """
    if actor.role == ANONYMOUS:
        raise PermissionDenied("群众无权查看记录 (anonymous callers see no records)")
    if actor.role in CITY_WIDE_ROLES:
        return None
    return actor.district or None


def in_scope(scope: str | None, district: str | None) -> bool:
    """Whether a record of ``district`` lies in ``scope`` (a record without one: only city)."""
    return scope is None or district == scope


def may_hold_task(role: str, district: str | None, task_district: str | None) -> bool:
    """Whether an officer of ``role`` and ``district`` may be assigned a task of
    ``task_district``: a role that may work tasks (``task.update``), and either city-wide,
    of the city-level pool (no district) or of the task's district."""
    if not is_allowed(role, "task.update"):
        return False
    return role in CITY_WIDE_ROLES or not district or district == task_district


def stats_scope(actor: Actor, asked: str | None) -> str | None:
    """The district whose statistics ``actor`` gets when asking for ``asked`` (None: the
    whole city). An officer attached to a district (a district team's commander) sees only
    that district, whatever the role; asking for another raises :class:`PermissionDenied`.
    """
    own = district_scope(actor) or actor.district or None
    if own is None:
        return asked
    if asked not in (None, own):
        raise PermissionDenied(f"只能查看本辖区（{own}）的统计 (statistics of {own} only)")
    return own
