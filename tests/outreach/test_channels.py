"""Channels against local servers: SMTP (aiosmtpd on a free port), the 企业微信 group-robot
webhook (a local HTTP server), the file channel, the SMS gateway slot; retries and backoff."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from fanzha.outreach._channels import (
    ChannelError,
    FileChannel,
    OutboundMessage,
    SmsGatewayChannel,
    SmtpChannel,
    WeComRobotChannel,
    send_with_retry,
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


MESSAGE = OutboundMessage(
    "fz-1-once-7", "13877100001", "【市反诈中心】谨防刷单返利。回T退订", "反诈提醒"
)


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, list[Any]]]:
    """aiosmtpd on a free port; yields the port and the envelopes it received."""
    controller_module = pytest.importorskip("aiosmtpd.controller")
    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(envelope)
            return "250 OK"

    port = _free_port()
    controller = controller_module.Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


def test_smtp_delivers_the_text_and_delivery_id(smtp_server: tuple[int, list[Any]]) -> None:
    port, received = smtp_server
    channel = SmtpChannel("127.0.0.1", port, "fanzha@police.example")
    channel.send(OutboundMessage("fz-2-once-9", "resident@example.cn", MESSAGE.text, "反诈提醒"))
    assert len(received) == 1
    envelope = received[0]
    assert envelope.rcpt_tos == ["resident@example.cn"]
    mail = message_from_bytes(envelope.content)
    assert str(make_header(decode_header(mail["Subject"]))) == "反诈提醒"
    assert mail["Message-ID"] == "<fz-2-once-9@fanzha>"
    assert "谨防刷单返利" in mail.get_payload(decode=True).decode("utf-8")


def test_smtp_unreachable_is_transient() -> None:
    port = _free_port()
    with pytest.raises(ChannelError) as caught:
        SmtpChannel("127.0.0.1", port, "a@b.c", timeout=2).send(MESSAGE)
    assert caught.value.transient


class _Robot(BaseHTTPRequestHandler):
    """A 企业微信 group robot: records bodies; answers the scripted status/errcode in turn."""

    bodies: list[dict[str, Any]]
    script: list[tuple[int, int]]

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).bodies.append(json.loads(self.rfile.read(length)))
        status, errcode = type(self).script.pop(0) if type(self).script else (200, 0)
        payload = json.dumps({"errcode": errcode, "errmsg": "ok" if not errcode else "x"})
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload.encode())

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def robot() -> Iterator[tuple[str, type[_Robot]]]:
    handler = type("Robot", (_Robot,), {"bodies": [], "script": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key=test"
        yield url, handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("msgtype", ["text", "markdown"])
def test_wecom_robot_format(robot: tuple[str, type[_Robot]], msgtype: str) -> None:
    url, handler = robot
    WeComRobotChannel(url, msgtype=msgtype).send(MESSAGE)
    (body,) = handler.bodies
    assert body["msgtype"] == msgtype
    assert set(body) == {"msgtype", msgtype}
    assert MESSAGE.text in body[msgtype]["content"]
    if msgtype == "markdown":
        assert body[msgtype]["content"].startswith("**反诈提醒**")


def test_retries_with_backoff_then_succeeds(robot: tuple[str, type[_Robot]]) -> None:
    url, handler = robot
    handler.script = [(502, 0), (200, 45009)]  # a gateway error, then the rate limit
    waits: list[float] = []
    used = send_with_retry(
        WeComRobotChannel(url), MESSAGE, attempts=4, base_delay=0.5, sleep=waits.append
    )
    assert used == 3 and waits == [0.5, 1.0] and len(handler.bodies) == 3


def test_permanent_error_is_not_retried(robot: tuple[str, type[_Robot]]) -> None:
    url, handler = robot
    handler.script = [(200, 93000)]  # invalid webhook key
    waits: list[float] = []
    with pytest.raises(ChannelError) as caught:
        send_with_retry(WeComRobotChannel(url), MESSAGE, attempts=4, sleep=waits.append)
    assert not caught.value.transient and waits == [] and len(handler.bodies) == 1


def test_retries_give_up_after_the_last_attempt(robot: tuple[str, type[_Robot]]) -> None:
    url, handler = robot
    handler.script = [(503, 0)] * 3
    waits: list[float] = []
    with pytest.raises(ChannelError):
        send_with_retry(WeComRobotChannel(url), MESSAGE, attempts=3, sleep=waits.append)
    assert waits == [0.5, 1.0] and len(handler.bodies) == 3


def test_file_channel_writes_only_id_address_and_text(tmp_path: Path) -> None:
    path = tmp_path / "outbox.jsonl"
    FileChannel(path).send(MESSAGE)
    (line,) = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(line) == {
        "delivery_id": MESSAGE.delivery_id,
        "address": MESSAGE.address,
        "title": MESSAGE.title,
        "text": MESSAGE.text,
    }


def test_sms_gateway_slot_takes_an_injected_gateway() -> None:
    submitted: list[tuple[str, str, str]] = []

    class Gateway:
        def submit(self, delivery_id: str, number: str, text: str) -> None:
            submitted.append((delivery_id, number, text))

    SmsGatewayChannel(Gateway()).send(MESSAGE)
    assert submitted == [(MESSAGE.delivery_id, MESSAGE.address, MESSAGE.text)]
