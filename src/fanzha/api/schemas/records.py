"""Bodies of the record look-ups: cases, persons, phone numbers, bank accounts.

Each ``…Public.of`` builds the body from the stored record, masking names, ID numbers,
phone, account and IMEI numbers unless ``visible`` (the role may see personal data).
"""

from __future__ import annotations

from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field

from fanzha.api.schemas.common import PagePublic, fraud_type_name, public_of
from fanzha.masking import mask_value
from fanzha.records import channel_name
from fanzha.store import BankAccount, Case, Person, Phone
from fanzha.store.records import CaseTransfer, DeviceSeen, TransferTotals
from fanzha.warning import age_of

__all__ = [
    "AccountDetailPublic",
    "AccountPublic",
    "AccountTransfersPublic",
    "CaseDetailPublic",
    "CaseListPublic",
    "CasePublic",
    "CaseTaskPublic",
    "CaseTransferPublic",
    "DeviceSeenPublic",
    "PersonDetailPublic",
    "PersonPublic",
    "PhoneDetailPublic",
    "PhonePublic",
    "TransferTotalsPublic",
]


_PERSON_PII = {"name": "name", "id_number": "id_number", "phone_number": "phone"}


class PersonPublic(BaseModel):
    """A person; name, ID number and phone masked for roles without ``pii.view``."""

    id: int
    name: str | None
    id_number: str | None
    phone_number: str | None
    gender: str | None
    age: int | None
    district: str | None
    town: str | None
    village: str | None
    occupation: str | None
    kind: str
    gang_id: int | None
    gang_role: str | None

    @classmethod
    def of(cls, person: Person, *, visible: bool) -> Self:
        """The person, masked unless ``visible``."""
        return public_of(
            cls, person, visible=visible, masked=_PERSON_PII, age=age_of(person.birth_date)
        )


class PhonePublic(BaseModel):
    """A phone number and its registration."""

    id: int
    number: str | None
    carrier: str | None
    kind: str
    owner_id: int | None
    outlet_id: int | None
    device_id: int | None
    registered_at: datetime | None
    flagged: bool
    flag_reason: str | None

    @classmethod
    def of(cls, phone: Phone, *, visible: bool) -> Self:
        """The phone, the number masked unless ``visible``."""
        return public_of(cls, phone, visible=visible, masked={"number": "phone"})


class AccountPublic(BaseModel):
    """A bank account."""

    id: int
    account_no: str | None
    bank: str
    kind: str
    holder_id: int | None
    outlet_id: int | None
    opened_at: datetime | None
    flagged: bool
    status: str

    @classmethod
    def of(cls, account: BankAccount, *, visible: bool) -> Self:
        """The account, the number masked unless ``visible``."""
        return public_of(cls, account, visible=visible, masked={"account_no": "account"})


def _masked_summary(summary: str, victim: Person | None, *, visible: bool) -> str:
    """The case summary with the victim's name masked for roles that may not see it."""
    if visible or victim is None or not victim.name:
        return summary
    return summary.replace(victim.name, mask_value("name", victim.name, visible=False) or "")


class CasePublic(BaseModel):
    """A case with the fraud type's name and the victim's (masked) name."""

    id: int
    case_no: str
    fraud_type: str
    fraud_type_name: str
    amount_lost_fen: int
    district: str | None
    occurred_at: datetime
    reported_at: datetime
    status: str
    victim_id: int | None
    victim_name: str | None
    summary: str

    @classmethod
    def of(cls, case: Case, victim: Person | None, *, visible: bool) -> Self:
        """The case; the victim's name masked unless ``visible``, in the summary too."""
        return public_of(
            cls,
            case,
            visible=visible,
            masked={"victim_name": "name"},
            fraud_type_name=fraud_type_name(case.fraud_type),
            victim_name=victim.name if victim else None,
            summary=_masked_summary(case.summary, victim, visible=visible),
        )


class CaseListPublic(PagePublic):
    data: list[CasePublic]


class CaseTransferPublic(BaseModel):
    """A transfer of a case, account numbers masked unless visible."""

    txn_id: str
    src_account: str | None
    dst_account: str | None
    src_account_id: int
    dst_account_id: int
    amount_fen: int
    at: datetime
    channel: str
    channel_name: str = Field(description="the channel's Chinese name (手机银行, 取现…)")

    @classmethod
    def of(cls, transfer: CaseTransfer, *, visible: bool) -> Self:
        """The transfer, the account numbers masked unless ``visible``."""
        return public_of(
            cls,
            transfer,
            visible=visible,
            masked={"src_account": "account", "dst_account": "account"},
            channel_name=channel_name(transfer.channel),
        )


class CaseTaskPublic(BaseModel):
    """A warning task of the case's victim, in brief."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    state: str
    created_at: datetime


class CaseDetailPublic(CasePublic):
    """A case with its victim, its transfers and the warning tasks of its victim (empty when
    the case has no victim)."""

    victim: PersonPublic | None
    transfers: list[CaseTransferPublic]
    tasks: list[CaseTaskPublic]


class PersonDetailPublic(PersonPublic):
    """A person with their phones, accounts and cases."""

    phones: list[PhonePublic]
    accounts: list[AccountPublic]
    cases: list[CasePublic]


class DeviceSeenPublic(BaseModel):
    """A device a SIM was seen in; the IMEI masked unless visible."""

    device_id: int
    imei: str | None
    kind: str
    sightings: int
    first_seen: datetime
    last_seen: datetime

    @classmethod
    def of(cls, seen: DeviceSeen, *, visible: bool) -> Self:
        """The sighting summary, the IMEI masked unless ``visible``."""
        return public_of(cls, seen, visible=visible, masked={"imei": "imei"})


class PhoneDetailPublic(PhonePublic):
    """A phone with its owner and the devices its SIM was seen in."""

    owner: PersonPublic | None
    devices: list[DeviceSeenPublic]


class TransferTotalsPublic(BaseModel):
    """How many transfers and how much money (分)."""

    model_config = ConfigDict(from_attributes=True)
    count: int
    amount_fen: int


class AccountTransfersPublic(BaseModel):
    """Transfer totals into (``in``) and out of (``out``) an account."""

    model_config = ConfigDict(populate_by_name=True)
    into: TransferTotalsPublic = Field(alias="in")
    out: TransferTotalsPublic

    @classmethod
    def of(cls, totals: dict[str, TransferTotals]) -> Self:
        """Both sides' totals."""
        return cls.model_validate(
            {side: TransferTotalsPublic.model_validate(t) for side, t in totals.items()}
        )


class AccountDetailPublic(AccountPublic):
    """A bank account with its holder and transfer totals."""

    holder: PersonPublic | None
    transfers: AccountTransfersPublic
