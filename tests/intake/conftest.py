"""The real NATS JetStream on this machine, with names of the test's own.

A NATS that cannot be reached skips these tests locally and fails them in CI.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from fanzha.intake import Topology

NATS_URL = os.environ.get("FANZHA_NATS_URL", "nats://127.0.0.1:4222")


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 4222), 2):
            return True
    except OSError:
        return False


async def _delete_streams(topology: Topology) -> None:
    import nats
    from nats.js.errors import NotFoundError

    client = await nats.connect(NATS_URL)
    try:
        for name in (topology.stream, topology.dead_stream):
            try:
                await client.jetstream().delete_stream(name)
            except NotFoundError:
                pass
    finally:
        await client.close()


@pytest.fixture
def nats_url() -> str:
    """The NATS server's URL (skip locally, fail in CI, when it does not answer)."""
    if not _reachable(NATS_URL):
        message = f"NATS is not reachable at {NATS_URL}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return NATS_URL


@pytest.fixture
def topology(nats_url: str) -> Iterator[Topology]:
    """Streams, subjects and a durable consumer no other test uses; deleted afterwards."""
    made = Topology.unique(uuid.uuid4().hex[:10])
    yield made
    asyncio.run(_delete_streams(made))
