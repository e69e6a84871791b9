"""API load: throughput and p50/p99 latency of screening and the queue listing.

Builds a demo city in a fresh database (SQLite file or a private PostgreSQL schema), starts
`fanzha serve` on loopback in its own process, and drives it from this process with a
bounded number of keep-alive connections for a fixed time per endpoint.

    python bench/api_load.py --db sqlite --records 100000
    python bench/api_load.py --db postgresql --records 100000
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MESSAGES = [
    "您好，我是市公安局民警，您的银行卡涉嫌洗钱，请配合调查把资金转入安全账户",
    "兼职刷单，日结佣金，先垫付后返利，加微信详聊",
    "妈，我手机掉水里了，这是我新微信，急需交学费，先转我5000",
    "今晚七点小区篮球场见，记得带水",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database(kind: str, workdir: Path) -> tuple[str, Callable[[], None]]:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.db'}", lambda: None
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))

    return f"{PG}?options=-csearch_path%3D{schema}", drop


def _run_load(
    base: str,
    token: str,
    request: Callable[[httpx.Client, int], httpx.Response],
    seconds: float,
    workers: int,
) -> dict[str, float]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(index: int) -> None:
        mine: list[float] = []
        bad = 0
        with httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client:
            i = index
            while time.perf_counter() < stop:
                started = time.perf_counter()
                response = request(client, i)
                mine.append(time.perf_counter() - started)
                bad += response.status_code >= 400
                i += workers
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--workers", type=int, default=8, help="concurrent connections (bounded load)"
    )
    args = parser.parse_args()
    fanzha = [sys.executable, "-m", "fanzha.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = _database(args.db, Path(tmp))
        try:
            subprocess.run(
                [*fanzha, "demo-data", "--db", url, "--records", str(args.records)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            port = _free_port()
            env = {**os.environ, "FANZHA_DB_URL": url}
            server = subprocess.Popen(
                [*fanzha, "serve", "--port", str(port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            base = f"http://127.0.0.1:{port}"
            try:
                for _ in range(300):
                    try:
                        if httpx.get(f"{base}/api/docs", timeout=1).status_code == 200:
                            break
                    except httpx.TransportError:
                        time.sleep(0.2)
                login = httpx.post(
                    f"{base}/api/v1/auth/login",
                    json={"username": "commander", "password": "fanzha-demo"},
                )
                login.raise_for_status()
                token = login.json()["token"]
                httpx.post(
                    f"{base}/api/v1/screen/text",
                    json={"text": "预热"},
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=60,
                )
                cases = {
                    "POST /api/v1/screen/text": lambda c, i: c.post(
                        "/api/v1/screen/text", json={"text": MESSAGES[i % len(MESSAGES)]}
                    ),
                    "GET /api/v1/tasks (open, by priority, 50/page)": lambda c, i: c.get(
                        "/api/v1/tasks",
                        params={"open_only": "true", "page": 1 + i % 5, "per_page": 50},
                    ),
                }
                print(
                    f"database {args.db}, demo city of {args.records:,} records, "
                    f"{args.workers} connections, {args.seconds:.0f} s each"
                )
                for name, request in cases.items():
                    figures = _run_load(base, token, request, args.seconds, args.workers)
                    print(
                        f"{name:52s} {figures['rps']:8.1f} req/s  p50 {figures['p50_ms']:7.1f} ms  "
                        f"p99 {figures['p99_ms']:7.1f} ms  "
                        f"({figures['requests']:,} requests, {figures['errors']} errors)"
                    )
            finally:
                server.terminate()
                server.wait(timeout=30)
        finally:
            drop()


if __name__ == "__main__":
    main()
