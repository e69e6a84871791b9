"""Bank accounts and ID numbers: the column and the one-value forms agree."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.records import account_kinds, clean_accounts, clean_id_numbers
from fanzha.records._account import account_kind, clean_account
from fanzha.records._idnumber import clean_id_number
from tests.ingest.conftest import ID_A, ID_B

_ACCOUNT_TEXT = st.text(alphabet=st.sampled_from(list("0123456789 -６x\x1f\u3000")), max_size=45)
_ID_TEXT = st.one_of(
    st.text(alphabet=st.sampled_from(list("0123456789Xx \x1c")), min_size=14, max_size=19),
    st.sampled_from([ID_A, ID_B, ID_A.lower(), ID_A[:-1] + "0", " " + ID_B]),
    st.from_regex(
        r"[0-9]{6}(19|20)[0-9]{2}(0[1-9]|1[0-2])[0-3][0-9][0-9]{3}[0-9X]", fullmatch=True
    ),
)


def _column(expr_of: object, values: list[str]) -> list[object]:
    series = pl.Series("v", values, dtype=pl.String)
    return pl.select(expr_of(series)).to_series().to_list()  # type: ignore[operator]


@settings(max_examples=300, deadline=None)
@given(st.lists(_ACCOUNT_TEXT, max_size=20))
def test_accounts_column_and_scalar_agree(values: list[str]) -> None:
    cleaned = [clean_account(v) for v in values]
    assert _column(clean_accounts, values) == cleaned
    accounts = [c for c in cleaned if c is not None]
    assert _column(account_kinds, accounts) == [account_kind(a) for a in accounts]
    assert all(clean_account(a) == a for a in accounts)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ID_TEXT, max_size=20))
def test_id_numbers_column_and_scalar_agree(values: list[str]) -> None:
    cleaned = [clean_id_number(v) for v in values]
    assert _column(clean_id_numbers, values) == cleaned
    assert all(clean_id_number(c) == c for c in cleaned if c is not None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6217 0000-0000 0000 012", "6217000000000000012"),
        ("６２１７０００００００００", "6217000000000"),
        ("62170000000", None),
        ("ABCD00000000", None),
    ],
)
def test_account_rules(raw: str, expected: str | None) -> None:
    assert clean_account(raw) == expected


def test_id_number_rules() -> None:
    assert clean_id_number(ID_A.lower()) == ID_A.upper()
    assert clean_id_number(ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")) is None
