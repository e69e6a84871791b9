"""fanzha's one error tree.

::

    FanzhaError                 base; ``code`` (stable key of the UI text), ``status`` (HTTP)
     ├── InvalidInput           bad input: carries ``field``, ``line`` and ``value``
     ├── NotFound               an id, file or model that does not exist
     ├── PermissionDenied       a role may not do this
     ├── LedgerConflict         a ledger entry that would break the balances
     ├── IllegalTransition      a workflow state change the state machine forbids
     ├── StaleVersion           a change made from an out-of-date version of a record
     └── NotFitted              a model used before ``fit`` / ``load``

A message says where, what was received and what to do, e.g.
``in.jsonl line 12, text: missing; every row needs a "text" string``.
"""

from __future__ import annotations

__all__ = [
    "FanzhaError",
    "IllegalTransition",
    "InvalidInput",
    "LedgerConflict",
    "NotFitted",
    "NotFound",
    "PermissionDenied",
    "StaleVersion",
]


class FanzhaError(Exception):
    """Base of every error fanzha raises on purpose."""

    code = "error"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(FanzhaError):
    """Input that cannot be used; names the field, the line and the value received."""

    code = "invalid_input"
    status = 422

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        line: int | None = None,
        value: object = None,
        source: str | None = None,
    ) -> None:
        where = []
        if source is not None:
            where.append(source)
        if line is not None:
            where.append(f"line {line}")
        prefix = " ".join(where)
        if field is not None:
            prefix = f"{prefix}, {field}" if prefix else field
        super().__init__(f"{prefix}: {message}" if prefix else message)
        self.field = field
        self.line = line
        self.value = value
        self.source = source


class NotFound(FanzhaError):
    """Something named by the caller does not exist."""

    code = "not_found"
    status = 404


class PermissionDenied(FanzhaError):
    """The caller's role may not perform this action."""

    code = "permission_denied"
    status = 403


class LedgerConflict(FanzhaError):
    """A ledger entry that would make the balances inconsistent."""

    code = "ledger_conflict"
    status = 409


class IllegalTransition(FanzhaError):
    """A state change the workflow forbids; carries ``from_state`` and ``to_state``."""

    code = "illegal_transition"
    status = 409

    def __init__(self, message: str, *, from_state: str, to_state: str) -> None:
        super().__init__(message)
        self.from_state = from_state
        self.to_state = to_state


class StaleVersion(FanzhaError):
    """The caller changed a record from an out-of-date version (optimistic locking)."""

    code = "conflict"
    status = 409
    field = "version"


class NotFitted(FanzhaError):
    """A model was used before it was fitted or loaded."""

    code = "not_fitted"
    status = 409

    def __init__(self, model: object) -> None:
        name = type(model).__name__
        super().__init__(
            f"This {name} instance is not fitted yet. Call 'fit' with training data "
            f"or '{name}.load(path)' before using it."
        )
