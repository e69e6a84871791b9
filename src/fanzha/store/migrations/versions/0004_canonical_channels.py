"""canonical transfer channels

Stored transfer channels become the canonical names of ``fanzha.records.CHANNELS``
(transfer, cash, crypto, merchant), read as ingest reads them; any other free text, and
the old default ``bank``, becomes ``transfer``. The mapping is written out here so that
this migration does not change when the accepted spellings do.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 17:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_SPELLINGS = {
    "cash": ("cash", "atm", "取现", "现金"),
    "crypto": ("crypto", "usdt", "otc", "虚拟币"),
    "merchant": ("merchant", "pos", "消费", "商户"),
}


def upgrade() -> None:
    transfers = sa.table("transfers", sa.column("channel", sa.String(16)))
    spelled = sa.func.lower(sa.func.trim(transfers.c.channel))
    canonical = sa.case(
        *[(spelled.in_(spellings), channel) for channel, spellings in _SPELLINGS.items()],
        else_="transfer",
    )
    op.execute(transfers.update().values(channel=canonical))


def downgrade() -> None:
    """The free-text channels are not kept: the canonical names stay."""
