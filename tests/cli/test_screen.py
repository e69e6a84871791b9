"""`fanzha screen`: one value, --json, and --file/--out with bad lines."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.cli._common import EXIT_SKIPPED
from fanzha.screening import Normalized, _screen, normalize

runner = CliRunner()
WriteJsonl = Callable[[str, list[object]], Path]
VERDICT_FIELDS = {"risk", "level", "fraud_type", "rules", "advice"}


def test_screen_json_prints_one_verdict_object() -> None:
    text = "您好，我是市公安局民警，您的银行卡涉嫌洗钱，请把资金转入安全账户配合调查"
    result = runner.invoke(app, ["screen", text, "--json"])
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.stdout)
    assert VERDICT_FIELDS <= set(verdict)
    assert verdict["level"] == "high"
    assert verdict["fraud_type"]["code"] and verdict["fraud_type"]["name"]
    assert any(hit["matched"] in text for hit in verdict["rules"])
    assert verdict["advice"]


def test_screen_readable_output_names_level_and_advice() -> None:
    result = runner.invoke(app, ["screen", "兼职刷单，日结佣金，先垫付后返利，加薇信详聊"])
    assert result.exit_code == 0, result.output
    assert "风险" in result.stdout and "建议" in result.stdout


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        pytest.param("17012345678", "phone", id="virtual-number"),
        pytest.param("http://192.168.1.20/icbc/login.apk", "url", id="ip-apk-url"),
    ],
)
def test_screen_guesses_phone_and_url(value: str, kind: str) -> None:
    result = runner.invoke(app, ["screen", value, "--json"])
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.stdout)
    assert verdict["kind"] == kind
    assert verdict["rules"], verdict


def test_screen_empty_text_is_a_clear_error() -> None:
    result = runner.invoke(app, ["screen", "   "])
    assert result.exit_code == 1
    assert "empty" in result.stderr


def test_screen_needs_a_value_or_a_file() -> None:
    result = runner.invoke(app, ["screen"])
    assert result.exit_code == 1
    assert "--file" in result.stderr


def test_screen_file_adds_verdict_fields_and_keeps_others(
    write_jsonl: WriteJsonl, tmp_path: Path
) -> None:
    rows: list[object] = [
        {"id": 1, "text": "明天早上八点在公司门口集合", "label": "正常"},
        {"id": 2, "text": "恭喜您中奖了，点击链接 http://x7k2p9q.top/a 领取奖金", "label": "中奖"},
    ]
    source = write_jsonl("in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["screen", "--file", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in written] == [1, 2]
    assert all(VERDICT_FIELDS <= set(row) for row in written)
    assert written[0]["label"] == "正常"
    assert written[1]["risk"] > written[0]["risk"]


def test_screen_file_skips_bad_lines_names_them_and_exits_non_zero(
    write_jsonl: WriteJsonl, tmp_path: Path
) -> None:
    garbage = bytes(range(256)).decode("latin-1")
    rows: list[object] = [
        {"text": "正常的一句话"},
        b"\xc3\x28 invalid utf-8",
        "this is not json",
        {"no_text": 1},
        {"text": ""},
        {"text": 42},
        "[1, 2]",
        {"text": garbage},
        {"text": "加V看看，稳赚不赔的投资" * 50_000},
    ]
    source = write_jsonl("in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["screen", "--file", str(source), "--out", str(out)])
    assert result.exit_code == EXIT_SKIPPED, result.output
    for line, words in [
        (2, "UTF-8"),
        (3, "not JSON"),
        (4, "missing"),
        (5, "empty"),
        (6, "int"),
        (7, "list"),
    ]:
        assert f"line {line}" in result.stderr and words in result.stderr, (line, result.stderr)
    written = [json.loads(row) for row in out.read_text(encoding="utf-8").splitlines()]
    assert len(written) == 3
    assert written[2]["level"] != "low"


def test_screen_file_strict_stops_but_keeps_rows_written(
    write_jsonl: WriteJsonl, tmp_path: Path
) -> None:
    source = write_jsonl("in.jsonl", [{"text": "你好"}, "{bad", {"text": "再见"}])
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["screen", "--file", str(source), "--out", str(out), "--strict"])
    assert result.exit_code == 1
    assert "line 2" in result.stderr
    assert [json.loads(row)["text"] for row in out.read_text(encoding="utf-8").splitlines()] == [
        "你好"
    ]


def test_screen_file_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["screen", "--file", str(tmp_path / "none.jsonl"), "--out", str(tmp_path / "o.jsonl")]
    )
    assert result.exit_code == 1
    assert "none.jsonl" in result.stderr


def test_screen_file_reports_rows_that_cannot_be_screened(
    write_jsonl: WriteJsonl, tmp_path: Path
) -> None:
    rows: list[object] = [
        {"text": "正常的一句话"},
        {"text": "x" * 1_000_001},
        {"text": "\u200b\u200d\u0001"},
        '{"text": "\\ud800abc"}',
        '{"text": "ok", "score": NaN}',
        {"text": "最后一行"},
    ]
    source = write_jsonl("in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["screen", "--no-model", "--file", str(source), "--out", str(out)])
    assert result.exit_code == EXIT_SKIPPED, result.output
    for line, words in [(2, "1000001"), (3, "invisible"), (4, "surrogate"), (5, "NaN")]:
        assert f"line {line}" in result.stderr and words in result.stderr, (line, result.stderr)
    written = [json.loads(row)["text"] for row in out.read_text(encoding="utf-8").splitlines()]
    assert written == ["正常的一句话", "最后一行"]


def test_screen_file_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    source = tmp_path / "bom.jsonl"
    source.write_bytes(b'\xef\xbb\xbf{"text": "\xe4\xbd\xa0\xe5\xa5\xbd"}\n')
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["screen", "--no-model", "--file", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["text"] == "你好"


def test_screen_file_spans_index_the_text_or_the_title(
    write_jsonl: WriteJsonl, tmp_path: Path
) -> None:
    row = {"title": "公安局通知", "text": "您涉嫌洗钱，请把资金转入安全账户"}
    source = write_jsonl("in.jsonl", [row])
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["screen", "--no-model", "--file", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    hits = json.loads(out.read_text(encoding="utf-8"))["rules"]
    assert hits
    for hit in hits:
        field = row[hit["field"]]
        assert hit["matched"].startswith(field[hit["start"] : hit["end"]])
    assert any(hit["field"] == "text" and hit["matched"] == "安全账户" for hit in hits)


@pytest.mark.parametrize(
    ("make_out", "words"),
    [
        pytest.param(lambda source, tmp: source, "input file", id="out-is-input"),
        pytest.param(lambda source, tmp: tmp, "directory", id="out-is-a-directory"),
        pytest.param(lambda source, tmp: tmp / "no" / "o.jsonl", "No such file", id="no-folder"),
    ],
)
def test_screen_file_bad_out_is_a_clear_error_and_keeps_input(
    write_jsonl: WriteJsonl, tmp_path: Path, make_out: Callable[[Path, Path], Path], words: str
) -> None:
    source = write_jsonl("in.jsonl", [{"text": "你好"}])
    before = source.read_bytes()
    out = make_out(source, tmp_path)
    result = runner.invoke(app, ["screen", "--no-model", "--file", str(source), "--out", str(out)])
    assert result.exit_code == 1
    assert words in result.stderr
    assert "Traceback" not in result.output
    assert source.read_bytes() == before


def test_screen_file_that_is_a_directory_is_named(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["screen", "--file", str(tmp_path), "--out", str(tmp_path / "o.jsonl")]
    )
    assert result.exit_code == 1
    assert "directory" in result.stderr


def test_unreadable_blocklist_is_a_clear_error(tmp_path: Path) -> None:
    blocklist = tmp_path / "numbers.txt"
    blocklist.write_bytes(b"\xff\xfe13800138000\n")
    result = runner.invoke(
        app, ["screen", "--no-model", "--phone-blocklist", str(blocklist), "13800138000"]
    )
    assert result.exit_code == 1
    assert "UTF-8" in result.stderr


def test_screen_file_normalises_each_row_once(
    write_jsonl: WriteJsonl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def counting(text: str) -> Normalized:
        seen.append(text)
        return normalize(text)

    monkeypatch.setattr(_screen, "normalize", counting)
    texts = ["你好", "兼 职 刷★单，加薇信", "请把钱转到安全账\u200b户"]
    source = write_jsonl("in.jsonl", [{"text": text} for text in texts])
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["screen", "--no-model", "--file", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert seen == texts
