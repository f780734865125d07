"""Bad company input: every problem is a DatasetError that names the file, row and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from skillgraph.data.company import load_company, write_company
from skillgraph.data.schema import Records, Skill
from skillgraph.errors import CycleError, DatasetError

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "company_tiny"


@pytest.fixture
def company(tmp_path: Path) -> Path:
    """A writable copy of the tiny company."""
    target = tmp_path / "company"
    shutil.copytree(TINY, target)
    return target


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def load_error(company: Path) -> DatasetError:
    with pytest.raises(DatasetError) as info:
        load_company(company)
    return info.value


def assert_names(error: DatasetError, file: str, row: int | None, field: str | None) -> None:
    assert error.file is not None, error
    assert error.file.endswith(file), error
    assert error.row == row, error
    assert error.field == field, error


def test_malformed_csv_names_the_row(company: Path) -> None:
    replace_in(company / "skills.csv", 'with SQL.",technology', 'with SQL."x,technology')
    error = load_error(company)
    assert "malformed CSV" in str(error)
    assert_names(error, "skills.csv", 4, None)


def test_csv_row_with_too_many_cells(company: Path) -> None:
    replace_in(
        company / "relations.csv", "sql,programming,broader,", "sql,programming,broader,,extra"
    )
    error = load_error(company)
    assert "fields but the header has" in str(error)
    assert error.row == 3


def test_malformed_json_gives_line_and_column(company: Path) -> None:
    replace_in(
        company / "mentors.json",
        '"capacity": 1, "modes": ["peer"]',
        '"capacity": 1 "modes": ["peer"]',
    )
    error = load_error(company)
    assert "malformed JSON at line 3 column" in str(error)
    assert_names(error, "mentors.json", 2, None)


def test_json_that_is_not_an_array_of_objects(company: Path) -> None:
    write(company / "mentors.json", '{"id": "m1"}')
    assert "expected a JSON array" in str(load_error(company))
    write(company / "mentors.json", '[{"id": "m1", "employee_id": "e1", "capacity": 1},\n 42]')
    error = load_error(company)
    assert "expected an object (line 2)" in str(error)
    assert error.row == 2


def test_json_with_trailing_data_or_a_key_twice(company: Path) -> None:
    write(company / "mentors.json", "[]\n[]")
    assert "extra data after" in str(load_error(company))
    write(
        company / "mentors.json", '[{"id": "m1", "id": "m2", "employee_id": "e1", "capacity": 1}]'
    )
    assert "'id' appears twice" in str(load_error(company))


def test_missing_csv_column(company: Path) -> None:
    replace_in(company / "employees.csv", "id,name,role_id,", "id,name,role,")
    error = load_error(company)
    assert "missing column(s) role_id" in str(error)
    assert_names(error, "employees.csv", 1, "role_id")


def test_missing_required_json_key(company: Path) -> None:
    replace_in(company / "roles.json", '{"id": "lead", "title": "Data Lead", ', '{"id": "lead", ')
    error = load_error(company)
    assert "missing required field 'title'" in str(error)
    assert "(line " in str(error)
    assert_names(error, "roles.json", 3, "title")


def test_empty_required_csv_cell(company: Path) -> None:
    replace_in(company / "employees.csv", "e3,Chen Li,scientist,", "e3,Chen Li,,")
    assert_names(load_error(company), "employees.csv", 4, "role_id")


def test_unknown_field_lists_the_allowed_ones(company: Path) -> None:
    replace_in(company / "content.json", '"provider": "Tiny Press"', '"publisher": "Tiny Press"')
    error = load_error(company)
    assert "unknown field 'publisher'; allowed: id, title" in str(error)
    assert_names(error, "content.json", 3, "publisher")


def test_underscore_keys_are_comments(company: Path) -> None:
    replace_in(company / "content.json", '"provider": "Tiny Press"', '"_note": "check edition"')
    assert len(load_company(company).items) == 5


def test_unknown_id_in_relations_names_id_file_row_field(company: Path) -> None:
    replace_in(
        company / "relations.csv", "pandas,ml,prerequisite", "pandas,deep-learning,prerequisite"
    )
    error = load_error(company)
    assert "unknown skill id 'deep-learning'" in str(error)
    assert_names(error, "relations.csv", 5, "target")


@pytest.mark.parametrize(
    ("file", "old", "new", "row", "field", "message"),
    [
        (
            "roles.json",
            '"skill_id": "ml", "level": 4',
            '"skill_id": "mlx", "level": 4',
            3,
            "requirements[0].skill_id",
            "unknown skill id 'mlx'",
        ),
        (
            "employees.csv",
            "e3,Chen Li,scientist,e1",
            "e3,Chen Li,scientist,e9",
            4,
            "manager_id",
            "unknown employee id 'e9'",
        ),
        (
            "employees.csv",
            "analyst:2022-03-01,",
            "analyst2:2022-03-01,",
            3,
            "history[0].role_id",
            "unknown role id 'analyst2'",
        ),
        (
            "mentors.json",
            '"employee_id": "e3"',
            '"employee_id": "e33"',
            2,
            "employee_id",
            "unknown employee id 'e33'",
        ),
        (
            "mentors.json",
            '"topics": ["dataviz"]',
            '"topics": ["dataviz", "viz"]',
            3,
            "topics[1]",
            "unknown skill id 'viz'",
        ),
        (
            "content.json",
            '{"skill_id": "python", "level": 2}',
            '{"skill_id": "py", "level": 2}',
            1,
            "prerequisites[0].skill_id",
            "unknown skill id 'py'",
        ),
        (
            "feedback.csv",
            "f1,e2,mentor,m2,",
            "f1,e2,mentor,m9,",
            2,
            "target_id",
            "unknown mentor offer id 'm9'",
        ),
        (
            "feedback.csv",
            "f3,e2,content,c1,",
            "f3,e2,content,c9,",
            4,
            "target_id",
            "unknown learning item id 'c9'",
        ),
    ],
)
def test_unknown_ids_anywhere(
    company: Path, file: str, old: str, new: str, row: int, field: str, message: str
) -> None:
    replace_in(company / file, old, new)
    error = load_error(company)
    assert message in str(error)
    assert_names(error, file, row, field)


def test_duplicate_ids_name_both_rows(company: Path) -> None:
    replace_in(company / "skills.csv", "communication,Communication", "python,Communication")
    error = load_error(company)
    assert "duplicate skill id 'python' (first at row 3)" in str(error)
    assert_names(error, "skills.csv", 9, "id")


def test_duplicate_json_ids_name_both_rows(company: Path) -> None:
    replace_in(company / "content.json", '{"id": "c4"', '{"id": "c2"')
    error = load_error(company)
    assert "duplicate learning item id 'c2' (first at row 2)" in str(error)
    assert_names(error, "content.json", 4, "id")


def test_id_already_in_the_base(company: Path) -> None:
    base = Records(skills={"sql": Skill("sql", "SQL", source="esco")}, sources=["esco v1"])
    with pytest.raises(DatasetError) as info:
        load_company(company, base=base)
    assert "skill id 'sql' is already defined by esco v1" in str(info.value)
    assert_names(info.value, "skills.csv", 4, "id")


def test_a_table_given_twice(company: Path) -> None:
    write(company / "skills.json", "[]")
    assert "both skills.json and skills.csv exist" in str(load_error(company))


def test_prerequisite_cycle_is_named(company: Path) -> None:
    write(
        company / "relations.csv",
        (TINY / "relations.csv").read_text() + "ml,python,prerequisite,\n",
    )
    with pytest.raises(CycleError) as info:
        load_company(company)
    assert set(info.value.cycle) == {"python", "pandas", "ml"}
    assert "prerequisite cycle: " in str(info.value)
    assert info.value.file is not None
    assert info.value.file.endswith("relations.csv")


def test_broader_cycle_is_named(company: Path) -> None:
    write(
        company / "relations.csv",
        (TINY / "relations.csv").read_text() + "programming,python,broader,\n",
    )
    error = load_error(company)
    assert "broader cycle: " in str(error)
    assert "programming" in str(error)
    assert "python" in str(error)


def test_self_relation(company: Path) -> None:
    replace_in(company / "relations.csv", "sql,programming,broader", "sql,sql,broader")
    assert_names(load_error(company), "relations.csv", 3, "target")


def test_manager_cycle_is_named(company: Path) -> None:
    replace_in(company / "employees.csv", "e1,Ada Moreno,lead,,", "e1,Ada Moreno,lead,e2,")
    error = load_error(company)
    assert "manager cycle: e1 -> e2 -> e1" in str(error)
    assert error.field == "manager_id"


def test_latin1_file_says_not_utf8_with_the_row(company: Path) -> None:
    text = (company / "employees.csv").read_text(encoding="utf-8").replace("Chen Li", "Chén Li")
    (company / "employees.csv").write_bytes(text.encode("latin-1"))
    error = load_error(company)
    assert "not valid UTF-8" in str(error)
    assert_names(error, "employees.csv", 4, None)


def test_latin1_json_too(company: Path) -> None:
    text = (company / "roles.json").read_text(encoding="utf-8").replace("Data Lead", "Daté Lead")
    (company / "roles.json").write_bytes(text.encode("latin-1"))
    assert "not valid UTF-8" in str(load_error(company))


@pytest.mark.parametrize(
    ("file", "old", "new", "row", "field"),
    [
        ("employees.csv", "python:5:manager", "python:7:manager", 2, "skills[0].level"),
        (
            "employees.csv",
            "e2,Ben Okafor,analyst,e1,Data,Berlin,1,sql:4",
            "e2,Ben Okafor,analyst,e1,Data,Berlin,1,sql:-1",
            3,
            "skills[0].level",
        ),
        (
            "roles.json",
            '{"skill_id": "sql", "level": 2, "importance": 0.5}',
            '{"skill_id": "sql", "level": 5.5, "importance": 0.5}',
            2,
            "requirements[4].level",
        ),
        (
            "roles.json",
            '{"skill_id": "sql", "level": 2, "importance": 0.5}',
            '{"skill_id": "sql", "level": 2, "importance": 1.5}',
            2,
            "requirements[4].importance",
        ),
        (
            "content.json",
            '"duration_hours": 12, "level": 2',
            '"duration_hours": 12, "level": 6',
            3,
            "level",
        ),
        ("roles.json", '"seniority": 4', '"seniority": 9', 3, "seniority"),
        ("employees.csv", "Data,New York,-5", "Data,New York,-15", 5, "utc_offset"),
        ("feedback.csv", "accepted,5,", "accepted,6,", 2, "rating"),
    ],
)
def test_values_out_of_range(
    company: Path, file: str, old: str, new: str, row: int, field: str
) -> None:
    replace_in(company / file, old, new)
    error = load_error(company)
    assert "is not between" in str(error)
    assert_names(error, file, row, field)


def test_level_that_is_not_a_number(company: Path) -> None:
    replace_in(
        company / "roles.json", '"level": 3, "importance": 1.0}', '"level": "3", "importance": 1.0}'
    )
    error = load_error(company)
    assert "expected a number, got a string" in str(error)
    assert error.field == "requirements[0].level"


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("analyst:2022-03-01,", "analyst:2022-13-01,", "history[0].start"),
        ("analyst:2022-03-01,", "analyst:01/03/2022,", "history[0].start"),
        ("scientist:2019-01-01:2021-12-31", "scientist:2019-01-01:2021-02-30", "history[0].end"),
    ],
)
def test_bad_dates(company: Path, old: str, new: str, field: str) -> None:
    replace_in(company / "employees.csv", old, new)
    error = load_error(company)
    assert "expected a date YYYY-MM-DD" in str(error)
    assert error.field == field
    assert error.file is not None
    assert error.file.endswith("employees.csv")


def test_bad_date_time(company: Path) -> None:
    replace_in(company / "feedback.csv", "2024-06-11T14:00:00+00:00", "yesterday")
    error = load_error(company)
    assert "ISO date-time" in str(error)
    assert_names(error, "feedback.csv", 3, "created_at")


def test_history_out_of_order_or_not_matching_the_role(company: Path) -> None:
    replace_in(
        company / "employees.csv",
        "scientist:2019-01-01:2021-12-31|lead:2022-01-01",
        "scientist:2019-01-01:2022-12-31|lead:2022-01-01",
    )
    error = load_error(company)
    assert "before the previous spell ends" in str(error)
    assert_names(error, "employees.csv", 2, "history[1].start")
    shutil.copy(TINY / "employees.csv", company / "employees.csv")
    replace_in(company / "employees.csv", "analyst:2022-03-01,", "scientist:2022-03-01,")
    error = load_error(company)
    assert "the open (current) spell is 'scientist' but role_id is 'analyst'" in str(error)
    assert error.row == 3


@pytest.mark.parametrize(
    ("file", "old", "new", "field", "allowed"),
    [
        (
            "content.json",
            '"modality": "book"',
            '"modality": "webinar"',
            "modality",
            "course, article, video, podcast, book, workshop, stretch_assignment, project, "
            "community",
        ),
        (
            "mentors.json",
            '"modes": ["peer"]',
            '"modes": ["peer", "buddy"]',
            "modes[1]",
            "one_on_one, peer, reverse, group",
        ),
        (
            "skills.csv",
            '",knowledge',
            '",knowhow',
            "kind",
            "skill, knowledge, technology, language, group, other",
        ),
        (
            "feedback.csv",
            "f2,e4,mentor,m3,declined",
            "f2,e4,mentor,m3,maybe",
            "verdict",
            "accepted, declined, useful, not_useful",
        ),
        (
            "relations.csv",
            "python,pandas,prerequisite",
            "python,pandas,requires",
            "kind",
            "broader, related, prerequisite",
        ),
    ],
)
def test_unknown_enum_values_list_the_allowed(
    company: Path, file: str, old: str, new: str, field: str, allowed: str
) -> None:
    replace_in(company / file, old, new)
    error = load_error(company)
    assert f"allowed: {allowed}" in str(error)
    assert error.field == field
    assert error.file is not None
    assert error.file.endswith(file)


def test_boolean_cells(company: Path) -> None:
    replace_in(company / "employees.csv", ",,,true\ne4,", ",,,maybe\ne4,")
    error = load_error(company)
    assert "expected true/false" in str(error)
    assert_names(error, "employees.csv", 4, "active")


def test_nested_entry_without_a_level(company: Path) -> None:
    replace_in(company / "employees.csv", "sql:4|dataviz:3", "sql|dataviz:3")
    error = load_error(company)
    assert "expected skill_id:level[:evidence][:updated], got 'sql'" in str(error)
    assert_names(error, "employees.csv", 3, "skills[0]")


def test_not_a_directory_and_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="not a directory"):
        load_company(tmp_path / "missing")
    with pytest.raises(DatasetError, match="no company tables found"):
        load_company(tmp_path)


def test_a_failed_load_changes_nothing_and_a_refused_write_writes_nothing(
    company: Path, tmp_path: Path
) -> None:
    before = {p.name: p.read_bytes() for p in company.iterdir()}
    replace_in(company / "relations.csv", "pandas,ml,prerequisite", "pandas,nope,prerequisite")
    before["relations.csv"] = (company / "relations.csv").read_bytes()
    load_error(company)
    assert {p.name: p.read_bytes() for p in company.iterdir()} == before
    records = load_company(TINY)
    records.skills["bad"] = Skill("bad", "Bad", alt_labels=("has | a bar",))
    out = tmp_path / "out"
    write_company(records, out)
    snapshot = {p.name: p.read_bytes() for p in out.iterdir()}
    shutil.rmtree(out)
    out.mkdir()
    with pytest.raises(DatasetError, match="without loss"):
        write_company(records, out, fmt="csv")
    assert list(out.iterdir()) == []
    assert snapshot  # the JSON form could hold it
