"""Vectorised character n-gram hashing for the text model.

A batch of texts becomes one numpy array of code points; the hashes of every
character n-gram (n = 1..max_n) lying inside one text are computed with a few
whole-array operations and mapped onto ``2**bits`` buckets, so featurising a
batch needs no Python loop per text or per n-gram.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# Internal to the text model (imported by _textmodel only), so nothing is re-exported.
__all__: list[str] = []

# Larger than every code point + 1, so n-grams of up to three characters hash
# without collisions; longer ones wrap modulo 2**64.
_BASE = np.uint64(0x110003)
# Odd 64-bit multiplier (Fibonacci hashing) that spreads hashes over buckets.
_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True, slots=True)
class NgramBuckets:
    """Every n-gram occurrence of a batch: its text, bucket, start and length.

    Arrays are parallel, ordered by n then by position (not grouped by text).
    """

    rows: npt.NDArray[np.int32]
    buckets: npt.NDArray[np.int64]
    starts: npt.NDArray[np.int64]
    sizes: npt.NDArray[np.int8]


def ngram_buckets(
    texts: Sequence[str], *, max_n: int, bits: int, positions: bool = False
) -> NgramBuckets:
    """Bucket every character n-gram (n = 1..``max_n``) of each text.

    Returns an :class:`NgramBuckets`; ``starts`` (offsets inside each text) and
    ``sizes`` are filled only with ``positions=True``, else empty.
    """
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    # surrogatepass keeps lone surrogates (possible in decoded garbage) one unit each
    raw = "".join(texts).encode("utf-32-le", "surrogatepass")
    codes = np.frombuffer(raw, dtype=np.uint32).astype(np.uint64) + np.uint64(1)
    total = codes.shape[0]
    text_start = np.repeat(np.cumsum(lengths) - lengths, lengths)
    offset = np.arange(total, dtype=np.int64) - text_start
    room = np.repeat(lengths, lengths) - offset
    rows = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
    shift = np.uint64(64 - bits)
    parts: list[tuple[npt.NDArray[np.int32], npt.NDArray[np.int64], npt.NDArray[np.int64], int]]
    parts = []
    h = codes
    for n in range(1, max_n + 1):
        if n > 1:
            h = h[:-1] * _BASE + codes[n - 1 :]
        inside = room[: h.shape[0]] >= n
        buckets = ((h[inside] * _MIX) >> shift).astype(np.int64)
        parts.append((rows[: h.shape[0]][inside], buckets, offset[: h.shape[0]][inside], n))
    rows_all = np.concatenate([p[0] for p in parts])
    buckets_all = np.concatenate([p[1] for p in parts])
    if not positions:
        empty = np.zeros(0, dtype=np.int64)
        return NgramBuckets(rows_all, buckets_all, empty, empty.astype(np.int8))
    return NgramBuckets(
        rows=rows_all,
        buckets=buckets_all,
        starts=np.concatenate([p[2] for p in parts]),
        sizes=np.concatenate([np.full(p[0].shape[0], p[3], dtype=np.int8) for p in parts]),
    )
