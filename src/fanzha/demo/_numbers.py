"""Synthetic identifiers, vectorised: ID numbers, phone numbers, bank cards, IMEIs, IMSIs.

Every number has the right shape and check digit so that validators accept it, and is
drawn from where real people are least likely to be:

- phone numbers are valid Chinese mobile numbers (``phonenumbers`` accepts them, so they
  survive E.164 and FollowTheMoney's phone cleaning) in the segments of the SIM's carrier:
  :data:`PHONE_SEGMENTS` lists them, the 170/171 virtual-operator segments included; like
  any valid number, one may coincide with a real subscriber's by chance;
- resident ID numbers (18 digits, GB 11643 check character) use the codes of Nanning's
  districts and random birth dates and sequence numbers; they may coincide with a real
  person's number by chance, like any syntactically valid number;
- bank card numbers are 19 digits with a Luhn check digit after a UnionPay-style
  six-digit prefix per bank; IMEIs are 15 digits with a Luhn check digit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import polars as pl

__all__ = [
    "PHONE_SEGMENTS",
    "bank_card_numbers",
    "id_numbers",
    "imeis",
    "luhn_check_digits",
    "phone_numbers",
]


def _segments(prefixes: str) -> tuple[str, ...]:
    """Four-digit segments: a three-digit prefix stands for its ten four-digit ones."""
    return tuple(
        segment
        for p in prefixes.split()
        for segment in ([f"{p}{d}" for d in range(10)] if len(p) == 3 else [p])
    )


#: Mobile number segments per carrier (four digits each, 10⁷ numbers a segment), all valid
#: for ``phonenumbers`` and named after this carrier by its carrier data; 1700-1709 and 171
#: are the virtual operators', listed under the network they ride on.
PHONE_SEGMENTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "中国移动": _segments(
            "135 136 137 138 139 150 151 152 157 158 159 178 182 183 187 188 198 1703 1705 1706"
        ),
        "中国联通": _segments("130 131 132 155 156 166 175 176 185 186 171 1704 1707 1708 1709"),
        "中国电信": _segments("133 153 173 177 180 181 189 199 1700 1701 1702"),
        "中国广电": _segments("192"),
    }
)
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
# Mobile network codes of the carriers (MCC 460), for IMSIs.
_MNC = {"中国移动": ("00", "02", "07"), "中国联通": ("01", "06", "09"), "中国电信": ("03", "11")}
_MNC_DEFAULT = ("15",)


def unique_ints(rng: np.random.Generator, low: int, high: int, n: int) -> np.ndarray:
    """Return ``n`` distinct random integers in ``[low, high)``, in draw order."""
    if n > high - low:
        raise ValueError(f"cannot draw {n} distinct values from a range of {high - low}")
    out = np.empty(0, dtype=np.int64)
    while out.size < n:
        draw = rng.integers(low, high, size=int((n - out.size) * 1.05) + 16, dtype=np.int64)
        merged = np.concatenate([out, draw])
        _, first = np.unique(merged, return_index=True)
        out = merged[np.sort(first)]
    return out[:n]


def digits_to_strings(codes: np.ndarray) -> pl.Series:
    """Turn an ``(n, k)`` matrix of ASCII codes (or digits 0-9) into ``n`` strings."""
    matrix = np.ascontiguousarray(codes, dtype=np.uint8)
    if matrix.size and matrix.max() < 10:
        matrix = matrix + np.uint8(48)
    width = matrix.shape[1]
    raw = matrix.view(f"S{width}").ravel()
    return pl.Series(raw, dtype=pl.Binary).cast(pl.String)


def _digit_matrix(values: np.ndarray, width: int) -> np.ndarray:
    """The decimal digits of each value, most significant first, as an ``(n, width)`` matrix."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers[None, :]) % 10


def luhn_check_digits(digits: np.ndarray) -> np.ndarray:
    """Return the Luhn check digit for each row of an ``(n, k)`` digit matrix (payload only)."""
    reverse = digits[:, ::-1].astype(np.int64)
    doubled = reverse[:, 0::2] * 2
    doubled -= 9 * (doubled > 9)
    total = doubled.sum(axis=1) + reverse[:, 1::2].sum(axis=1)
    check: np.ndarray = (10 - total % 10) % 10
    return check


