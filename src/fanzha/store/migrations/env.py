"""Alembic environment: runs on the connection that ``fanzha.store.migrate`` hands in."""

from __future__ import annotations

from alembic import context

from fanzha.store._models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the alembic CLI path
    from fanzha.store._db import make_engine

    with make_engine().begin() as fresh:
        context.configure(connection=fresh, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
