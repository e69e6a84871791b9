"""`fanzha funds train|score|trace`: mule-account scoring and tracing victims' money."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from fanzha.cli._common import RowReporter, err_console, out_console, progress_bar
from fanzha.errors import InvalidInput

if TYPE_CHECKING:
    from fanzha.funds import BackTrace, ColumnNames, Freeze, TraceResult, Transfers

__all__ = ["METHOD_NAMES", "funds_app"]

METHOD_NAMES = ("fifo", "lifo", "pro_rata")
"""The attribution methods named in ``--method``'s help (``fanzha.funds.METHODS``, which a
test compares; written out so that ``--help`` does not import the funds package)."""

funds_app = typer.Typer(
    help="资金查控: score mule accounts, trace victims' money.", no_args_is_help=True
)

Src = Annotated[str, typer.Option("--src-col", help="column of the paying account")]
Dst = Annotated[str, typer.Option("--dst-col", help="column of the receiving account")]
Amount = Annotated[str, typer.Option("--amount-col", help="column of the amount in yuan")]
Time = Annotated[
    str,
    typer.Option(
        "--time-col", help="column of the time: ISO 8601, epoch seconds/ms or simulation steps"
    ),
]
TxnId = Annotated[
    str | None,
    typer.Option("--txn-id-col", "--tx-id-col", help="column of unique transaction ids (optional)"),
]
Currency = Annotated[
    str | None, typer.Option("--currency-col", help="column of the currency; must be CNY")
]
Strict = Annotated[bool, typer.Option(help="stop at the first bad line")]
TransactionsFile = Annotated[Path, typer.Option("--transactions", help="transfers CSV")]
AccountsFile = Annotated[Path, typer.Option("--accounts", help="accounts CSV")]
IdCol = Annotated[str, typer.Option("--id-col", help="column of the account id in --accounts")]


def _load(path: Path, columns: ColumnNames, reporter: RowReporter) -> Transfers:
    from fanzha.funds import read_transfers

    with progress_bar("reading transfers", None):
        loaded = read_transfers(path, columns)
    for error in loaded.errors:
        reporter.report(error)
    hidden = loaded.n_errors - len(loaded.errors)
    if hidden > 0:
        reporter.skipped += hidden
        err_console.print(f"[yellow]… and {hidden} more bad line(s) not shown[/yellow]")
    return loaded.transfers


def _note_unlisted(transfers: Transfers, accounts: list[str], source: str) -> None:
    unlisted = transfers.n_accounts - int((transfers.lookup(accounts) >= 0).sum())
    if unlisted > 0:
        err_console.print(
            f"[yellow]{unlisted} account(s) in the transfers are not in {escape(source)}: "
            "used as counterparties, not scored[/yellow]"
        )


@funds_app.command()
def train(
    accounts: AccountsFile,
    transactions: TransactionsFile,
    id_col: IdCol,
    label_col: Annotated[str, typer.Option("--label-col", help="1 mule, 0 normal, empty unknown")],
    src_col: Src,
    dst_col: Dst,
    amount_col: Amount,
    time_col: Time,
    out: Annotated[Path, typer.Option("--out", help="folder to write the model to")],
    txn_id_col: TxnId = None,
    currency_col: Currency = None,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    strict: Strict = False,
) -> None:
    """Train the mule-account model on labelled accounts and their transfers."""
    from fanzha.funds import ColumnNames, MuleModel, read_accounts

    reporter = RowReporter(strict=strict)
    columns = ColumnNames(src_col, dst_col, amount_col, time_col, txn_id_col, currency_col)
    ids, labels = read_accounts(accounts, id_col=id_col, label_col=label_col)
    assert labels is not None
    transfers = _load(transactions, columns, reporter)
    _note_unlisted(transfers, ids, accounts.name)
    model = MuleModel(seed=seed)
    with progress_bar("training", 2 * model.folds + 3) as advance:
        model.fit(transfers, ids, labels, progress=advance)
    model.save(out)
    figures = model.training_
    out_console.print(
        f"trained on {figures['accounts']} accounts ({figures['mules']} mules), "
        f"{transfers.n} transfers; out-of-fold AUC {figures['oof_auc_stage2']:.4f} → {out}",
        soft_wrap=True,
    )
    reporter.finish()


@funds_app.command()
def score(
    model: Annotated[Path, typer.Option("--model", help="model folder from 'funds train'")],
    accounts: AccountsFile,
    transactions: TransactionsFile,
    id_col: IdCol,
    src_col: Src,
    dst_col: Dst,
    amount_col: Amount,
    time_col: Time,
    out: Annotated[Path, typer.Option("--out", help="CSV to write: id,score")],
    label_col: Annotated[
        str | None,
        typer.Option("--label-col", help="optional: accounts marked 1 are known mules"),
    ] = None,
    txn_id_col: TxnId = None,
    currency_col: Currency = None,
    strict: Strict = False,
) -> None:
    """Score every account of --accounts: the chance that it is a mule account."""
    from fanzha.funds import ColumnNames, MuleModel, read_accounts

    mule_model = MuleModel.load(model)
    reporter = RowReporter(strict=strict)
    columns = ColumnNames(src_col, dst_col, amount_col, time_col, txn_id_col, currency_col)
    ids, labels = read_accounts(accounts, id_col=id_col, label_col=label_col)
    transfers = _load(transactions, columns, reporter)
    _note_unlisted(transfers, ids, accounts.name)
    known = [] if labels is None else [i for i, y in zip(ids, labels, strict=True) if y == 1]
    with progress_bar("scoring", None):
        scores = mule_model.predict_proba(transfers, ids, known=known)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "score"])
        writer.writerows((i, f"{s:.6f}") for i, s in zip(ids, scores.tolist(), strict=True))
    out_console.print(f"scored {len(ids)} accounts → {out}", soft_wrap=True)
    reporter.finish()


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    table = Table(title=title, title_justify="left")
    for i, name in enumerate(columns):
        table.add_column(name, justify="left" if i in (0, 2) else "right", no_wrap=True)
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    return table


def _lines(path: Path | None) -> list[str] | None:
    """The non-blank lines of a file, stripped; None without a file."""
    if path is None:
        return None
    return [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]


def _show_back(back: BackTrace, transfers: Transfers, *, as_json: bool) -> None:
    """The victims (or origins) whose money reached the account traced back from."""
    from fanzha.records import format_yuan

    if as_json:
        typer.echo(json.dumps(back.to_dict(), ensure_ascii=False))
        return
    rows = [
        (
            v.victim,
            format_yuan(v.amount_fen),
            str(v.depth),
            transfers.format_time(v.first_time),
        )
        for v in back.victims
    ]
    out_console.print(
        _table(
            f"资金来源：到达 {back.account} 的资金（核查上游账户 {back.upstream} 个）",
            ("受害人/来源", "到达金额（元）", "层级", "首次到达"),
            rows,
        )
    )


def _show_trace(result: TraceResult, from_account: str, n_seeds: int, *, as_json: bool) -> None:
    """Where the victim's money went, and the accounts to stop-pay or freeze first."""
    from fanzha.funds import TRACE_COLUMNS, priority_rows, trace_rows
    from fanzha.records import format_yuan

    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    out_console.print(
        _table(
            f"资金流向：{from_account} 转出 {format_yuan(result.total_fen)} 元，"
            f"{n_seeds} 笔，{result.method}",
            TRACE_COLUMNS,
            trace_rows(result),
        )
    )
    out_console.print(
        _table(
            "优先止付/冻结（涉案资金最多、到账最早优先）",
            ("#", "措施", "账户", "金额（元）", "首次到账", "原因"),
            priority_rows(result),
        )
    )


