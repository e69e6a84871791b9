"""追逃: the wanted list, its identifiers, and hits of newly stored records on it.

:func:`match_ingested` is what ``fanzha ingest`` runs after a load: the wanted identifiers
are resolved to the stored rows they name (a wanted phone number → ``phones#17``), the
rows the import wrote are keyed the same way, and one join (:func:`fanzha.operations.
match_wanted`) finds every hit of the import. :func:`match_events` does the same for new
warning events by their numbers. New hits (a record never hits twice) are stored with the
urgent clue they make: one per fugitive, or the fugitive's hit clue still open.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any

import polars as pl
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from fanzha.operations import (
    OPEN_CLUE_STATES,
    HitClue,
    clean_identifiers,
    hit_clues,
    match_wanted,
    new_hits,
    record_identifiers,
)
from fanzha.records import clean_accounts, clean_phones
from fanzha.store._models import (
    BankAccount,
    Device,
    Event,
    IMAccount,
    Person,
    Phone,
    PhoneCall,
    Transfer,
)
from fanzha.store._ops_models import Clue, Fugitive, FugitiveHit, FugitiveIdentifier
from fanzha.store._pages import fetch_page
from fanzha.store.clues import NewClue, add_clue

__all__ = [
    "FUGITIVE_HIT_SOURCE",
    "HitReport",
    "NewFugitive",
    "add_fugitive",
    "fugitive_hits",
    "fugitive_identifiers",
    "get_fugitive",
    "list_fugitives",
    "match_events",
    "match_ingested",
    "match_stored",
    "record_hits",
    "wanted_keys",
]

#: The ``source`` of a clue made by a fugitive hit.
FUGITIVE_HIT_SOURCE = "fugitive_hit"
_CHUNK = 900
#: Per table an import writes: the record kind, its identifier columns (→ key prefix) and
#: its time column.
_INGESTED: Mapping[str, tuple[str, Mapping[str, str], str | None]] = MappingProxyType(
    {
        "calls": ("call", {"caller_id": "phones#", "callee_id": "phones#"}, "started_at"),
        "transfers": (
            "transfer",
            {"src_account_id": "bank_accounts#", "dst_account_id": "bank_accounts#"},
            "at",
        ),
        "device_sightings": (
            "device",
            {"device_id": "devices#", "phone_id": "phones#", "imsi": "imsi:"},
            "seen_at",
        ),
    }
)
#: Card registrations (inserted or updated rows): the number itself and its holder.
_REGISTERED: Mapping[str, tuple[str, str, str]] = MappingProxyType(
    {
        "phones": ("sim_card", "phones#", "owner_id"),
        "bank_accounts": ("bank_card", "bank_accounts#", "holder_id"),
    }
)


@dataclass(frozen=True, slots=True)
class NewFugitive:
    """A wanted person and what can find them: ``identifiers`` as (kind, value) pairs."""

    name: str
    kind: str
    warrant_no: str
    district: str | None
    wanted_since: date | None = None
    id_number: str | None = None
    person_id: int | None = None
    suspect_id: int | None = None
    note: str = ""
    identifiers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class HitReport:
    """What one match stored: new hits, the clues they made or joined, hits already known."""

    hits: int
    clue_ids: tuple[int, ...]
    fugitive_ids: tuple[int, ...]
    already_known: int


_EMPTY = HitReport(0, (), (), 0)


def add_fugitive(session: Session, fugitive: NewFugitive, *, now: datetime) -> int:
    """Store a wanted person and their cleaned identifiers (the ID number is one too);
    the caller commits. Raises InvalidInput naming a bad identifier."""
    pairs = list(fugitive.identifiers)
    if fugitive.id_number:
        pairs.append(("id_number", fugitive.id_number))
    frame = pl.DataFrame(
        {
            "fugitive_id": [0] * len(pairs),
            "kind": [k for k, _ in pairs],
            "value": [v for _, v in pairs],
        },
        schema={"fugitive_id": pl.Int64, "kind": pl.String, "value": pl.String},
    )
    cleaned = clean_identifiers(frame)
    id_number = cleaned.filter(pl.col("kind") == "id_number").get_column("value").to_list()
    row = Fugitive(
        suspect_id=fugitive.suspect_id,
        person_id=fugitive.person_id,
        name=fugitive.name,
        id_number=id_number[0] if id_number else None,
        kind=fugitive.kind,
        warrant_no=fugitive.warrant_no,
        wanted_since=fugitive.wanted_since,
        owner_level="district" if fugitive.district else "city",
        district=fugitive.district,
        state="wanted",
        note=fugitive.note,
        created_at=now,
    )
    session.add(row)
    session.flush()
    session.add_all(
        FugitiveIdentifier(fugitive_id=row.id, kind=kind, value=value)
        for kind, value in cleaned.select("kind", "value").iter_rows()
    )
    session.flush()
    return row.id


def get_fugitive(session: Session, fugitive_id: int, scope: str | None) -> Fugitive | None:
    """The fugitive ``fugitive_id`` if it lies in ``scope`` (None: the whole city)."""
    row = session.get(Fugitive, fugitive_id)
    if row is None or (scope is not None and row.district != scope):
        return None
    return row


def list_fugitives(
    session: Session,
    *,
    scope: str | None,
    state: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[Fugitive], int]:
    """One page of fugitives, newest first, and the total."""
    query = select(Fugitive)
    if scope is not None:
        query = query.where(Fugitive.district == scope)
    if state:
        query = query.where(Fugitive.state == state)
    rows, total = fetch_page(session, query.order_by(Fugitive.id.desc()), page, per_page)
    return [row for (row,) in rows], total


def fugitive_identifiers(session: Session, fugitive_id: int) -> list[FugitiveIdentifier]:
    """A fugitive's identifiers, by kind."""
    query = select(FugitiveIdentifier).where(FugitiveIdentifier.fugitive_id == fugitive_id)
    return list(session.scalars(query.order_by(FugitiveIdentifier.kind, FugitiveIdentifier.id)))


