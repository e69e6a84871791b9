"""What brand look-alikes and machine-made domains are judged by: brand and list data, confusables.

Internal to the URL checks (``fanzha.screening._url``); nothing here is public API.
Brands, short-link services, cheap TLDs and confusable characters are data files in
``screening/data`` (``brands.yaml``, ``url_lists.yaml``, ``url_confusables.yaml``).
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from fanzha.screening._contact_rules import load_package_yaml

__all__: list[str] = []

_VOWELS = frozenset("aeiouy")


@dataclass(frozen=True, slots=True)
class Brand:
    name: str
    domains: frozenset[str]
    tokens: tuple[str, ...]
    exact: frozenset[str]


@dataclass(frozen=True, slots=True)
class UrlLists:
    short_links: frozenset[str]
    cheap_tlds: frozenset[str]
    app_stores: frozenset[str]
    app_extensions: frozenset[str]
    download_words: frozenset[str]
    gov_words: frozenset[str]


@cache
def brands() -> tuple[Brand, ...]:
    """The brands of ``brands.yaml``."""
    entries = load_package_yaml("screening", "data", "brands.yaml")["brands"]
    return tuple(
        Brand(
            name=entry["name"],
            domains=frozenset(entry["domains"]),
            tokens=tuple(str(token) for token in entry.get("tokens", ())),
            exact=frozenset(str(token) for token in entry.get("exact", ())),
        )
        for entry in entries
    )


@cache
def brand_domains() -> frozenset[str]:
    """Every domain of every brand."""
    return frozenset(domain for brand in brands() for domain in brand.domains)


@cache
def url_lists() -> UrlLists:
    """The lists of ``url_lists.yaml``."""
    data: dict[str, Any] = load_package_yaml("screening", "data", "url_lists.yaml")
    return UrlLists(**{key: frozenset(str(item) for item in data[key]) for key in _LIST_KEYS})


_LIST_KEYS = (
    "short_links",
    "cheap_tlds",
    "app_stores",
    "app_extensions",
    "download_words",
    "gov_words",
)


@cache
def confusables() -> tuple[MappingProxyType[str, str], tuple[tuple[str, str], ...]]:
    """Letter confusables, and ASCII look-alike folds longest first (``url_confusables.yaml``)."""
    data = load_package_yaml("screening", "data", "url_confusables.yaml")
    ascii_folds = tuple(sorted(data["ascii"].items(), key=lambda kv: -len(kv[0])))
    return MappingProxyType(dict(data["letters"])), ascii_folds


def ascii_skeleton(label: str) -> str:
    """Fold a Unicode label to the ASCII it imitates (accents stripped, confusables mapped)."""
    letters, _ = confusables()
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", label.lower()))
    kept = (char for char in decomposed if not unicodedata.combining(char))
    return "".join(letters.get(char, char) for char in kept)


def _fold(text: str) -> str:
    """Fold ASCII look-alikes (0/o, 1/l/i, rn/m…) so near-identical labels compare equal."""
    _, folds = confusables()
    for source, target in folds:
        text = text.replace(source, target)
    return text


def _osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment edit distance (adjacent transpositions count 1), capped."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def looks_like(part: str, token: str) -> bool:
    """Whether a host part imitates a brand token: contains it after folding, or a near miss."""
    folded_part, folded_token = _fold(part), _fold(token)
    if folded_token in folded_part:
        return True
    if len(token) < 6:  # short tokens: only one adjacent transposition (iccb ~ icbc)
        return (
            sorted(folded_part) == sorted(folded_token)
            and _osa_distance(folded_part, folded_token, 1) == 1
        )
    limit = 1 if len(token) < 10 else 2
    return _osa_distance(folded_part, folded_token, limit) <= limit


def randomness(label: str) -> float:
    """Score 0..~2 of how machine-generated a label looks (letter/digit mixing, consonant runs)."""
    text = label.replace("-", "")
    if len(text) < 5:
        return 0.0
    letters = [char for char in text if char.isalpha()]
    digits = sum(char.isdigit() for char in text)
    switches = sum(a.isdigit() != b.isdigit() for a, b in itertools.pairwise(text))
    runs = re.findall(r"[b-df-hj-np-tv-xz]+", text)
    consonant_run = max((len(run) for run in runs), default=0)
    vowels = sum(char in _VOWELS for char in letters)
    counts = Counter(text)
    entropy = -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())
    score = 0.0
    score += 0.6 if switches >= 3 else 0.0
    score += 0.3 if switches >= 5 else 0.0
    score += 0.2 if digits >= 3 and len(letters) >= 3 else 0.0
    score += 0.3 if consonant_run >= 5 else 0.0  # pinyin never has more than 4 in a row
    score += 0.1 if consonant_run >= 7 else 0.0
    score += 0.2 if len(letters) >= 6 and vowels / len(letters) < 0.2 else 0.0
    score += 0.3 if len(text) >= 12 and entropy >= 3.3 else 0.0
    score += 0.2 if len(text) >= 20 else 0.0
    return score