def _freeze(text: str, unit: str) -> Freeze:
    """``ACCOUNT[,TIME[,YUAN[,UNTIL]]]`` as a :class:`Freeze` (empty parts: the defaults)."""
    from fanzha.funds import Freeze
    from fanzha.records import parse_time

    parts = [part.strip() for part in text.split(",")]
    if not parts[0] or len(parts) > 4:
        raise InvalidInput(
            f"{text!r}; write ACCOUNT[,TIME[,YUAN[,UNTIL]]], e.g. 6222…,2026-03-01T10:00,2725.23",
            field="frozen",
        )
    parts += [""] * (4 - len(parts))
    amount = None
    if parts[2]:
        try:
            yuan = Decimal(parts[2])
        except InvalidOperation:
            yuan = Decimal(0)
        if not yuan.is_finite() or yuan <= 0 or yuan != yuan.quantize(Decimal("0.01")):
            raise InvalidInput(
                f"{parts[2]!r}; the frozen amount is yuan > 0 with at most 2 decimals",
                field="frozen",
            )
        amount = int(yuan * 100)
    return Freeze(
        account=parts[0],
        at=parse_time(parts[1], unit=unit, field="frozen") if parts[1] else None,
        amount_fen=amount,
        until=parse_time(parts[3], unit=unit, field="frozen") if parts[3] else None,
    )


