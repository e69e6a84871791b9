"""Where the time of one API request goes: cProfile over every server thread.

Builds a small demo city in a temporary SQLite file (or uses --db), logs in as the
commander and sends one endpoint's request --requests times in a row through the app in
process (no network), profiling the event-loop thread and the worker threads together.

    python bench/api_profile.py --endpoint task
    python bench/api_profile.py --endpoint screen --top 25
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

ENDPOINTS = {
    "task": ("GET", "/api/v1/tasks/1?reason=预警处置：查看任务", None),
    "person": ("GET", "/api/v1/persons/1?reason=预警核查", None),
    "queue": ("GET", "/api/v1/tasks?open_only=true&per_page=50", None),
    "screen": ("POST", "/api/v1/screen/text", {"text": "您的银行卡涉嫌洗钱，请转入安全账户"}),
    "health": ("GET", "/api/v1/health", None),
}


def _profile_new_threads(profiles: list[cProfile.Profile]) -> None:
    """Every thread started from now on runs under its own cProfile profiler."""

    def start(_frame: FrameType, _event: str, _arg: Any) -> None:
        sys.setprofile(None)
        profile = cProfile.Profile()
        profiles.append(profile)
        profile.enable()

    threading.setprofile(start)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--endpoint", choices=sorted(ENDPOINTS), default="task")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--db", default=None, help="database URL (default: a new demo city)")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    from fastapi.testclient import TestClient

    from fanzha.api import Settings, create_app

    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'profile.db'}"
        if args.db is None:
            command = [sys.executable, "-m", "fanzha.cli", "demo-data", "--db", url]
            subprocess.run(
                [*command, "--records", str(args.records)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        profiles: list[cProfile.Profile] = []
        _profile_new_threads(profiles)
        settings = Settings(db_url=url, demo=True)  # the demo users' password logs in
        chain = settings.audit_chain(local_dir=Path(tmp))
        app = create_app(settings, with_web=False, audit_chain=chain)
        method, path, body = ENDPOINTS[args.endpoint]
        with TestClient(app) as client:
            login = {"username": "commander", "password": "fanzha-demo"}
            token = client.post("/api/v1/auth/login", json=login).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            for _ in range(5):
                client.request(method, path, json=body, headers=headers)
            for profile in profiles:
                profile.clear()  # warm-up (model loading, caches) left out
            started = time.perf_counter()
            for _ in range(args.requests):
                status = client.request(method, path, json=body, headers=headers).status_code
            elapsed = time.perf_counter() - started
        threading.setprofile(None)
        stats = pstats.Stats(profiles[0], stream=(out := io.StringIO()))
        for profile in profiles[1:]:
            stats.add(profile)
        print(
            f"{method} {path}: status {status}, {elapsed / args.requests * 1e3:.2f} ms per "
            f"request in process (profiled, {args.requests} requests, {len(profiles)} threads)"
        )
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(r"fanzha/|fastapi/routing|starlette/|h11", 40)
        print(out.getvalue())


if __name__ == "__main__":
    main()
