"""Bodies of suspects (犯罪嫌疑人, legal status) and fugitives (在逃人员, identifiers, hits)."""

from __future__ import annotations

from datetime import date
from typing import Literal, Self

from pydantic import BaseModel, Field

from fanzha.api.schemas.common import STRICT, IsoDatetime, PagePublic, RecordId, Version, public_of
from fanzha.masking import mask_value
from fanzha.operations import (
    IDENTIFIER_KINDS,
    LEGAL_STATUS_LABELS,
    RECORD_KIND_LABELS,
    SUSPECT_ROLE_LABELS,
)
from fanzha.store._ops_models import Fugitive, FugitiveHit, Suspect, SuspectStatusChange

__all__ = [
    "FugitiveCreate",
    "FugitiveDetailPublic",
    "FugitiveListPublic",
    "FugitivePublic",
    "HitPublic",
    "IdentifierIn",
    "IdentifierPublic",
    "LegalChangePublic",
    "LegalStatusChange",
    "SuspectCreate",
    "SuspectDetailPublic",
    "SuspectListPublic",
    "SuspectPublic",
]

_PERSON_PII = {"name": "name", "id_number": "id_number"}
#: How each identifier kind is masked.
_IDENTIFIER_MASK = {
    "phone": "phone",
    "imsi": "imei",
    "imei": "imei",
    "card": "account",
    "im": "account",
    "id_number": "id_number",
}
IdentifierKind = Literal["phone", "imsi", "imei", "card", "im", "id_number"]
SuspectRole = Literal[
    "leader",
    "manager",
    "core",
    "operator",
    "card_dealer",
    "cash_out",
    "score_runner",
    "traffic",
    "goip_operator",
    "other",
]


class IdentifierIn(BaseModel):
    """A phone, IMSI, IMEI, bank card, IM account (``wechat:abc``) or ID number."""

    model_config = STRICT
    kind: IdentifierKind
    value: str = Field(min_length=2, max_length=64)


class IdentifierPublic(BaseModel):
    """An identifier, masked for roles without ``pii.view``."""

    kind: str
    kind_label: str
    value: str | None

    @classmethod
    def of(cls, kind: str, value: str, *, visible: bool) -> Self:
        """The identifier, masked by its kind unless ``visible``."""
        return cls(
            kind=kind,
            kind_label=IDENTIFIER_KINDS.get(kind, kind),
            value=mask_value(_IDENTIFIER_MASK.get(kind, "account"), value, visible=visible),
        )


class SuspectCreate(BaseModel):
    """A new suspect (status 已查明 until the first legal decision)."""

    model_config = STRICT
    name: str = Field(min_length=1, max_length=64)
    role: SuspectRole
    district: str | None = Field(default=None, max_length=32)
    id_number: str | None = Field(default=None, max_length=18)
    gender: Literal["M", "F"] | None = None
    person_id: RecordId | None = None
    gang_id: RecordId | None = None
    operation_id: RecordId | None = None
    clue_id: RecordId | None = None
    note: str = Field(default="", max_length=2000)
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=50)


class LegalStatusChange(BaseModel):
    """A legal decision: the new status, its day, the deciding authority and document."""

    model_config = STRICT
    to_status: Literal[
        "at_large", "detained", "bail", "arrested", "prosecuted", "sentenced", "released"
    ]
    decided_on: date
    authority: str = Field(min_length=2, max_length=64)
    document_no: str = Field(min_length=2, max_length=64)
    version: Version
    note: str = Field(default="", max_length=2000)


class SuspectPublic(BaseModel):
    """A suspect; name and ID number masked for roles without ``pii.view``."""

    id: int
    name: str | None
    id_number: str | None
    gender: str | None
    district: str | None
    role: str
    role_label: str
    legal_status: str
    legal_status_label: str
    gang_id: int | None
    operation_id: int | None
    clue_id: int | None
    caught_at: IsoDatetime | None
    created_at: IsoDatetime
    version: int

    @classmethod
    def of(cls, row: Suspect, *, visible: bool) -> Self:
        """The stored suspect, masked unless ``visible``."""
        return public_of(
            cls,
            row,
            visible=visible,
            masked=_PERSON_PII,
            role_label=SUSPECT_ROLE_LABELS.get(row.role, row.role),
            legal_status_label=LEGAL_STATUS_LABELS.get(row.legal_status, row.legal_status),
        )


class LegalChangePublic(BaseModel):
    """One recorded legal decision."""

    from_status: str
    from_label: str
    to_status: str
    to_label: str
    decided_on: date
    authority: str
    document_no: str
    at: IsoDatetime
    note: str

    @classmethod
    def of(cls, row: SuspectStatusChange) -> Self:
        """The stored change."""
        return public_of(
            cls,
            row,
            from_label=LEGAL_STATUS_LABELS.get(row.from_status, row.from_status),
            to_label=LEGAL_STATUS_LABELS.get(row.to_status, row.to_status),
        )


class SuspectDetailPublic(SuspectPublic):
    """A suspect with identifiers and legal history."""

    note: str
    identifiers: list[IdentifierPublic]
    history: list[LegalChangePublic]


class SuspectListPublic(PagePublic):
    """A page of suspects."""

    data: list[SuspectPublic]


class FugitiveCreate(BaseModel):
    """A wanted person (在逃 / 网逃) and what can find them."""

    model_config = STRICT
    name: str = Field(min_length=1, max_length=64)
    kind: Literal["online", "local"] = "online"
    warrant_no: str = Field(min_length=2, max_length=64)
    district: str | None = Field(default=None, max_length=32)
    wanted_since: date | None = None
    id_number: str | None = Field(default=None, max_length=18)
    suspect_id: RecordId | None = None
    note: str = Field(default="", max_length=2000)
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=50)


class FugitivePublic(BaseModel):
    """A fugitive; name and ID number masked for roles without ``pii.view``."""

    id: int
    name: str | None
    id_number: str | None
    kind: str
    warrant_no: str
    wanted_since: date | None
    owner_level: str
    district: str | None
    state: str
    caught_at: IsoDatetime | None
    created_at: IsoDatetime

    @classmethod
    def of(cls, row: Fugitive, *, visible: bool) -> Self:
        """The stored fugitive, masked unless ``visible``."""
        return public_of(cls, row, visible=visible, masked=_PERSON_PII)


class HitPublic(BaseModel):
    """A hit of a new record on a fugitive's identifier, with the clue it made."""

    kind: str
    kind_label: str
    value: str | None
    record_kind: str
    record_label: str
    record_id: str
    seen_at: IsoDatetime | None
    found_at: IsoDatetime
    clue_id: int | None

    @classmethod
    def of(cls, row: FugitiveHit, *, visible: bool) -> Self:
        """The stored hit, its value masked unless ``visible``."""
        masked = IdentifierPublic.of(row.kind, row.value, visible=visible)
        return public_of(
            cls,
            row,
            kind_label=masked.kind_label,
            value=masked.value,
            record_label=RECORD_KIND_LABELS.get(row.record_kind, row.record_kind),
        )


class FugitiveDetailPublic(FugitivePublic):
    """A fugitive with identifiers and hits."""

    note: str
    identifiers: list[IdentifierPublic]
    hits: list[HitPublic]


class FugitiveListPublic(PagePublic):
    """A page of fugitives."""

    data: list[FugitivePublic]
