"""`fanzha serve` stops within seconds on SIGTERM, even with a request still in flight."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from fanzha.store.audit import AuditChain


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_sigterm_stops_the_server_within_seconds_with_a_request_in_flight(
    tmp_path: Path, audit_chain: AuditChain
) -> None:
    port = _free_port()
    env = {**os.environ, "FANZHA_SHUTDOWN_SECONDS": "2"}  # with the audit_chain key and file
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fanzha.cli",
            "serve",
            "--port",
            str(port),
            "--db",
            f"sqlite:///{tmp_path / 'serve.db'}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert time.monotonic() < deadline, "server did not start"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/docs", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", port)) as stalled:
            # a request whose body never finishes: the app waits for it until shutdown ends it
            stalled.sendall(
                b"POST /api/v1/screen/text HTTP/1.1\r\nHost: x\r\n"
                b'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"te'
            )
            time.sleep(0.5)
            started = time.monotonic()
            server.send_signal(signal.SIGTERM)
            code = server.wait(timeout=20)
            took = time.monotonic() - started
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert code in (0, -signal.SIGTERM)  # uvicorn re-raises the signal after a clean shutdown
    assert took < 10
