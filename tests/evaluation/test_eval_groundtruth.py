"""Ground-truth files: every format reads the same; problems name file, row and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.groundtruth import GroundTruth, Task, load_groundtruth, parse_task
from skillgraph.data.schema import Employee, LearningItem, MentorOffer, Records, Role, Skill
from skillgraph.errors import DatasetError, ValidationError

EXPECTED = {"r1": {"r2": 2, "r3": 0}, "r2": {"r1": 1}}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_tsv_and_both_json_shapes_read_the_same(tmp_path: Path) -> None:
    csv_file = _write(
        tmp_path / "g.csv", "query,item,grade,comment\nr1,r2,2,x\nr1,r3,0,\nr2,r1,1,\n"
    )
    tsv_file = _write(tmp_path / "g.tsv", "query\titem\tgrade\nr1\tr2\t2\nr1\tr3\t0\nr2\tr1\t1\n")
    rows = [
        {"query": "r1", "item": "r2", "grade": 2},
        {"query": "r1", "item": "r3", "grade": 0},
        {"query": "r2", "item": "r1", "grade": 1},
    ]
    array_file = _write(tmp_path / "a.json", json.dumps(rows))
    object_file = _write(tmp_path / "o.json", json.dumps(EXPECTED))
    for path in (csv_file, tsv_file, array_file, object_file):
        truth = load_groundtruth(path, "role_related_roles")
        assert truth.qrels == EXPECTED, path.name
        assert truth.task is Task.ROLE_RELATED_ROLES
        assert truth.pairs == 3


def test_repeated_pair_with_same_grade_counts_once(tmp_path: Path) -> None:
    path = _write(tmp_path / "g.csv", "query,item,grade\nr1,r2,1\nr1,r2,1\n")
    assert load_groundtruth(path, Task.NEXT_ROLE).pairs == 1


def test_conflicting_grades_name_both_rows(tmp_path: Path) -> None:
    path = _write(tmp_path / "g.csv", "query,item,grade\nr1,r2,1\nr2,r1,1\nr1,r2,3\n")
    with pytest.raises(DatasetError) as err:
        load_groundtruth(path, Task.NEXT_ROLE)
    assert (err.value.row, err.value.field) == (4, "grade")
    assert "row 2" in str(err.value)
    assert "g.csv" in str(err.value)


def test_missing_column_names_the_column(tmp_path: Path) -> None:
    path = _write(tmp_path / "g.csv", "query,item\nr1,r2\n")
    with pytest.raises(DatasetError) as err:
        load_groundtruth(path, Task.NEXT_ROLE)
    assert err.value.field == "grade"
    assert err.value.row == 1


@pytest.mark.parametrize("grade", ["-1", "2.5", "high", ""])
def test_bad_grades_name_row_and_field(tmp_path: Path, grade: str) -> None:
    path = _write(tmp_path / "g.csv", f"query,item,grade\nr1,r2,1\nr1,r3,{grade}\n")
    with pytest.raises(DatasetError) as err:
        load_groundtruth(path, Task.NEXT_ROLE)
    assert (err.value.row, err.value.field) == (3, "grade")
    assert str(err.value.file).endswith("g.csv")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ([{"query": "r1", "item": "r2"}], "grade"),
        ([{"query": "r1", "item": "r2", "grade": True}], "grade"),
        ([{"query": "", "item": "r2", "grade": 1}], "query"),
        ([{"query": "r1", "item": None, "grade": 1}], "item"),
    ],
)
def test_bad_json_rows_name_the_field(tmp_path: Path, payload: object, field: str) -> None:
    path = _write(tmp_path / "g.json", json.dumps(payload))
    with pytest.raises(DatasetError) as err:
        load_groundtruth(path, Task.NEXT_ROLE)
    assert err.value.field == field
    assert err.value.row == 1


@pytest.mark.parametrize(
    ("name", "text"),
    [("empty.csv", ""), ("header.csv", "query,item,grade\n"), ("e.json", "[]"), ("b.json", "{")],
)
def test_empty_or_broken_files_are_errors(tmp_path: Path, name: str, text: str) -> None:
    with pytest.raises(DatasetError) as err:
        load_groundtruth(_write(tmp_path / name, text), Task.NEXT_ROLE)
    assert name in str(err.value)


def test_unsupported_extension_and_task(tmp_path: Path) -> None:
    with pytest.raises(DatasetError):
        load_groundtruth(_write(tmp_path / "g.xlsx", "x"), Task.NEXT_ROLE)
    with pytest.raises(ValidationError, match="next_role"):
        parse_task("next-job")


def _records() -> Records:
    records = Records()
    records.skills = {s: Skill(s, s.upper()) for s in ("sql", "python")}
    records.roles = {r: Role(r, r.title()) for r in ("analyst", "scientist")}
    records.employees = {
        "e1": Employee("e1", "One", "analyst"),
        "e2": Employee("e2", "Two", "scientist"),
    }
    records.mentors = {"offer-e2": MentorOffer("offer-e2", "e2", capacity=2)}
    records.items = {"c1": LearningItem("c1", "SQL course")}
    return records


def test_resolve_reports_unknown_ids_with_counts_and_examples() -> None:
    truth = GroundTruth(
        Task.ROLE_RELATED_ROLES,
        {"analyst": {"scientist": 1, "ghost": 2, "ghost2": 1}, "nobody": {"analyst": 1}},
        "g.csv",
    )
    resolved = truth.resolve(_records())
    assert resolved.qrels == {"analyst": {"scientist": 1}}
    kinds = {u.kind: u for u in resolved.unknown}
    assert kinds["item role"].count == 2
    assert set(kinds["item role"].examples) == {"ghost", "ghost2"}
    assert kinds["query role"].examples == ("nobody",)
    assert resolved.dropped_pairs == 3
    assert resolved.dropped_queries == 1
    assert resolved.to_dict()["unknown"][0]["count"] >= 1


def test_resolve_accepts_mentor_offer_or_person_and_skill_lists() -> None:
    records = _records()
    mentors = GroundTruth(Task.EMPLOYEE_MENTORS, {"e1": {"offer-e2": 1, "e2": 2}}, "m.csv")
    assert mentors.resolve(records).qrels == {"e1": {"e2": 2}}
    items = GroundTruth(Task.SKILLS_ITEMS, {"sql|python": {"c1": 1}, "sql|nope": {"c1": 1}}, "i")
    resolved = items.resolve(records)
    assert resolved.qrels == {"sql|python": {"c1": 1}}
    assert [(u.kind, u.examples) for u in resolved.unknown] == [("query skill", ("nope",))]