def id_numbers(
    rng: np.random.Generator,
    region_codes: np.ndarray,
    birth_dates: np.ndarray,
    male: np.ndarray,
) -> pl.Series:
    """Return distinct 18-character resident ID numbers (GB 11643, with check character).

    ``region_codes`` are six-digit integers, ``birth_dates`` ``datetime64[D]``, ``male``
    booleans (the sequence number is odd for men, even for women).
    """
    n = region_codes.size
    days = birth_dates.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (days - months).astype(np.int64) + 1
    birth = year * 10_000 + month * 100 + day
    seq = rng.integers(0, 500, size=n) * 2 + male.astype(np.int64)
    for _ in range(100):
        key = (region_codes.astype(np.int64) * 100_000_000 + birth) * 1000 + seq
        _, first = np.unique(key, return_index=True)
        clash = np.ones(n, dtype=bool)
        clash[first] = False
        if not clash.any():
            break
        seq[clash] = rng.integers(0, 500, size=int(clash.sum())) * 2 + male[clash]
    else:
        raise ValueError("more people of one sex, place and birth date than sequence numbers")
    body = np.concatenate(
        [
            _digit_matrix(region_codes.astype(np.int64), 6),
            _digit_matrix(birth, 8),
            _digit_matrix(seq.astype(np.int64), 3),
        ],
        axis=1,
    )
    check = _ID_CHECK[(body * _ID_WEIGHTS).sum(axis=1) % 11]
    codes = np.concatenate([body.astype(np.uint8) + 48, check[:, None]], axis=1)
    return digits_to_strings(codes)


def phone_numbers(rng: np.random.Generator, carriers: pl.Series) -> pl.Series:
    """Return distinct 11-digit mobile numbers, one per carrier name, each in a segment of
    its carrier (:data:`PHONE_SEGMENTS`; an unknown carrier gets 中国移动's)."""
    per_segment = 10_000_000
    names = carriers.to_numpy()
    values = np.zeros(names.size, dtype=np.int64)
    for name in np.unique(names):
        segments = np.array(
            [int(s) for s in PHONE_SEGMENTS.get(str(name), PHONE_SEGMENTS["中国移动"])],
            dtype=np.int64,
        )
        rows = np.flatnonzero(names == name)
        draw = unique_ints(rng, 0, per_segment * segments.size, rows.size)
        values[rows] = segments[draw // per_segment] * per_segment + draw % per_segment
    return pl.Series(values).cast(pl.String)


def bank_card_numbers(rng: np.random.Generator, bins: np.ndarray) -> pl.Series:
    """Return distinct 19-digit card numbers: the six-digit ``bins``, 12 digits, Luhn digit."""
    n = bins.size
    body = unique_ints(rng, 0, 10**12, n)
    payload = np.concatenate(
        [_digit_matrix(bins.astype(np.int64), 6), _digit_matrix(body, 12)], axis=1
    )
    full = np.concatenate([payload, luhn_check_digits(payload)[:, None]], axis=1)
    return digits_to_strings(full)


def imeis(rng: np.random.Generator, n: int, *, tac_pool: int = 40) -> pl.Series:
    """Return ``n`` distinct 15-digit IMEIs: an 8-digit TAC (``86…``), serial, Luhn digit."""
    tacs = 86_000_000 + rng.integers(0, 1_000_000, size=tac_pool)
    serial = unique_ints(rng, 0, tac_pool * 1_000_000, n)
    tac = tacs[serial // 1_000_000]
    payload = np.concatenate([_digit_matrix(tac, 8), _digit_matrix(serial % 1_000_000, 6)], axis=1)
    full = np.concatenate([payload, luhn_check_digits(payload)[:, None]], axis=1)
    return digits_to_strings(full)


def imsis(rng: np.random.Generator, carriers: pl.Series) -> pl.Series:
    """Return a 15-digit IMSI (MCC 460, the carrier's MNC, 10 digits) per carrier name."""
    n = carriers.len()
    mnc = np.zeros(n, dtype=np.int64)
    values = carriers.to_numpy()
    for name in np.unique(values):
        codes = np.array([int(c) for c in _MNC.get(str(name), _MNC_DEFAULT)])
        rows = np.flatnonzero(values == name)
        mnc[rows] = codes[rng.integers(0, codes.size, size=rows.size)]
    msin = rng.integers(0, 10**10, size=n, dtype=np.int64)
    prefix = 460 * 100 + mnc
    return digits_to_strings(
        np.concatenate([_digit_matrix(prefix, 5), _digit_matrix(msin, 10)], axis=1)
    )


def _base58(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _BASE58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def tron_addresses(rng: np.random.Generator, n: int) -> list[str]:
    """Return ``n`` distinct TRON (TRC-20 USDT) addresses with valid base58check checksums.

    A Python loop, so only for the few crypto exits of a city.
    """
    addresses: list[str] = []
    seen: set[str] = set()
    while len(addresses) < n:
        payload = b"\x41" + rng.bytes(20)
        checksum = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
        address = _base58(payload + checksum)
        if address not in seen:
            seen.add(address)
            addresses.append(address)
    return addresses
