"""Card registrations (开卡/入网 records) → ``phones`` / ``bank_accounts`` with holders.

Columns: ``number`` (a phone number or a bank account number), ``kind`` (phone/bank;
when absent, ``+…`` or at most 11 digits is a phone and 12 or more a bank card), the
holder's ``id_number`` and/or ``name``, the ``outlet`` name, ``opened_at`` and the
``issuer`` (carrier or bank).

* Holders: a person is found by ID number in ``persons`` or created (name from the file,
  else ``未知``; sex and birth date read from the number). A holder known only by name is
  a new person, one per distinct name in the file: names are not unique, so a name alone
  is never matched against the store.
* Outlets are found by exact name in ``outlets`` or created (kind phone/bank, operator =
  the issuer or ``未知``).
* A card already stored with a holder is skipped and counted (importing twice stores once).
  A card stored without a holder (created by a call or transfer import) gets the holder,
  and the outlet, time and issuer where those are empty (a bank ``未知`` is replaced).
* A card listed twice in the file is a row error naming the first line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import polars as pl

from fanzha.errors import InvalidInput
from fanzha.ingest._normalize import (
    canonical_values,
)
from fanzha.ingest._plan import (
    UNKNOWN,
    UTC_TIME,
    IngestOptions,
    LookupFn,
    Plan,
    assign_ids,
    attach_ids,
    fetch_ids,
    numbered,
)
from fanzha.ingest._rows import ROW, RowErrors, raw, times, with_text
from fanzha.records import (
    ACCOUNT_HINT,
    PHONE_HINT,
    account_kinds,
    clean_accounts,
    clean_id_numbers,
    clean_phones,
    id_number_births,
    id_number_genders,
    phone_kinds,
)

__all__ = ["CARD_KINDS", "plan_cards"]

CARD_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "phone": "phone",
        "mobile": "phone",
        "sim": "phone",
        "手机": "phone",
        "手机卡": "phone",
        "电话卡": "phone",
        "bank": "bank",
        "card": "bank",
        "bank_card": "bank",
        "银行卡": "bank",
        "借记卡": "bank",
        "信用卡": "bank",
        "账户": "bank",
    }
)


@dataclass(frozen=True, slots=True)
class _Table:
    """How a card kind is stored: table, number, holder, time and issuer columns, issuer width."""

    name: str
    number: str
    holder: str
    opened: str
    issuer: str
    width: int

    def stored(self, numbers: pl.Series, lookup: LookupFn) -> pl.DataFrame:
        """Stored cards among ``numbers``, with the columns renamed to the common names."""
        found = fetch_ids(
            lookup,
            self.name,
            self.number,
            numbers,
            {
                self.holder: pl.Int64(),
                "outlet_id": pl.Int64(),
                self.opened: UTC_TIME,
                self.issuer: pl.String(),
            },
        )
        return found.select(
            pl.col(self.number).alias("number"),
            pl.col("id").alias("_id"),
            pl.col(self.holder).alias("_holder"),
            pl.col("outlet_id").alias("_outlet"),
            pl.col(self.opened).alias("_opened"),
            pl.col(self.issuer).alias("_issuer"),
        )


_TABLES: Mapping[str, _Table] = MappingProxyType(
    {
        "phone": _Table("phones", "number", "owner_id", "registered_at", "carrier", 16),
        "bank": _Table("bank_accounts", "account_no", "holder_id", "opened_at", "bank", 32),
    }
)


def _holders(rows: pl.DataFrame, lookup: LookupFn, start: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(``rows`` with ``holder_id``, new ``persons`` rows)."""
    by_id = rows.filter(pl.col("id_number").is_not_null())
    stored = fetch_ids(lookup, "persons", "id_number", by_id.get_column("id_number"))
    id_map, new_by_id = assign_ids(
        by_id.get_column("id_number"), stored, key="id_number", start=start
    )
    names = by_id.group_by("id_number").agg(pl.col("name").drop_nulls().first())
    new_by_id = new_by_id.join(names, on="id_number", how="left", maintain_order="left")
    by_name = rows.filter(pl.col("id_number").is_null())
    name_map, new_by_name = assign_ids(
        by_name.get_column("name"),
        pl.DataFrame(schema={"name": pl.String, "id": pl.Int64}),
        key="name",
        start=start + new_by_id.height,
    )
    persons = pl.concat(
        [
            new_by_id.with_columns(
                name=pl.col("name").fill_null(UNKNOWN),
                gender=id_number_genders(pl.col("id_number")),
                birth_date=id_number_births(pl.col("id_number")),
            ),
            new_by_name,
        ],
        how="diagonal_relaxed",
    ).with_columns(kind=pl.lit("citizen"))
    rows = attach_ids(rows, id_map, key="id_number", columns={"id_number": "_by_id"})
    rows = attach_ids(rows, name_map, key="name", columns={"name": "_by_name"})
    return rows.with_columns(holder_id=pl.coalesce("_by_id", "_by_name")), persons


