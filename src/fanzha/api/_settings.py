"""Server settings: every option is a field here, documented, overridable from the environment."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass, fields
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

from fanzha.screening import MAX_TEXT_CHARS
from fanzha.store import database_url, make_engine
from fanzha.store.audit import AuditChain, AuditKeyError, add_key, parse_keys
from fanzha.warning import SAVED_CEILING_FEN

__all__ = ["Settings"]


@dataclass(frozen=True, slots=True)
class Settings:
    """Options of ``fanzha serve``; ``FANZHA_<NAME>`` environment variables override them."""

    db_url: str = ""
    """Database URL (``FANZHA_DB_URL``); empty means ``sqlite:///./fanzha.db``."""
    max_body_bytes: int = 4 * MAX_TEXT_CHARS + 65_536
    """Largest request body accepted; larger ones get 413. The default carries a text of
    ``MAX_TEXT_CHARS`` characters (at most 4 bytes each in UTF-8) and the JSON around it."""
    max_batch_items: int = 1_000
    """Most items in one batch screening request."""
    token_hours: int = 12
    """How long a login lasts."""
    page_size_max: int = 200
    """Largest page of any list."""
    pseudonym_key: str = ""
    """Secret key of the keyed hashes that stand for phone, ID and account numbers in the
    audit log (``FANZHA_PSEUDONYM_KEY``); empty means a random key per server start, so
    entries of different runs cannot be matched by number."""
    threads: int = 40
    """Worker threads per process for the endpoints (they run blocking database and
    screening work off the event loop); the database pool keeps as many connections."""
    db_pool_overflow: int = 10
    """Connections the pool may open beyond ``threads`` for short bursts (requests finishing
    their commit while new ones start). PostgreSQL: keep ``workers × (threads +
    db_pool_overflow)`` below the server's ``max_connections``."""
    db_pool_timeout: float = 10.0
    """Seconds a request waits for a pooled connection before it is answered 503."""
    workers: int = 1
    """Server processes (``fanzha serve``); they share one audit chain through the database's
    lock."""
    shutdown_seconds: float = 5.0
    """On SIGTERM/SIGINT, how long requests in flight may take to finish before they are
    cancelled and the server exits."""
    audit_key_file: str = ""
    """File of the audit chain's HMAC keys, ``<key id> <secret>`` a line, the last one signs;
    mode 0600, not on the database host (``FANZHA_AUDIT_KEY_FILE``)."""
    audit_key: str = dataclasses.field(default="", repr=False)
    """The keys inline instead, ``<key id>:<secret>[,…]`` (``FANZHA_AUDIT_KEY``)."""
    audit_checkpoint_file: str = ""
    """Append-only file of the audit chain's checkpoints (``FANZHA_AUDIT_CHECKPOINT_FILE``)."""
    audit_checkpoint_every: int = 100
    """Checkpoint the audit chain every this many entries (and at shutdown)."""
    saved_ceiling_fen: int = SAVED_CEILING_FEN
    """Largest money saved (分) an officer records without confirmation and reason on a task
    whose money at risk is unknown (``FANZHA_SAVED_CEILING_FEN``); above a known money at
    risk a confirmation is always needed."""
    cookie_secure: bool = True
    """Send the login cookie only over HTTPS. ``fanzha serve --demo`` on a loopback address
    turns it off (plain http://127.0.0.1); everywhere else serve behind TLS."""
    nats_url: str = ""
    """NATS server of the signal stream, read by ``/api/v1/intake/status`` and ``/metrics``
    (``FANZHA_NATS_URL``); empty means ``nats://127.0.0.1:4222``."""
    intake_names: str = ""
    """The tag of ``fanzha intake --names`` whose streams the status reports; empty means the
    default ``FANZHA_SIGNALS`` stream and ``fanzha-intake`` consumer."""
    demo: bool = False
    """Demo mode (``fanzha serve --demo``): the demo city's shared password may log in."""
    allowed_origins: str = ""
    """Comma-separated origins (``https://host[:port]``) besides the server's own ``Host``
    from which a cookie-authenticated browser may send state-changing requests."""
    public_burst: int = 30
    """Anonymous requests to screening and reports one client address may send at once
    (0: no limit); refilled at ``public_per_minute``."""
    public_per_minute: int = 60
    """Anonymous screening and report requests per minute and client address, sustained."""
    login_burst: int = 20
    """Login attempts one client address may send at once (0: no limit)."""
    login_per_minute: int = 10
    """Login attempts per minute and client address, sustained."""
    login_max_failures: int = 5
    """Failed logins in a row that lock an account (then 30 s, doubling, at most the lock)."""
    login_address_max_failures: int = 20
    """Failed logins from one client address that lock the address."""
    login_lock_minutes: int = 15
    """Longest lock-out; failures older than this are forgotten."""
    outreach_outbox: str = "outreach-outbox.jsonl"
    """File the demo channel ``file`` appends outreach messages to (JSON lines: delivery id,
    address, text) instead of sending them."""
    outreach_webhook_url: str = ""
    """企业微信 group-robot webhook (``https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…``)
    of the chat-group assistant; set, it is the channel ``wecom``."""
    outreach_smtp_host: str = ""
    """SMTP server of the channel ``smtp`` (empty: no e-mail channel)."""
    outreach_smtp_port: int = 25
    """Port of ``outreach_smtp_host``."""
    outreach_smtp_sender: str = "fanzha@localhost"
    """Sender address of the channel ``smtp``."""
    outreach_interval_seconds: float = 0.0
    """How often the server's outreach sender looks for due runs and deliveries; 0 (the
    default of an app built in code, e.g. in tests) starts no sender. ``fanzha serve`` runs
    it every 30 s unless ``FANZHA_OUTREACH_INTERVAL_SECONDS`` says otherwise."""
    clue_sla_hours: float = 12.0
    """线索不过夜: hours from a clue's making until it is due; an open clue past that shows
    as overdue on the commander's page (``FANZHA_CLUE_SLA_HOURS``)."""

    @property
    def resolved_db_url(self) -> str:
        """The database URL actually used."""
        return database_url(self.db_url or None)

    def make_engine(self) -> Engine:
        """An engine on :attr:`resolved_db_url` with its pool sized to the thread pool."""
        return make_engine(
            self.resolved_db_url,
            pool_size=self.threads,
            max_overflow=self.db_pool_overflow,
            pool_timeout=self.db_pool_timeout,
        )

    @property
    def origins(self) -> tuple[str, ...]:
        """``allowed_origins`` as a tuple."""
        return tuple(part.strip() for part in self.allowed_origins.split(",") if part.strip())

    @property
    def token_ttl(self) -> timedelta:
        """Login lifetime as a timedelta."""
        return timedelta(hours=self.token_hours)

    def audit_chain(self, *, local_dir: Path | None = None) -> AuditChain:
        """The audit chain's keys and checkpoint file.

        Without a configured key, ``local_dir`` (the demo and tests) holds a generated key file
        (mode 0600) and a checkpoint file per database; without either, AuditKeyError.
        """
        keyring = parse_keys(self.audit_key_file, self.audit_key)
        checkpoints = self.audit_checkpoint_file
        if local_dir is not None:
            if keyring is None:
                key_file = local_dir / "audit.key"
                if not key_file.exists():
                    add_key(key_file)
                keyring = parse_keys(str(key_file), "")
            tag = hashlib.sha256(self.resolved_db_url.encode()).hexdigest()[:12]
            checkpoints = checkpoints or str(local_dir / f"audit-{tag}.checkpoints.jsonl")
        if keyring is None:
            raise AuditKeyError(
                "no audit key: set FANZHA_AUDIT_KEY_FILE to a key file (mode 0600, made with "
                "`fanzha audit new-key --key-file PATH`) or FANZHA_AUDIT_KEY, or use --demo"
            )
        if not checkpoints:
            raise AuditKeyError(
                "no audit checkpoint file: set FANZHA_AUDIT_CHECKPOINT_FILE to an append-only "
                "file outside the database"
            )
        return AuditChain(keyring, Path(checkpoints), max(1, self.audit_checkpoint_every))

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then ``FANZHA_*`` variables, then ``overrides``."""
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = os.environ.get(f"FANZHA_{field.name.upper()}")
            if raw is None:
                continue
            kind = type(getattr(cls(), field.name))
            values[field.name] = raw.lower() in {"1", "true", "yes"} if kind is bool else kind(raw)
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]
