"""Bodies of login, the current user and user management."""

from __future__ import annotations

from pydantic import BaseModel, Field, StrictBool

from fanzha.api.schemas.common import STRICT, IsoDatetime

__all__ = [
    "LoginRequest",
    "LoginResponse",
    "LoginSessionPublic",
    "PasswordReset",
    "UserCreate",
    "UserPublic",
    "UserUpdate",
]


class LoginRequest(BaseModel):
    model_config = STRICT
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
    model_config = STRICT
    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    display_name: str = Field(min_length=1, max_length=64)
    role: str
    district: str | None = Field(default=None, max_length=32)
    password: str = Field(min_length=1, max_length=256)
    """Checked by the password policy (:func:`fanzha.passwords.password_problem`)."""


class PasswordReset(BaseModel):
    """A new password for an account, checked by the password policy."""

    model_config = STRICT
    password: str = Field(min_length=1, max_length=256)


class UserUpdate(BaseModel):
    """The fields of an account an administrator changes; those left out stay as they are
    (``district: null`` clears the district)."""

    model_config = STRICT
    display_name: str | None = Field(default=None, min_length=1, max_length=64)
    role: str | None = None
    district: str | None = Field(default=None, max_length=32)
    active: StrictBool | None = None


class LoginSessionPublic(BaseModel):
    """An active login: ``id`` names it for revoking (it is not the token)."""

    id: str
    user_id: int
    username: str
    display_name: str
    role: str
    role_name: str
    created_at: IsoDatetime
    expires_at: IsoDatetime
    current: bool
