"""Screening throughput on one core: fanzha's full pipeline vs a plain scikit-learn pipeline.

fanzha: normalisation + rules + phone/URL checks + shipped text model + verdict, in
batches (``Screener.screen_texts``). Baseline, same run, same messages: a
``TfidfVectorizer(analyzer="char", ngram_range=(1, 3)) + LinearSVC`` pipeline (model only),
trained on the fbs_sms train split. Messages: the SMS-length (≤ 200 chars) texts of the
fbs_sms and telecom_fraud dev splits, repeated to --n messages.
Single-message latency: one ``screen_text`` call per message.

Run:  python bench/screen_throughput.py [--n 50000]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import resource
import time

import numpy as np
from _data import load_split, machine
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from fanzha.screening import Screener


def _messages(n: int) -> list[str]:
    pool = [
        text
        for dataset in ("fbs_sms", "telecom_fraud")
        for text in load_split(dataset, "dev")[0]
        if len(text) <= 200
    ]
    return [pool[i % len(pool)] for i in range(n)]


def _rate(fn: object, messages: list[str], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        fn(messages)  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return len(messages) / best


def _latency(fn: object, messages: list[str]) -> tuple[float, float]:
    timings = []
    for message in messages:
        started = time.perf_counter()
        fn(message)  # type: ignore[operator]
        timings.append(time.perf_counter() - started)
    p50, p99 = np.percentile(np.array(timings) * 1000, [50, 99])
    return float(p50), float(p99)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--latency-n", type=int, default=3_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    messages = _messages(args.n)
    lengths = np.array([len(m) for m in messages])
    print(f"machine: {machine()} (pinned to one core)")
    print(f"messages: {len(messages)}, median {np.median(lengths):.0f} chars, max {lengths.max()}")

    train_texts, train_labels = load_split("fbs_sms", "train")
    baseline = make_pipeline(
        TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True), LinearSVC()
    )
    baseline.fit(train_texts, train_labels)
    screener = Screener.default()
    screener.screen_texts(messages[:1000])

    fanzha_rate = _rate(screener.screen_texts, messages, args.repeats)
    baseline_rate = _rate(baseline.predict, messages, args.repeats)
    sample = messages[: args.latency_n]
    fanzha_p50, fanzha_p99 = _latency(screener.screen_text, sample)
    base_p50, base_p99 = _latency(lambda m: baseline.predict([m]), sample)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'pipeline':48s} {'msgs/s':>9s} {'p50 ms':>7s} {'p99 ms':>7s}")
    print(
        f"{'fanzha full screening (norm+rules+model+verdict)':48s} "
        f"{fanzha_rate:9.0f} {fanzha_p50:7.3f} {fanzha_p99:7.3f}"
    )
    print(
        f"{'sklearn char(1,3) TF-IDF + LinearSVC (model only)':48s} "
        f"{baseline_rate:9.0f} {base_p50:7.3f} {base_p99:7.3f}"
    )
    print(f"ratio fanzha / baseline: {fanzha_rate / baseline_rate:.2f}x")
    print(f"peak memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
