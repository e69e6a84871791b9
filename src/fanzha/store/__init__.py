"""The store: SQLAlchemy 2 models, Alembic migrations, engines and bulk loading."""

from __future__ import annotations

from fanzha.store._bulk import bulk_load, next_ids, table_counts
from fanzha.store._db import database_url, make_engine, make_session_factory, migrate, ping
from fanzha.store._frames import read_tables
from fanzha.store._models import (
    AuditEntry,
    BankAccount,
    Base,
    Case,
    CitizenReport,
    Device,
    DeviceSighting,
    Event,
    IMAccount,
    ImportBatch,
    IntakeSignal,
    Outcome,
    Person,
    Phone,
    TaskTransition,
    Transfer,
    Url,
    User,
    WarningTask,
)

__all__ = [
    "AuditEntry",
    "BankAccount",
    "Base",
    "Case",
    "CitizenReport",
    "Device",
    "DeviceSighting",
    "Event",
    "IMAccount",
    "ImportBatch",
    "IntakeSignal",
    "Outcome",
    "Person",
    "Phone",
    "TaskTransition",
    "Transfer",
    "Url",
    "User",
    "WarningTask",
    "bulk_load",
    "database_url",
    "make_engine",
    "make_session_factory",
    "migrate",
    "next_ids",
    "ping",
    "read_tables",
    "table_counts",
]
