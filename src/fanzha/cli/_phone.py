"""`fanzha phone train|score`: the phone-risk model over a features CSV and a call graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fanzha.cli._common import out_console, progress_bar

__all__ = ["phone_app"]

phone_app = typer.Typer(help="Train and apply the phone-risk model.", no_args_is_help=True)

FeaturesOpt = Annotated[
    Path, typer.Option("--features", help="CSV, one row per phone number: id + numeric features")
]
IdColOpt = Annotated[str, typer.Option("--id-col", help="the column holding the phone-number id")]
EdgesOpt = Annotated[
    Path | None,
    typer.Option("--edges", help="scipy sparse adjacency (.npz) in the row order of --features"),
]


@phone_app.command()
def train(
    features: FeaturesOpt,
    id_col: IdColOpt,
    label_col: Annotated[
        str, typer.Option("--label-col", help="1 fraud, 0 normal, empty = unlabelled")
    ],
    out: Annotated[Path, typer.Option("--out", help="folder to write the model to")],
    edges: EdgesOpt = None,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
) -> None:
    """Train on the labelled rows; unlabelled rows still take part in the call graph."""
    import numpy as np

    from fanzha.phonerisk import PhoneRiskModel, load_adjacency, read_phone_table

    table = read_phone_table(features, id_col=id_col, label_col=label_col)
    adjacency = (
        None if edges is None else load_adjacency(edges, table.n_rows, rows_source=table.source)
    )
    model = PhoneRiskModel(seed=seed)
    with progress_bar("training", model.folds + 1) as advance:
        model.fit(table, adjacency, progress=advance)
    model.save(out)
    labelled = 0 if table.labels is None else int((~np.isnan(table.labels)).sum())
    graph = f", call graph of {adjacency.nnz // 2} edges" if adjacency is not None else ""
    out_console.print(
        f"trained on {labelled} labelled of {table.n_rows} rows, {len(table.columns)} feature "
        f"columns{graph} → {out}",
        soft_wrap=True,
    )
    if table.ignored:
        out_console.print(f"not numeric, not used as features: {', '.join(table.ignored)}")


@phone_app.command()
def score(
    model: Annotated[Path, typer.Option("--model", help="model folder")],
    features: FeaturesOpt,
    id_col: IdColOpt,
    out: Annotated[Path, typer.Option("--out", help="CSV to write: id,score")],
    edges: EdgesOpt = None,
) -> None:
    """Score every row: fraud risk in [0, 1], above 0.5 means fraud."""
    import polars as pl

    from fanzha.phonerisk import PhoneRiskModel, load_adjacency, read_phone_table

    risk_model = PhoneRiskModel.load(model)
    table = read_phone_table(features, id_col=id_col, columns=risk_model.columns_)
    adjacency = (
        None if edges is None else load_adjacency(edges, table.n_rows, rows_source=table.source)
    )
    scores = risk_model.predict_proba(table, adjacency)
    out.parent.mkdir(parents=True, exist_ok=True)
    pl.DataFrame({"id": table.ids, "score": scores}).write_csv(out)
    flagged = int((scores > 0.5).sum())
    out_console.print(f"scored {table.n_rows} rows, {flagged} above 0.5 → {out}", soft_wrap=True)
