"""Request and response bodies of the API (pydantic), named by what they carry."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AuditEntryPublic",
    "AuditVerifyPublic",
    "BatchItem",
    "BatchScreenRequest",
    "CasePublic",
    "CitizenReport",
    "LoginRequest",
    "LoginResponse",
    "PhoneScreenRequest",
    "TextScreenRequest",
    "UrlScreenRequest",
    "UserCreate",
    "UserPublic",
]

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LoginRequest(BaseModel):
    model_config = _STRICT
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class UserPublic(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    role_name: str
    district: str | None
    active: bool


class LoginResponse(BaseModel):
    token: str
    user: UserPublic


class UserCreate(BaseModel):
    model_config = _STRICT
    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    display_name: str = Field(min_length=1, max_length=64)
    role: str
    district: str | None = Field(default=None, max_length=32)
    password: str = Field(min_length=8, max_length=256)


class TextScreenRequest(BaseModel):
    model_config = _STRICT
    text: str = Field(min_length=1, max_length=100_000)


class PhoneScreenRequest(BaseModel):
    model_config = _STRICT
    number: str = Field(min_length=1, max_length=40)


class UrlScreenRequest(BaseModel):
    model_config = _STRICT
    url: str = Field(min_length=1, max_length=4_000)


class BatchItem(BaseModel):
    model_config = _STRICT
    value: str = Field(min_length=1, max_length=100_000)
    kind: Literal["text", "phone", "url"] | None = None


class BatchScreenRequest(BaseModel):
    model_config = _STRICT
    items: list[BatchItem] = Field(min_length=1)


class CitizenReport(BaseModel):
    """举报: what a citizen saw; at least one of number, account, url or text."""

    model_config = _STRICT
    number: str | None = Field(default=None, max_length=40)
    account: str | None = Field(default=None, max_length=40)
    url: str | None = Field(default=None, max_length=4_000)
    text: str | None = Field(default=None, max_length=20_000)
    reporter_phone: str | None = Field(default=None, max_length=40)
    district: str | None = Field(default=None, max_length=32)
    amount_fen: int = Field(default=0, ge=0, le=10**13)
    being_defrauded: bool = False


class CasePublic(BaseModel):
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
    victim_name: str | None = None
    summary: str = ""
    detail: dict[str, Any] | None = None


class AuditEntryPublic(BaseModel):
    id: int
    at: datetime
    username: str
    role: str
    action: str
    object_type: str
    object_id: str
    reason: str
    hash: str


class AuditVerifyPublic(BaseModel):
    ok: bool
    checked: int
    first_bad_id: int | None
    problem: str
