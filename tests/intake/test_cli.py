"""The contract scripts depend on: `fanzha publish --file|--demo` and `fanzha intake
--until-idle` printing what it took."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.intake import Topology, demo_signals


def _tag(topology: Topology) -> str:
    return topology.durable.removeprefix("t").removesuffix("-intake")


def test_publish_a_file_then_intake_until_idle(
    nats_url: str,
    topology: Topology,
    tmp_path: Path,
    write_jsonl: Callable[[str, list[object]], Path],
) -> None:
    rows: list[object] = [
        {"id": "f-1", "kind": "fraud_call", "phone": "13800000001", "district": "兴宁区"},
        {"id": "f-2", "kind": "citizen_report", "phone": "13800000001"},
        {"id": "f-3", "kind": "screening_hit", "phone": "13800000002", "risk": 0.1},
        {"id": "f-4", "kind": "flagged_transfer", "phone": "13800000003", "amount_at_risk_fen": 9},
    ]
    signals = write_jsonl("signals.jsonl", rows)
    common = ["--nats", nats_url, "--names", _tag(topology)]
    runner = CliRunner()
    published = runner.invoke(app, ["publish", "--file", str(signals), *common])
    assert published.exit_code == 0, published.output
    assert "published 4 signal(s)" in published.output
    db = f"sqlite:///{tmp_path / 'intake.db'}"
    taken = runner.invoke(app, ["intake", "--db", db, "--until-idle", "0.5", *common])
    assert taken.exit_code == 0, taken.output
    # f-3 is below the screening threshold: stored as an event, no task
    assert "taken 2 merged 1 skipped 1 dead-lettered 0" in taken.output


def test_publish_refuses_a_file_with_a_bad_line_and_sends_nothing(
    nats_url: str, topology: Topology, write_jsonl: Callable[[str, list[object]], Path]
) -> None:
    signals = write_jsonl(
        "signals.jsonl",
        [{"id": "ok", "kind": "fraud_call", "phone": "13800000001"}, {"id": "bad", "kind": "x"}],
    )
    result = CliRunner().invoke(
        app, ["publish", "--file", str(signals), "--nats", nats_url, "--names", _tag(topology)]
    )
    assert result.exit_code == 1
    assert "line 2" in result.output
    assert "nothing was published" in result.output


def test_demo_signals_have_stable_ids_and_bodies() -> None:
    first = demo_signals(30, seed=5)
    assert first == demo_signals(30, seed=5)
    assert [s["id"] for s in first] == [f"demo-5-30-{i}" for i in range(30)]
    assert {s["kind"] for s in first} <= {
        "fraud_call",
        "flagged_transfer",
        "citizen_report",
        "screening_hit",
    }


def test_names_may_be_digits_only_but_not_upper_case_or_punctuation() -> None:
    # an all-digit uuid prefix made the CLI test fail once: "0123".islower() is False
    result = CliRunner().invoke(
        app, ["publish", "--demo", "0", "--nats", "nats://127.0.0.1:1", "--names", "0123456789"]
    )
    assert "--names" not in result.output
    for bad in ("Ab12", "a-b", "名字"):
        refused = CliRunner().invoke(app, ["publish", "--demo", "1", "--names", bad])
        assert refused.exit_code == 1
        assert "--names" in refused.output
