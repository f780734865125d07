"""O*NET Related Occupations: tiers become grades, bad rows name file/row/field, unknown codes
are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillgraph.data.onet import load_onet
from skillgraph.data.onet_related import (
    CODE,
    INDEX,
    RELATED_CODE,
    RELATED_OCCUPATIONS,
    TIER,
    has_related_occupations,
    read_related_occupations,
)
from skillgraph.errors import DatasetError

FIXTURE = Path(__file__).parents[1] / "fixtures" / "onet_tiny"
HEADER = f"{CODE}\tTitle\t{RELATED_CODE}\tRelated Title\t{TIER}\t{INDEX}\n"
GOOD = "15-1252.00\tA\t15-1253.00\tB\tPrimary-Short\t1\n"


def test_tiers_become_grades_closest_highest() -> None:
    related = read_related_occupations(FIXTURE)
    assert related.pairs["15-1252.00"] == {"15-1253.00": 3, "15-1299.98": 2, "29-1141.00": 1}
    assert related.pairs["15-1253.00"] == {"15-1252.00": 3}
    assert related.rows == 5
    assert related.count() == 5
    assert has_related_occupations(FIXTURE)


def test_the_loader_does_not_read_it() -> None:
    records = load_onet(FIXTURE)  # the engine's records: no trace of the related pairs
    assert not any("Related" in source for source in records.sources)
    assert RELATED_OCCUPATIONS.required is False


def test_unknown_codes_are_reported_by_column() -> None:
    known = set(load_onet(FIXTURE).roles)
    unknown = read_related_occupations(FIXTURE).unknown_codes(known)
    assert unknown == {CODE: ["31-9999.97"], RELATED_CODE: ["15-1299.98"]}


def _write(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / RELATED_OCCUPATIONS.name
    path.write_text(header + "".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("bad_row", "field", "words"),
    [
        ("15-1252\tA\t15-1253.00\tB\tPrimary-Short\t1\n", CODE, "O*NET-SOC code"),
        ("15-1252.00\tA\tnurse\tB\tPrimary-Short\t1\n", RELATED_CODE, "O*NET-SOC code"),
        ("15-1252.00\tA\t29-1141.00\tB\tPrimary\t1\n", TIER, "unknown relatedness tier"),
        ("15-1252.00\tA\t29-1141.00\tB\tSupplemental\tfirst\n", INDEX, "whole number"),
        ("15-1252.00\tA\t29-1141.00\tB\tSupplemental\t0\n", INDEX, "whole number"),
        ("15-1252.00\tA\t15-1252.00\tA\tPrimary-Long\t2\n", RELATED_CODE, "itself"),
        ("15-1252.00\tA\t15-1253.00\tB\tSupplemental\t9\n", TIER, "another tier in row 2"),
    ],
)
def test_malformed_rows_name_file_row_and_field(
    tmp_path: Path, bad_row: str, field: str, words: str
) -> None:
    path = _write(tmp_path, GOOD, bad_row)
    with pytest.raises(DatasetError) as caught:
        read_related_occupations(tmp_path)
    error = caught.value
    assert (error.file, error.row, error.field) == (str(path), 3, field)
    assert words in error.message


def test_the_same_pair_twice_with_the_same_tier_counts_once(tmp_path: Path) -> None:
    related = read_related_occupations(_write(tmp_path, GOOD, GOOD))
    assert related.pairs == {"15-1252.00": {"15-1253.00": 3}}
    assert related.rows == 2


def test_missing_column_file_or_rows(tmp_path: Path) -> None:
    no_tier = f"{CODE}\tTitle\t{RELATED_CODE}\tRelated Title\n"
    path = _write(tmp_path, "15-1252.00\tA\t15-1253.00\tB\n", header=no_tier)
    with pytest.raises(DatasetError) as caught:
        read_related_occupations(path)
    assert (caught.value.row, caught.value.field) == (1, TIER)
    path.write_text(HEADER, encoding="utf-8")
    with pytest.raises(DatasetError, match="no related occupations"):
        read_related_occupations(path)
    path.unlink()
    assert not has_related_occupations(tmp_path)
    with pytest.raises(DatasetError, match="not found"):
        read_related_occupations(tmp_path)
