"""The application factory: API under /api/v1, OpenAPI at /api/docs (Swagger UI) and
/api/redoc (ReDoc), both served from local files, the web UI at /."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import Semaphore, to_thread
from fastapi import Depends, FastAPI
from sqlalchemy import Engine

from fanzha import __version__
from fanzha.api._deps import COOKIE_NAME
from fanzha.api._docs import install_docs
from fanzha.api._errors import BodySizeLimit, install_error_handlers
from fanzha.api._input import refuse_unsafe_text
from fanzha.api._masking import MaskPersonalData
from fanzha.api._openapi import install_openapi
from fanzha.api._outreach_service import channels_from
from fanzha.api._protect import OriginCheck, SecurityHeaders
from fanzha.api._ratelimit import LoginGuard, RateLimiter, RateLimits
from fanzha.api._settings import Settings
from fanzha.api.routes import (
    audit,
    auth,
    clues,
    exports,
    funds,
    graph,
    health,
    intake,
    keyareas,
    operations,
    outreach,
    records,
    reports,
    screening,
    search,
    stats,
    suspects,
    warning,
)
from fanzha.api.schemas.errors import ERROR_RESPONSES
from fanzha.outreach_sender import OutreachSender
from fanzha.store import make_session_factory, migrate
from fanzha.store.audit import AuditChain, write_checkpoint

__all__ = ["API_PREFIX", "create_app"]

API_PREFIX = "/api/v1"


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    with_web: bool = True,
    audit_chain: AuditChain | None = None,
) -> FastAPI:
    """Build the app on ``engine`` (default: from ``settings.db_url``), migrating the schema.

    ``audit_chain`` defaults to the key and checkpoint file of ``settings``; without them
    this raises AuditKeyError.
    """
    settings = settings or Settings.from_env()
    audit_chain = audit_chain or settings.audit_chain()
    engine = engine or settings.make_engine()
    migrate(engine)

    @asynccontextmanager
    async def lifespan(started: FastAPI) -> AsyncIterator[None]:
        # the worker threads that run endpoints; the pool has a connection for each
        to_thread.current_default_thread_limiter().total_tokens = settings.threads
        # and as many requests may hold a database session (fanzha.api._deps.get_db)
        started.state.session_slots = Semaphore(settings.threads)
        # the outreach sender: plans due campaign runs and sends them in a thread of its own
        if settings.outreach_interval_seconds > 0:
            started.state.outreach_sender.start(settings.outreach_interval_seconds)
        yield
        started.state.outreach_sender.stop()
        # at shutdown, checkpoint the audit chain's head outside the database
        write_checkpoint(started.state.engine, started.state.audit_chain, "shutdown")

    app = FastAPI(
        title="fanzha 反诈 API",
        version=__version__,
        # the docs pages are served from local files by install_docs, never from a CDN
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        dependencies=[Depends(refuse_unsafe_text)],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.audit_chain = audit_chain
    app.state.sessions = make_session_factory(engine)
    app.state.screener = None
    app.state.outreach_channels = channels_from(settings)
    app.state.outreach_sender = OutreachSender(app.state.sessions, app.state.outreach_channels)
    app.state.pseudonym_key = (settings.pseudonym_key or secrets.token_hex(32)).encode()
    app.state.session_slots = None
    app.state.rate_limits = RateLimits(
        public=RateLimiter(burst=settings.public_burst, per_minute=settings.public_per_minute),
        login=RateLimiter(burst=settings.login_burst, per_minute=settings.login_per_minute),
    )
    app.state.login_guard = LoginGuard(
        max_failures=settings.login_max_failures,
        address_max_failures=settings.login_address_max_failures,
        lock_seconds=settings.login_lock_minutes * 60.0,
    )
    install_error_handlers(app)
    for module in (
        health,
        auth,
        screening,
        reports,
        warning,
        records,
        search,
        funds,
        graph,
        suspects,
        keyareas,
        clues,
        operations,
        audit,
        exports,
        outreach,
        intake,
        stats,
    ):
        app.include_router(module.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(intake.metrics_router)
    install_openapi(app)
    install_docs(app, "/api/openapi.json")
    if with_web:
        from fanzha.web import install_web

        install_web(app)
    app.add_middleware(MaskPersonalData)
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    app.add_middleware(OriginCheck, cookie_name=COOKIE_NAME, allowed_origins=settings.origins)
    app.add_middleware(SecurityHeaders)
    return app
