"""The signals on the stream: one versioned JSON schema per kind the warning rules know.

A signal is the HTTP event body (:class:`fanzha.api.schemas.warning.EventCreate`, one
form for both paths) plus the envelope a stream needs: the producer's ``id`` (the
idempotency key: the same id is taken once, however often it is delivered) and
``schema_version``. It is published on ``fanzha.signals.<kind>``; :data:`SIGNAL_SCHEMAS`
maps each kind to its model, whose ``model_json_schema()`` is the documented contract.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import Field, TypeAdapter, ValidationError, model_validator

from fanzha.api.schemas.warning import EventCreate
from fanzha.errors import InvalidInput

__all__ = [
    "SCHEMA_VERSION",
    "SIGNAL_SCHEMAS",
    "SUBJECT_PREFIX",
    "CitizenReportSignal",
    "FlaggedTransferSignal",
    "FraudCallSignal",
    "ScreeningHitSignal",
    "Signal",
    "parse_signal",
    "subject_of",
]

SCHEMA_VERSION = 1
SUBJECT_PREFIX = "fanzha.signals"


class _SignalV1(EventCreate):
    """Envelope fields shared by every kind (version 1)."""

    schema_version: Literal[1] = 1
    id: str = Field(min_length=1, max_length=128, pattern=r"^[\x21-\x7e]+$")
    """The producer's id of the signal, printable ASCII: the idempotency key."""
    age: int | None = Field(default=None, ge=0, le=130)
    """The person's age when the producer knows it and names no ``person_id``."""


class FraudCallSignal(_SignalV1):
    """涉诈来电/短信: a resident's phone got a call or SMS from a flagged number
    (``counterparty``)."""

    kind: Literal["fraud_call"]


class FlaggedTransferSignal(_SignalV1):
    """向涉诈账户转账: a resident paid a flagged account (``counterparty``, amount in 分)."""

    kind: Literal["flagged_transfer"]


class CitizenReportSignal(_SignalV1):
    """群众举报: a citizen reports being defrauded now (``counterparty`` gets flagged)."""

    kind: Literal["citizen_report"]


class ScreeningHitSignal(_SignalV1):
    """识诈研判: a text that screening flagged; send its ``risk``, or the ``text`` and the
    consumer screens it."""

    kind: Literal["screening_hit"]
    text: str | None = Field(default=None, max_length=4000)

    @model_validator(mode="after")
    def _risk_or_text(self) -> Self:
        if self.risk is None and not self.text:
            raise ValueError("a screening_hit needs the verdict's risk or the text to screen")
        return self


Signal = Annotated[
    FraudCallSignal | FlaggedTransferSignal | CitizenReportSignal | ScreeningHitSignal,
    Field(discriminator="kind"),
]
SIGNAL_SCHEMAS: dict[str, type[_SignalV1]] = {
    "fraud_call": FraudCallSignal,
    "flagged_transfer": FlaggedTransferSignal,
    "citizen_report": CitizenReportSignal,
    "screening_hit": ScreeningHitSignal,
}
_ADAPTER: TypeAdapter[Any] = TypeAdapter(Signal)


def subject_of(kind: str, prefix: str = SUBJECT_PREFIX) -> str:
    """The subject a signal of ``kind`` is published on."""
    return f"{prefix}.{kind}"


def parse_signal(data: bytes | str) -> _SignalV1:
    """Validate one message body; raises InvalidInput naming the first bad field."""
    try:
        signal: _SignalV1 = _ADAPTER.validate_json(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise InvalidInput(
            f"signal {where}: {first['msg']} ({error.error_count()} error(s))", field=where
        ) from None
    return signal
