"""Channels that deliver a message, behind one interface, and retries with backoff.

A channel gets an :class:`OutboundMessage`: the delivery id (also the idempotency key a
gateway can deduplicate on), the address and the text. It never sees who the person is.

- :class:`FileChannel` appends JSON lines to a file: the default, for the demo and tests.
- :class:`SmtpChannel` sends e-mail through an SMTP server (``smtplib``).
- :class:`WeComRobotChannel` posts to a 企业微信 group robot webhook
  (``{"msgtype": "text"|"markdown", ...}``, answer ``{"errcode": 0}``): the chat-group
  assistant. ``address`` is ignored; the robot's group is the recipient.
- :class:`SmsGatewayChannel` is the slot for the carrier's SMS gateway: it takes a
  :class:`SmsGateway` (any object with ``submit(delivery_id, number, text)``), which a
  deployment writes for its carrier's API (CMPP/SGIP behind an HTTP bridge, usually). fanzha
  ships no carrier client; tests inject a fake one, as httpx's tests inject a transport.

A channel raises :class:`ChannelError`; ``transient`` errors (a timeout, a 5xx, a
refused connection) are retried by :func:`send_with_retry`, permanent ones are not.
"""

from __future__ import annotations

import json
import smtplib
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from fanzha.errors import FanzhaError

__all__ = [
    "Channel",
    "ChannelError",
    "FileChannel",
    "OutboundMessage",
    "SmsGateway",
    "SmsGatewayChannel",
    "SmtpChannel",
    "WeComRobotChannel",
    "send_with_retry",
]


class ChannelError(FanzhaError):
    """A channel could not deliver; ``transient`` errors are worth retrying."""

    code = "channel_error"
    status = 502

    def __init__(self, message: str, *, transient: bool = True) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """What a channel receives: the delivery id, the address, the title and the text."""

    delivery_id: str
    address: str
    text: str
    title: str = ""


class Channel(Protocol):
    """Delivers one message or raises :class:`ChannelError`."""

    name: str
    kind: str

    def send(self, message: OutboundMessage) -> None: ...


class FileChannel:
    """Appends each message as one JSON line to ``path`` (flushed and fsynced)."""

    kind = "file"

    def __init__(self, path: Path, *, name: str = "file") -> None:
        self.path = Path(path)
        self.name = name
        self._lock = threading.Lock()

    def send(self, message: OutboundMessage) -> None:
        line = json.dumps(
            {
                "delivery_id": message.delivery_id,
                "address": message.address,
                "title": message.title,
                "text": message.text,
            },
            ensure_ascii=False,
        )
        with self._lock, open(self.path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()


class SmtpChannel:
    """Sends each message as a plain-text e-mail from ``sender`` through ``host:port``."""

    kind = "email"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        name: str = "smtp",
        timeout: float = 10.0,
        starttls: bool = False,
        login: tuple[str, str] | None = None,
    ) -> None:
        self.host, self.port, self.sender, self.name = host, port, sender, name
        self.timeout, self.starttls, self.login = timeout, starttls, login

    def send(self, message: OutboundMessage) -> None:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.address
        mail["Subject"] = message.title or "反诈提醒"
        mail["Message-ID"] = f"<{message.delivery_id}@fanzha>"
        mail.set_content(message.text)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as client:
                if self.starttls:
                    client.starttls()
                if self.login:
                    client.login(*self.login)
                client.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            raise ChannelError(
                f"SMTP refused {message.delivery_id}: {exc}", transient=False
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise ChannelError(f"SMTP {self.host}:{self.port} failed: {exc}") from exc


class WeComRobotChannel:
    """Posts each message to a 企业微信 group-robot webhook as ``text`` or ``markdown``."""

    kind = "group"

    def __init__(
        self, url: str, *, msgtype: str = "markdown", name: str = "wecom", timeout: float = 10.0
    ) -> None:
        if msgtype not in ("text", "markdown"):
            raise ValueError("msgtype is text or markdown")
        self.url, self.msgtype, self.name, self.timeout = url, msgtype, name, timeout

    def body(self, message: OutboundMessage) -> dict[str, object]:
        """The robot's JSON body for ``message``."""
        content = message.text
        if self.msgtype == "markdown" and message.title:
            content = f"**{message.title}**\n{content}"
        return {"msgtype": self.msgtype, self.msgtype: {"content": content}}

    def send(self, message: OutboundMessage) -> None:
        request = urllib.request.Request(
            self.url,
            data=json.dumps(self.body(message), ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json", "X-Delivery-Id": message.delivery_id},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise ChannelError(f"webhook HTTP {exc.code}", transient=exc.code >= 500) from exc
        except (OSError, ValueError) as exc:
            raise ChannelError(f"webhook failed: {exc}") from exc
        if answer.get("errcode", 0) != 0:
            # 45009: the robot's rate limit (20 messages a minute) → worth retrying
            transient = answer.get("errcode") == 45009
            raise ChannelError(f"webhook errcode {answer.get('errcode')}", transient=transient)


class SmsGateway(Protocol):
    """The carrier's SMS interface a deployment supplies; raises ChannelError on failure."""

    def submit(self, delivery_id: str, number: str, text: str) -> None: ...


class SmsGatewayChannel:
    """SMS through an injected carrier gateway (see :class:`SmsGateway`)."""

    kind = "sms"

    def __init__(self, gateway: SmsGateway, *, name: str = "sms") -> None:
        self.gateway, self.name = gateway, name

    def send(self, message: OutboundMessage) -> None:
        self.gateway.submit(message.delivery_id, message.address, message.text)


def send_with_retry(
    channel: Channel,
    message: OutboundMessage,
    *,
    attempts: int = 3,
    base_delay: float = 0.5,
    sleep: Callable[[float], object] = time.sleep,
) -> int:
    """Send ``message``, retrying transient errors with exponential backoff (``base_delay``,
    doubled each time); returns the attempts used, raises the last ChannelError."""
    for attempt in range(1, attempts + 1):
        try:
            channel.send(message)
            return attempt
        except ChannelError as exc:
            if not exc.transient or attempt == attempts:
                raise
            sleep(base_delay * 2 ** (attempt - 1))
    raise AssertionError("unreachable")  # pragma: no cover
