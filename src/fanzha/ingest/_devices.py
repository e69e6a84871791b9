"""Device logs: ``imei, number, seen_at[, cell_id, imsi, kind]`` → ``devices``, ``phones``
and ``device_sightings``.

One log row says a SIM (its phone number, perhaps its IMSI) was seen in a device at a time,
perhaps under a cell. Every row is kept as a ``device_sightings`` row (one per device, number
and time: of rows that differ only in cell or IMSI the last in the file wins; a sighting
already stored is skipped), and the store also keeps the latest state:

* each IMEI becomes a ``devices`` row (found by IMEI or created): ``kind`` from the file
  (handset or goip; default handset, a stored kind is kept unless the file names one),
  ``slots`` the number of distinct numbers seen in it (never lowered), ``cell_id`` the
  cell of its latest row that names one;
* each number's ``phones`` row (found or created) points at the device of its latest row,
  and takes the latest IMSI given for it.

Repeated rows are counted as duplicates; rows are used in time order whatever their order
in the file. Importing the same log twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import polars as pl

from fanzha.ingest._calls import phone_ids
from fanzha.ingest._normalize import canonical_values, clean_imeis, clean_imsis
from fanzha.ingest._plan import (
    UTC_TIME,
    IngestOptions,
    Lookup,
    LookupFn,
    Plan,
    assign_ids,
    attach_ids,
    fetch,
    numbered,
    without_stored,
)
from fanzha.ingest._rows import ROW, RowErrors, raw, times, with_text
from fanzha.records import PHONE_HINT, clean_phones

__all__ = ["DEVICE_KINDS", "plan_devices"]

DEVICE_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "handset": "handset",
        "phone": "handset",
        "手机": "handset",
        "goip": "goip",
        "gateway": "goip",
        "猫池": "goip",
    }
)
_MAX_CELL = 32


def _read(work: pl.DataFrame, errors: RowErrors, options: IngestOptions) -> pl.DataFrame:
    work = with_text(work, ("imei", "number", "cell_id", "imsi", "kind"))
    cols = set(work.columns)

    def text(field: str) -> pl.Expr:
        return pl.col(raw(field)) if raw(field) in cols else pl.lit(None, dtype=pl.String)

    work = work.with_columns(
        imei=clean_imeis(text("imei")),
        number=clean_phones(text("number")),
        seen_at=times(work, errors, "seen_at", tz=options.tz),
        cell_id=text("cell_id"),
        imsi=clean_imsis(text("imsi")),
        kind=canonical_values(text("kind"), DEVICE_KINDS),
    )
    errors.check(work, "imei", "is not an IMEI (14–16 digits) or MEID (14 hex digits)")
    errors.check(work, "number", PHONE_HINT)
    errors.check(work, "seen_at", "is not a time (ISO 8601, 2024/05/01 10:00:00, epoch s/ms)")
    errors.check(work, "imsi", "is not an IMSI (15 digits)", required=False)
    errors.check(work, "kind", "is not handset or goip (手机 / 猫池)", required=False)
    errors.add(
        work,
        pl.col("cell_id").str.len_chars() > _MAX_CELL,
        "cell_id",
        f"is longer than {_MAX_CELL} characters",
    )
    return errors.drop_bad(work)


def _device_rows(
    work: pl.DataFrame, lookup: LookupFn, start: int
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(imei → id, new ``devices`` rows, updates of stored devices)."""
    seen = work.group_by("imei", maintain_order=True).agg(
        pl.col("number").n_unique().alias("slots"),
        pl.col("cell_id").drop_nulls().last(),
        pl.col("kind").drop_nulls().first(),
    )
    stored = fetch(
        lookup,
        Lookup(
            "devices",
            {
                "imei": pl.String(),
                "id": pl.Int64(),
                "kind": pl.String(),
                "slots": pl.Int64(),
                "cell_id": pl.String(),
            },
            key="imei",
            values=seen.get_column("imei"),
        ),
    )
    mapping, new = assign_ids(seen.get_column("imei"), stored, key="imei", start=start)
    new = new.join(seen, on="imei", how="left", maintain_order="left").with_columns(
        pl.col("kind").fill_null("handset"), pl.col("slots").cast(pl.Int64)
    )
    changed = (
        seen.join(stored, on="imei", how="inner", suffix="_stored", maintain_order="left")
        .with_columns(
            pl.max_horizontal("slots", "slots_stored").cast(pl.Int64).alias("slots"),
            pl.coalesce("cell_id", "cell_id_stored").alias("cell_id"),
            pl.coalesce("kind", "kind_stored").alias("kind"),
        )
        .filter(
            (pl.col("slots") != pl.col("slots_stored"))
            | pl.col("cell_id").ne_missing(pl.col("cell_id_stored"))
            | (pl.col("kind") != pl.col("kind_stored"))
        )
        .select("id", "kind", "slots", "cell_id", "imei")
    )
    return mapping, new, changed


