"""Phone-number checks: virtual ranges, overseas and spoofed numbers, unlisted 95/96 lines.

``check_phone`` parses a number with ``phonenumbers`` and reports the rules it
raises (``seven.virtual_number`` and ``phone.*``, see
``taxonomy/data/rules_phone_url.yaml``). The official service numbers and the
special ranges are data files in ``screening/data`` (``phone_services.yaml``,
``phone_ranges.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberType, shortnumberinfo

from fanzha.errors import InvalidInput
from fanzha.records import phone_characters
from fanzha.screening._contact_rules import (
    load_package_yaml,
    make_hit,
    read_list_file,
    risk_of,
)
from fanzha.screening._types import RuleHit

__all__ = ["PhoneCheck", "check_phone", "extract_phones", "load_blocklist"]

_UNLISTED_SERVICE = re.compile(r"9[56]\d{3,4}")
_SPOOF_EXTRA_DIGITS = 6
_MAX_PREFIX_BEFORE_SERVICE = 3
# Official numbers that fraudsters pad with extra digits (bank, payment and carrier lines).
_EXTENDABLE = ("9", "100")
_KIND_BY_TYPE = MappingProxyType(
    {
        PhoneNumberType.MOBILE: "mobile",
        PhoneNumberType.FIXED_LINE_OR_MOBILE: "mobile",
        PhoneNumberType.FIXED_LINE: "fixed",
        PhoneNumberType.TOLL_FREE: "hotline",
        PhoneNumberType.SHARED_COST: "hotline",
        PhoneNumberType.VOIP: "voip",
        PhoneNumberType.PREMIUM_RATE: "premium_rate",
        PhoneNumberType.UAN: "hotline",
    }
)


@dataclass(frozen=True, slots=True)
class PhoneCheck:
    """What ``check_phone`` found out about one number.

    ``kind`` is one of ``mobile``, ``virtual`` (virtual-operator range),
    ``fixed``, ``hotline`` (400/800), ``service`` (short service and
    government numbers, 95/96 lines), ``sms_port`` (106 ports), ``overseas``,
    ``voip``, ``premium_rate``, ``other`` or ``invalid``. ``e164`` is set for
    valid subscriber numbers only; ``region`` is the ISO region of the number.
    ``risk`` combines the hit weights (noisy-or).
    """

    raw: str
    e164: str | None
    region: str | None
    kind: str
    hits: tuple[RuleHit, ...]
    risk: float


@cache
def _official_numbers() -> frozenset[str]:
    entries = load_package_yaml("screening", "data", "phone_services.yaml")["services"]
    return frozenset(str(entry["number"]) for entry in entries)


@cache
def _official_numbers_tuple() -> tuple[str, ...]:
    return tuple(sorted(_official_numbers()))


@cache
def _virtual_prefixes() -> MappingProxyType[str, str]:
    data = load_package_yaml("screening", "data", "phone_ranges.yaml")
    return MappingProxyType({str(e["prefix"]): str(e["rule"]) for e in data["virtual"]})


@cache
def _overseas_hubs() -> frozenset[int]:
    data = load_package_yaml("screening", "data", "phone_ranges.yaml")
    return frozenset(int(entry["code"]) for entry in data["overseas_hubs"])


class _Findings:
    """Hits collected over the cleaned number, mapped back to raw positions."""

    def __init__(self, raw: str, positions: tuple[int, ...]) -> None:
        self.raw = raw
        self.positions = positions
        self.hits: dict[str, RuleHit] = {}

    def add(self, rule_id: str, start: int = 0, end: int | None = None) -> None:
        """Record ``rule_id`` over cleaned characters ``start:end`` (first hit per rule wins)."""
        stop = len(self.positions) if end is None else end
        if not self.positions:
            self.add_raw(rule_id, 0, len(self.raw))
        else:
            self.add_raw(rule_id, self.positions[start], self.positions[stop - 1] + 1)

    def add_raw(self, rule_id: str, start: int, end: int) -> None:
        """Record ``rule_id`` over raw characters ``start:end`` (first hit per rule wins)."""
        if rule_id not in self.hits:
            self.hits[rule_id] = make_hit(rule_id, self.raw, start, end)


def _spoofed_offset(
    digits: str, services: frozenset[str], *, valid: bool
) -> tuple[int, int] | None:
    """Where an official number hides in ``digits`` after up to 3 prefix digits, if it does."""
    for skip in range(_MAX_PREFIX_BEFORE_SERVICE + 1):
        tail = digits[skip:]
        if tail in services:
            return skip, skip + len(tail)
        if valid:
            continue
        for service in services:
            if service.startswith(_EXTENDABLE) and tail.startswith(service):
                if len(tail) - len(service) >= _SPOOF_EXTRA_DIGITS:
                    return skip, skip + len(service)
    return None


def _parse(text: str, region: str) -> PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def _classify_home(
    parsed: PhoneNumber | None,
    national: str,
    offset: int,
    *,
    via_prefix: bool,
    services: frozenset[str],
    found: _Findings,
) -> str:
    """Classify a number of the home country; ``national`` starts at cleaned index ``offset``."""
    end = offset + len(national)
    if national in services:
        if via_prefix:
            found.add("phone.spoofed_service", offset, end)
        return "service"
    if parsed is not None and phonenumbers.is_valid_number(parsed):
        kind = _KIND_BY_TYPE.get(phonenumbers.number_type(parsed), "other")
        nsn = phonenumbers.national_significant_number(parsed)
        rule = _virtual_prefixes().get(nsn[:3]) if parsed.country_code == 86 else None
        if kind == "mobile" and rule is not None:
            nsn_start = end - len(nsn)
            found.add(rule, nsn_start, nsn_start + 3)
            return "virtual"
        return kind
    spoof = _spoofed_offset(national, services, valid=False)
    if spoof is not None and spoof[0] == 0:
        found.add("phone.spoofed_service", offset, offset + spoof[1])
        return "service"
    if _UNLISTED_SERVICE.fullmatch(national):
        found.add("phone.unlisted_service", offset, end)
        return "service"
    if national.startswith("106") and 8 <= len(national) <= 21:
        return "sms_port"
    if parsed is not None and len(national) <= 6 and shortnumberinfo.is_valid_short_number(parsed):
        return "service"
    return "invalid"


def _classify(
    cleaned: str, region: str, services: frozenset[str], found: _Findings
) -> tuple[str, PhoneNumber | None, str | None]:
    """Return (kind, parsed number, national digits of a home number) and record hits."""
    pluses = len(cleaned) - len(cleaned.lstrip("+"))
    digits = cleaned[pluses:]
    if not digits or "+" in digits:
        return "invalid", None, None
    home_cc = phonenumbers.country_code_for_region(region)
    if pluses == 0 and not digits.startswith("00"):
        parsed = _parse(digits, region)
        kind = _classify_home(parsed, digits, 0, via_prefix=False, services=services, found=found)
        return kind, parsed, digits
    rest_start = pluses if pluses else 2
    zeros = len(cleaned[rest_start:]) - len(cleaned[rest_start:].lstrip("0"))
    if pluses > 1 or zeros:
        found.add("phone.weird_prefix", 0, rest_start + zeros)
    rest_start += zeros
    rest = cleaned[rest_start:]
    parsed = _parse("+" + rest, region) if rest else None
    if parsed is None:
        spoof = _spoofed_offset(rest, services, valid=False)
        if spoof is not None:
            found.add("phone.spoofed_service", rest_start + spoof[0], rest_start + spoof[1])
        return "invalid", None, None
    code_end = rest_start + len(str(parsed.country_code))
    if parsed.country_code == home_cc:
        national = cleaned[code_end:]
        kind = _classify_home(
            parsed, national, code_end, via_prefix=True, services=services, found=found
        )
        return kind, parsed, national
    valid = phonenumbers.is_valid_number(parsed)
    spoof = _spoofed_offset(rest, services, valid=valid)
    if spoof is not None:
        found.add("phone.spoofed_service", rest_start + spoof[0], rest_start + spoof[1])
    if spoof is None and not valid and not phonenumbers.is_possible_number(parsed):
        return "invalid", parsed, None
    hub = home_cc == 86 and parsed.country_code in _overseas_hubs()
    found.add("phone.overseas_hub" if hub else "phone.overseas", 0, code_end)
    return "overseas", parsed, None


def _region_of(parsed: PhoneNumber | None) -> str | None:
    if parsed is None:
        return None
    region = phonenumbers.region_code_for_number(parsed) or (
        phonenumbers.region_code_for_country_code(parsed.country_code or 0)
    )
    return None if region in (None, "ZZ", "001") else region


def _e164(parsed: PhoneNumber | None) -> str | None:
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _check_region(region: str) -> str:
    code = region.upper()
    if phonenumbers.country_code_for_region(code) == 0:
        raise InvalidInput(
            f"{region!r} is not a region phonenumbers knows; use an ISO code such as 'CN'",
            field="region",
            value=region,
        )
    return code


def _blocklist_key(text: str, region: str) -> str | None:
    """Return E.164 for a valid number, else its ``+``/digits; None for junk or no digits."""
    characters = phone_characters(text)
    if characters.junk or not characters.kept.strip("+"):
        return None
    return _e164(_parse(characters.kept, region)) or characters.kept


def check_phone(
    number: str,
    *,
    blocklist: frozenset[str] = frozenset(),
    region: str = "CN",
    official_services: frozenset[str] | None = None,
) -> PhoneCheck:
    """Check one phone number; returns a PhoneCheck with the rules it raises.

    ``blocklist`` holds known fraud numbers (E.164 or national digits, as
    ``load_blocklist`` returns them); ``official_services`` replaces the shipped
    list of official service numbers (national digits, e.g. ``"95588"``).
    Garbage gives kind ``invalid`` and ``phone.invalid``.

    Raises:
        InvalidInput: ``number`` is empty or ``region`` is unknown.
    """
    if not isinstance(number, str) or not number.strip():
        raise InvalidInput(
            "empty; give a phone number such as 13800138000 or +8613800138000",
            field="number",
            value=number,
        )
    region = _check_region(region)
    services = _official_numbers() if official_services is None else official_services
    characters = phone_characters(number)
    found = _Findings(number, characters.positions)
    if characters.junk:
        kind, parsed, national = "invalid", None, None
    else:
        kind, parsed, national = _classify(characters.kept, region, services, found)
    e164 = _e164(parsed)
    keys = {e164, national, _blocklist_key(number, region)} - {None}
    if blocklist and not keys.isdisjoint(blocklist):
        found.add("phone.blocklisted")
    if kind == "invalid" and not found.hits:
        found.add_raw("phone.invalid", 0, len(number))
    hits = tuple(sorted(found.hits.values(), key=lambda hit: (hit.start, -hit.weight)))
    return PhoneCheck(
        raw=number,
        e164=e164,
        region=_region_of(parsed),
        kind=kind,
        hits=hits,
        risk=risk_of(hits),
    )


# Not glued to letters: A0085512345678 is an order number, JD0012345678 a parcel.
_BEFORE = r"(?<![\dA-Za-z+＋])"
_AFTER = r"(?![\dA-Za-z])"
_PHONE_PATTERN = re.compile(
    _BEFORE
    + r"(?:"
    + r"[+＋]{1,2}[ ]?\d{1,4}(?:[ \-]?\d){4,14}"  # +86 138…, +63 917…, +00…
    + r"|00\d{1,4}(?:[ \-]?\d){4,14}"  # 0086…, 00855…
    + r"|\(0\d{2,3}\)[ ]?\d{7,8}"  # (010)12345678
    + r"|0\d{2,3}[ \-]?\d{7,8}"  # 010-12345678, 0755 1234567
    + r"|[48]00[ \-]?\d{3}[ \-]?\d{4}"  # 400/800 hotlines
    + r"|1[3-9]\d(?:[ \-]?\d{4}){2}"  # mobile
    + r"|9[56]\d{3,4}(?![ ]*[元万块%])"  # 95xxx / 96xxx service lines, not amounts
    + r"|9[56]\d{9,14}"  # padded service numbers, kept only if they start with an official one
    + r"|1(?:0\d|2\d)\d{2}(?![ ]*[元万块%])"  # 10xxx / 12xxx, kept only if official
    + r")"
    + _AFTER
)
_SHORT_OFFICIAL = re.compile(r"1[02]\d{3}")
_PADDED_SERVICE = re.compile(r"9[56]\d{9,14}")


def extract_phones(text: str) -> tuple[tuple[int, int, str], ...]:
    """Return ``(start, end, number)`` for each phone-like number in ``text``.

    ``number`` is ``text[start:end]``. Finds mobile numbers, +86/0086 and other
    international numbers, landlines, 400/800 hotlines, 95/96 lines and the
    official 10xxx/12xxx numbers.
    """
    found: list[tuple[int, int, str]] = []
    for match in _PHONE_PATTERN.finditer(text):
        number = match.group()
        if _SHORT_OFFICIAL.fullmatch(number) and number not in _official_numbers():
            continue
        if _PADDED_SERVICE.fullmatch(number) and not number.startswith(_official_numbers_tuple()):
            continue
        found.append((match.start(), match.end(), number))
    return tuple(found)


def load_blocklist(path: str | Path, *, region: str = "CN") -> frozenset[str]:
    """Read a blocklist file: one number per line, ``#`` starts a comment.

    Returns the numbers normalised to E.164 where they are valid, else as
    ``+``/digits, the form ``check_phone`` compares against.

    Raises:
        NotFound: the file does not exist.
        InvalidInput: a line is not a phone number (names the file and line).
    """
    region = _check_region(region)
    source = Path(path)
    numbers: set[str] = set()
    for line_no, entry in read_list_file(source, what="phone blocklist"):
        key = _blocklist_key(entry, region)
        if key is None:
            raise InvalidInput(
                f"{entry!r} is not a phone number; write one number a line, "
                "e.g. 13800138000 or +8613800138000",
                field="number",
                line=line_no,
                value=entry,
                source=str(source),
            )
        numbers.add(key)
    return frozenset(numbers)
