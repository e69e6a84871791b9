"""Officer accounts and their login sessions (tokens are stored as digests only)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from fanzha.store._models import ApiSession, User

__all__ = [
    "SESSION_ID_LENGTH",
    "LoginRow",
    "active_logins",
    "add_login",
    "add_user",
    "get_user",
    "list_users",
    "login_user",
    "names_by_username",
    "remove_login",
    "remove_login_by_id",
    "remove_logins_of",
    "remove_user_logins",
    "set_password_hash",
    "update_user",
    "user_by_username",
    "user_names",
]

#: A login session is named by this many leading hex digits of its token's digest: enough to
#: tell sessions apart, too few to be of use as the digest (which is itself no token).
SESSION_ID_LENGTH = 16

_KEEP: object = object()


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


def names_by_username(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    """Display names by login name (login names that do not exist are left out)."""
    wanted = set(usernames)
    if not wanted:
        return {}
    rows = session.execute(
        select(User.username, User.display_name).where(User.username.in_(wanted))
    )
    return {username: name for username, name in rows}


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


def update_user(
    session: Session,
    user: User,
    *,
    display_name: str | None = None,
    role: str | None = None,
    district: str | object | None = _KEEP,
    active: bool | None = None,
) -> list[str]:
    """Change the given fields of ``user`` (``district=None`` clears it; the caller commits);
    returns the names of the fields that changed."""
    wanted: dict[str, object] = {"display_name": display_name, "role": role, "active": active}
    if district is not _KEEP:
        wanted["district"] = district
    changed = []
    for name, value in wanted.items():
        if (value is not None or name == "district") and getattr(user, name) != value:
            setattr(user, name, value)
            changed.append(name)
    session.flush()
    return changed


@dataclass(frozen=True, slots=True)
class LoginRow:
    """An active login session and whose it is."""

    session_id: str
    user: User
    created_at: datetime
    expires_at: datetime


def active_logins(session: Session, now: datetime) -> list[LoginRow]:
    """The login sessions not yet expired at ``now``, newest first."""
    rows = session.execute(
        select(ApiSession, User)
        .join(User, User.id == ApiSession.user_id)
        .where(ApiSession.expires_at > now)
        .order_by(ApiSession.created_at.desc(), ApiSession.token_hash)
    )
    return [
        LoginRow(login.token_hash[:SESSION_ID_LENGTH], user, login.created_at, login.expires_at)
        for login, user in rows
    ]


def remove_login_by_id(session: Session, session_id: str) -> int | None:
    """End the login whose digest starts with ``session_id`` (the caller commits); returns its
    user's id, or None when there is no such login."""
    if len(session_id) != SESSION_ID_LENGTH:
        return None
    found = session.execute(
        select(ApiSession.token_hash, ApiSession.user_id).where(
            func.substr(ApiSession.token_hash, 1, SESSION_ID_LENGTH) == session_id
        )
    ).all()
    if len(found) != 1:
        return None
    token_hash, user_id = found[0]
    session.execute(delete(ApiSession).where(ApiSession.token_hash == token_hash))
    return int(user_id)


def remove_logins_of(session: Session, user_id: int) -> int:
    """End every login of ``user_id`` (the caller commits); returns how many there were."""
    result = session.execute(delete(ApiSession).where(ApiSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)
