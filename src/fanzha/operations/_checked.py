"""A checked state machine: a table of allowed moves and one Chinese + English 409 message.

Shared by the legal status of a suspect and an outlet's rectification case. A move the table
forbids raises :class:`~fanzha.errors.IllegalTransition` naming both states (code and Chinese
label) and the states allowed from the current one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fanzha.errors import IllegalTransition, InvalidInput

__all__ = ["StateMachine"]


@dataclass(frozen=True, slots=True)
class StateMachine:
    """``moves`` maps each state to the states it may move to (empty: terminal); ``labels``
    gives each state's Chinese name; ``what`` names the record in messages."""

    what: str
    labels: Mapping[str, str]
    moves: Mapping[str, frozenset[str]]

    def check_state(self, value: str, field: str = "state") -> str:
        """Return ``value`` if it is a known state; raise :class:`InvalidInput` otherwise."""
        if value not in self.moves:
            known = ", ".join(self.moves)
            raise InvalidInput(f"unknown state {value!r}; known: {known}", field=field, value=value)
        return value

    def describe(self, state: str) -> str:
        """``label(code)``, as messages show a state."""
        return f"{self.labels.get(state, state)}({state})"

    def allowed(self, state: str) -> frozenset[str]:
        """The states ``state`` may move to."""
        return self.moves[self.check_state(state)]

    def is_terminal(self, state: str) -> bool:
        """Whether ``state`` is never left."""
        return not self.allowed(state)

    def check_move(self, source: str, target: str, *, ref: object = None) -> None:
        """Raise :class:`IllegalTransition` (409) unless ``source`` may move to ``target``."""
        self.check_state(source)
        self.check_state(target, "to_state")
        if target in self.moves[source]:
            return
        options = ", ".join(sorted(self.moves[source])) or f"none, {source} is terminal"
        name = f"{self.what} {ref}" if ref is not None else self.what
        raise IllegalTransition(
            f"非法状态变更：{name} 不能从 {self.describe(source)} 变为 {self.describe(target)}。"
            f" Illegal transition of {name}: {source} → {target}; allowed from {source}: "
            f"{options}",
            from_state=source,
            to_state=target,
        )
