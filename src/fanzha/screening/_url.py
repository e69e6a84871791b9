"""URL checks: IP hosts, brand look-alikes, fake gov sites, short links, random domains, APKs.

``check_url`` splits a URL with ``urllib`` and ``tldextract`` (bundled public
suffix list only; nothing is fetched) and reports the ``url.*`` rules it
raises (see ``taxonomy/data/rules_phone_url.yaml``). Brands, short-link
services, cheap TLDs and confusable characters are data files in
``screening/data`` (``brands.yaml``, ``url_lists.yaml``, ``url_confusables.yaml``).
"""

from __future__ import annotations

import ipaddress
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

import tldextract

from fanzha.errors import InvalidInput
from fanzha.screening._contact_rules import (
    load_package_yaml,
    make_hit,
    read_list_file,
    risk_of,
)
from fanzha.screening._types import RuleHit

__all__ = ["UrlCheck", "check_url", "extract_urls", "load_domain_list"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_LABEL = re.compile(r"(?!-)[a-z0-9_\-]{1,63}(?<!-)")
_VOWELS = frozenset("aeiouy")
_RANDOM_THRESHOLD = 0.8
_CHEAP_TLD_BONUS = 0.4


@dataclass(frozen=True, slots=True)
class UrlCheck:
    """What ``check_url`` found out about one URL.

    ``host`` is the lower-case ASCII (punycode) host or IP, ``registered_domain``
    the domain under its public suffix (``icbc.com.cn`` for
    ``www.icbc.com.cn``); both are None when the URL has no usable host.
    ``risk`` combines the hit weights (noisy-or).
    """

    raw: str
    host: str | None
    registered_domain: str | None
    hits: tuple[RuleHit, ...]
    risk: float


@dataclass(frozen=True, slots=True)
class _Brand:
    name: str
    domains: frozenset[str]
    tokens: tuple[str, ...]
    exact: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Lists:
    short_links: frozenset[str]
    cheap_tlds: frozenset[str]
    app_stores: frozenset[str]
    app_extensions: frozenset[str]
    download_words: frozenset[str]
    gov_words: frozenset[str]


def _build_extractor() -> tldextract.TLDExtract:
    """A suffix extractor that uses only the bundled snapshot: no cache dir, no download."""
    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


@cache
def _extractor() -> tldextract.TLDExtract:
    return _build_extractor()


@cache
def _brands() -> tuple[_Brand, ...]:
    entries = load_package_yaml("screening", "data", "brands.yaml")["brands"]
    return tuple(
        _Brand(
            name=entry["name"],
            domains=frozenset(entry["domains"]),
            tokens=tuple(str(token) for token in entry.get("tokens", ())),
            exact=frozenset(str(token) for token in entry.get("exact", ())),
        )
        for entry in entries
    )


@cache
def _brand_domains() -> frozenset[str]:
    return frozenset(domain for brand in _brands() for domain in brand.domains)


@cache
def _lists() -> _Lists:
    data: dict[str, Any] = load_package_yaml("screening", "data", "url_lists.yaml")
    return _Lists(**{key: frozenset(str(item) for item in data[key]) for key in _LIST_KEYS})


_LIST_KEYS = (
    "short_links",
    "cheap_tlds",
    "app_stores",
    "app_extensions",
    "download_words",
    "gov_words",
)


@cache
def _confusables() -> tuple[MappingProxyType[str, str], tuple[tuple[str, str], ...]]:
    data = load_package_yaml("screening", "data", "url_confusables.yaml")
    ascii_folds = tuple(sorted(data["ascii"].items(), key=lambda kv: -len(kv[0])))
    return MappingProxyType(dict(data["letters"])), ascii_folds


def _skeleton(label: str) -> str:
    """Fold a Unicode label to the ASCII it imitates (accents stripped, confusables mapped)."""
    letters, _ = _confusables()
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", label.lower()))
    kept = (char for char in decomposed if not unicodedata.combining(char))
    return "".join(letters.get(char, char) for char in kept)


def _fold(text: str) -> str:
    """Fold ASCII look-alikes (0/o, 1/l/i, rn/m…) so near-identical labels compare equal."""
    _, folds = _confusables()
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


def _looks_like(part: str, token: str) -> bool:
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


def _ipv4_number(part: str) -> int | None:
    """Parse one IPv4 part the way browsers do: decimal, 0x-hex or 0-octal."""
    base = 10
    if part[:2] in ("0x", "0X"):
        base, part = 16, part[2:]
    elif len(part) > 1 and part.startswith("0"):
        base, part = 8, part[1:]
    if not part:
        return 0
    try:
        return int(part, base)
    except ValueError:
        return None


def _ends_in_number(host: str) -> bool:
    last = host.rstrip(".").rsplit(".", 1)[-1]
    return bool(re.fullmatch(r"\d+|0[xX][0-9A-Fa-f]*", last))


def _parse_ipv4(host: str) -> str | None:
    """Return the dotted IPv4 a browser would read from ``host`` (3232235777, 0xC0A80101…)."""
    parts = host.rstrip(".").split(".")
    if len(parts) > 4 or any(not part for part in parts):
        return None
    numbers = [_ipv4_number(part) for part in parts]
    if any(number is None for number in numbers):
        return None
    values = [number for number in numbers if number is not None]
    if any(value > 255 for value in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        return None
    address = values[-1] + sum(value * 256 ** (3 - i) for i, value in enumerate(values[:-1]))
    return str(ipaddress.IPv4Address(address))


def _ip_host(host: str) -> str | None:
    """The IP address of an IP-literal host, or None for a name."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    return _parse_ipv4(host) if _ends_in_number(host) else None


def _to_ascii(host: str) -> str | None:
    """Return the punycode form of ``host`` if every label is a valid DNS label, else None."""
    labels = []
    for label in host.rstrip(".").split("."):
        if not label.isascii():
            try:
                label = label.encode("idna").decode("ascii")
            except UnicodeError:
                return None
        if not _LABEL.fullmatch(label):
            return None
        labels.append(label)
    return ".".join(labels)


def _unicode_label(label: str) -> str:
    if label.startswith("xn--"):
        try:
            return label.encode("ascii").decode("idna")
        except UnicodeError:
            return label
    return label


def _split(url: str) -> SplitResult | None:
    text = unicodedata.normalize("NFKC", url.strip())
    if text.startswith("//"):
        text = "http:" + text
    elif not _SCHEME.match(text) or re.match(r"^[^/:]+:\d", text):
        text = "http://" + text
    try:
        parts = urlsplit(text)
        _ = parts.port
    except ValueError:
        return None
    return parts


def _parents(host: str) -> Iterable[str]:
    labels = host.split(".")
    return (".".join(labels[i:]) for i in range(len(labels)))


def _in_domains(host: str, domains: frozenset[str]) -> bool:
    return any(parent in domains for parent in _parents(host))


def _randomness(label: str) -> float:
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


class _Findings:
    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.hits: dict[str, RuleHit] = {}

    def add(self, rule_id: str, needle: str | None = None) -> None:
        """Record ``rule_id`` over ``needle``'s place in the raw URL, or over all of it."""
        if rule_id in self.hits:
            return
        start = self.raw.lower().find(needle) if needle else -1
        if start < 0:
            start, end = len(self.raw) - len(self.raw.lstrip()), len(self.raw.rstrip())
        else:
            end = start + len(needle or "")
        self.hits[rule_id] = make_hit(rule_id, self.raw, start, end)


def _check_brand(labels: list[str], found: _Findings, needle: str) -> None:
    parts = {part for label in labels for part in (label, *label.split("-")) if part}
    skeletons = {_skeleton(_unicode_label(part)) for part in parts}
    for brand in _brands():
        if brand.exact & (parts | skeletons) or any(
            _looks_like(part, token) for part in parts | skeletons for token in brand.tokens
        ):
            found.add("url.brand_lookalike", needle)
            return


def _check_host_words(
    host: str, suffix: str, labels: list[str], found: _Findings, lists: _Lists
) -> None:
    parts = {part for label in labels for part in (label, *label.split("-")) if part}
    if "gov" not in suffix.split(".") and parts & lists.gov_words:
        found.add("url.fake_gov", host)
    letters, _ = _confusables()
    for label in labels:
        unicode_label = _unicode_label(label)
        if unicode_label.isascii():
            continue
        skeleton = _skeleton(unicode_label)
        if any(char in letters for char in unicode_label) and skeleton.isascii():
            found.add("url.homoglyph", host)


def _check_random(labels: list[str], suffix: str, found: _Findings, lists: _Lists) -> None:
    bonus = _CHEAP_TLD_BONUS if suffix.rsplit(".", 1)[-1] in lists.cheap_tlds else 0.0
    ascii_labels = (label for label in labels if not label.startswith("xn--") and label != "www")
    score = max((_randomness(label) for label in ascii_labels), default=0.0)
    if score + bonus >= _RANDOM_THRESHOLD:
        found.add("url.random_domain")


def _check_download(parts: SplitResult, host: str, labels: list[str], found: _Findings) -> None:
    lists = _lists()
    target = unquote(f"{parts.path}?{parts.query}").lower()
    words = set(re.split(r"[/\-_.=&?+]+", target)) | {
        part for label in labels for part in label.split("-")
    }
    if (
        any(re.search(rf"\.{ext}(?=$|[?#&/])", target) for ext in lists.app_extensions)
        or words & lists.download_words
    ):
        found.add("url.apk_download")


def check_url(
    url: str,
    *,
    blocklist: frozenset[str] = frozenset(),
    allowlist: frozenset[str] | None = None,
) -> UrlCheck:
    """Check one URL (with or without scheme); returns a UrlCheck with the rules it raises.

    ``blocklist`` holds known fraud hosts/domains (as ``load_domain_list``
    returns them); a host matches if it or any parent domain is listed.
    ``allowlist`` adds trusted domains to the shipped brand and app-store
    domains: trusted hosts raise only ``url.blocklisted``.

    Raises:
        InvalidInput: ``url`` is empty.
    """
    if not isinstance(url, str) or not url.strip():
        raise InvalidInput(
            "empty; give a link such as https://www.example.com/ or example.com",
            field="url",
            value=url,
        )
    found = _Findings(url)
    parts = _split(url)
    if parts is not None and parts.scheme.lower() == "itms-services":  # iOS enterprise install
        found.add("url.apk_download")
        return _result(url, None, None, found)
    raw_host = parts.hostname if parts is not None else None
    if parts is None or not raw_host:
        found.add("url.invalid")
        return _result(url, None, None, found)
    ip = _ip_host(raw_host)
    if ip is not None:
        if ip in blocklist or raw_host in blocklist:
            found.add("url.blocklisted", raw_host)
        found.add("url.ip_host", raw_host)
        _check_download(parts, ip, [], found)
        return _result(url, ip, None, found)
    host = _to_ascii(raw_host)
    if host is None or _ends_in_number(raw_host):
        found.add("url.invalid")
        return _result(url, None, None, found)
    extracted = _extractor()(host)
    registered = (
        f"{extracted.domain}.{extracted.suffix}" if extracted.domain and extracted.suffix else None
    )
    if _in_domains(host, blocklist):
        found.add("url.blocklisted", raw_host)
    if registered is None and "." in host and extracted.suffix == host:
        registered = host  # a public suffix used as a site, e.g. gov.cn
    if registered is None:
        found.add("url.invalid")
        return _result(url, host, registered, found)
    _check_all(parts, host, extracted.suffix, allowlist or frozenset(), found)
    return _result(url, host, registered, found)


def _check_all(
    parts: SplitResult, host: str, suffix: str, allowlist: frozenset[str], found: _Findings
) -> None:
    lists = _lists()
    labels = host[: -len(suffix) - 1].split(".")
    needle = parts.hostname or host
    if _in_domains(host, lists.short_links):
        found.add("url.short_link", needle)
    if parts.username and ("." in parts.username or "@" in parts.netloc[:-1]):
        found.add("url.userinfo", parts.username.lower())
    trusted = (
        _in_domains(host, _brand_domains() | lists.app_stores | allowlist)
        or "gov" in suffix.split(".")
        or _in_domains(host, lists.short_links)
    )
    if trusted:
        return
    userinfo_labels = parts.username.lower().split(".") if parts.username else []
    _check_brand(labels + userinfo_labels, found, needle)
    _check_host_words(needle, suffix, labels, found, lists)
    _check_random(labels, suffix, found, lists)
    _check_download(parts, host, labels, found)


def _result(url: str, host: str | None, registered: str | None, found: _Findings) -> UrlCheck:
    hits = tuple(sorted(found.hits.values(), key=lambda hit: (hit.start, -hit.weight)))
    return UrlCheck(raw=url, host=host, registered_domain=registered, hits=hits, risk=risk_of(hits))


_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
_URL_PATTERN = re.compile(
    r"(?:https?|ftp|itms-services)://" + _URL_CHARS + r"+"
    r"|(?<![A-Za-z0-9@.\-_/])(?:"
    r"www\." + _URL_CHARS + r"+"
    r"|\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?:[/?#]" + _URL_CHARS + r"*)?"
    r"|(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?::\d{1,5})?"
    r"(?:[/?#]" + _URL_CHARS + r"*)?"
    r")(?![A-Za-z0-9\-])",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'\"]}*"
_BARE_HOST = re.compile(r"[A-Za-z0-9.\-]+")


def _trim(match_text: str) -> str:
    text = match_text
    while text and (
        text[-1] in _TRAILING or (text[-1] == ")" and text.count("(") < text.count(")"))
    ):
        text = text[:-1]
    return text


def extract_urls(text: str) -> tuple[tuple[int, int, str], ...]:
    """Return ``(start, end, url)`` for each URL-like span in ``text``, with or without scheme.

    ``url`` is ``text[start:end]``; bare domains count only if their suffix is
    a real public suffix (so ``file.txt`` or ``3.14`` are not URLs).
    """
    found: list[tuple[int, int, str]] = []
    for match in _URL_PATTERN.finditer(text):
        url = _trim(match.group())
        if "://" not in url and not url.lower().startswith("www."):
            host = _BARE_HOST.match(url)
            if host is None:
                continue
            name = host.group().rstrip(".")
            if _ip_host(name) is None and not _extractor()(name).suffix:
                continue
        if url:
            found.append((match.start(), match.start() + len(url), url))
    return tuple(found)


def load_domain_list(path: str | Path) -> frozenset[str]:
    """Read a domain list: one host, domain or URL a line, ``#`` starts a comment.

    Returns lower-case ASCII (punycode) hosts, or IP addresses, as
    ``check_url`` compares them.

    Raises:
        NotFound: the file does not exist.
        InvalidInput: a line holds no usable host (names the file and line).
    """
    source = Path(path)
    domains: set[str] = set()
    for line_no, entry in read_list_file(source, what="domain list"):
        parts = _split(entry.removeprefix("*."))
        host = parts.hostname if parts is not None else None
        ip = _ip_host(host) if host else None
        name = ip or (_to_ascii(host) if host else None)
        if name is None or (ip is None and not _extractor()(name).suffix):
            raise InvalidInput(
                f"{entry!r} is not a domain, host or URL; write one a line, e.g. example.com",
                field="domain",
                line=line_no,
                value=entry,
                source=str(source),
            )
        domains.add(name)
    return frozenset(domains)