def fugitive_hits(session: Session, fugitive_id: int) -> list[FugitiveHit]:
    """A fugitive's recorded hits, newest first."""
    query = select(FugitiveHit).where(FugitiveHit.fugitive_id == fugitive_id)
    return list(session.scalars(query.order_by(FugitiveHit.id.desc())))


def _in_chunks(
    session: Session, columns: Sequence[Any], column: Any, values: Sequence[str]
) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        out.extend(tuple(r) for r in session.execute(select(*columns).where(column.in_(chunk))))
    return out


def wanted_keys(session: Session) -> pl.DataFrame:
    """The identifiers of everyone still wanted, keyed both by value (``phone:138…``) and by
    the stored rows they name (``phones#17``): ``fugitive_id``, ``kind``, ``value``, ``key``."""
    rows = session.execute(
        select(FugitiveIdentifier.fugitive_id, FugitiveIdentifier.kind, FugitiveIdentifier.value)
        .join(Fugitive, Fugitive.id == FugitiveIdentifier.fugitive_id)
        .where(Fugitive.state == "wanted")
    ).all()
    schema = {"fugitive_id": pl.Int64, "kind": pl.String, "value": pl.String}
    wanted = pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")
    if wanted.height == 0:
        return wanted.with_columns(key=pl.lit(None, dtype=pl.String))
    by_value = wanted.with_columns(key=pl.col("kind") + ":" + pl.col("value"))
    stored: list[tuple[str, str, str]] = []  # (kind, value, key)
    for kind, columns, prefix in (
        ("phone", (Phone.number, Phone.id), "phones#"),
        ("imsi", (Phone.imsi, Phone.id), "phones#"),
        ("imei", (Device.imei, Device.id), "devices#"),
        ("card", (BankAccount.account_no, BankAccount.id), "bank_accounts#"),
        ("id_number", (Person.id_number, Person.id), "persons#"),
    ):
        values = wanted.filter(pl.col("kind") == kind).get_column("value").unique().to_list()
        found = _in_chunks(session, columns, columns[0], values) if values else []
        stored.extend((kind, value, f"{prefix}{row_id}") for value, row_id in found)
    ims = wanted.filter(pl.col("kind") == "im").get_column("value").unique().to_list()
    for platform, handle, row_id in (
        session.execute(select(IMAccount.platform, IMAccount.handle, IMAccount.id)).all()
        if ims
        else []
    ):
        value = f"{platform}:{handle}".lower()
        if value in ims:
            stored.append(("im", value, f"im_accounts#{row_id}"))
    by_row = wanted.join(
        pl.DataFrame(
            stored, schema=dict.fromkeys(("kind", "value", "key"), pl.String), orient="row"
        ),
        on=["kind", "value"],
    )
    return pl.concat([by_value, by_row.select(by_value.columns)])


