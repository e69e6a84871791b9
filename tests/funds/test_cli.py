"""`fanzha funds train|score|trace` through Typer's CliRunner."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.cli._common import EXIT_SKIPPED
from fanzha.demo import generate_aml

runner = CliRunner()
COLUMNS = ["--src-col", "src", "--dst-col", "dst", "--amount-col", "amount", "--time-col", "time"]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("funds")
    sim = generate_aml(n_accounts=800, patterns={"fan_in": 15}, seed=4)
    sim.accounts.select("id", "is_fraud").write_csv(folder / "accounts.csv")
    sim.transactions.write_csv(folder / "transactions.csv")
    (folder / "chain.csv").write_text(
        "src,dst,amount,time\n"
        "V,M1,1000.00,2024-03-01T10:00:00+08:00\n"
        "M1,M2,600.00,2024-03-01 10:05\n"
        "M1,M3,400.00,1709259000\n"
        "M2,ATM,600.00,2024-03-01 11:00\n",
        encoding="utf-8",
    )
    return folder


def test_train_then_score(files: Path) -> None:
    model = files / "model"
    trained = runner.invoke(
        app,
        [
            "funds",
            "train",
            "--accounts",
            str(files / "accounts.csv"),
            "--transactions",
            str(files / "transactions.csv"),
            "--id-col",
            "id",
            "--label-col",
            "is_fraud",
            *COLUMNS,
            "--out",
            str(model),
        ],
    )
    assert trained.exit_code == 0, trained.output
    assert "out-of-fold AUC" in trained.stdout
    scored = runner.invoke(
        app,
        [
            "funds",
            "score",
            "--model",
            str(model),
            "--accounts",
            str(files / "accounts.csv"),
            "--transactions",
            str(files / "transactions.csv"),
            "--id-col",
            "id",
            *COLUMNS,
            "--out",
            str(files / "scores.csv"),
        ],
    )
    assert scored.exit_code == 0, scored.output
    with open(files / "scores.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["id", "score"] and len(rows) == 800
    assert all(0.0 <= float(r["score"]) <= 1.0 for r in rows)


def test_trace_json_follows_the_money(files: Path) -> None:
    result = runner.invoke(
        app,
        [
            "funds",
            "trace",
            "--transactions",
            str(files / "chain.csv"),
            *COLUMNS,
            "--from",
            "V",
            "--exit",
            "ATM",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    trace = json.loads(result.stdout)
    nodes = {n["account"]: n for n in trace["nodes"]}
    assert nodes["ATM"]["status"] == "exit" and nodes["ATM"]["exited_fen"] == 60_000
    assert nodes["M3"]["held_fen"] == 40_000
    assert [p["account"] for p in trace["priorities"]] == ["M3"]


def _trace_json(files: Path, *extra: str) -> dict[str, dict[str, int | str]]:
    args = ["funds", "trace", "--transactions", str(files / "chain.csv"), *COLUMNS]
    result = runner.invoke(app, [*args, "--from", "V", "--exit", "ATM", *extra, "--json"])
    assert result.exit_code == 0, result.output
    return {n["account"]: n for n in json.loads(result.stdout)["nodes"]}


def test_trace_frozen_at_a_time_for_an_amount(files: Path) -> None:
    # M1 sent 600 to M2 at 10:05; frozen at 10:07 for 250 of the 400 left; 10:10 it sends
    # 400 to M3, of which only 150 can be the victim's.
    nodes = _trace_json(files, "--frozen", "M1,2024-03-01T10:07:00+08:00,250")
    assert (nodes["M1"]["status"], nodes["M1"]["frozen_fen"]) == ("frozen", 25_000)
    assert nodes["ATM"]["exited_fen"] == 60_000
    assert nodes["M3"]["held_fen"] == 15_000
    # Frozen now (no time): everything had left M1 before, nothing vanishes.
    now = _trace_json(files, "--frozen", "M1")
    assert (now["M1"]["status"], now["M1"]["frozen_fen"]) == ("passing", 0)
    assert (now["ATM"]["exited_fen"], now["M3"]["held_fen"]) == (60_000, 40_000)
    # Released at 10:09, before the transfer to M3: the money moves on.
    released = _trace_json(
        files, "--frozen", "M1,2024-03-01T10:07:00+08:00,,2024-03-01T10:09:00+08:00"
    )
    assert released["M3"]["held_fen"] == 40_000 and released["M1"]["frozen_fen"] == 0


def test_trace_table_and_reverse(files: Path) -> None:
    table = runner.invoke(
        app, ["funds", "trace", "--transactions", str(files / "chain.csv"), *COLUMNS, "--from", "V"]
    )
    assert table.exit_code == 0, table.output
    assert "资金流向" in table.stdout and "M3" in table.stdout
    back = runner.invoke(
        app,
        [
            "funds",
            "trace",
            "--transactions",
            str(files / "chain.csv"),
            *COLUMNS,
            "--to",
            "M2",
            "--json",
        ],
    )
    assert back.exit_code == 0, back.output
    assert json.loads(back.stdout)["victims"][0] == {
        "victim": "V",
        "amount_fen": 60_000,
        "depth": 2,
        "first_time": 1_709_258_700,
    }


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        pytest.param(["--from", "NOBODY"], "appears in no transfer", id="unknown-account"),
        pytest.param(["--from", "V", "--to", "M2"], "exactly one of", id="both-directions"),
        pytest.param(["--from", "V", "--since", "step 3"], "since", id="bad-since"),
        pytest.param(["--from", "V", "--method", "newest"], "method", id="bad-method"),
        pytest.param(["--from", "V", "--frozen", "M1,,1.234"], "2 decimals", id="bad-frozen-yuan"),
        pytest.param(["--from", "V", "--frozen", "M1,soon"], "frozen", id="bad-frozen-time"),
        pytest.param(["--from", "V", "--frozen", ",1"], "ACCOUNT[,TIME", id="bad-frozen"),
    ],
)
def test_trace_errors_are_one_red_line(files: Path, extra: list[str], message: str) -> None:
    result = runner.invoke(
        app, ["funds", "trace", "--transactions", str(files / "chain.csv"), *COLUMNS, *extra]
    )
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_bad_lines_are_reported_and_skipped(files: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        (files / "chain.csv").read_text(encoding="utf-8") + "M3,X,-5,2024-03-01 12:00\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["funds", "trace", "--transactions", str(bad), *COLUMNS, "--from", "V", "--json"]
    )
    assert result.exit_code == EXIT_SKIPPED
    assert "line 6, amount" in result.stderr and "not positive" in result.stderr
    assert json.loads(result.stdout)["total_fen"] == 100_000


@pytest.mark.parametrize("flag", ["--txn-id-col", "--tx-id-col"])
def test_transaction_id_column_under_both_flag_names(
    files: Path, tmp_path: Path, flag: str
) -> None:
    with_ids = tmp_path / "ids.csv"
    lines = (files / "chain.csv").read_text(encoding="utf-8").splitlines()
    rows = [f"{lines[0]},id"] + [f"{line},T{i}" for i, line in enumerate(lines[1:])]
    with_ids.write_text("\n".join([*rows, rows[1].replace("M1,1000", "M9,5")]) + "\n")
    args = ["funds", "trace", "--transactions", str(with_ids), *COLUMNS, flag, "id"]
    result = runner.invoke(app, [*args, "--from", "V", "--json"])
    assert result.exit_code == EXIT_SKIPPED
    assert "repeats the transaction id of line 2" in result.stderr
