"""Masking of personal data for roles that may not see it (脱敏)."""

from __future__ import annotations

__all__ = ["mask_account", "mask_id_number", "mask_name", "mask_phone", "mask_value"]


def mask_name(name: str | None) -> str | None:
    """张三 → 张*, 欧阳娜娜 → 欧**娜."""
    if not name:
        return name
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(value: str | None) -> str | None:
    """Keep the first 6 (region) and last 4 characters of an ID number."""
    if not value:
        return value
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str | None:
    """13812345678 → 138****5678; short numbers keep only their last 2 digits."""
    if not value:
        return value
    if len(value) >= 11:
        return value[:-8] + "****" + value[-4:]
    return "*" * max(len(value) - 2, 0) + value[-2:]


def mask_account(value: str | None) -> str | None:
    """A bank card or account number keeps its first 4 and last 4 characters."""
    if not value:
        return value
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


_MASKERS = {
    "name": mask_name,
    "id_number": mask_id_number,
    "phone": mask_phone,
    "account": mask_account,
}


def mask_value(kind: str, value: str | None, *, visible: bool) -> str | None:
    """``value`` in full when ``visible``, else masked by its ``kind`` (name, phone …)."""
    return value if visible else _MASKERS[kind](value)