def _ingested_records(
    inserts: Mapping[str, pl.DataFrame], updates: Mapping[str, pl.DataFrame]
) -> pl.DataFrame | None:
    parts = []
    for table, (record_kind, columns, time_column) in _INGESTED.items():
        frame = inserts.get(table)
        if frame is None or frame.height == 0:
            continue
        present = {c: "" for c in columns if c in frame.columns}
        parts.append(
            record_identifiers(
                frame,
                record_kind=record_kind,
                columns=present,
                time_column=time_column if time_column in frame.columns else None,
                key_prefix={c: columns[c] for c in present},
            )
        )
    for table, (record_kind, prefix, holder) in _REGISTERED.items():
        for frame in (inserts.get(table), updates.get(table)):
            # a registration names its holder; numbers a call or transfer created do not
            if frame is None or holder not in frame.columns:
                continue
            registered = frame.filter(pl.col(holder).is_not_null())
            if registered.height == 0:
                continue
            columns = {"id": prefix, holder: "persons#"}
            parts.append(
                record_identifiers(
                    registered.with_columns(_record=pl.col("id")),
                    record_kind=record_kind,
                    id_column="_record",
                    columns=dict.fromkeys(columns, ""),
                    key_prefix=columns,
                )
            )
    return pl.concat(parts) if parts else None


def _open_hit_clue(session: Session, fugitive_id: int) -> int | None:
    return session.scalar(
        select(Clue.id)
        .where(
            Clue.source == FUGITIVE_HIT_SOURCE,
            Clue.source_ref == f"fugitive:{fugitive_id}",
            Clue.state.in_(OPEN_CLUE_STATES),
        )
        .order_by(Clue.id.desc())
        .limit(1)
    )


def _add_hit_clue(session: Session, clue: HitClue, *, now: datetime) -> int:
    """The urgent clue of a fugitive's hits, made by the clue register's own ``add_clue``."""
    made = add_clue(
        session,
        NewClue(
            source=FUGITIVE_HIT_SOURCE,
            source_ref=f"fugitive:{clue.fugitive_id}",
            title=clue.title,
            summary=clue.summary,
            evidence={"hits": list(clue.hits)},
            owner_level="district" if clue.district else "city",
            district=clue.district,
            urgent=True,
            created_at=now,
            sla_due_at=clue.due_at,
        ),
    )
    return made.id


def record_hits(
    session: Session,
    records: pl.DataFrame,
    *,
    now: datetime,
    wanted: pl.DataFrame | None = None,
    batch_id: int | None = None,
) -> HitReport:
    """Match ``records`` (:func:`fanzha.operations.record_identifiers` frames) against the
    wanted list, store the new hits and their urgent clues (the caller commits)."""
    wanted = wanted_keys(session) if wanted is None else wanted
    if wanted.height == 0 or records.height == 0:
        return _EMPTY
    hits = match_wanted(records, wanted)
    if hits.height == 0:
        return _EMPTY
    fugitive_ids = hits.get_column("fugitive_id").unique().to_list()
    seen_rows = session.execute(
        select(FugitiveHit.fugitive_id, FugitiveHit.record_kind, FugitiveHit.record_id).where(
            FugitiveHit.fugitive_id.in_(fugitive_ids)
        )
    ).all()
    seen = pl.DataFrame(
        [(f, k, int(r)) for f, k, r in seen_rows],
        schema={"fugitive_id": pl.Int64, "record_kind": pl.String, "record_id": pl.Int64},
        orient="row",
    )
    fresh = new_hits(hits, seen)
    if fresh.height == 0:
        return HitReport(0, (), (), hits.height)
    owners = {
        row.id: {"district": row.district, "wanted_no": row.warrant_no}
        for row in session.scalars(
            select(Fugitive).where(
                Fugitive.id.in_(fresh.get_column("fugitive_id").unique().to_list())
            )
        )
    }
    clue_ids: list[int] = []
    for clue in hit_clues(fresh, owners, now=now):
        clue_id = _open_hit_clue(session, clue.fugitive_id) or _add_hit_clue(session, clue, now=now)
        clue_ids.append(clue_id)
        session.add_all(
            FugitiveHit(
                dedup_key=f"{hit['fugitive_id']}:{hit['record_kind']}:{hit['record_id']}",
                fugitive_id=hit["fugitive_id"],
                kind=hit["kind"],
                value=hit["value"],
                record_kind=hit["record_kind"],
                record_id=str(hit["record_id"]),
                seen_at=hit["last_at"],
                found_at=now,
                batch_id=batch_id,
                clue_id=clue_id,
            )
            for hit in clue.hits
        )
    session.flush()
    return HitReport(
        fresh.height,
        tuple(clue_ids),
        tuple(sorted(owners)),
        hits.height - fresh.height,
    )


