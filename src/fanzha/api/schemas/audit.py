"""Bodies of the audit-log endpoints."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from fanzha.api.schemas.common import PagePublic

__all__ = ["AuditEntryListPublic", "AuditEntryPublic", "AuditVerifyPublic"]


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


class AuditEntryListPublic(PagePublic):
    data: list[AuditEntryPublic]


class AuditVerifyPublic(BaseModel):
    ok: bool
    checked: int
    first_bad_id: int | None
    problem: str
