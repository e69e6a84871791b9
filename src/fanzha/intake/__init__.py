"""Real-time intake: signals from a NATS JetStream stream into warning tasks.

Producers publish versioned JSON signals (:data:`SIGNAL_SCHEMAS`) on
``fanzha.signals.<kind>`` (:func:`publish_signals`); ``fanzha intake`` runs
:func:`run_intake`, a durable consumer that validates, screens texts, applies the warning
rules in batches (one transaction each), acknowledges after commit, skips signal ids it
has taken before and sends what it cannot take to ``fanzha.deadletter.<kind>`` with the
reason. The broker is the small :class:`Broker` interface; :class:`NatsBroker` is the
JetStream one.
"""

from __future__ import annotations

from fanzha.intake._broker import Topology
from fanzha.intake._consume import IntakeOptions, run_intake
from fanzha.intake._nats import DEFAULT_NATS_URL, connect_nats
from fanzha.intake._publish import demo_signals, publish_signals
from fanzha.intake._schema import parse_signal
from fanzha.intake._screening import text_screen

__all__ = [
    "DEFAULT_NATS_URL",
    "IntakeOptions",
    "Topology",
    "connect_nats",
    "demo_signals",
    "parse_signal",
    "publish_signals",
    "run_intake",
    "text_screen",
]