def match_ingested(
    engine: Engine,
    inserts: Mapping[str, pl.DataFrame],
    updates: Mapping[str, pl.DataFrame] | None = None,
    *,
    now: datetime | None = None,
    batch_id: int | None = None,
) -> HitReport:
    """Match the rows one import wrote (its plan's ``inserts`` and ``updates``) against the
    wanted list and store the new hits and clues, in one transaction of its own."""
    records = _ingested_records(inserts, updates or {})
    if records is None:
        return _EMPTY
    with Session(engine) as session, session.begin():
        return record_hits(session, records, now=now or datetime.now(UTC), batch_id=batch_id)


def match_events(session: Session, event_ids: Iterable[int], *, now: datetime) -> HitReport:
    """Match new warning events by their phone number and counterpart (a number, an account
    or an IM account) against the wanted list (the caller commits)."""
    ids = list(event_ids)
    if not ids:
        return _EMPTY
    rows = session.execute(
        select(Event.id, Event.occurred_at, Event.phone_number, Event.counterpart).where(
            Event.id.in_(ids)
        )
    ).all()
    frame = pl.DataFrame(
        [tuple(r) for r in rows],
        schema={
            "id": pl.Int64,
            "at": pl.Datetime("us", "UTC"),
            "phone": pl.String,
            "counterpart": pl.String,
        },
        orient="row",
    )
    counterpart = pl.col("counterpart").str.strip_chars()
    frame = frame.with_columns(
        phone=clean_phones(pl.col("phone")),
        other=clean_phones(counterpart),
        card=clean_accounts(counterpart),
        im=pl.when(counterpart.str.contains(":")).then(counterpart.str.to_lowercase()),
    )
    records = record_identifiers(
        frame,
        record_kind="event",
        columns={"phone": "phone", "other": "phone", "card": "card", "im": "im"},
        time_column="at",
    )
    return record_hits(session, records, now=now)


def _rows_touching(
    session: Session, model: Any, columns: Sequence[str], ids: Sequence[int]
) -> pl.DataFrame:
    """Rows of ``model`` whose ``columns`` name one of ``ids`` (chunked ``IN`` look-ups)."""
    table = model.__table__
    rows: dict[int, tuple[Any, ...]] = {}
    for column in columns:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for row in session.execute(select(table).where(table.c[column].in_(chunk))):
                rows[row.id] = tuple(row)
    return pl.DataFrame(
        list(rows.values()),
        schema=[c.name for c in table.columns],
        orient="row",
        infer_schema_length=None,
    )


def match_stored(session: Session, *, now: datetime) -> HitReport:
    """Match the calls and transfers already stored that touch a wanted phone or card (for a
    wanted list entered after the records, or the demo city); the caller commits."""
    wanted = wanted_keys(session)
    keys = wanted.get_column("key").drop_nulls()
    phones = keys.filter(keys.str.starts_with("phones#")).str.slice(7).cast(pl.Int64).to_list()
    cards = keys.filter(keys.str.starts_with("bank_accounts#")).str.slice(14).cast(pl.Int64)
    parts = []
    for table, ids in (("calls", phones), ("transfers", cards.to_list())):
        record_kind, columns, time_column = _INGESTED[table]
        model = PhoneCall if table == "calls" else Transfer
        frame = _rows_touching(session, model, list(columns), ids) if ids else pl.DataFrame()
        if frame.height:
            parts.append(
                record_identifiers(
                    frame,
                    record_kind=record_kind,
                    columns=dict.fromkeys(columns, ""),
                    time_column=time_column,
                    key_prefix=columns,
                )
            )
    if not parts:
        return _EMPTY
    return record_hits(session, pl.concat(parts), now=now, wanted=wanted)