@funds_app.command()
def trace(
    transactions: TransactionsFile,
    src_col: Src,
    dst_col: Dst,
    amount_col: Amount,
    time_col: Time,
    from_account: Annotated[
        str | None, typer.Option("--from", help="victim account: trace its money forward")
    ] = None,
    to_account: Annotated[
        str | None,
        typer.Option("--to", help="mule account: find the victims whose money reached it"),
    ] = None,
    since: Annotated[str | None, typer.Option(help="only transfers from this time on")] = None,
    until: Annotated[str | None, typer.Option(help="only transfers up to this time")] = None,
    depth: Annotated[int, typer.Option(help="follow at most this many mule layers")] = 6,
    method: Annotated[str, typer.Option(help=f"attribution: {', '.join(METHOD_NAMES)}")] = "fifo",
    min_amount: Annotated[
        float, typer.Option(help="do not follow less than this many yuan into a new account")
    ] = 1.0,
    exit_account: Annotated[
        list[str] | None, typer.Option("--exit", help="cash-out / crypto / merchant account")
    ] = None,
    frozen: Annotated[
        list[str] | None,
        typer.Option(
            "--frozen",
            help=(
                "stop-paid / frozen account: ACCOUNT[,TIME[,YUAN[,UNTIL]]] — from TIME "
                "(default: after the last transfer) YUAN of its balance (default: all) stays "
                "until UNTIL (lapse or release; default: still in force); money that left "
                "before TIME is still traced"
            ),
        ),
    ] = None,
    victims: Annotated[
        Path | None, typer.Option(help="with --to: file of victim accounts, one per line")
    ] = None,
    channel_col: Annotated[
        str | None, typer.Option("--channel-col", help="transfer, cash, crypto or merchant")
    ] = None,
    txn_id_col: TxnId = None,
    currency_col: Currency = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    strict: Strict = False,
) -> None:
    """Trace a victim's money forward (--from), or a mule's back to its victims (--to)."""
    from fanzha.funds import ColumnNames, index_transfers, trace_back, trace_funds, victim_seeds
    from fanzha.records import parse_time

    if (from_account is None) == (to_account is None):
        raise InvalidInput(
            "give exactly one of --from (victim) or --to (mule account)", field="from"
        )
    reporter = RowReporter(strict=strict)
    columns = ColumnNames(
        src_col, dst_col, amount_col, time_col, txn_id_col, currency_col, channel_col
    )
    transfers = _load(transactions, columns, reporter)
    start = parse_time(since, unit=transfers.time_unit, field="since") if since else None
    end = parse_time(until, unit=transfers.time_unit, field="until") if until else None
    with progress_bar("indexing", None):
        index = index_transfers(transfers)
    if to_account is not None:
        back = trace_back(
            transfers,
            to_account,
            victims=_lines(victims),
            index=index,
            method=method,
            since=start,
            until=end,
            max_depth=depth,
        )
        _show_back(back, transfers, as_json=as_json)
    else:
        assert from_account is not None
        seeds = victim_seeds(transfers, from_account, since=start, until=end)
        result = trace_funds(
            transfers,
            seeds,
            index=index,
            method=method,
            max_depth=depth,
            until=end,
            min_fen=max(round(min_amount * 100), 1),
            freezes=[_freeze(text, transfers.time_unit) for text in frozen or ()],
            exits=exit_account or (),
        )
        _show_trace(result, from_account, len(seeds), as_json=as_json)
    reporter.finish()
