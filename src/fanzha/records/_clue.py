"""What a search query or a graph clue is: a case number, an ID number, a person's name, a
phone number, a bank account, an IM account or a URL / domain.

:func:`classify_clue` reads one query by the same rules the other concepts of this package
apply (:func:`clean_id_number`, :func:`clean_phone`, :func:`clean_account`) and gives every
reading that fits, each with the value to look up. Some queries fit several kinds (a 9-digit
QQ number is also a short phone number; 12–15 digits may be a phone or an account); a valid
18-character ID number is an ID number only, never an account or a phone; Chinese text is a
name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from fanzha.records._account import clean_account
from fanzha.records._idnumber import clean_id_number
from fanzha.records._phone import clean_phone
from fanzha.records._text import fold, trim

__all__ = ["CLUE_KINDS", "Clue", "ClueKind", "classify_clue"]

ClueKind = Literal["case", "id_number", "name", "phone", "account", "im", "url", "domain"]
#: Every kind of clue, in the order results are shown.
CLUE_KINDS: Final[tuple[ClueKind, ...]] = (
    "case",
    "id_number",
    "name",
    "phone",
    "account",
    "im",
    "url",
    "domain",
)
#: The longest query read as a clue (longer text is no identifier of any kind).
MAX_CLUE_CHARS: Final = 200

_NAME: Final = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff][\u3400-\u9fff\uf900-\ufaff·•]{0,19}$")
_CASE: Final = re.compile(r"^[A-Z][0-9A-Z_\-]{3,39}$")
_DIGIT: Final = re.compile(r"[0-9]")
_URL: Final = re.compile(r"^(?:([a-z][a-z0-9+.\-]*)://|www\.)", re.IGNORECASE)
_HOST: Final = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9\-]{1,62}$", re.IGNORECASE
)
_IM: Final = re.compile(r"^(?:([a-z]{2,16}):)?(@?[0-9A-Za-z_\-.]{2,64})$")
_SPACES: Final = re.compile(r"\s+")
_LONG_DIGITS: Final = re.compile(r"^[0-9]{12,}$")  # longer than any QQ number: no IM handle
_RESIDENT_ID_CHARS: Final = 18  # the current form; 15 digits may also be an account


@dataclass(frozen=True, slots=True)
class Clue:
    """One reading of a query: its ``kind`` and the ``value`` to look up (normalised as the
    store keeps it; for ``im`` a ``platform`` when the query named one)."""

    kind: ClueKind
    value: str
    platform: str | None = None


def _url_clues(text: str) -> list[Clue]:
    """A URL (with its host as a domain clue) or a bare host name as a domain."""
    scheme = _URL.match(text)
    if scheme is not None:
        url = text if scheme.group(1) else f"http://{text}"
        head, _, rest = url.partition("://")
        host, sep, path = rest.partition("/")
        host = host.split("?", 1)[0].split("#", 1)[0].lower().rstrip(".")
        normalised = f"{head.lower()}://{host}{sep}{path}"
        clues = [Clue("url", normalised)]
        if _HOST.match(host):
            clues.append(Clue("domain", host))
        return clues
    host = text.lower().rstrip(".")
    if "/" not in host and _HOST.match(host) and not _DIGIT.fullmatch(host[-1:]):
        return [Clue("domain", host)]
    return []


def classify_clue(raw: str) -> tuple[Clue, ...]:
    """Every reading of ``raw`` as a clue, in :data:`CLUE_KINDS` order; empty when it fits
    none (blank, too long, or text that is no identifier)."""
    text = trim(_SPACES.sub(" ", fold(raw)))
    if not text or len(text) > MAX_CLUE_CHARS:
        return ()
    id_number = clean_id_number(text)
    if id_number is not None and len(id_number) == _RESIDENT_ID_CHARS:
        return (Clue("id_number", id_number),)
    if _NAME.match(text):
        return (Clue("name", text),)
    clues: list[Clue] = []
    upper = text.upper()
    if _CASE.match(upper) and _DIGIT.search(upper):
        clues.append(Clue("case", upper))
    if id_number is not None:
        clues.append(Clue("id_number", id_number))
    phone = clean_phone(text)
    if phone is not None:
        clues.append(Clue("phone", phone))
    account = clean_account(text)
    if account is not None:
        clues.append(Clue("account", account))
    addresses = _url_clues(text) if " " not in text else []
    im = _IM.match(text)
    if im is not None and not addresses and not _LONG_DIGITS.match(text):
        clues.append(Clue("im", im.group(2), im.group(1).lower() if im.group(1) else None))
    clues.extend(addresses)
    order = {kind: rank for rank, kind in enumerate(CLUE_KINDS)}
    return tuple(sorted(clues, key=lambda clue: order[clue.kind]))
