"""`fanzha screen`: a verdict for a text, a number or a URL, or for every row of a JSONL file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fanzha.cli._common import RowReporter, out_console, progress_bar
from fanzha.errors import InvalidInput

if TYPE_CHECKING:
    from fanzha.screening import Normalized, Screener, Verdict

__all__ = ["MAX_TEXT_CHARS_HELP", "screen"]

CHUNK_ROWS = 2048
MAX_TEXT_CHARS_HELP = 1_000_000
"""``fanzha.screening.MAX_TEXT_CHARS`` for ``--help`` (a test keeps them equal), written out
so that ``--help`` does not import the screening package."""
LEVEL_STYLES = {"high": "bold red", "medium": "bold yellow", "low": "bold green"}


def _build_screener(
    model: Path | None, no_model: bool, phone_blocklist: Path | None, url_blocklist: Path | None
) -> Screener:
    from fanzha.screening import Screener, TextModel, load_blocklist, load_domain_list

    if no_model:
        text_model = risk_model = None
    elif model is not None:
        text_model, risk_model = TextModel.load(model), None
    else:
        shipped = Screener.default()
        text_model, risk_model = shipped.model, shipped.risk_model
    return Screener(
        model=text_model,
        risk_model=risk_model,
        phone_blocklist=load_blocklist(phone_blocklist) if phone_blocklist else frozenset(),
        url_blocklist=load_domain_list(url_blocklist) if url_blocklist else frozenset(),
    )


def _verdict_fields(verdict: Verdict, title_chars: int) -> dict[str, Any]:
    """The fields a screened row gains; rule spans index the row's ``text`` or ``title``."""
    data = verdict.to_dict()
    if title_chars:
        for hit in data["rules"]:
            in_title = hit["start"] < title_chars
            hit["field"] = "title" if in_title else "text"
            if in_title:
                hit["end"] = min(hit["end"], title_chars - 1)
            else:
                hit["start"] -= title_chars
                hit["end"] -= title_chars
    return {key: data[key] for key in ("risk", "level", "fraud_type", "rules", "advice", "reasons")}


def _render(verdict: Verdict) -> None:
    from fanzha.screening import LEVEL_NAMES

    style = LEVEL_STYLES[verdict.level]
    highlighted = Text(verdict.value if len(verdict.value) <= 2000 else verdict.value[:2000] + "…")
    for hit in verdict.rules:
        if hit.end <= 2000 and verdict.kind == "text":
            highlighted.stylize("reverse", hit.start, hit.end)
    header = Text()
    header.append(f"{LEVEL_NAMES[verdict.level]}  风险 {verdict.risk:.2f}\n", style=style)
    header.append(f"类型: {verdict.fraud_type.name} ({verdict.fraud_type.code})\n")
    parts: list[RenderableType] = [header, highlighted]
    sections = [
        ("命中规则", [f"[{hit.rule_id}] {hit.name}: 「{hit.matched}」" for hit in verdict.rules]),
        ("依据", list(verdict.reasons)),
        ("建议", verdict.advice.splitlines()),
    ]
    for title, lines in sections:
        if not lines:
            continue
        items = Table.grid(padding=(0, 1))
        items.add_column(no_wrap=True)
        items.add_column(overflow="fold")
        for line in lines:
            items.add_row("  ·", Text(line))
        parts.extend([Text(f"\n{title}:", style="bold"), items])
    out_console.print(Panel(Group(*parts), title="识诈结果", border_style=style))


def _screen_file(screener: Screener, source: Path, out: Path, reporter: RowReporter) -> int:
    from fanzha.jsonl import count_lines, read_jsonl, text_of, write_jsonl_row
    from fanzha.screening import prepare_text

    if out.resolve() == source.resolve():
        raise InvalidInput("is the input file; write the verdicts to another file", field="out")
    written = 0
    with (
        progress_bar(f"screening {source.name}", count_lines(source)) as advance,
        out.open("w", encoding="utf-8") as handle,
    ):
        pending: list[tuple[dict[str, Any], Normalized, int]] = []

        def flush() -> None:
            nonlocal written
            rows = pending.copy()
            pending.clear()
            verdicts = screener.screen_texts([text for _, text, _ in rows])
            for (data, _, title_chars), verdict in zip(rows, verdicts, strict=True):
                write_jsonl_row(handle, {**data, **_verdict_fields(verdict, title_chars)})
            written += len(rows)
            advance(len(rows))

        try:
            for row in read_jsonl(source):
                try:
                    if row.error is not None:
                        raise row.error
                    text, title_chars = text_of(row, source=source.name)
                    prepared = prepare_text(text, field="text", line=row.line, source=source.name)
                except InvalidInput as error:
                    advance(1)
                    reporter.report(error)
                    continue
                assert row.data is not None
                pending.append((row.data, prepared, title_chars))
                if len(pending) >= CHUNK_ROWS:
                    flush()
        finally:
            if pending:
                flush()
    return written


def _needs_no_model(value: str, kind: str | None) -> bool:
    """True when ``value`` is screened as a phone number or a URL (given or guessed)."""
    from fanzha.screening import detect_kind

    return (kind or detect_kind(value)) in ("phone", "url")


def screen(
    value: Annotated[str | None, typer.Argument(help="text, phone number or URL to screen")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print the verdict as one JSON object")
    ] = False,
    kind: Annotated[
        str | None, typer.Option(help="text, phone or url (default: guessed from the value)")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help=f"JSONL input, one {{text}} per line, at most {MAX_TEXT_CHARS_HELP:,} characters",
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="JSONL output for --file")] = None,
    strict: Annotated[bool, typer.Option(help="stop at the first bad line")] = False,
    model: Annotated[Path | None, typer.Option(help="text model folder (default: shipped)")] = None,
    no_model: Annotated[bool, typer.Option(help="rules and checks only, no text model")] = False,
    phone_blocklist: Annotated[
        Path | None, typer.Option(help="file of known fraud numbers")
    ] = None,
    url_blocklist: Annotated[Path | None, typer.Option(help="file of known fraud domains")] = None,
) -> None:
    """Screen a text, phone number or URL for fraud (识诈), or every row of a JSONL file."""
    if (value is None) == (file is None):
        raise InvalidInput(
            "give either a VALUE to screen or --file IN.jsonl --out OUT.jsonl", field="value"
        )
    if value is not None and model is None and _needs_no_model(value, kind):
        no_model = True  # a number or a link: the text model would not be asked, do not load it
    screener = _build_screener(model, no_model, phone_blocklist, url_blocklist)
    if file is not None:
        if out is None:
            raise InvalidInput("--file needs --out OUT.jsonl", field="out")
        reporter = RowReporter(strict=strict)
        written = _screen_file(screener, file, out, reporter)
        out_console.print(f"screened {written} rows → {out}")
        reporter.finish()
        return
    assert value is not None
    verdict = screener.screen(value, kind=kind)
    if as_json:
        typer.echo(json.dumps({"value": verdict.value, **verdict.to_dict()}, ensure_ascii=False))
    else:
        _render(verdict)
