"""Stream intake throughput: N demo signals through NATS JetStream into SQLite and PostgreSQL,
with one and two `fanzha intake` processes, beside HTTP `POST /api/v1/events` in the same run.

For each database and consumer count: a fresh database, streams of the run's own, the
consumers started (`fanzha intake --until-idle`), then N signals published at full speed.
Latency is publish → the consumer's post-commit notice for the signal's batch (the notice
on `<names>.intake.committed` arrives after the commit, so it slightly overstates);
throughput is N / (last notice − first publish); CPU is the consumer processes' user + system
time per 1,000 signals. The HTTP line posts the same signals, one request each, from 8 client
threads to `fanzha serve` (1 worker) and times each request.

    python bench/intake.py --n 20000 --http 2000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from _data import bench_database

from fanzha.intake import Topology, connect_nats, demo_signals, publish_signals
from fanzha.store import make_engine, migrate

NATS = os.environ.get("FANZHA_NATS_URL", "nats://127.0.0.1:4222")
FANZHA = [sys.executable, "-m", "fanzha.cli"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def _stream_run(
    signals: list[dict[str, Any]], topology: Topology, expected: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Publish the signals; return publish times and notice times by signal id."""
    import nats

    sent: dict[str, float] = {}
    seen: dict[str, float] = {}
    done = asyncio.Event()
    watcher = await nats.connect(NATS)

    async def on_notice(msg: Any) -> None:
        now = time.time()
        for signal_id in json.loads(msg.data)["ids"]:
            seen.setdefault(signal_id, now)
        if len(seen) >= expected:
            done.set()

    await watcher.subscribe(topology.notices, cb=on_notice)
    broker = await connect_nats(NATS, topology)
    try:
        await publish_signals(
            broker,
            signals,
            prefix=topology.subjects,
            sent=lambda signal_id, at: sent.__setitem__(signal_id, at),
        )
        await asyncio.wait_for(done.wait(), timeout=600)
    finally:
        await broker.close()
        await watcher.close()
    return sent, seen


async def _consumer_ready(topology: Topology, timeout: float = 120.0) -> None:
    broker = await connect_nats(NATS, topology)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                await broker.js.consumer_info(topology.stream, topology.durable)
                return
            except Exception:
                await asyncio.sleep(0.2)
        raise SystemExit("the consumers did not start")
    finally:
        await broker.close()


def _figures(n: int, sent: dict[str, float], seen: dict[str, float], cpu: float) -> str:
    latency = np.array([seen[i] - sent[i] for i in seen if i in sent]) * 1000
    wall = max(seen.values()) - min(sent.values())
    return (
        f"{n / wall:8,.0f} signals/s   p50 {np.percentile(latency, 50):6.1f} ms   "
        f"p99 {np.percentile(latency, 99):7.1f} ms   CPU {cpu / n * 1000:5.2f} s/1,000"
    )


def stream_case(kind: str, consumers: int, signals: list[dict[str, Any]], tmp: Path) -> str:
    with bench_database(kind, tmp) as url:
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        tag = uuid.uuid4().hex[:10]
        topology = Topology.unique(tag)
        before = _children_cpu()
        processes = [
            subprocess.Popen(
                [*FANZHA, "intake", "--db", url, "--names", tag, "--until-idle", "3"],
                stdout=subprocess.DEVNULL,
            )
            for _ in range(consumers)
        ]
        asyncio.run(_consumer_ready(topology))
        time.sleep(1.0)  # both have imported and pulled before the burst
        sent, seen = asyncio.run(_stream_run(signals, topology, len(signals)))
        for process in processes:
            process.wait(timeout=120)
        cpu = _children_cpu() - before
        asyncio.run(_drop_streams(topology))
        return _figures(len(signals), sent, seen, cpu)


async def _drop_streams(topology: Topology) -> None:
    broker = await connect_nats(NATS, topology, ensure_streams=False)
    try:
        for name in (topology.stream, topology.dead_stream):
            await broker.js.delete_stream(name)
    finally:
        await broker.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def http_case(kind: str, signals: list[dict[str, Any]], tmp: Path) -> str:
    with bench_database(kind, tmp) as url:
        subprocess.run(
            [*FANZHA, "demo-data", "--db", url, "--records", "2000"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        port = _free_port()
        key_file = tmp / f"audit-{port}.key"
        subprocess.run([*FANZHA, "audit", "new-key", "--key-file", str(key_file)], check=True)
        env = {
            **os.environ,
            "FANZHA_DB_URL": url,
            "FANZHA_DEMO": "1",
            "FANZHA_AUDIT_KEY_FILE": str(key_file),
            "FANZHA_AUDIT_CHECKPOINT_FILE": str(tmp / f"checkpoints-{port}.jsonl"),
        }
        server = subprocess.Popen(
            [*FANZHA, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{base}/api/v1/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            login = httpx.post(
                f"{base}/api/v1/auth/login",
                json={"username": "analyst", "password": "fanzha-demo"},
            )
            login.raise_for_status()
            headers = {"Authorization": f"Bearer {login.json()['token']}"}
            bodies = [{k: v for k, v in s.items() if k not in ("id", "age")} for s in signals]
            cpu_before = _proc_cpu(server.pid)

            failed: list[int] = []

            def post(chunk: list[dict[str, Any]]) -> list[float]:
                times = []
                with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
                    for body in chunk:
                        started = time.perf_counter()
                        if not client.post("/api/v1/events", json=body).is_success:
                            failed.append(1)  # e.g. 503: no pooled connection in time
                        times.append(time.perf_counter() - started)
                return times

            started = time.perf_counter()
            with ThreadPoolExecutor(8) as pool:
                chunks = [bodies[i::8] for i in range(8)]
                latency = np.concatenate([np.array(t) for t in pool.map(post, chunks)]) * 1000
            wall = time.perf_counter() - started
            cpu = _proc_cpu(server.pid) - cpu_before
        finally:
            server.terminate()
            server.wait(timeout=60)
        n = len(bodies)
        return (
            f"{n / wall:8,.0f} signals/s   p50 {np.percentile(latency, 50):6.1f} ms   "
            f"p99 {np.percentile(latency, 99):7.1f} ms   CPU {cpu / n * 1000:5.2f} s/1,000   "
            f"{len(failed)} failed"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=20_000, help="signals through the stream")
    parser.add_argument("--http", type=int, default=2_000, help="signals posted over HTTP")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    signals = demo_signals(args.n, seed=args.seed)
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    print(
        f"{platform.node()}: {os.cpu_count()} cores, {platform.python_version()}, "
        f"{args.n:,} demo signals (seed {args.seed}), NATS {NATS}"
    )
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for kind in kinds:
            for consumers in (1, 2):
                line = stream_case(kind, consumers, signals, tmp)
                print(f"{kind:10s} stream, {consumers} consumer(s): {line}", flush=True)
            if args.http:
                line = http_case(kind, signals[: args.http], tmp)
                print(f"{kind:10s} HTTP POST /events, 8 clients: {line}", flush=True)


if __name__ == "__main__":
    main()