def plan_devices(
    work: pl.DataFrame,
    errors: RowErrors,
    *,
    lookup: LookupFn,
    ids: Mapping[str, int],
    options: IngestOptions,
) -> Plan:
    """Validate device-log rows and plan ``devices`` rows and the phones' device links."""
    work = _read(work, errors, options)
    before = work.height
    work = work.unique(
        ["imei", "number", "seen_at", "cell_id", "imsi"], keep="first", maintain_order=True
    ).sort("seen_at", ROW)
    duplicates = before - work.height
    devices, new_devices, changed_devices = _device_rows(work, lookup, ids["devices"])

    latest = work.group_by("number", maintain_order=True).agg(
        pl.col("imei").last(), pl.col("imsi").drop_nulls().last()
    )
    latest = latest.join(
        devices.rename({"id": "device_id"}), on="imei", how="left", maintain_order="left"
    )
    phones, new_phones, stored = phone_ids(
        latest.get_column("number"),
        lookup,
        ids["phones"],
        {"device_id": pl.Int64(), "imsi": pl.String()},
    )
    new_phones = new_phones.join(
        latest.select("number", "device_id", "imsi"), on="number", how="left", maintain_order="left"
    )
    relinked = (
        latest.join(stored, on="number", how="inner", suffix="_stored", maintain_order="left")
        .with_columns(pl.coalesce("imsi", "imsi_stored").alias("imsi"))
        .filter(
            pl.col("device_id").ne_missing(pl.col("device_id_stored"))
            | pl.col("imsi").ne_missing(pl.col("imsi_stored"))
        )
    )
    sightings = _new_sightings(work, devices, phones, lookup)
    sighted = sightings.select("imei", "number", "seen_at", sighted=pl.lit(True))
    changed = (
        work.join(sighted, on=["imei", "number", "seen_at"], how="left", maintain_order="left")
        .filter(
            pl.col("number").is_in(pl.concat([new_phones["number"], relinked["number"]]).implode())
            | pl.col("imei").is_in(
                pl.concat([new_devices["imei"], changed_devices["imei"]]).implode()
            )
            | pl.col("sighted").fill_null(False)
        )
        .height
    )
    return Plan(
        inserts={
            "devices": new_devices,
            "phones": new_phones,
            "device_sightings": numbered(
                sightings.select(*_SIGHTING_KEY, "imsi", "cell_id"),
                ids["device_sightings"],
            ),
        },
        updates={
            "devices": changed_devices.drop("imei"),
            "phones": relinked.select("id", "device_id", "imsi"),
        },
        records=changed,
        skipped_existing=work.height - changed,
        duplicates=duplicates,
    )


_SIGHTING_KEY = ("device_id", "phone_id", "seen_at")


def _new_sightings(
    work: pl.DataFrame, devices: pl.DataFrame, phones: pl.DataFrame, lookup: LookupFn
) -> pl.DataFrame:
    """The rows' sightings that are not stored yet: ids, key columns, ``imsi``, ``cell_id``."""
    sightings = attach_ids(
        work.unique(["imei", "number", "seen_at"], keep="last", maintain_order=True),
        devices,
        key="imei",
        columns={"imei": "device_id"},
    )
    sightings = attach_ids(sightings, phones, key="number", columns={"number": "phone_id"})
    return without_stored(
        sightings,
        lookup,
        "device_sightings",
        {"device_id": pl.Int64(), "phone_id": pl.Int64(), "seen_at": UTC_TIME},
        among=sightings,
        key="device_id",
        time="seen_at",
    )
