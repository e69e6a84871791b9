"""Officer accounts and their login sessions (tokens are stored as digests only)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from fanzha.store._models import ApiSession, User

__all__ = [
    "add_login",
    "add_user",
    "get_user",
    "list_users",
    "login_user",
    "remove_login",
    "remove_user_logins",
    "set_password_hash",
    "user_by_username",
    "user_names",
]


def get_user(session: Session, user_id: int) -> User | None:
    """The user with id ``user_id``, or None."""
    return session.get(User, user_id)


def user_by_username(session: Session, username: str) -> User | None:
    """The user called ``username``, or None."""
    return session.scalars(select(User).where(User.username == username)).first()


def list_users(session: Session) -> list[User]:
    """Every user, by id."""
    return list(session.scalars(select(User).order_by(User.id)))


def add_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: str,
    district: str | None,
    password_hash: str,
) -> User:
    """Insert a user (the caller commits) and return it with its id."""
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        district=district,
        password_hash=password_hash,
    )
    session.add(user)
    session.flush()
    return user


def user_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """Display names by user id (ids that do not exist are left out)."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}


def add_login(
    session: Session, token_hash: str, user_id: int, created_at: datetime, expires_at: datetime
) -> None:
    """Store a login session under the digest of its token (the caller commits)."""
    session.add(
        ApiSession(
            token_hash=token_hash, user_id=user_id, created_at=created_at, expires_at=expires_at
        )
    )
    session.flush()


def login_user(session: Session, token_hash: str, now: datetime) -> User | None:
    """The active user of the login ``token_hash`` if it has not expired at ``now``, else None."""
    row = session.get(ApiSession, token_hash)
    if row is None or row.expires_at <= now:
        return None
    return session.scalars(
        select(User).where(User.id == row.user_id, User.active.is_(True))
    ).first()


def remove_login(session: Session, token_hash: str) -> None:
    """End the login ``token_hash`` (the caller commits)."""
    session.execute(delete(ApiSession).where(ApiSession.token_hash == token_hash))


def remove_user_logins(session: Session, user_id: int) -> None:
    """End every login of ``user_id`` (the caller commits)."""
    session.execute(delete(ApiSession).where(ApiSession.user_id == user_id))


def set_password_hash(session: Session, user_id: int, password_hash: str) -> bool:
    """Store a new password hash for ``user_id`` (the caller commits); whether the user exists."""
    done = session.execute(
        update(User).where(User.id == user_id).values(password_hash=password_hash)
    )
    return bool(getattr(done, "rowcount", 0))
