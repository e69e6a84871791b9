"""Cold start of the `fanzha` command line: each command in a fresh Python process.

Every command runs ``--runs`` times as ``python -m fanzha.cli …`` (a new interpreter each
time, as a user's shell would start it); the table gives the best and the median wall time,
the CPU time (user + system, less swayed by other jobs on a shared machine than the wall
time), the exit code, and whether scikit-learn and the shipped text model were loaded (read from
the child's ``sys.modules`` and the screening module's cache through ``FANZHA_BENCH_PROBE``).

Run:  python bench/cli_cold_start.py [--runs 5] [--only screen]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _data import machine

# Run in the child after the command: which heavy parts did it load?
PROBE = """
import atexit, os, sys
def _probe():
    screen = sys.modules.get("fanzha.screening._screen")
    model = bool(screen and screen._default_models.cache_info().currsize)
    with open(os.environ["FANZHA_BENCH_PROBE"], "w") as handle:
        handle.write(f"{'sklearn' in sys.modules} {model}")
atexit.register(_probe)
import runpy
sys.argv = ["fanzha", *sys.argv[1:]]
runpy.run_module("fanzha.cli", run_name="__main__", alter_sys=True)
"""


def commands(folder: Path) -> list[tuple[str, list[str]]]:
    """The commands measured, each with a label; databases live in ``folder``."""
    empty_db = f"sqlite:///{folder / 'empty.db'}"
    return [
        ("--help", ["--help"]),
        ("--version", ["--version"]),
        ("taxonomy types", ["taxonomy", "types"]),
        ("taxonomy rules", ["taxonomy", "rules"]),
        ("screen --help", ["screen", "--help"]),
        ("graph expand --help", ["graph", "expand", "--help"]),
        ("screen <number>", ["screen", "17012345678"]),
        ("screen <url>", ["screen", "http://icbc-verify.top/login.apk"]),
        ("screen <text>", ["screen", "您好，我是市公安局民警，您的银行卡涉嫌洗钱，请转入安全账户"]),
        ("audit verify (empty db)", ["audit", "verify", "--db", empty_db]),
    ]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(args: list[str], env: dict[str, str], probe: Path) -> tuple[float, float, int, str]:
    """Wall and CPU time of one fresh process, its exit code and the probe's answer."""
    probe.unlink(missing_ok=True)
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    elapsed = time.perf_counter() - started
    answer = probe.read_text() if probe.exists() else "? ?"
    return elapsed, _children_cpu() - cpu, done.returncode, answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per command")
    parser.add_argument("--only", default="", help="only commands whose label contains this")
    options = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        probe = folder / "probe"
        env = {
            **os.environ,
            "FANZHA_BENCH_PROBE": str(probe),
            "FANZHA_AUDIT_KEY": "bench:" + "0" * 40,
            "FANZHA_AUDIT_CHECKPOINT_FILE": str(folder / "checkpoints.jsonl"),
            "COLUMNS": "80",
        }
        env.pop("FANZHA_AUDIT_KEY_FILE", None)
        print(f"runs per command: {options.runs} (fresh `python -m fanzha.cli` each)")
        print(
            f"{'command':<26}{'best s':>8}{'median s':>10}{'cpu s':>7}{'exit':>6}"
            "  sklearn  text model"
        )
        for label, args in commands(folder):
            if options.only not in label:
                continue
            runs = [run_once(args, env, probe) for _ in range(options.runs)]
            times = [run[0] for run in runs]
            cpu = min(run[1] for run in runs)
            _, _, code, answer = runs[-1]
            sklearn, model = (word == "True" for word in answer.split())
            print(
                f"{label:<26}{min(times):>8.2f}{statistics.median(times):>10.2f}{cpu:>7.2f}"
                f"{code:>6}"
                f"  {'yes' if sklearn else 'no':<7}  {'yes' if model else 'no'}"
            )


if __name__ == "__main__":
    main()
