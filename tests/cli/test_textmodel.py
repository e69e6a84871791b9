"""`fanzha textmodel train|eval`: the contract, a round trip and bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.cli._common import EXIT_SKIPPED
from tests.conftest import make_rows

runner = CliRunner()
WriteJsonl = Callable[[str, list[object]], Path]


def _train(write_jsonl: WriteJsonl, tmp_path: Path) -> Path:
    data = write_jsonl("train.jsonl", list(make_rows(40, seed=1)))
    out = tmp_path / "model"
    result = runner.invoke(app, ["textmodel", "train", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_train_then_eval_round_trip(write_jsonl: WriteJsonl, tmp_path: Path) -> None:
    model = _train(write_jsonl, tmp_path)
    dev = write_jsonl("dev.jsonl", list(make_rows(10, seed=2)))
    result = runner.invoke(
        app, ["textmodel", "eval", "--model", str(model), "--data", str(dev), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"n", "accuracy", "macro_f1", "per_class", "msgs_per_s"}
    assert report["n"] == 30
    assert report["macro_f1"] > 0.9
    assert set(report["per_class"]) == {"正常", "刷单返利", "冒充公检法"}
    assert set(report["per_class"]["正常"]) == {"precision", "recall", "f1", "support"}
    assert report["msgs_per_s"] > 0


def test_train_accepts_several_files_and_any_labels(
    write_jsonl: WriteJsonl, tmp_path: Path
) -> None:
    first = write_jsonl("a.jsonl", [{"text": f"alpha apple {i}", "label": "A"} for i in range(20)])
    second = write_jsonl("b.jsonl", [{"text": f"beta banana {i}", "label": "B"} for i in range(20)])
    out = tmp_path / "m"
    result = runner.invoke(
        app, ["textmodel", "train", "--data", str(first), "--data", str(second), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert {"model.json", "model.npz"} <= {p.name for p in out.iterdir()}


def test_eval_skips_unknown_label_and_exits_non_zero(
    write_jsonl: WriteJsonl, tmp_path: Path
) -> None:
    model = _train(write_jsonl, tmp_path)
    rows: list[object] = [*make_rows(3, seed=3), {"text": "随便说说", "label": "外星人诈骗"}]
    dev = write_jsonl("dev.jsonl", rows)
    result = runner.invoke(
        app, ["textmodel", "eval", "--model", str(model), "--data", str(dev), "--json"]
    )
    assert result.exit_code == EXIT_SKIPPED
    assert "line 10" in result.stderr and "外星人诈骗" in result.stderr
    assert json.loads(result.stdout)["n"] == 9


def test_train_reports_bad_lines_and_keeps_the_rest(
    write_jsonl: WriteJsonl, tmp_path: Path
) -> None:
    rows: list[object] = [
        *make_rows(20, seed=4),
        b"\xff\xfe not utf8",
        "{not json",
        {"label": "正常"},
    ]
    data = write_jsonl("train.jsonl", rows)
    out = tmp_path / "m"
    result = runner.invoke(app, ["textmodel", "train", "--data", str(data), "--out", str(out)])
    assert result.exit_code == EXIT_SKIPPED
    assert "line 61" in result.stderr and "UTF-8" in result.stderr
    assert "line 62" in result.stderr and "not JSON" in result.stderr
    assert "line 63" in result.stderr and "text" in result.stderr
    assert (out / "model.npz").is_file()


def test_train_strict_stops_at_first_bad_line(write_jsonl: WriteJsonl, tmp_path: Path) -> None:
    data = write_jsonl("train.jsonl", ["{oops", *make_rows(5, seed=5)])
    out = tmp_path / "m"
    result = runner.invoke(
        app, ["textmodel", "train", "--data", str(data), "--out", str(out), "--strict"]
    )
    assert result.exit_code == 1
    assert "line 1" in result.stderr
    assert not out.exists()


def test_eval_missing_model_is_a_clear_error(write_jsonl: WriteJsonl, tmp_path: Path) -> None:
    dev = write_jsonl("dev.jsonl", list(make_rows(2)))
    result = runner.invoke(
        app, ["textmodel", "eval", "--model", str(tmp_path / "nope"), "--data", str(dev)]
    )
    assert result.exit_code == 1
    assert "nope" in result.stderr
