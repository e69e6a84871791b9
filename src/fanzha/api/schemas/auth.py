"""Bodies of login, the current user and user management."""

from __future__ import annotations

from pydantic import BaseModel, Field

from fanzha.api.schemas.common import STRICT

__all__ = ["LoginRequest", "LoginResponse", "PasswordReset", "UserCreate", "UserPublic"]


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
