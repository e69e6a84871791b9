"""Shared pieces of the command line: consoles, progress bars, the error edge, row reporting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from typer.core import TyperGroup

from fanzha.errors import FanzhaError, InvalidInput

__all__ = [
    "EXIT_ERROR",
    "EXIT_SKIPPED",
    "Advance",
    "FanzhaGroup",
    "RowReporter",
    "err_console",
    "out_console",
    "progress_bar",
]

EXIT_ERROR = 1
EXIT_SKIPPED = 3

out_console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


class FanzhaGroup(TyperGroup):
    """The one place where a :class:`FanzhaError` becomes a red message and exit code 1."""

    def invoke(self, ctx: Any) -> Any:  # a click Context; typer vendors click
        try:
            return super().invoke(ctx)
        except FanzhaError as exc:
            _print_error(exc.message)
            raise typer.Exit(EXIT_ERROR) from exc
        except OSError as exc:  # unreadable input, unwritable output: the file and the reason
            _print_error(f"{exc.filename or ''}: {exc.strerror or exc}")
            raise typer.Exit(EXIT_ERROR) from exc


def _print_error(message: str) -> None:
    err_console.print(f"[red]错误 error:[/red] {escape(message)}", soft_wrap=True)


class Advance(Protocol):
    """Moves a progress bar on by ``n``; a ``total`` given on the way sets the bar's length."""

    def __call__(self, n: int, total: int | None = None) -> None: ...


@contextmanager
def progress_bar(description: str, total: int | None) -> Iterator[Advance]:
    """Show a rich progress bar on stderr; yields ``advance(n)`` (or ``advance(n, total)``)."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        disable=not err_console.is_terminal,
    ) as progress:
        task = progress.add_task(description, total=total)

        def advance(n: int, total: int | None = None) -> None:
            if total is not None:
                progress.update(task, total=total)
            progress.advance(task, n)

        yield advance


class RowReporter:
    """Counts bad rows, prints each to stderr and stops at the first when ``strict``."""

    def __init__(self, *, strict: bool) -> None:
        self.strict = strict
        self.skipped = 0

    def report(self, error: InvalidInput) -> None:
        """Print one row error; raise it when strict."""
        self.skipped += 1
        if self.strict:
            raise error
        err_console.print(f"[yellow]skipped[/yellow] {escape(error.message)}", soft_wrap=True)

    def finish(self) -> None:
        """Exit non-zero (3) when any row was skipped."""
        if self.skipped:
            err_console.print(
                f"[yellow]{self.skipped} line(s) skipped[/yellow]; the other lines were processed"
            )
            raise typer.Exit(EXIT_SKIPPED)
