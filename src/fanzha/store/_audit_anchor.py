"""The audit chain's anchor outside the database: an append-only file of checkpoints.

One JSON line per checkpoint: how many entries the chain had, the id and hash of its head,
the number of leading unkeyed (legacy) entries, why it was written (``start``, ``every``,
``shutdown``, ``restore``) and an HMAC of the line under the signing key, so a line cannot be
forged without the key. Each line is appended with ``O_APPEND`` and fsync'd.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from fanzha.store._audit_keys import AuditKeyring

__all__ = ["Checkpoint", "append_checkpoint", "read_checkpoints"]


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The chain's state at one moment: ``count`` entries, the last being ``head_id``."""

    at: str
    event: str
    count: int
    head_id: int
    head_hash: str
    legacy_count: int
    key_id: str
    mac: str = ""

    def message(self) -> bytes:
        """The bytes the line's HMAC covers (every field but ``mac``)."""
        fields = asdict(self)
        fields.pop("mac")
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def append_checkpoint(path: Path, checkpoint: Checkpoint, keyring: AuditKeyring) -> Checkpoint:
    """Sign ``checkpoint`` with the signing key, append it as one line and fsync the file."""
    unsigned = replace(checkpoint, key_id=keyring.signing_id, mac="")
    signed = replace(unsigned, mac=keyring.mac(unsigned.key_id, unsigned.message()))
    line = json.dumps(asdict(signed), sort_keys=True, separators=(",", ":")) + "\n"
    created = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(descriptor, line.encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if created and os.name == "posix":
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    return signed


def read_checkpoints(path: Path, keyring: AuditKeyring) -> tuple[list[Checkpoint], str]:
    """The checkpoints of ``path`` in file order, and a problem ("" if none).

    A line that is not a checkpoint or whose HMAC does not match is a problem; a torn last
    line (no newline: a crash while appending) is ignored.
    """
    if not path.exists():
        return [], ""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    elif lines:
        lines.pop()  # torn last line
    found: list[Checkpoint] = []
    for number, line in enumerate(lines, start=1):
        try:
            checkpoint = Checkpoint(**json.loads(line))
            expected = keyring.mac(checkpoint.key_id, checkpoint.message())
        except (ValueError, TypeError, KeyError):
            return found, f"checkpoint file {path} line {number} is not a checkpoint of this key"
        if checkpoint.mac != expected:
            return found, f"checkpoint file {path} line {number} was altered (HMAC mismatch)"
        found.append(checkpoint)
    return found, ""
