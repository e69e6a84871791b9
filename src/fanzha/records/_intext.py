"""Phone, ID and account numbers inside free text (a task's reason, a note, an audit entry).

:data:`NUMBER_IN_TEXT` finds them wherever they stand, written plainly or with the usual
separators: a mobile number as ``138 0013 8000``, ``138-0013-8000`` or ``+86 138…``, a card
in groups of four, a fixed line as ``0771-5551234``, an ID number with its ``X``, and any
other run of 7 or more digits (full-width digits too). A run touching a letter or another
digit is part of a longer token (a case number ``A4501…``, a transaction id ``TX2026…``, a
hash) and is left alone, unless it is shaped like a mobile or an ID number and no hex digit
touches it (``TEL13800138000``). :func:`number_kind` says which kind of number a match is, by the
same rules :func:`clean_id_number` and :func:`clean_phone` apply.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from fanzha.records._idnumber import clean_id_number
from fanzha.records._phone import clean_phone, phone_kind
from fanzha.records._text import fold

__all__ = ["NUMBER_IN_TEXT", "NumberKind", "compact_number", "number_kind"]

NumberKind = Literal["id_number", "phone", "account"]
_SEPARATORS: Final = re.compile(r"[ \-]")
_ACCOUNT_DIGITS: Final = 12  # the fewest characters of a number masked as an account

_SHAPES: Final = (
    r"(?:\+?86[ \-]?)?1\d{2}[ \-]?\d{4}[ \-]?\d{4}",  # mobile, perhaps grouped 3-4-4
    r"\d{17}[\dXx]",  # ID number
    r"\d{4}(?: \d{4}){2,9}(?: \d{1,4})?",  # card in groups of four
    r"0\d{2,3}-\d{7,8}",  # fixed line with its area code
    r"\+?\d{7,}",  # any other run of 7 or more digits
)
#: A phone, ID or account number in free text (see the module's docstring).
# Found even when letters touch them, though not hex digits (the audit log's hashes).
_GLUED: Final = (r"1[3-9]\d{9}", r"\d{17}[\dXx]")
NUMBER_IN_TEXT: Final = re.compile(
    r"(?<![0-9A-Za-z])(?:" + "|".join(_SHAPES) + r")(?![0-9A-Za-z])"
    r"|(?<![0-9A-Fa-f])(?:" + "|".join(_GLUED) + r")(?![0-9A-Fa-f])"
)


def number_kind(found: str) -> NumberKind:
    """What a :data:`NUMBER_IN_TEXT` match is: an ID number (a valid one, or any ending in
    ``X``), a phone number (a mobile, or any number too short for an account), else an
    account number."""
    if clean_id_number(found) is not None or fold(found)[-1:] in ("X", "x"):
        return "id_number"
    phone = clean_phone(found)
    if phone is not None and (phone_kind(phone) == "mobile" or len(phone) < _ACCOUNT_DIGITS):
        return "phone"
    return "account"


def compact_number(found: str) -> str:
    """A :data:`NUMBER_IN_TEXT` match without its separators; a phone number in national
    form (``+86 138-0013-8000`` → ``13800138000``)."""
    compact = _SEPARATORS.sub("", found)
    if number_kind(found) == "phone":
        return clean_phone(compact) or compact
    return compact
