"""API load: 100 concurrent clients for 60 s against the queue, a task read, a person
look-up and screening; per endpoint req/s, p50/p99, errors and time-outs.

Builds a demo city in a fresh database (SQLite file or a private PostgreSQL schema), starts
`fanzha serve` on loopback in its own process(es), and drives it with wrk (Debian package
`wrk`: `apt-get install wrk`), one wrk process per endpoint, while this process polls
`GET /api/v1/health` every 0.5 s. Loopback only, bounded in time.

    python bench/api_load.py --db sqlite                   # each endpoint alone, 100 clients
    python bench/api_load.py --db postgresql --mode mixed  # all four at once, 25 clients each
    python bench/api_load.py --db sqlite --server-workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from _data import bench_database
from sqlalchemy import create_engine, text

MESSAGE = "您好，我是市公安局民警，您的银行卡涉嫌洗钱，请配合调查把资金转入安全账户"
REASON = "%E9%A2%84%E8%AD%A6%E6%A0%B8%E6%9F%A5"  # 预警核查, URL-encoded
WRK_SCRIPT = """
local paths = {%(paths)s}
local i = 0
wrk.method = "%(method)s"
wrk.headers["Authorization"] = "Bearer %(token)s"
wrk.headers["Content-Type"] = "application/json"
wrk.body = %(body)s
request = function()
  i = i + 1
  return wrk.format(nil, paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%%d,"seconds":%%f,"p50_ms":%%f,"p99_ms":%%f,"status":%%d,' ..
    '"connect":%%d,"read":%%d,"write":%%d,"timeout":%%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, e.status, e.connect, e.read, e.write, e.timeout))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ids(url: str, table: str, limit: int = 500) -> list[int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(f"SELECT id FROM {table} ORDER BY id LIMIT {limit}"))
        ids = [int(row[0]) for row in rows]
    engine.dispose()
    return ids


def _endpoints(url: str) -> dict[str, tuple[str, list[str], str]]:
    """Name → (method, paths cycled through, JSON body)."""
    tasks = [f"/api/v1/tasks/{i}?reason={REASON}" for i in _ids(url, "warning_tasks")]
    persons = [f"/api/v1/persons/{i}?reason={REASON}" for i in _ids(url, "persons")]
    queue = [f"/api/v1/tasks?open_only=true&per_page=50&page={p}" for p in range(1, 6)]
    screen = json.dumps({"text": MESSAGE}, ensure_ascii=False)
    return {
        "GET /api/v1/tasks (queue)": ("GET", queue, ""),
        "GET /api/v1/tasks/{id}": ("GET", tasks, ""),
        "GET /api/v1/persons/{id}": ("GET", persons, ""),
        "POST /api/v1/screen/text": ("POST", ["/api/v1/screen/text"], screen),
    }


def _wrk(
    base: str, token: str, spec: tuple[str, list[str], str], clients: int, seconds: float
) -> tuple[subprocess.Popen[str], Path]:
    method, paths, body = spec
    script = WRK_SCRIPT % {
        "paths": ", ".join(json.dumps(p) for p in paths),
        "method": method,
        "token": token,
        "body": json.dumps(body, ensure_ascii=False) if body else "nil",
    }
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8")
    with handle:
        handle.write(script)
    command = ["wrk", "-t1", f"-c{clients}", f"-d{seconds:.0f}s", "--timeout", "10s"]
    return subprocess.Popen(
        [*command, "-s", handle.name, base], stdout=subprocess.PIPE, text=True
    ), Path(handle.name)


def _figures(process: subprocess.Popen[str], script: Path) -> dict[str, float]:
    output, _ = process.communicate(timeout=600)
    script.unlink()
    line = [row for row in output.splitlines() if row.startswith("{")][-1]
    figures: dict[str, float] = json.loads(line)
    return figures


class HealthPoller(threading.Thread):
    """Polls ``GET /api/v1/health`` every 0.5 s; counts failures and the slowest answer."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.stop = threading.Event()
        self.polls = self.failures = 0
        self.slowest_ms = 0.0

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=2) as client:
            while not self.stop.wait(0.5):
                started = time.perf_counter()
                try:
                    ok = client.get("/api/v1/health").status_code == 200
                except httpx.HTTPError:
                    ok = False
                self.polls += 1
                self.failures += not ok
                self.slowest_ms = max(self.slowest_ms, (time.perf_counter() - started) * 1e3)


def _report(name: str, figures: dict[str, float]) -> None:
    errors = figures["status"] + figures["connect"] + figures["read"] + figures["write"]
    print(
        f"{name:28s} {figures['requests'] / figures['seconds']:8.1f} req/s  "
        f"p50 {figures['p50_ms']:7.1f} ms  p99 {figures['p99_ms']:7.1f} ms  "
        f"{int(figures['requests']):>8,} requests  {int(errors)} errors  "
        f"{int(figures['timeout'])} time-outs",
        flush=True,
    )


def _run(
    base: str,
    token: str,
    endpoints: dict[str, tuple[str, list[str], str]],
    args: argparse.Namespace,
) -> None:
    poller = HealthPoller(base)
    poller.start()
    runs: list[list[str]] = (
        [[name] for name in endpoints] if args.mode == "each" else [list(endpoints)]
    )
    for names in runs:
        clients = max(1, args.clients // len(names))
        started = {
            name: _wrk(base, token, endpoints[name], clients, args.seconds) for name in names
        }
        for name, (process, script) in started.items():
            _report(name, _figures(process, script))
    poller.stop.set()
    poller.join()
    print(
        f"{'GET /api/v1/health (polled)':28s} {poller.polls} polls, {poller.failures} failed, "
        f"slowest {poller.slowest_ms:.0f} ms"
    )


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if server.poll() is not None:
            raise SystemExit("the server exited before it answered")
        try:
            if httpx.get(f"{base}/api/docs", timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer within 2 minutes")


def _login(base: str) -> str:
    login = httpx.post(
        f"{base}/api/v1/auth/login", json={"username": "commander", "password": "fanzha-demo"}
    )
    login.raise_for_status()
    token = str(login.json()["token"])
    headers = {"Authorization": f"Bearer {token}"}
    httpx.post(f"{base}/api/v1/screen/text", json={"text": "预热"}, headers=headers, timeout=120)
    return token


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=60.0, help="per run (max 300)")
    parser.add_argument("--clients", type=int, default=100, help="concurrent connections")
    parser.add_argument("--mode", choices=["each", "mixed"], default="each")
    parser.add_argument("--server-workers", type=int, default=1, help="server processes")
    parser.add_argument("--threads", type=int, default=None, help="server worker threads")
    args = parser.parse_args()
    args.seconds = min(args.seconds, 300.0)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    fanzha = [sys.executable, "-m", "fanzha.cli"]
    with tempfile.TemporaryDirectory() as tmp, bench_database(args.db, Path(tmp)) as url:
        subprocess.run(
            [*fanzha, "demo-data", "--db", url, "--records", str(args.records)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        port = _free_port()
        env = {**os.environ, "FANZHA_DB_URL": url, "FANZHA_WORKERS": str(args.server_workers)}
        env["FANZHA_DEMO"] = "1"  # the demo users' password logs in (only in demo mode)
        key_file = Path(tmp) / "audit.key"  # the audit chain's key and anchor, outside the db
        subprocess.run([*fanzha, "audit", "new-key", "--key-file", str(key_file)], check=True)
        env["FANZHA_AUDIT_KEY_FILE"] = str(key_file)
        env["FANZHA_AUDIT_CHECKPOINT_FILE"] = str(Path(tmp) / "audit-checkpoints.jsonl")
        if args.threads:
            env["FANZHA_THREADS"] = str(args.threads)
        server = subprocess.Popen(
            [*fanzha, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, server)
            token = _login(base)
            print(
                f"database {args.db}, demo city of {args.records:,} records, {args.clients} "
                f"clients, {args.seconds:.0f} s per run, mode {args.mode}, "
                f"{args.server_workers} server process(es), {os.cpu_count()} cores, wrk"
            )
            _run(base, token, _endpoints(url), args)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                print("the server ignored SIGTERM for 30 s and was killed")


if __name__ == "__main__":
    main()
