"""Per-account flow and graph features for mule scoring, vectorised over all transfers.

Every feature is typology-agnostic and free of the data set's scale: amounts are compared
with the data set's own amount distribution, times with its own time span, counts are
logged. Direction-specific features (money only in, only out) are left out on purpose: a
model trained on fan-in patterns must not learn "receives from many" but "moves money in
an unusual way", which cycles, scatter-gather and layering share.

Local features (``LOCAL_FEATURES``):

* ``log_tx``, ``log_cp``, ``tx_per_cp``: activity, distinct counterparties, repeats per pair.
* ``amount_rarity_mean`` / ``_max``: how rare the account's amounts are in the data set
  (−log10 of the share of all transfers in the same log-amount bin).
* ``own_deviation``: share of outgoing transfers whose amount differs from the account's
  usual outgoing amount by more than 5 %.
* ``structuring``: share of amounts just below a reporting threshold (90–100 % of 1k, 5k,
  10k, 20k, 50k, 100k, 200k, 500k yuan).
* ``pass_through``: min(in, out) / max(in, out) of the sums (in ≈ out).
* ``dwell``: median time from the last incoming transfer to each outgoing one, over the
  data set's time span (1 when money leaves before any arrived).
* ``burst``: share of transfers repeated on the same pair in the same time bucket;
  ``velocity``: most transfers in one bucket (log).
* ``active_span``, ``first_seen``: active period and first transfer, over the time span.
* ``reciprocity``: share of counterparties money goes both to and from;
  ``cycles3``: log(1 + directed 3-cycles through the account; accounts with more than
  2,000 transfers are left out of cycle counting, which keeps it linear on hub-heavy data).

:func:`neighbour_features` adds the graph context: mean and max over counterparties of
any per-account values (used for raw features and for first-stage scores).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from fanzha.funds._transfers import Transfers

__all__ = [
    "LOCAL_FEATURES",
    "account_features",
    "counterparty_matrix",
    "neighbour_features",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

LOCAL_FEATURES = (
    "log_tx",
    "log_cp",
    "tx_per_cp",
    "amount_rarity_mean",
    "amount_rarity_max",
    "own_deviation",
    "structuring",
    "pass_through",
    "dwell",
    "burst",
    "velocity",
    "active_span",
    "first_seen",
    "reciprocity",
    "cycles3",
)
_THRESHOLDS_FEN = np.array([1e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5]) * 100
_RARITY_BINS = 64
_DEVIATION = 0.05
_HUB_DEGREE = 2_000


def _group_sizes(*keys: IntArray) -> IntArray:
    """For every row, how many rows share all of ``keys`` with it (a lexsort run length)."""
    order = np.lexsort(keys[::-1])
    sorted_keys = [k[order] for k in keys]
    change = np.zeros(order.shape[0], dtype=bool)
    change[0] = True
    for k in sorted_keys:
        change[1:] |= k[1:] != k[:-1]
    starts = np.flatnonzero(change)
    lengths = np.diff(np.append(starts, order.shape[0]))
    sizes = np.empty(order.shape[0], dtype=np.int64)
    sizes[order] = np.repeat(lengths, lengths)
    return sizes


def _first_of_group(*keys: IntArray) -> npt.NDArray[np.bool_]:
    """True on exactly one row of every group of equal ``keys``."""
    order = np.lexsort(keys[::-1])
    change = np.zeros(order.shape[0], dtype=bool)
    change[0] = True
    for k in keys:
        sorted_key = k[order]
        change[1:] |= sorted_key[1:] != sorted_key[:-1]
    first = np.zeros(order.shape[0], dtype=bool)
    first[order[change]] = True
    return first


def _bucket(transfers: Transfers) -> int:
    """Time bucket for bursts: one step, or one hour."""
    return 1 if transfers.time_unit == "step" else 3600


def _safe_div(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> FloatArray:
    out = np.zeros(a.shape, dtype=np.float64)
    np.divide(a, b, out=out, where=b > 0)
    return out


def counterparty_matrix(transfers: Transfers) -> sp.csr_matrix:
    """Undirected account × account matrix of transfer counts (self-transfers dropped)."""
    n = transfers.n_accounts
    keep = transfers.src != transfers.dst
    src, dst = transfers.src[keep], transfers.dst[keep]
    ones = np.ones(src.shape[0], dtype=np.float64)
    directed = sp.csr_matrix((ones, (src, dst)), shape=(n, n))
    directed.sum_duplicates()
    return (directed + directed.T).tocsr()


def _amount_rarity(amount: IntArray) -> FloatArray:
    log_amount = np.log(amount.astype(np.float64))
    low, high = float(log_amount.min()), float(log_amount.max())
    edges = np.linspace(low, high + 1e-9, _RARITY_BINS + 1)
    which = np.clip(np.searchsorted(edges, log_amount, side="right") - 1, 0, _RARITY_BINS - 1)
    share = np.bincount(which, minlength=_RARITY_BINS) / max(amount.shape[0], 1)
    rarity: FloatArray = -np.log10(share[which])
    return rarity


def _structuring(amount: IntArray) -> npt.NDArray[np.bool_]:
    value = amount.astype(np.float64)[:, None]
    below = (value >= 0.9 * _THRESHOLDS_FEN[None, :]) & (value < _THRESHOLDS_FEN[None, :])
    return np.asarray(below.any(axis=1), dtype=bool)


def _dwell(n: int, src: IntArray, dst: IntArray, time: IntArray, span: float) -> FloatArray:
    """Median (last-inflow → outflow) delay per account, over ``span``; 1 when none."""
    account = np.concatenate([dst, src])
    is_out = np.concatenate([np.zeros(dst.shape[0], bool), np.ones(src.shape[0], bool)])
    when = np.concatenate([time, time]).astype(np.int64)
    order = np.lexsort((is_out, when, account))
    account, is_out, when = account[order], is_out[order], when[order]
    shift = int(when.max() - when.min()) + 2
    base = account.astype(np.int64) * shift * 2
    key = np.where(is_out, base - 1, base + (when - when.min()) + 1)
    last = np.maximum.accumulate(key)
    has_in = is_out & (last >= base)
    delay = np.where(has_in, (when - when.min()) + 1 - (last - base), shift).astype(np.float64)
    delay = np.minimum(delay / max(span, 1.0), 1.0)
    out_account = account[is_out]
    out_delay = delay[is_out]
    order = np.lexsort((out_delay, out_account))
    out_account, out_delay = out_account[order], out_delay[order]
    counts = np.bincount(out_account, minlength=n)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    result = np.ones(n, dtype=np.float64)
    has = counts > 0
    mid = starts[has] + (counts[has] - 1) // 2
    result[has] = out_delay[mid]
    return result


def _cycles3(transfers: Transfers, keep: npt.NDArray[np.bool_]) -> FloatArray:
    """log(1 + directed 3-cycles) per account; hubs (> ``_HUB_DEGREE`` transfers) left out."""
    n = transfers.n_accounts
    src, dst = transfers.src[keep], transfers.dst[keep]
    degree = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    small = (degree[src] <= _HUB_DEGREE) & (degree[dst] <= _HUB_DEGREE)
    src, dst = src[small], dst[small]
    ones = np.ones(src.shape[0], dtype=np.float64)
    adjacency = sp.csr_matrix((ones, (src, dst)), shape=(n, n))
    adjacency.data[:] = 1.0
    adjacency.sum_duplicates()
    adjacency.data[:] = 1.0
    two = adjacency @ adjacency
    through = np.asarray(two.multiply(adjacency.T).sum(axis=1)).ravel()
    counted: FloatArray = np.log1p(through)
    return counted


def account_features(transfers: Transfers) -> FloatArray:
    """Matrix (n_accounts × len(LOCAL_FEATURES)) of local features, row ``i`` = account ``i``."""
    n = transfers.n_accounts
    keep = transfers.src != transfers.dst
    src, dst = transfers.src[keep], transfers.dst[keep]
    amount, time = transfers.amount_fen[keep], transfers.at[keep]
    m = src.shape[0]
    features = np.zeros((n, len(LOCAL_FEATURES)), dtype=np.float64)
    if m == 0:
        return features
    column = {name: i for i, name in enumerate(LOCAL_FEATURES)}
    span = float(max(int(time.max() - time.min()), 1))
    bucket = _bucket(transfers)

    n_out = np.bincount(src, minlength=n).astype(np.float64)
    n_in = np.bincount(dst, minlength=n).astype(np.float64)
    n_tx = n_in + n_out
    both = np.concatenate([src, dst])
    other = np.concatenate([dst, src])
    first_pair = _first_of_group(both, other)
    n_cp = np.bincount(both[first_pair], minlength=n).astype(np.float64)
    features[:, column["log_tx"]] = np.log1p(n_tx)
    features[:, column["log_cp"]] = np.log1p(n_cp)
    features[:, column["tx_per_cp"]] = _safe_div(n_tx, n_cp)

    rarity = _amount_rarity(amount)
    rarity2 = np.concatenate([rarity, rarity])
    features[:, column["amount_rarity_mean"]] = _safe_div(
        np.bincount(both, weights=rarity2, minlength=n), n_tx
    )
    rarity_max = np.zeros(n)
    np.maximum.at(rarity_max, both, rarity2)
    features[:, column["amount_rarity_max"]] = rarity_max

    log_amount = np.log(amount.astype(np.float64))
    order = np.lexsort((log_amount, src))
    counts = np.bincount(src, minlength=n)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    median_out = np.zeros(n)
    has_out = counts > 0
    median_out[has_out] = log_amount[order][starts[has_out] + (counts[has_out] - 1) // 2]
    deviating = np.abs(log_amount - median_out[src]) > np.log1p(_DEVIATION)
    features[:, column["own_deviation"]] = _safe_div(
        np.bincount(src, weights=deviating.astype(np.float64), minlength=n), n_out
    )
    struct = _structuring(amount).astype(np.float64)
    features[:, column["structuring"]] = _safe_div(
        np.bincount(both, weights=np.concatenate([struct, struct]), minlength=n), n_tx
    )

    amount_f = amount.astype(np.float64)
    sum_in = np.bincount(dst, weights=amount_f, minlength=n)
    sum_out = np.bincount(src, weights=amount_f, minlength=n)
    features[:, column["pass_through"]] = _safe_div(
        np.minimum(sum_in, sum_out), np.maximum(sum_in, sum_out)
    )
    features[:, column["dwell"]] = _dwell(n, src, dst, time, span)

    slot = (time - time.min()) // bucket
    repeated = (_group_sizes(src, dst, slot) > 1).astype(np.float64)
    features[:, column["burst"]] = _safe_div(
        np.bincount(both, weights=np.concatenate([repeated, repeated]), minlength=n), n_tx
    )
    in_cell = _group_sizes(both, np.concatenate([slot, slot])).astype(np.float64)
    velocity = np.zeros(n)
    np.maximum.at(velocity, both, in_cell)
    features[:, column["velocity"]] = np.log1p(velocity)

    both_time = np.concatenate([time, time]).astype(np.float64)
    first = np.full(n, np.inf)
    last = np.full(n, -np.inf)
    np.minimum.at(first, both, both_time)
    np.maximum.at(last, both, both_time)
    active = n_tx > 0
    features[active, column["active_span"]] = (last[active] - first[active]) / span
    features[active, column["first_seen"]] = (first[active] - float(time.min())) / span

    first_out = _first_of_group(src, dst)
    out_src, out_dst = src[first_out], dst[first_out]
    # A counterparty is mutual when the pair occurs in both directions: in the list of
    # distinct (low, high) pairs tagged with their direction, it occurs twice.
    low, high = np.minimum(out_src, out_dst), np.maximum(out_src, out_dst)
    mutual_pair = _group_sizes(low, high) > 1
    mutual = np.bincount(out_src[mutual_pair], minlength=n).astype(np.float64)
    features[:, column["reciprocity"]] = _safe_div(mutual, n_cp)
    features[:, column["cycles3"]] = _cycles3(transfers, keep)
    return features


def neighbour_features(matrix: sp.csr_matrix, values: FloatArray) -> FloatArray:
    """Mean and max of each column of ``values`` over every account's counterparties.

    ``matrix`` is :func:`counterparty_matrix`; returns (n_accounts × 2·k) with the k means
    first, then the k maxima (0 for accounts without counterparties).
    """
    values = values.reshape(values.shape[0], -1)
    binary = matrix.copy()
    binary.data[:] = 1.0
    degree = np.asarray(binary.sum(axis=1)).ravel()
    means = _safe_div(np.asarray(binary @ values), degree[:, None])
    maxima = np.zeros_like(values)
    rows = np.repeat(np.arange(binary.shape[0]), np.diff(binary.indptr))
    for j in range(values.shape[1]):
        np.maximum.at(maxima[:, j], rows, values[binary.indices, j])
    return np.hstack([means, maxima])
