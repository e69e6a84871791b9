"""The audit keyring: HMAC-SHA256 keys that live outside the database, with key ids.

A key file holds one key a line, ``<key id> <secret>`` (``#`` starts a comment); the
environment variable holds ``<key id>:<secret>[,<key id>:<secret>…]``. The last key signs new
entries; every key verifies, so rotating means appending a new line and keeping the old ones.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from fanzha.errors import FanzhaError

__all__ = ["MIN_SECRET_CHARS", "AuditKeyError", "AuditKeyring", "add_key", "parse_keys"]

MIN_SECRET_CHARS = 32
_KEY_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


class AuditKeyError(FanzhaError):
    """The audit key is missing, malformed or readable by others."""

    code = "audit_key"


@dataclass(frozen=True, slots=True)
class AuditKeyring:
    """Keys by id (``repr`` hides them); ``signing_id`` is the newest, the one that signs."""

    keys: dict[str, bytes] = field(repr=False)
    signing_id: str

    def mac(self, key_id: str, message: bytes) -> str:
        """HMAC-SHA256 of ``message`` under the key ``key_id`` (KeyError if unknown)."""
        return hmac.new(self.keys[key_id], message, hashlib.sha256).hexdigest()

    @classmethod
    def from_file(cls, path: Path) -> AuditKeyring:
        """The keys of a key file, which must be readable by its owner only."""
        try:
            mode = path.stat().st_mode
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise AuditKeyError(f"audit key file {path}: {error.strerror}") from error
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise AuditKeyError(
                f"audit key file {path} is readable by others (mode {stat.S_IMODE(mode):o}); "
                f"run: chmod 600 {path}"
            )
        pairs = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            key_id, _, secret = line.partition(" ")
            pairs.append((key_id, secret.strip(), f"{path} line {number}"))
        return cls._of(pairs, str(path))

    @classmethod
    def from_text(cls, text: str) -> AuditKeyring:
        """The keys of ``FANZHA_AUDIT_KEY``: ``id:secret`` items separated by commas."""
        pairs = []
        for number, item in enumerate(text.split(","), start=1):
            key_id, _, secret = item.strip().partition(":")
            pairs.append((key_id, secret, f"FANZHA_AUDIT_KEY item {number}"))
        return cls._of(pairs, "FANZHA_AUDIT_KEY")

    @classmethod
    def _of(cls, pairs: list[tuple[str, str, str]], source: str) -> AuditKeyring:
        keys: dict[str, bytes] = {}
        for key_id, secret, where in pairs:
            if not key_id or not set(key_id) <= _KEY_ID_CHARS or len(key_id) > 32:
                raise AuditKeyError(f"{where}: key id {key_id!r} must be 1-32 of [A-Za-z0-9-_.]")
            if len(secret) < MIN_SECRET_CHARS:
                raise AuditKeyError(
                    f"{where}: the secret of key {key_id!r} must have at least "
                    f"{MIN_SECRET_CHARS} characters"
                )
            if key_id in keys:
                raise AuditKeyError(f"{where}: key id {key_id!r} appears twice")
            keys[key_id] = secret.encode("utf-8")
        if not keys:
            raise AuditKeyError(f"{source} holds no key")
        return cls(keys=keys, signing_id=pairs[-1][0])


def parse_keys(key_file: str, key_text: str) -> AuditKeyring | None:
    """The keyring of ``key_file`` (a path) or ``key_text`` (``FANZHA_AUDIT_KEY``); None if
    neither is set. Both set is an error: one place holds the keys."""
    if key_file and key_text:
        raise AuditKeyError("set FANZHA_AUDIT_KEY_FILE or FANZHA_AUDIT_KEY, not both")
    if key_file:
        return AuditKeyring.from_file(Path(key_file))
    if key_text:
        return AuditKeyring.from_text(key_text)
    return None


def add_key(path: Path) -> str:
    """Append a new random key to the key file ``path`` (created mode 0600); return its id.

    The new key signs from the next start on; the older keys stay to verify old entries.
    """
    key_id = f"k{datetime.now(UTC):%Y%m%d%H%M%S}{secrets.token_hex(2)}"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write(f"{key_id} {secrets.token_hex(32)}\n")
        handle.flush()
        os.fsync(handle.fileno())
    return key_id
