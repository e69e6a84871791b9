"""`fanzha textmodel train|eval`: train a text model on labelled JSONL and evaluate it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from fanzha.cli._common import RowReporter, out_console, progress_bar
from fanzha.errors import InvalidInput
from fanzha.jsonl import count_lines, read_jsonl, text_of

__all__ = ["textmodel_app"]

textmodel_app = typer.Typer(help="Train and evaluate the text model.", no_args_is_help=True)


def _read_labelled(
    paths: list[Path], reporter: RowReporter, *, known: frozenset[str] | None = None
) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    total = sum(count_lines(path) for path in paths)
    with progress_bar("reading", total) as advance:
        for path in paths:
            for row in read_jsonl(path):
                advance(1)
                if row.error is not None:
                    reporter.report(row.error)
                    continue
                assert row.data is not None
                try:
                    text, _title_chars = text_of(row, source=path.name)
                    label = row.data.get("label")
                    if not isinstance(label, str) or not label.strip():
                        raise InvalidInput(
                            f"{label!r}; every row needs a non-empty label string",
                            field="label",
                            line=row.line,
                            source=path.name,
                        )
                    if known is not None and label not in known:
                        raise InvalidInput(
                            f"{label!r} is not a class of this model ({', '.join(sorted(known))})",
                            field="label",
                            line=row.line,
                            source=path.name,
                        )
                except InvalidInput as error:
                    reporter.report(error)
                    continue
                texts.append(text)
                labels.append(label)
    return texts, labels


@textmodel_app.command()
def train(
    data: Annotated[list[Path], typer.Option("--data", help='JSONL with "text" and "label"')],
    out: Annotated[Path, typer.Option("--out", help="folder to write the model to")],
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    strict: Annotated[bool, typer.Option(help="stop at the first bad line")] = False,
) -> None:
    """Train a text model on any {"text","label"} JSONL files."""
    from fanzha.screening import TextModel, normalize_text

    reporter = RowReporter(strict=strict)
    texts, labels = _read_labelled(data, reporter)
    with progress_bar("normalising", len(texts)) as advance:
        normalised = []
        for text in texts:
            normalised.append(normalize_text(text))
            advance(1)
    with progress_bar("training", None) as advance:
        model = TextModel(seed=seed).fit(normalised, labels, progress=advance)
    model.save(out)
    out_console.print(
        f"trained on {len(texts)} rows, {len(model.classes_)} classes → {out}", soft_wrap=True
    )
    reporter.finish()


@textmodel_app.command("eval")
def evaluate(
    model: Annotated[Path, typer.Option("--model", help="model folder")],
    data: Annotated[Path, typer.Option("--data", help='JSONL with "text" and "label"')],
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    strict: Annotated[bool, typer.Option(help="stop at the first bad line")] = False,
) -> None:
    """Evaluate a text model: accuracy, macro-F1, per-class scores, throughput."""
    from fanzha.screening import TextModel, evaluate_model

    text_model = TextModel.load(model)
    reporter = RowReporter(strict=strict)
    texts, labels = _read_labelled([data], reporter, known=frozenset(text_model.classes_))
    with progress_bar("evaluating", len(texts)) as advance:
        report = evaluate_model(text_model, texts, labels, progress=advance)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        out_console.print(
            f"n={report.n}  accuracy={report.accuracy:.4f}  macro-F1={report.macro_f1:.4f}  "
            f"{report.msgs_per_s:.0f} msg/s"
        )
        for label, scores in report.per_class.items():
            out_console.print(
                f"  {label:24s} P={scores.precision:.3f} R={scores.recall:.3f} "
                f"F1={scores.f1:.3f} n={scores.support}"
            )
    reporter.finish()
