"""A URL's host read the way a browser reads it: IP literals, punycode, public suffix.

Internal to the URL checks (``fanzha.screening._url``); nothing here is public API.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from urllib.parse import SplitResult, urlsplit

import tldextract

__all__: list[str] = []

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_LABEL = re.compile(r"(?!-)[a-z0-9_\-]{1,63}(?<!-)")


def build_extractor() -> tldextract.TLDExtract:
    """A suffix extractor that uses only the bundled snapshot: no cache dir, no download."""
    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


@cache
def extractor() -> tldextract.TLDExtract:
    """The shared suffix extractor (built once)."""
    return build_extractor()


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


def ends_in_number(host: str) -> bool:
    """Whether the last label of ``host`` is a number, as in an IPv4 literal."""
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


def ip_host(host: str) -> str | None:
    """The IP address of an IP-literal host, or None for a name."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    return _parse_ipv4(host) if ends_in_number(host) else None


def to_ascii(host: str) -> str | None:
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


def to_unicode(label: str) -> str:
    """The Unicode form of a punycode (``xn--``) label; other labels as they are."""
    if label.startswith("xn--"):
        try:
            return label.encode("ascii").decode("idna")
        except UnicodeError:
            return label
    return label


def split_url(url: str) -> SplitResult | None:
    """Split ``url`` (scheme optional) with ``urlsplit``; None if it cannot be split."""
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


def in_domains(host: str, domains: frozenset[str]) -> bool:
    """Whether ``host`` or one of its parent domains is in ``domains``."""
    return any(parent in domains for parent in _parents(host))
