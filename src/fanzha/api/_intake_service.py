"""The stream intake's status: the consumer's lag from NATS, the rate from the store."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from fanzha.api._settings import Settings
from fanzha.api.schemas.intake import IntakeStatusPublic
from fanzha.store import intake as stored

__all__ = ["intake_status", "prometheus_text"]

_RATE_WINDOW = timedelta(seconds=60)


async def _stream_counts(settings: Settings) -> dict[str, int] | None:
    """The consumer's lag, in-flight, redelivered and dead-letter counts; None when NATS does
    not answer within two seconds."""
    from fanzha.intake import DEFAULT_NATS_URL, Topology, connect_nats

    topology = Topology.unique(settings.intake_names) if settings.intake_names else Topology()
    try:
        broker = await asyncio.wait_for(
            connect_nats(
                settings.nats_url or DEFAULT_NATS_URL,
                topology,
                ensure_streams=False,
                connect_timeout=1.0,
            ),
            timeout=2.0,
        )
    except (OSError, TimeoutError, Exception):  # nats-py raises its own errors on no server
        return None
    try:
        return await asyncio.wait_for(broker.pending(), timeout=2.0)
    except (OSError, TimeoutError, Exception):
        return None
    finally:
        await broker.close()


def _store_counts(sessions: sessionmaker[Session]) -> tuple[dict[str, int], dict[str, int]]:
    with sessions() as session:
        recent = stored.intake_counts(session, datetime.now(UTC) - _RATE_WINDOW)
        return stored.intake_counts(session), recent


async def intake_status(settings: Settings, sessions: sessionmaker[Session]) -> IntakeStatusPublic:
    """What ``/api/v1/intake/status`` and ``/metrics`` report."""
    from fanzha.intake import Topology

    topology = Topology.unique(settings.intake_names) if settings.intake_names else Topology()
    stream, (ever, recent) = await asyncio.gather(
        _stream_counts(settings), asyncio.to_thread(_store_counts, sessions)
    )
    return IntakeStatusPublic(
        nats_reachable=stream is not None,
        stream=topology.stream,
        consumer=topology.durable,
        lag=None if stream is None else stream["lag"],
        in_flight=None if stream is None else stream["in_flight"],
        errors=None if stream is None else stream["redelivered"],
        dead_letters=None if stream is None else stream["dead_letters"],
        rate_per_s=round(sum(recent.values()) / _RATE_WINDOW.total_seconds(), 2),
        taken=ever.get("taken", 0),
        merged=ever.get("merged", 0),
        skipped=ever.get("skipped", 0),
        dead_lettered=ever.get("dead_letter", 0),
    )


_METRICS = (
    ("fanzha_intake_nats_up", "gauge", "1 when the NATS server answered", "nats_reachable"),
    ("fanzha_intake_lag", "gauge", "Signals on the stream not yet delivered", "lag"),
    ("fanzha_intake_in_flight", "gauge", "Signals delivered, not yet acknowledged", "in_flight"),
    ("fanzha_intake_redelivered", "gauge", "Redeliveries of the durable consumer", "errors"),
    ("fanzha_intake_dead_letters", "gauge", "Messages in the dead-letter stream", "dead_letters"),
    ("fanzha_intake_rate", "gauge", "Signals taken per second, last minute", "rate_per_s"),
)
_OUTCOMES = ("taken", "merged", "skipped", "dead_lettered")


def prometheus_text(status: IntakeStatusPublic) -> str:
    """The status in the Prometheus text exposition format (version 0.0.4)."""
    lines: list[str] = []
    for name, kind, help_text, field in _METRICS:
        value = getattr(status, field)
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
        if value is not None:
            lines.append(f"{name} {float(value):g}")
    name = "fanzha_intake_signals_total"
    lines += [f"# HELP {name} Signals taken by the intake, by outcome", f"# TYPE {name} counter"]
    lines += [f'{name}{{outcome="{o}"}} {getattr(status, o)}' for o in _OUTCOMES]
    return "\n".join(lines) + "\n"
