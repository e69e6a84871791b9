"""Login, logout, the current user and user management."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from fanzha.api._deps import (
    COOKIE_NAME,
    DbSession,
    audit,
    current_actor,
    permit,
    settings_of,
    token_of,
)
from fanzha.api._errors import NotAuthenticated
from fanzha.api._security import hash_password, issue_token, revoke_token, verify_password
from fanzha.api.schemas.auth import LoginRequest, LoginResponse, UserCreate, UserPublic
from fanzha.errors import InvalidInput
from fanzha.roles import ANONYMOUS, ROLE_NAMES, ROLES, Actor
from fanzha.store import User
from fanzha.store import users as stored

__all__ = ["router", "user_public"]

router = APIRouter(tags=["auth"])


def user_public(user: User) -> UserPublic:
    """The public view of a user (no password hash)."""
    return UserPublic(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        role_name=ROLE_NAMES.get(user.role, user.role),
        district=user.district,
        active=user.active,
    )


@router.post("/auth/login", response_model=LoginResponse)
def login(body: LoginRequest, request: Request, response: Response, db: DbSession) -> LoginResponse:
    """Exchange username and password for a bearer token (also set as an HttpOnly cookie)."""
    user = stored.user_by_username(db, body.username)
    if user is None or not user.active or not verify_password(user.password_hash, body.password):
        raise NotAuthenticated("用户名或密码错误 (wrong username or password)")
    settings = settings_of(request)
    token = issue_token(db, user, ttl=settings.token_ttl)
    response.set_cookie(
        COOKIE_NAME,
        token,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        max_age=int(settings.token_ttl.total_seconds()),
    )
    actor = Actor(user.id, user.username, user.role, user.district)
    audit(request, actor, "login", "user", user.id)
    return LoginResponse(token=token, user=user_public(user))


@router.post("/auth/logout", status_code=204)
def logout(request: Request, response: Response, db: DbSession) -> Response:
    """End the current login."""
    token = token_of(request)
    if token:
        revoke_token(db, token)
    response.delete_cookie(COOKIE_NAME)
    response.status_code = 204
    return response


@router.get("/auth/me", response_model=UserPublic)
def me(actor: Annotated[Actor, Depends(current_actor)], db: DbSession) -> UserPublic:
    """The logged-in user."""
    if actor.role == ANONYMOUS or actor.user_id is None:
        raise NotAuthenticated("请先登录 (login required)")
    user = stored.get_user(db, actor.user_id)
    assert user is not None
    return user_public(user)


@router.get("/users", response_model=list[UserPublic])
def list_users(
    _actor: Annotated[Actor, Depends(permit("user.manage"))], db: DbSession
) -> list[UserPublic]:
    """Every user account."""
    return [user_public(user) for user in stored.list_users(db)]


@router.post("/users", response_model=UserPublic, status_code=201)
def create_user(
    body: UserCreate,
    request: Request,
    actor: Annotated[Actor, Depends(permit("user.manage"))],
    db: DbSession,
) -> UserPublic:
    """Create an officer account."""
    if body.role not in ROLES:
        raise InvalidInput(f"unknown role {body.role!r}; one of {list(ROLES)}", field="role")
    if stored.user_by_username(db, body.username) is not None:
        raise InvalidInput(f"username {body.username!r} is taken", field="username")
    user = stored.add_user(
        db,
        username=body.username,
        display_name=body.display_name,
        role=body.role,
        district=body.district,
        password_hash=hash_password(body.password),
    )
    audit(request, actor, "create", "user", user.id)
    return user_public(user)
