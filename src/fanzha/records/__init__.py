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
from fanzha.records._channel import (
    CHANNEL_ALIASES,
    CHANNEL_HINT,
    CHANNELS,
    DEFAULT_CHANNEL,
    EXIT_CHANNELS,
    canonical_channel,
    canonical_channels,
)
from fanzha.records._idnumber import (
    clean_id_number,
    clean_id_numbers,
    id_number_births,
    id_number_genders,
)
from fanzha.records._money import (
    AMOUNT_UNITS,
    CNY_NAMES,
    CURRENCY,
    check_amount_unit,
    format_yuan,
    is_cny,
    normalize_amounts,
    parse_amounts,
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
from fanzha.records._text import (
    as_text,
)
from fanzha.records._time import (
    DEFAULT_TZ,
    check_timezone,
    format_time,
    normalize_times,
    parse_time,
    parse_times,
)
from fanzha.records._transfer import (
    MAX_TXN_ID,
    SIMULATION_RULES,
    TRANSFER_FIELDS,
    TRANSFER_SCHEMA,
    CheckedTransfers,
    TransferRules,
    check_transfer_frame,
    check_transfers,
)

__all__ = [
    "ACCOUNT_HINT",
    "AMOUNT_UNITS",
    "CHANNELS",
    "CHANNEL_ALIASES",
    "CHANNEL_HINT",
    "CNY_NAMES",
    "CURRENCY",
    "DEFAULT_CHANNEL",
    "DEFAULT_TZ",
    "EXIT_CHANNELS",
    "MAX_TXN_ID",
    "PHONE_HINT",
    "PREFIX_RULES",
    "SIMULATION_RULES",
    "TRANSFER_FIELDS",
    "TRANSFER_SCHEMA",
    "CheckedTransfers",
    "PhoneCharacters",
    "PrefixRule",
    "TransferRules",
    "account_kind",
    "account_kinds",
    "as_text",
    "canonical_channel",
    "canonical_channels",
    "check_amount_unit",
    "check_timezone",
    "check_transfer_frame",
    "check_transfers",
    "clean_account",
    "clean_accounts",
    "clean_id_number",
    "clean_id_numbers",
    "clean_phone",
    "clean_phones",
    "format_time",
    "format_yuan",
    "id_number_births",
    "id_number_genders",
    "is_cny",
    "normalize_amounts",
    "normalize_phone",
    "normalize_times",
    "parse_amounts",
    "parse_time",
    "parse_times",
    "phone_characters",
    "phone_kind",
    "phone_kinds",
]
