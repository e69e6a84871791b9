"""Assign new warning tasks to officers: by district first, then by the lowest load.

Tasks go most urgent first (see ``sort_queue``). A task goes to the active district
officer of its district with the fewest open tasks (ties: lowest id). When its district
has no active officer with room left, or the task has no district, it goes to the
least-loaded officer of the city-level pool (市级值班). Each assignment says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from fanzha.errors import InvalidInput
from fanzha.warning._priority import sort_queue
from fanzha.warning._state import TaskState
from fanzha.warning._task import WarningTask

__all__ = ["OFFICER_ROLES", "Assignment", "Officer", "assign"]

OFFICER_ROLES = ("district", "city")


@dataclass(frozen=True, slots=True)
class Officer:
    """A warning officer: ``district`` officers cover ``districts``; ``city`` officers
    form the city-level pool that takes what no district officer can.

    ``open_load`` is the number of open tasks the officer holds now; ``capacity``
    (None: unlimited) is the most they should hold.
    """

    id: str
    districts: tuple[str, ...] = ()
    role: str = "district"
    active: bool = True
    open_load: int = 0
    capacity: int | None = None

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidInput("missing; every officer needs an id", field="id", value=self.id)
        if self.role not in OFFICER_ROLES:
            raise InvalidInput(
                f"unknown role {self.role!r}; known: {', '.join(OFFICER_ROLES)}",
                field="role",
                value=self.role,
            )
        if self.open_load < 0:
            raise InvalidInput("expected a load ≥ 0", field="open_load", value=self.open_load)


@dataclass(frozen=True, slots=True)
class Assignment:
    """One task's assignment: the officer (None when nobody is available) and the reason."""

    task_id: int
    officer_id: str | None
    district: str | None
    reason: str
    load_after: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the assignment as a JSON-ready dict."""
        return asdict(self)


def _least_loaded(
    officers: Iterable[Officer], loads: dict[str, int]
) -> tuple[Officer | None, bool]:
    """Return the officer with room and the lowest (load, id), and whether any was full."""
    best: Officer | None = None
    full = False
    for officer in officers:
        if officer.capacity is not None and loads[officer.id] >= officer.capacity:
            full = True
            continue
        if best is None or (loads[officer.id], officer.id) < (loads[best.id], best.id):
            best = officer
    return best, full


def _pick(
    district: str | None,
    by_district: dict[str, list[Officer]],
    city_pool: list[Officer],
    loads: dict[str, int],
) -> tuple[Officer | None, str]:
    """Return the officer for a task of ``district`` (None if nobody is free) and why."""
    local, full = _least_loaded(by_district.get(district, []) if district else [], loads)
    if local is not None:
        return local, f"按辖区分派：{district}，该民警在办 {loads[local.id]} 件（辖区内最少）"
    if not district:
        cause = "任务无辖区"
    elif full:
        cause = f"{district}预警员均已满负荷"
    else:
        cause = f"{district}无在岗预警员"
    pooled, _ = _least_loaded(city_pool, loads)
    if pooled is None:
        return None, f"{cause}，且无可用的市级值班民警，暂不分派"
    return pooled, f"{cause}，转市级值班：该民警在办 {loads[pooled.id]} 件（最少）"


def assign(
    tasks: Iterable[WarningTask], officers: Sequence[Officer], now: datetime
) -> list[Assignment]:
    """Return an assignment for every task in state ``new`` (other tasks are left alone).

    Deterministic: the same tasks and officers give the same assignments. Apply them with
    ``transition(task, "assigned", ..., assigned_to=officer_id)``. Raises ``InvalidInput``
    for a task without an id or two active officers with the same id.
    """
    active = sorted((o for o in officers if o.active), key=lambda o: o.id)
    loads = {o.id: o.open_load for o in active}
    if len(loads) != len(active):
        raise InvalidInput("two active officers share an id", field="officers")
    by_district: dict[str, list[Officer]] = {}
    for member in active:
        if member.role == "district":
            for area in member.districts:
                by_district.setdefault(area, []).append(member)
    city_pool = [o for o in active if o.role == "city"]
    assignments: list[Assignment] = []
    for task in sort_queue((t for t in tasks if t.state == TaskState.NEW), now):
        if task.id is None:
            raise InvalidInput(
                "a task must be stored (have an id) before it is assigned", field="id"
            )
        officer, why = _pick(task.district, by_district, city_pool, loads)
        if officer is None:
            assignments.append(Assignment(task.id, None, task.district, why))
            continue
        loads[officer.id] += 1
        assignments.append(Assignment(task.id, officer.id, task.district, why, loads[officer.id]))
    return assignments