def _outlets(rows: pl.DataFrame, lookup: LookupFn, start: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(``rows`` with ``outlet_id``, new ``outlets`` rows)."""
    named = rows.filter(pl.col("outlet").is_not_null())
    stored = fetch_ids(lookup, "outlets", "name", named.get_column("outlet"))
    mapping, new = assign_ids(named.get_column("outlet"), stored, key="name", start=start)
    firsts = named.group_by("outlet", maintain_order=True).agg(
        pl.col("kind").first(), pl.col("issuer").drop_nulls().first()
    )
    new = new.join(
        firsts.rename({"outlet": "name"}), on="name", how="left", maintain_order="left"
    ).select(
        "id",
        "name",
        "kind",
        pl.col("issuer").fill_null(UNKNOWN).alias("operator"),
    )
    return attach_ids(rows, mapping, key="name", columns={"outlet": "outlet_id"}), new


def _read(work: pl.DataFrame, errors: RowErrors, options: IngestOptions) -> pl.DataFrame:
    """Normalise and check the rows; the bad ones are recorded in ``errors`` and dropped."""
    if raw("id_number") not in work.columns and raw("name") not in work.columns:
        raise InvalidInput(
            "no holder column: cards need the holder's ID number or name; map id_number=<column> "
            "or name=<column>",
            field="id_number",
            source=errors.source,
        )
    work = with_text(work, ("number", "kind", "id_number", "name", "outlet", "issuer"))
    cols = set(work.columns)

    def text(field: str) -> pl.Expr:
        return pl.col(raw(field)) if raw(field) in cols else pl.lit(None, dtype=pl.String)

    digits = text("number").str.replace_all(r"[\s\-().]", "")
    guess = (
        pl.when(digits.str.starts_with("+") | (digits.str.len_chars() <= 11))
        .then(pl.lit("phone"))
        .otherwise(pl.lit("bank"))
    )
    work = work.with_columns(
        kind=pl.when(text("kind").is_null())
        .then(guess)
        .otherwise(canonical_values(text("kind"), CARD_KINDS)),
        id_number=clean_id_numbers(text("id_number")),
        name=text("name"),
        outlet=text("outlet"),
        issuer=text("issuer"),
        opened_at=times(work, errors, "opened_at", tz=options.tz),
    ).with_columns(
        number=pl.when(pl.col("kind") == "phone")
        .then(clean_phones(text("number")))
        .otherwise(clean_accounts(text("number")))
    )
    errors.check(work, "kind", "is not phone or bank (手机卡 / 银行卡)", required=False)
    number_hint = (
        pl.when(pl.col("kind") == "phone").then(pl.lit(PHONE_HINT)).otherwise(pl.lit(ACCOUNT_HINT))
    )
    errors.add(work, text("number").is_null(), "number", "is empty")
    errors.add(
        work,
        text("number").is_not_null() & pl.col("kind").is_not_null() & pl.col("number").is_null(),
        "number",
        number_hint,
    )
    errors.check(
        work,
        "id_number",
        "is not a resident ID number (18 characters with a valid check character, or 15 digits)",
        required=False,
    )
    holder = "id_number" if raw("id_number") in cols else "name"
    errors.add(
        work,
        text("id_number").is_null() & pl.col("name").is_null(),
        holder,
        "no holder: give the ID number or the name",
    )
    limits = {"name": 64, "outlet": 128}
    for field, width in limits.items():
        errors.add(
            work, pl.col(field).str.len_chars() > width, field, f"is longer than {width} characters"
        )
    for kind, table in _TABLES.items():
        errors.add(
            work,
            (pl.col("kind") == kind) & (pl.col("issuer").str.len_chars() > table.width),
            "issuer",
            f"is longer than {table.width} characters",
        )
    errors.check(work, "opened_at", "is not a time (ISO 8601, 2024/05/01, epoch s)", required=False)
    first = work.group_by("kind", "number").agg(pl.col(ROW).min().alias("_first"))
    marked = work.join(first, on=["kind", "number"], how="left", maintain_order="left")
    errors.add(
        marked,
        pl.col("number").is_not_null() & (pl.col(ROW) != pl.col("_first")),
        "number",
        pl.format("repeats the card of line {}", pl.col("_first") + errors.first_line),
    )
    return errors.drop_bad(work)


def plan_cards(
    work: pl.DataFrame,
    errors: RowErrors,
    *,
    lookup: LookupFn,
    ids: Mapping[str, int],
    options: IngestOptions,
) -> Plan:
    """Validate card registrations and plan persons, outlets, phones and bank accounts."""
    work = _read(work, errors, options)
    parts = [
        work.filter(pl.col("kind") == kind).join(
            table.stored(work.filter(pl.col("kind") == kind).get_column("number"), lookup),
            on="number",
            how="left",
            maintain_order="left",
        )
        for kind, table in _TABLES.items()
    ]
    cards = pl.concat(parts).sort(ROW)
    apply = cards.filter(pl.col("_id").is_null() | pl.col("_holder").is_null())
    apply, persons = _holders(apply, lookup, ids["persons"])
    apply, outlets = _outlets(apply, lookup, ids["outlets"])
    inserts = {"persons": persons, "outlets": outlets}
    updates = {}
    for kind, table in _TABLES.items():
        rows = apply.filter(pl.col("kind") == kind)
        new = rows.filter(pl.col("_id").is_null()).select(
            pl.col("number").alias(table.number),
            pl.col("holder_id").alias(table.holder),
            "outlet_id",
            pl.col("opened_at").alias(table.opened),
            (pl.col("issuer") if kind == "phone" else pl.col("issuer").fill_null(UNKNOWN)).alias(
                table.issuer
            ),
            (phone_kinds if kind == "phone" else account_kinds)(pl.col("number")).alias("kind"),
        )
        inserts[table.name] = numbered(new, ids[table.name])
        stored_issuer = pl.col("_issuer")
        updates[table.name] = rows.filter(pl.col("_id").is_not_null()).select(
            pl.col("_id").alias("id"),
            pl.col("holder_id").alias(table.holder),
            pl.coalesce("_outlet", "outlet_id").alias("outlet_id"),
            pl.coalesce("_opened", "opened_at").alias(table.opened),
            pl.when(stored_issuer.is_null() | (stored_issuer == UNKNOWN))
            .then(pl.coalesce("issuer", stored_issuer))
            .otherwise(stored_issuer)
            .alias(table.issuer),
        )
    return Plan(
        inserts=inserts,
        updates=updates,
        records=apply.height,
        skipped_existing=cards.height - apply.height,
    )
