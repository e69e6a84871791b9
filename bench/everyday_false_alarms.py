"""False alarms of the shipped screener on everyday messages.

Screens ``bench/everyday_normal.txt`` (40 hand-written ordinary messages about money,
parcels, banks and work, none of them fraud; never used for training) and prints how many
come out medium or high risk, and which.

Run:  python bench/everyday_false_alarms.py
"""

from __future__ import annotations

from pathlib import Path

from _data import machine

from fanzha.screening import Screener


def main() -> None:
    path = Path(__file__).with_name("everyday_normal.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    messages = [line for line in lines if line.strip() and not line.startswith("#")]
    verdicts = Screener.default().screen_texts(messages)
    flagged = [(m, v) for m, v in zip(messages, verdicts, strict=True) if v.level != "low"]
    print(f"machine: {machine()}")
    print(f"everyday messages: {len(messages)}, flagged medium/high: {len(flagged)}")
    for message, verdict in flagged:
        rules = ",".join(hit.rule_id for hit in verdict.rules) or "-"
        label = f"{verdict.level:6s} {verdict.risk:.2f} {verdict.fraud_type.name}"
        print(f"  {label}  [{rules}]  {message}")


if __name__ == "__main__":
    main()
