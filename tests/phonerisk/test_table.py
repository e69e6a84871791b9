"""`phonerisk._table`: reading a features CSV and an adjacency, and the errors for bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from fanzha.errors import InvalidInput, NotFound
from fanzha.phonerisk import load_adjacency, read_phone_table

GOOD = "phone,split,label,calls,arpu\na,train,1,10,5.5\nb,train,0,3,\nc,test,,7,2\n"


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "users.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_ids_labels_and_features_and_sets_text_columns_aside(tmp_path: Path) -> None:
    table = read_phone_table(_csv(tmp_path, GOOD), id_col="phone", label_col="label")
    assert table.ids.tolist() == ["a", "b", "c"]
    assert table.columns == ("calls", "arpu")
    assert table.ignored == ("split",)
    np.testing.assert_array_equal(table.values, [[10, 5.5], [3, np.nan], [7, 2]])
    assert table.labels is not None
    np.testing.assert_array_equal(table.labels, [1, 0, np.nan])


def test_fixed_columns_are_read_in_the_given_order(tmp_path: Path) -> None:
    table = read_phone_table(_csv(tmp_path, GOOD), id_col="phone", columns=["arpu", "calls"])
    assert table.columns == ("arpu", "calls")
    assert table.labels is None


@pytest.mark.parametrize(
    ("text", "kwargs", "expected"),
    [
        pytest.param(GOOD, {"id_col": "msisdn"}, r"no id column 'msisdn'", id="missing-id-column"),
        pytest.param(
            GOOD,
            {"id_col": "phone", "label_col": "fraud"},
            r"no label column 'fraud'",
            id="missing-label-column",
        ),
        pytest.param(
            GOOD,
            {"id_col": "phone", "columns": ["calls", "flow"]},
            r"users.csv, flow: missing feature column\(s\) 'flow'",
            id="score-column-missing",
        ),
        pytest.param(
            "phone,calls\na,10\nb,12次\n",
            {"id_col": "phone"},
            r"users.csv line 3, calls: '12次' is not a finite number",
            id="non-numeric-cell",
        ),
        pytest.param(
            "phone,calls\na,inf\n",
            {"id_col": "phone"},
            r"line 2, calls: 'inf' is not a finite number",
            id="infinite",
        ),
        pytest.param(
            "phone,calls\na,1\nb,2\na,3\n",
            {"id_col": "phone"},
            r"line 4, phone: id 'a' repeats line 2",
            id="duplicate-id",
        ),
        pytest.param(
            "phone,calls\na,1\n,2\n", {"id_col": "phone"}, r"line 3, phone: empty id", id="empty-id"
        ),
        pytest.param(
            "phone,label,calls\na,2,1\n",
            {"id_col": "phone", "label_col": "label"},
            r"line 2, label: '2' is not a label",
            id="label-not-0-1",
        ),
        pytest.param(
            "phone,split\na,train\n",
            {"id_col": "phone"},
            r"no numeric feature column",
            id="no-features",
        ),
        pytest.param(
            "phone,split\na,train\n",
            {"id_col": "phone", "columns": ["split"]},
            r"line 2, split: 'train' is not a finite number",
            id="score-text-column",
        ),
    ],
)
def test_bad_tables_name_the_column_and_line(
    tmp_path: Path, text: str, kwargs: dict[str, object], expected: str
) -> None:
    with pytest.raises(InvalidInput, match=expected):
        read_phone_table(_csv(tmp_path, text), **kwargs)  # type: ignore[arg-type]


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no such file"):
        read_phone_table(tmp_path / "nope.csv", id_col="phone")


def test_adjacency_must_match_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "adj.npz"
    sp.save_npz(path, sp.csr_matrix(np.eye(4)))
    with pytest.raises(InvalidInput, match=r"adj.npz: the adjacency matrix is 4×4 but users.csv"):
        load_adjacency(path, 3, rows_source="users.csv")


def test_adjacency_that_is_not_npz_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "adj.npz"
    path.write_text("not a matrix", encoding="utf-8")
    with pytest.raises(InvalidInput, match="save_npz"):
        load_adjacency(path, 3)


def test_adjacency_is_symmetrised(tmp_path: Path) -> None:
    path = tmp_path / "adj.npz"
    sp.save_npz(path, sp.csr_matrix(([1], ([0], [2])), shape=(3, 3)))
    assert load_adjacency(path, 3).toarray()[2, 0] == 1


def test_nan_written_by_other_tools_is_missing(tmp_path: Path) -> None:
    text = "phone,label,calls\na,NaN,nan\nb,1.0, 4 \n"
    table = read_phone_table(_csv(tmp_path, text), id_col="phone", label_col="label")
    assert table.labels is not None
    np.testing.assert_array_equal(table.labels, [np.nan, 1])
    np.testing.assert_array_equal(table.values[:, 0], [np.nan, 4])
