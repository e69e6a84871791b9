"""Records: the one home of the concepts every package shares.

Phone numbers, bank accounts, ID numbers, money in fen and its currency, the transfer
channel, times, and the transfer schema with its validator. Each concept has one rule set,
used both as a polars expression over a column and as a function of one value.
"""

from __future__ import annotations

from fanzha.records._account import ACCOUNT_HINT, account_kinds, clean_accounts
from fanzha.records._case import CASE_STATUS_NAMES
from fanzha.records._channel import (
    CHANNELS,
    DEFAULT_CHANNEL,
    EXIT_CHANNELS,
    canonical_channels,
    channel_name,
)
from fanzha.records._clue import Clue, classify_clue
from fanzha.records._idnumber import clean_id_numbers, id_number_births, id_number_genders
from fanzha.records._intext import NUMBER_IN_TEXT, compact_number, number_kind
from fanzha.records._money import check_amount_unit, fen_to_yuan, format_yuan, parse_amounts
from fanzha.records._phone import (
    PHONE_HINT,
    clean_phones,
    e164_phone,
    normalize_phone,
    phone_characters,
    phone_kinds,
)
from fanzha.records._text import as_text
from fanzha.records._time import (
    DEFAULT_TZ,
    check_timezone,
    format_date_cn,
    format_time,
    local_date,
    parse_time,
    parse_times,
)
from fanzha.records._transfer import (
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
    "CASE_STATUS_NAMES",
    "CHANNELS",
    "DEFAULT_CHANNEL",
    "DEFAULT_TZ",
    "EXIT_CHANNELS",
    "NUMBER_IN_TEXT",
    "PHONE_HINT",
    "SIMULATION_RULES",
    "TRANSFER_FIELDS",
    "TRANSFER_SCHEMA",
    "CheckedTransfers",
    "Clue",
    "TransferRules",
    "account_kinds",
    "as_text",
    "canonical_channels",
    "channel_name",
    "check_amount_unit",
    "check_timezone",
    "check_transfer_frame",
    "check_transfers",
    "classify_clue",
    "clean_accounts",
    "clean_id_numbers",
    "clean_phones",
    "compact_number",
    "e164_phone",
    "fen_to_yuan",
    "format_date_cn",
    "format_time",
    "format_yuan",
    "id_number_births",
    "id_number_genders",
    "local_date",
    "normalize_phone",
    "number_kind",
    "parse_amounts",
    "parse_time",
    "parse_times",
    "phone_characters",
    "phone_kinds",
]
