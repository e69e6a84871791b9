"""The warning task: one person (or phone) to warn, with its priority, SLA clock and state."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from fanzha.errors import InvalidInput
from fanzha.records import normalize_phone

__all__ = ["WarningTask", "task_key"]

_DATETIME_FIELDS = ("created_at", "signal_at", "sla_due_at", "first_contact_at", "closed_at")


def _utc(value: datetime, field: str) -> datetime:
    """Return ``value`` in UTC; a naive datetime is refused (its zone is unknown)."""
    if not isinstance(value, datetime):
        raise InvalidInput(
            f"expected a datetime, got {type(value).__name__}", field=field, value=value
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(
            f"{value.isoformat()} has no time zone; give an aware datetime, e.g. in UTC",
            field=field,
            value=value,
        )
    return value.astimezone(UTC)


def _json_ready(value: Any) -> Any:
    """``asdict`` output with datetimes as ISO 8601 strings, nested dicts included."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    return value


def _as_json(record: Any) -> dict[str, Any]:
    """A dataclass as a JSON-ready dict."""
    result: dict[str, Any] = _json_ready(asdict(record))
    return result


def task_key(person_id: int | None, phone: str | None) -> str | None:
    """Return the dedup key of a task: ``person:<id>``, else ``phone:<number>``, else None."""
    if person_id is not None:
        return f"person:{person_id}"
    if phone:
        return f"phone:{normalize_phone(phone)}"
    return None


@dataclass(frozen=True, slots=True)
class WarningTask:
    """One warning task: a person (or a phone with no known person) to warn and dissuade.

    Money is in 分 (``money_at_risk_fen``, ``money_saved_fen``); datetimes are aware
    and stored in UTC. ``priority`` is 0..100; ``sla_due_at`` is when the first contact
    is due. ``contact_count`` counts every recorded contact attempt and
    ``no_answer_count`` the unanswered voice attempts since the person was last reached.
    ``version`` grows by one on every change, for the store's optimistic locking.
    """

    id: int | None
    person_id: int | None
    phone: str | None
    district: str | None
    fraud_type: str | None
    money_at_risk_fen: int
    priority: float
    created_at: datetime
    signal_at: datetime
    sla_due_at: datetime
    reason: str
    state: str = "new"
    assigned_to: str | None = None
    first_contact_at: datetime | None = None
    closed_at: datetime | None = None
    contact_count: int = 0
    no_answer_count: int = 0
    money_saved_fen: int = 0
    version: int = 1

    def __post_init__(self) -> None:
        for name in _DATETIME_FIELDS:
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _utc(value, name))
        if self.phone is not None:
            object.__setattr__(self, "phone", normalize_phone(self.phone))
        for name in ("money_at_risk_fen", "money_saved_fen", "contact_count", "no_answer_count"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise InvalidInput("expected a whole number ≥ 0", field=name, value=value)
        if not 0.0 <= self.priority <= 100.0:
            raise InvalidInput(
                "expected a priority in 0..100", field="priority", value=self.priority
            )

    @property
    def key(self) -> str | None:
        """The dedup key: ``person:<id>`` or ``phone:<number>``."""
        return task_key(self.person_id, self.phone)

    def to_dict(self) -> dict[str, Any]:
        """Return the task as a JSON-ready dict (datetimes as ISO 8601 strings)."""
        return _as_json(self)
