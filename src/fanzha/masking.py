"""Masking of personal data (脱敏): for roles that may not see it, and in public notices.

Two styles: the ``mask_*`` functions keep enough to tell records apart on screen
(张*三, 138****5678); the ``notice_*`` functions are for text published to everyone and keep
less (张**, 6222 **** 0123). :func:`mask_text` masks the numbers inside free text and
:func:`mask_document` every string of a JSON document; :func:`pseudonymise_text` puts a keyed
hash in place of each number instead (for the audit log, which must not hold the numbers).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from types import MappingProxyType

from fanzha.records import NUMBER_IN_TEXT, compact_number, number_kind

__all__ = [
    "mask_account",
    "mask_document",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "mask_text",
    "mask_value",
    "notice_account",
    "notice_name",
    "pseudonym",
    "pseudonymise_text",
]


def _keep_ends(value: str, head: int, tail: int) -> str:
    """``head`` first and ``tail`` last characters kept, the rest starred; all starred if short."""
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail :]


def mask_name(name: str | None) -> str | None:
    """张三 → 张*, 欧阳娜娜 → 欧**娜."""
    if not name:
        return name
    if len(name) <= 2:
        return name[0] + "*"
    return _keep_ends(name, 1, 1)


def mask_id_number(value: str | None) -> str | None:
    """Keep the first 6 (region) and last 4 characters of an ID number."""
    return _keep_ends(value, 6, 4) if value else value


def mask_phone(value: str | None) -> str | None:
    """13812345678 → 138****5678; short numbers keep only their last 2 digits."""
    if not value:
        return value
    if len(value) >= 11:
        return value[:-8] + "****" + value[-4:]
    return "*" * max(len(value) - 2, 0) + value[-2:]


def mask_account(value: str | None) -> str | None:
    """A bank card or account number keeps its first 4 and last 4 characters."""
    return _keep_ends(value, 4, 4) if value else value


def mask_imei(value: str | None) -> str | None:
    """860000001234567 → 86000000*****67: a device keeps its model code (TAC) and last 2."""
    return _keep_ends(value, 8, 2) if value else value


_MASKERS: MappingProxyType[str, Callable[[str | None], str | None]] = MappingProxyType(
    {
        "name": mask_name,
        "id_number": mask_id_number,
        "phone": mask_phone,
        "account": mask_account,
        "imei": mask_imei,
    }
)


def mask_value(kind: str, value: str | None, *, visible: bool) -> str | None:
    """``value`` in full when ``visible``, else masked by its ``kind`` (name, phone …)."""
    return value if visible else _MASKERS[kind](value)


_KEPT_HEAD = 8  # the most digits a mask keeps in a row (an IMEI's model code)


def _mask_found(match: re.Match[str]) -> str:
    found = match.group()
    if len(found) <= _KEPT_HEAD and match.string.startswith("*", match.end()):
        return found  # the part a mask kept (86000000*****17): masking twice changes nothing
    return _MASKERS[number_kind(found)](compact_number(found)) or ""


def mask_text(text: str) -> str:
    """``text`` with every phone, ID and account number in it masked (see
    :data:`fanzha.records.NUMBER_IN_TEXT`); masking masked text changes nothing."""
    return NUMBER_IN_TEXT.sub(_mask_found, text)


def mask_document(value: object) -> object:
    """A JSON document (dicts, lists, strings, numbers …) with :func:`mask_text` applied to
    every string in it, keys included; numbers and other values are kept."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {mask_text(str(key)): mask_document(item) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_document(item) for item in value]
    return value


def pseudonym(number: str, key: bytes) -> str:
    """A keyed hash standing for a phone, ID or account number: the same number (however
    written) gives the same pseudonym under the same ``key``; without the key it cannot be
    reversed by trying every number."""
    digest = hmac.new(key, compact_number(number).encode(), hashlib.sha256).hexdigest()
    return f"k{digest[:24]}"


def pseudonymise_text(text: str, key: bytes) -> str:
    """``text`` with every phone, ID and account number replaced by its :func:`pseudonym`."""
    return NUMBER_IN_TEXT.sub(lambda match: pseudonym(match.group(), key), text)


def notice_name(name: str) -> str:
    """张三丰 → 张**: a name in a public notice keeps only its surname."""
    clean = name.strip()
    return clean[:1] + "*" * max(len(clean) - 1, 1) if clean else ""


def notice_account(account: str) -> str:
    """6222021234567890123 → 6222 **** 0123: an account in a public notice."""
    digits = account.strip()
    if len(digits) <= 8:
        return digits[:2] + "*" * max(len(digits) - 2, 0)
    return f"{digits[:4]} **** {digits[-4:]}"
