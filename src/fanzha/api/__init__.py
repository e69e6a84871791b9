"""The HTTP API (FastAPI): thin routes over the core packages and the store."""

from __future__ import annotations

from fanzha.api._app import API_PREFIX, create_app
from fanzha.api._security import (
    hash_password,
    issue_token,
    revoke_token,
    user_for_token,
    verify_password,
)
from fanzha.api._settings import Settings
from fanzha.masking import mask_account, mask_id_number, mask_name, mask_phone, mask_value
from fanzha.roles import (
    ACTIONS,
    ANONYMOUS,
    PERMISSIONS,
    ROLE_NAMES,
    ROLES,
    Actor,
    is_allowed,
    require,
)
from fanzha.store.audit import (
    GENESIS_HASH,
    AuditReport,
    append_audit,
    entry_hash,
    verify_audit_chain,
)

__all__ = [
    "ACTIONS",
    "ANONYMOUS",
    "API_PREFIX",
    "GENESIS_HASH",
    "PERMISSIONS",
    "ROLES",
    "ROLE_NAMES",
    "Actor",
    "AuditReport",
    "Settings",
    "append_audit",
    "create_app",
    "entry_hash",
    "hash_password",
    "is_allowed",
    "issue_token",
    "mask_account",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "mask_value",
    "require",
    "revoke_token",
    "user_for_token",
    "verify_audit_chain",
    "verify_password",
]
