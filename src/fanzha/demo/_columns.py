"""Rows kept as equally long numpy columns, built up by appending whole blocks."""

from __future__ import annotations

from typing import Any, ClassVar, Self

import numpy as np

from fanzha.demo._time import BoolArray, IntArray

__all__: list[str] = []


def no_ints() -> IntArray:
    """An empty integer column (a dataclass default)."""
    return np.empty(0, dtype=np.int64)


def no_flags() -> BoolArray:
    """An empty boolean column (a dataclass default)."""
    return np.empty(0, dtype=bool)


class Columns:
    """Base of the column blocks (``Calls``, ``Flow``, ``Payments``): subclasses are slotted
    dataclasses whose fields, named in ``COLUMNS``, are numpy arrays of one length."""

    __slots__ = ()
    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def extend(self, other: Self) -> None:
        """Append the rows of ``other``."""
        for name in self.COLUMNS:
            setattr(self, name, np.concatenate([getattr(self, name), getattr(other, name)]))

    def extended(self, other: Self) -> Self:
        """A new block with the rows of both."""
        columns: list[Any] = [
            np.concatenate([getattr(self, name), getattr(other, name)]) for name in self.COLUMNS
        ]
        return type(self)(*columns)

    def take(self, rows: BoolArray) -> Self:
        """The rows selected by the mask ``rows``, as a new block."""
        columns: list[Any] = [getattr(self, name)[rows] for name in self.COLUMNS]
        return type(self)(*columns)

    @property
    def size(self) -> int:
        """The number of rows."""
        return int(getattr(self, self.COLUMNS[0]).size)
