"""Records: the one home of the concepts every package shares.

Phone numbers, bank accounts, ID numbers, money in fen and its currency, the transfer
channel, times, and the transfer schema with its validator. Each concept has one rule set,
used both as a polars expression over a column and as a function of one value.
"""

from __future__ import annotations

from fanzha.records._account import (
    ACCOUNT_HINT,
    account_kind,
    account_kinds,
    clean_account,
    clean_accounts,
)
from fanzha.records._idnumber import (
    clean_id_number,
    clean_id_numbers,
    id_number_births,
    id_number_genders,
)
from fanzha.records._phone import (
    PHONE_HINT,
    PREFIX_RULES,
    PhoneCharacters,
    PrefixRule,
    clean_phone,
    clean_phones,
    normalize_phone,
    phone_characters,
    phone_kind,
    phone_kinds,
)

__all__ = [
    "ACCOUNT_HINT",
    "PHONE_HINT",
    "PREFIX_RULES",
    "PhoneCharacters",
    "PrefixRule",
    "account_kind",
    "account_kinds",
    "clean_account",
    "clean_accounts",
    "clean_id_number",
    "clean_id_numbers",
    "clean_phone",
    "clean_phones",
    "id_number_births",
    "id_number_genders",
    "normalize_phone",
    "phone_characters",
    "phone_kind",
    "phone_kinds",
]
