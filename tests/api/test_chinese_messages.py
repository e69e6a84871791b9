"""Every error ``message`` an officer sees is Chinese: the API keeps its English ``code``
and ``field`` and moves the English text to ``detail`` (issue 16 item 10)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fanzha.api._messages import chinese_message, validation_message
from tests.api.conftest import login

# Words allowed in a Chinese message: formats and acronyms officers use.
ALLOWED = {"JSON", "true", "false", "ID", "URL", "SIM", "IMEI", "GOIP", "QQ", "UTF"}
_WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(message: str, *, field: str | None = None) -> list[str]:
    """ASCII words of ``message`` outside the allow-list (and the field's own name)."""
    allowed = ALLOWED | set(_WORD.findall(field or ""))
    return [word for word in _WORD.findall(message) if word not in allowed]


@pytest.mark.parametrize(
    ("code", "text", "field", "expected"),
    [
        (
            "illegal_transition",
            "任务 3 处于「已劝阻」，不能记录联系结果。 Cannot record an outcome on task 3",
            None,
            "任务 3 处于「已劝阻」，不能记录联系结果。",
        ),
        ("conflict", "与已有记录冲突 (conflicts with a stored record)", None, "与已有记录冲突"),
        (
            "invalid_input",
            "money_saved_fen: 挽回金额 200.00 元超过涉险金额 1.00 元，请确认（至少 4 个字）",
            "money_saved_fen",
            "挽回金额 200.00 元超过涉险金额 1.00 元，请确认（至少 4 个字）",
        ),
        (
            "invalid_input",
            "channel: unknown channel 'fax'",
            "channel",
            "联系方式的值不合法，请检查后重试",
        ),
        ("not_found", "no task 99", None, "未找到该记录或页面"),
        ("whatever", "Something odd", None, "请求无法处理，请检查后重试"),
    ],
)
def test_chinese_message_keeps_the_chinese_part_or_says_it_in_chinese(
    code: str, text: str, field: str | None, expected: str
) -> None:
    assert chinese_message(code, text, field) == expected


@pytest.mark.parametrize(
    ("error_type", "context", "expected"),
    [
        ("missing", None, "缺少必填项：版本号"),
        ("greater_than_equal", {"ge": 0}, "版本号不能小于 0"),
        ("int_parsing", None, "版本号应为整数"),
        ("unheard_of", None, "版本号的值不合法，请检查后重试"),
    ],
)
def test_validation_messages_are_chinese(
    error_type: str, context: dict[str, Any] | None, expected: str
) -> None:
    assert validation_message("version", error_type, "Input should be …", context) == expected


def _bad_requests(client: TestClient) -> list[Any]:
    officer = login(client, "warning_officer")
    fund = login(client, "commander")
    return [
        client.get(
            "/api/v1/tasks/999999", params={"reason": "预警处置：查看任务"}, headers=officer
        ),
        client.get("/api/v1/tasks", params={"page": "x"}, headers=officer),
        client.get("/api/v1/tasks", params={"page": 0}, headers=officer),
        client.get("/api/v1/kpis", params={"since": "yesterday"}, headers=fund),
        client.post("/api/v1/tasks/1/outcomes", json={"channel": "fax"}, headers=officer),
        client.post(
            "/api/v1/tasks/1/transition", json={"to_state": "x", "version": 1}, headers=officer
        ),
        client.post("/api/v1/events", content=b"{not json", headers=officer),
        client.post("/api/v1/events", json={"kind": "nonsense"}, headers=officer),
        client.get("/api/v1/tasks"),
        client.get("/api/v1/no/such/path", headers=officer),
        client.post("/api/v1/screen", json={"text": ""}, headers=fund),
        client.post("/api/v1/auth/login", json={"username": "nobody", "password": "wrong"}),
    ]


def test_api_errors_answer_in_chinese_with_the_english_in_detail(client: TestClient) -> None:
    seen = 0
    for response in _bad_requests(client):
        assert 400 <= response.status_code < 500, (response.request.url, response.text)
        error = response.json()["error"]
        assert error["code"] and error["message"], response.text
        assert re.search(r"[\u4e00-\u9fff]", error["message"]), response.text
        assert english_words(error["message"], field=error["field"]) == [], response.text
        seen += 1
    assert seen == 12
