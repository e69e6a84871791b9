"""Login, logout, the current user and user management."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from fanzha.api._deps import (
    ANONYMOUS_ACTOR,
    COOKIE_NAME,
    DbSession,
    audit,
    client_address,
    current_actor,
    permit,
    settings_of,
    token_of,
)
from fanzha.api._errors import NotAuthenticated, TooManyRequests
from fanzha.api._ratelimit import LoginGuard
from fanzha.api._security import (
    dummy_password_hash,
    hash_password,
    issue_token,
    revoke_token,
    revoke_user_tokens,
    token_digest,
    verify_password,
)
from fanzha.api.schemas.auth import (
    LoginRequest,
    LoginResponse,
    LoginSessionPublic,
    PasswordReset,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from fanzha.api.schemas.common import RecordId
from fanzha.errors import InvalidInput, NotFound
from fanzha.passwords import DEMO_PASSWORD, password_problem
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


def _login_failed(request: Request, user: User | None, why: str) -> None:
    """Audit a refused login: the account (when it exists), why, and from where."""
    object_id = user.id if user is not None else "-"
    detail = f"{why}; from {client_address(request)}"
    audit(request, ANONYMOUS_ACTOR, "login_failed", "user", object_id, detail=detail)


def _throttle_login(request: Request, username: str) -> None:
    """429 when the address sends logins too fast or the account or address is locked."""
    address = client_address(request)
    wait = request.app.state.rate_limits.login.acquire(address)
    if wait:
        raise TooManyRequests(
            f"登录请求过于频繁，请 {wait} 秒后再试 (too many login attempts; retry in {wait} s)",
            retry_after=wait,
        )
    guard: LoginGuard = request.app.state.login_guard
    locked = guard.locked_for(username, address)
    if locked:
        _login_failed(request, None, "locked")
        minutes = -(-locked // 60)
        raise TooManyRequests(
            f"登录失败次数过多，账号或来源地址已被临时锁定，请 {minutes} 分钟后再试 "
            f"(too many failed logins: locked, retry in {locked} s)",
            retry_after=locked,
            code="login_locked",
        )


@router.post("/auth/login", response_model=LoginResponse)
def login(body: LoginRequest, request: Request, response: Response, db: DbSession) -> LoginResponse:
    """Exchange username and password for a bearer token (also set as an HttpOnly cookie).

    Throttled per address and locked per account and address after repeated failures; an
    unknown user costs the same password verification as a known one.
    """
    _throttle_login(request, body.username)
    settings = settings_of(request)
    user = stored.user_by_username(db, body.username)
    matches = verify_password(
        user.password_hash if user is not None else dummy_password_hash(), body.password
    )
    if user is None or not user.active or not matches:
        request.app.state.login_guard.failed(body.username, client_address(request))
        why = "unknown user" if user is None else "wrong password" if not matches else "inactive"
        _login_failed(request, user, why)
        raise NotAuthenticated("用户名或密码错误 (wrong username or password)")
    if body.password == DEMO_PASSWORD and not settings.demo:
        _login_failed(request, user, "demo password outside demo mode")
        raise NotAuthenticated(
            "此账号仍使用演示密码，演示密码只能在演示模式 (fanzha serve --demo) 下登录；"
            "请管理员重设密码 (the demo password works only in demo mode)"
        )
    request.app.state.login_guard.succeeded(body.username)
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


def _check_password(password: str, username: str) -> None:
    """422 on the ``password`` field when the password policy refuses it."""
    problem = password_problem(password, username=username)
    if problem is not None:
        raise InvalidInput(problem, field="password")


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
    _check_role(body.role)
    if stored.user_by_username(db, body.username) is not None:
        raise InvalidInput(f"username {body.username!r} is taken", field="username")
    _check_password(body.password, body.username)
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


@router.put("/users/{user_id}/password", status_code=204)
def reset_password(
    user_id: int,
    body: PasswordReset,
    request: Request,
    actor: Annotated[Actor, Depends(permit("user.manage"))],
    db: DbSession,
) -> Response:
    """Set a new password (the policy applies) and end every login of that account."""
    user = stored.get_user(db, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    _check_password(body.password, user.username)
    stored.set_password_hash(db, user_id, hash_password(body.password))
    revoke_user_tokens(db, user_id)
    audit(request, actor, "update", "user", user_id, detail="password reset")
    return Response(status_code=204)


def _check_role(role: str) -> None:
    if role not in ROLES:
        names = "、".join(f"{ROLE_NAMES[r]}（{r}）" for r in ROLES)
        raise InvalidInput(f"未知角色“{role}”，可选：{names}", field="role")


@router.patch("/users/{user_id}", response_model=UserPublic)
def update_user(
    user_id: RecordId,
    body: UserUpdate,
    request: Request,
    actor: Annotated[Actor, Depends(permit("user.manage"))],
    db: DbSession,
) -> UserPublic:
    """Change an account's name, role, district or whether it may log in; disabling an
    account ends its logins. An administrator cannot disable or demote their own account."""
    user = stored.get_user(db, user_id)
    if user is None:
        raise NotFound(f"没有编号为 {user_id} 的用户")
    if body.role is not None:
        _check_role(body.role)
    if user.id == actor.user_id and (body.active is False or body.role not in (None, user.role)):
        raise InvalidInput(
            "不能停用自己的账号或更改自己的角色，请由另一位管理员操作", field="active"
        )
    fields = body.model_fields_set
    changed = stored.update_user(
        db,
        user,
        display_name=body.display_name,
        role=body.role,
        active=body.active,
        **({"district": body.district or None} if "district" in fields else {}),
    )
    ended = stored.remove_logins_of(db, user.id) if body.active is False else 0
    if changed:
        detail = ",".join(changed) + (f";ended_logins={ended}" if ended else "")
        action = "update"
        if "active" in changed:
            action = "enable" if user.active else "disable"
        audit(request, actor, action, "user", user.id, detail=detail)
    return user_public(user)


@router.get("/sessions", response_model=list[LoginSessionPublic])
def list_sessions(
    request: Request,
    actor: Annotated[Actor, Depends(permit("user.manage"))],
    db: DbSession,
) -> list[LoginSessionPublic]:
    """The logins that have not expired, newest first; ``current`` marks the caller's own."""
    token = token_of(request)
    own = token_digest(token)[: stored.SESSION_ID_LENGTH] if token else ""
    audit(request, actor, "list", "session", "")
    return [
        LoginSessionPublic(
            id=row.session_id,
            user_id=row.user.id,
            username=row.user.username,
            display_name=row.user.display_name,
            role=row.user.role,
            role_name=ROLE_NAMES.get(row.user.role, row.user.role),
            created_at=row.created_at,
            expires_at=row.expires_at,
            current=row.session_id == own,
        )
        for row in stored.active_logins(db, datetime.now(UTC))
    ]


@router.delete("/sessions/{session_id}", status_code=204)
def revoke_session(
    session_id: Annotated[str, Path(min_length=16, max_length=16, pattern=r"^[0-9a-f]{16}$")],
    request: Request,
    actor: Annotated[Actor, Depends(permit("user.manage"))],
    db: DbSession,
) -> Response:
    """End a login: its token no longer works."""
    user_id = stored.remove_login_by_id(db, session_id)
    if user_id is None:
        raise NotFound(f"没有编号为 {session_id} 的登录会话")
    audit(request, actor, "revoke", "session", session_id, detail=f"user={user_id}")
    return Response(status_code=204)
