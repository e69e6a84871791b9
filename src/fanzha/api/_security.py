"""Passwords (argon2id) and login sessions (random bearer tokens, stored hashed)."""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from fanzha.store import User
from fanzha.store.users import add_login, login_user, remove_login, remove_user_logins

__all__ = [
    "dummy_password_hash",
    "hash_password",
    "issue_token",
    "revoke_token",
    "revoke_user_tokens",
    "token_digest",
    "user_for_token",
    "verify_password",
]

_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _HASHER.hash(password)


@functools.cache
def dummy_password_hash() -> str:
    """A hash of a random password, verified when a login names no user: same cost, no hint."""
    return _HASHER.hash(secrets.token_urlsafe(24))


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (never raises on a bad hash)."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_digest(token: str) -> str:
    """The SHA-256 hex digest under which a login token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, *, ttl: timedelta) -> str:
    """A new bearer token for ``user``; only its digest is stored."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    add_login(session, token_digest(token), user.id, now, now + ttl)
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The active user of an unexpired token, else None."""
    return login_user(session, token_digest(token), datetime.now(UTC))


def revoke_user_tokens(session: Session, user_id: int) -> None:
    """Log every login of ``user_id`` out (after a password reset)."""
    remove_user_logins(session, user_id)


def revoke_token(session: Session, token: str) -> None:
    """Log a token out."""
    remove_login(session, token_digest(token))
