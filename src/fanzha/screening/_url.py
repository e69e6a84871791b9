"""URL checks: IP hosts, brand look-alikes, fake gov sites, short links, random domains, APKs.

``check_url`` splits a URL with ``urllib`` and ``tldextract`` (bundled public
suffix list only; nothing is fetched; ``_url_host``) and reports the ``url.*`` rules
it raises (see ``taxonomy/data/rules_phone_url.yaml``). Brands, short-link
services, cheap TLDs and confusable characters are data files in
``screening/data`` (``brands.yaml``, ``url_lists.yaml``, ``url_confusables.yaml``),
read by ``_url_lookalike``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, unquote

from fanzha.errors import InvalidInput
from fanzha.screening._contact_rules import make_hit, read_list_file, risk_of
from fanzha.screening._types import RuleHit
from fanzha.screening._url_host import (
    ends_in_number,
    extractor,
    in_domains,
    ip_host,
    split_url,
    to_ascii,
    to_unicode,
)
from fanzha.screening._url_lookalike import (
    UrlLists,
    ascii_skeleton,
    brand_domains,
    brands,
    confusables,
    looks_like,
    randomness,
    url_lists,
)

__all__ = ["UrlCheck", "check_url", "extract_urls", "load_domain_list"]

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
    skeletons = {ascii_skeleton(to_unicode(part)) for part in parts}
    for brand in brands():
        if brand.exact & (parts | skeletons) or any(
            looks_like(part, token) for part in parts | skeletons for token in brand.tokens
        ):
            found.add("url.brand_lookalike", needle)
            return


def _check_host_words(
    host: str, suffix: str, labels: list[str], found: _Findings, lists: UrlLists
) -> None:
    parts = {part for label in labels for part in (label, *label.split("-")) if part}
    if "gov" not in suffix.split(".") and parts & lists.gov_words:
        found.add("url.fake_gov", host)
    letters, _ = confusables()
    for label in labels:
        unicode_label = to_unicode(label)
        if unicode_label.isascii():
            continue
        skeleton = ascii_skeleton(unicode_label)
        if any(char in letters for char in unicode_label) and skeleton.isascii():
            found.add("url.homoglyph", host)


def _check_random(labels: list[str], suffix: str, found: _Findings, lists: UrlLists) -> None:
    bonus = _CHEAP_TLD_BONUS if suffix.rsplit(".", 1)[-1] in lists.cheap_tlds else 0.0
    ascii_labels = (label for label in labels if not label.startswith("xn--") and label != "www")
    score = max((randomness(label) for label in ascii_labels), default=0.0)
    if score + bonus >= _RANDOM_THRESHOLD:
        found.add("url.random_domain")


def _check_download(parts: SplitResult, host: str, labels: list[str], found: _Findings) -> None:
    lists = url_lists()
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
    parts = split_url(url)
    if parts is not None and parts.scheme.lower() == "itms-services":  # iOS enterprise install
        found.add("url.apk_download")
        return _result(url, None, None, found)
    raw_host = parts.hostname if parts is not None else None
    if parts is None or not raw_host:
        found.add("url.invalid")
        return _result(url, None, None, found)
    ip = ip_host(raw_host)
    if ip is not None:
        if ip in blocklist or raw_host in blocklist:
            found.add("url.blocklisted", raw_host)
        found.add("url.ip_host", raw_host)
        _check_download(parts, ip, [], found)
        return _result(url, ip, None, found)
    host = to_ascii(raw_host)
    if host is None or ends_in_number(raw_host):
        found.add("url.invalid")
        return _result(url, None, None, found)
    extracted = extractor()(host)
    registered = (
        f"{extracted.domain}.{extracted.suffix}" if extracted.domain and extracted.suffix else None
    )
    if in_domains(host, blocklist):
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
    lists = url_lists()
    labels = host[: -len(suffix) - 1].split(".")
    needle = parts.hostname or host
    if in_domains(host, lists.short_links):
        found.add("url.short_link", needle)
    if parts.username and ("." in parts.username or "@" in parts.netloc[:-1]):
        found.add("url.userinfo", parts.username.lower())
    trusted = (
        in_domains(host, brand_domains() | lists.app_stores | allowlist)
        or "gov" in suffix.split(".")
        or in_domains(host, lists.short_links)
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
            if ip_host(name) is None and not extractor()(name).suffix:
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
        parts = split_url(entry.removeprefix("*."))
        host = parts.hostname if parts is not None else None
        ip = ip_host(host) if host else None
        name = ip or (to_ascii(host) if host else None)
        if name is None or (ip is None and not extractor()(name).suffix):
            raise InvalidInput(
                f"{entry!r} is not a domain, host or URL; write one a line, e.g. example.com",
                field="domain",
                line=line_no,
                value=entry,
                source=str(source),
            )
        domains.add(name)
    return frozenset(domains)
