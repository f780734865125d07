"""Catalog import: column mappings, level words, durations, ids, and the public MOOC catalogs."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillgraph.data.catalog import (
    EDX_MAPPING,
    MAPPINGS,
    UDEMY_MAPPING,
    ColumnMapping,
    Constant,
    load_catalog,
    read_modality,
    stable_id,
)
from skillgraph.data.catalog_values import DEFAULT_HOURS_PER_WEEK, parse_duration, parse_level
from skillgraph.data.schema import LearningItem, Modality, Records
from skillgraph.errors import DatasetError, ValidationError

HEADER = "code,name,about,topic,difficulty,effort,length,kind,school,link\n"


def catalog(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "catalog.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


MAPPING = ColumnMapping(
    title="name",
    id="code",
    description="about",
    text_columns=("topic",),
    level="difficulty",
    duration=("effort", "length"),
    modality="kind",
    provider="school",
    url="link",
    id_prefix="x-",
)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Introductory", 1.0),
        ("Beginner Level", 1.0),
        ("beginner-friendly", 1.0),
        ("All Levels", 1.5),
        ("Intermediate", 2.5),
        ("Intermediate Level", 2.5),
        ("ADVANCED", 3.5),
        ("Expert Level", 4.5),
        ("3", 3.0),
        ("0.5", 0.5),
        ("", None),
        ("  level ", None),
    ],
)
def test_level_words(text: str, level: float | None) -> None:
    assert parse_level(text) == level


@pytest.mark.parametrize("text", ["Wizard", "6", "-1", "very very advanced stuff"])
def test_unknown_levels_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="level"):
        parse_level(text)


@pytest.mark.parametrize(
    ("cells", "hours"),
    [
        (["2–3 hours per week", "6 Weeks"], 15.0),
        (["8–10 hours per week", "12 Weeks"], 108.0),
        (["1.5"], 1.5),
        (["45 minutes"], 0.75),
        (["1h 30m"], 1.5),
        (["2 hours 15 mins"], 2.25),
        (["2 days"], 16.0),
        (["3 hrs/week", "2 months"], round(3 * 2 * 4.345, 2)),
        (["about 4 hours total"], 4.0),
        (["5 hours a week"], 20.0),  # a rate with no length: 4 weeks
        (["6 Weeks"], 6 * DEFAULT_HOURS_PER_WEEK),  # a length with no rate
        (["", "pending"][:1], None),
        ([], None),
    ],
)
def test_durations(cells: list[str], hours: float | None) -> None:
    assert parse_duration(cells) == hours


@pytest.mark.parametrize("cell", ["a while", "3 sessions", "2 hours per fortnight", "soon-ish"])
def test_unreadable_durations_are_refused(cell: str) -> None:
    with pytest.raises(ValueError, match=r"duration|unit|period"):
        parse_duration([cell])


@given(
    low=st.integers(1, 20),
    extra=st.integers(0, 10),
    weeks=st.integers(1, 30),
    dash=st.sampled_from(["–", "-", " to "]),
)
def test_effort_times_length_is_the_total(low: int, extra: int, weeks: int, dash: str) -> None:
    effort = f"{low}{dash}{low + extra} hours per week" if extra else f"{low} hours per week"
    hours = parse_duration([effort, f"{weeks} Weeks"])
    assert hours == pytest.approx((low + extra / 2) * weeks)


_PLAIN = st.text(string.ascii_letters + string.digits + " ", min_size=1, max_size=30)


@given(_PLAIN, _PLAIN)
def test_stable_ids_ignore_case_and_spacing(title: str, provider: str) -> None:
    first = stable_id("p-", title, provider)
    assert first == stable_id("p-", f"  {title.upper()}  ", provider.lower())
    assert first.startswith("p-")
    assert len(first) == 14


def test_modality_words() -> None:
    assert read_modality("Stretch assignment") is Modality.STRETCH_ASSIGNMENT
    assert read_modality(" PODCAST ") is Modality.PODCAST
    assert read_modality("webinar") is Modality.VIDEO
    with pytest.raises(ValueError, match="allowed: course, article"):
        read_modality("hologram")


def test_load_with_an_id_column(tmp_path: Path) -> None:
    path = catalog(
        tmp_path,
        "c1,Intro to SQL,Query tables.,Data,Beginner,2–4 hours per week,5 Weeks,course,Uni A,https://a/1",
        'c2,Deep Learning,"Nets, layers.",AI,Advanced,,,video,Uni B,',
        "c3,Team Podcast,,pending,,45 minutes,,podcast,,",
    )
    records = load_catalog(path, MAPPING, base=Records())
    assert records.sources == ["catalog catalog.csv"]
    assert records.counts()["items"] == 3
    assert records.counts()["skills"] == 0
    first, second, third = records.items.values()
    assert first == LearningItem(
        id="x-c1",
        title="Intro to SQL",
        description="Query tables.",
        provider="Uni A",
        modality=Modality.COURSE,
        duration_hours=15.0,
        level=1.0,
        syllabus="Data.",
        url="https://a/1",
    )
    assert (second.modality, second.level, second.duration_hours) == (Modality.VIDEO, 3.5, 1.0)
    assert second.description == "Nets, layers."
    assert (third.syllabus, third.level, third.duration_hours) == (
        "",
        2.0,
        0.75,
    )  # blanks: defaults
    assert all(item.skills == () for item in records.items.values())


def test_load_without_an_id_column_hashes_title_provider_and_url(tmp_path: Path) -> None:
    mapping = ColumnMapping.parse(["title=name", "provider=school", "url=link"])
    path = catalog(
        tmp_path,
        "a,Marketing,,,,,,,Uni A,https://m/1",
        "b,Marketing,,,,,,,Uni B,https://m/2",
    )
    ids = list(load_catalog(path, mapping, base=Records()).items)
    assert len(set(ids)) == 2
    assert ids[0] == stable_id("", "Marketing", "Uni A", "https://m/1")
    again = list(load_catalog(path, mapping, base=Records()).items)
    assert again == ids


def test_identical_rows_are_a_duplicate_naming_both_rows(tmp_path: Path) -> None:
    mapping = ColumnMapping(title="name", provider=Constant("Acme"))
    path = catalog(tmp_path, "a,Same,,,,,,,,", "b,Other,,,,,,,,", "c,Same,,,,,,,,")
    with pytest.raises(DatasetError) as info:
        load_catalog(path, mapping, base=Records())
    assert "(first at row 2)" in str(info.value)
    assert (info.value.row, info.value.field) == (4, "name")


def test_ids_already_in_the_base_are_refused(tmp_path: Path) -> None:
    base = Records(items={"x-c1": LearningItem("x-c1", "Existing")})
    path = catalog(tmp_path, "c1,Intro,,,,,,course,,")
    with pytest.raises(DatasetError, match="already loaded") as info:
        load_catalog(path, MAPPING, base=base)
    assert info.value.row == 2


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ("c1,,,,,,,course,,", "name", "empty title"),
        (",Intro,,,,,,course,,", "code", "empty id"),
        ("c1,Intro,,,Wizard,,,course,,", "difficulty", "unknown level 'Wizard'"),
        ("c1,Intro,,,,a while,,course,,", "effort,length", "cannot read duration"),
        ("c1,Intro,,,,,,hologram,,", "kind", "unknown modality 'hologram'"),
    ],
)
def test_bad_rows_name_the_row_and_field(
    tmp_path: Path, row: str, field: str, message: str
) -> None:
    path = catalog(tmp_path, "c0,Fine,,,,,,course,,", row)
    with pytest.raises(DatasetError, match=message) as info:
        load_catalog(path, MAPPING, base=Records())
    assert (info.value.row, info.value.field) == (3, field)
    assert info.value.file == str(path)


def test_a_mapped_column_missing_from_the_file(tmp_path: Path) -> None:
    path = catalog(tmp_path, "c1,Intro,,,,,,course,,")
    with pytest.raises(DatasetError, match="missing column") as info:
        load_catalog(path, ColumnMapping(title="course_title"), base=Records())
    assert info.value.row == 1


def test_latin1_catalog(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + "c1,Café,,,,,,course,,\n").encode("latin-1"))
    with pytest.raises(DatasetError, match="not valid UTF-8"):
        load_catalog(path, MAPPING, base=Records())


def test_mapping_from_key_value_strings() -> None:
    mapping = ColumnMapping.parse(
        [
            "id=course_id",
            "title=course_title",
            "text=subject",
            "text=summary, syllabus",
            "duration=effort,length",
            "provider==Udemy",
            "modality=format",
            "level=Level",
            "id_prefix=u-",
        ]
    )
    assert mapping == ColumnMapping(
        title="course_title",
        id="course_id",
        text_columns=("subject", "summary", "syllabus"),
        level="Level",
        duration=("effort", "length"),
        modality="format",
        provider=Constant("Udemy"),
        id_prefix="u-",
    )
    assert mapping.columns() == [
        "course_title", "course_id", "Level", "subject", "summary", "syllabus", "effort",
        "length", "format",
    ]  # fmt: skip
    tweaked = ColumnMapping.parse(["provider=institution", "modality==video"], base=EDX_MAPPING)
    assert tweaked.provider == "institution"
    assert tweaked.modality == Constant("video")
    assert tweaked.duration == EDX_MAPPING.duration


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["title"], "not key=column"),
        (["name=course_title"], "unknown mapping key 'name'"),
        (["id=course_id"], "needs title="),
        (["title==Constant title"], "must name a column"),
        (["title=t", "modality==hologram"], "unknown modality"),
    ],
)
def test_bad_mappings(pairs: list[str], message: str) -> None:
    with pytest.raises((ValidationError, ValueError), match=message):
        ColumnMapping.parse(pairs)


def test_ready_mappings_name_the_public_columns() -> None:
    assert MAPPINGS == {"edx": EDX_MAPPING, "udemy": UDEMY_MAPPING}
    assert set(EDX_MAPPING.columns()) <= {
        "title", "summary", "n_enrolled", "course_type", "institution", "instructors", "Level",
        "subject", "language", "subtitles", "course_effort", "course_length", "price",
        "course_description", "course_syllabus", "course_url", "price_USD",
    }  # fmt: skip
    assert set(UDEMY_MAPPING.columns()) <= {
        "course_id", "course_title", "url", "is_paid", "price", "num_subscribers", "num_reviews",
        "num_lectures", "level", "content_duration", "published_timestamp", "subject",
    }  # fmt: skip


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("file", "mapping", "rows"),
    [("edx_courses.csv", EDX_MAPPING, 974), ("udemy_courses.csv", UDEMY_MAPPING, 3672)],
)
def test_public_mooc_catalogs(
    courses_dir: Path, file: str, mapping: ColumnMapping, rows: int
) -> None:
    records = load_catalog(courses_dir / file, mapping, base=Records())
    items = list(records.items.values())
    assert len(items) == rows
    assert all(item.id.startswith(mapping.id_prefix) for item in items)
    assert all(item.title and item.skills == () for item in items)
    assert all(0 < item.duration_hours < 1000 for item in items)
    levels = {item.level for item in items}
    assert levels <= {1.0, 1.5, 2.5, 3.5, 4.5}
    assert len(levels) >= 3
    assert all(item.url.startswith("https://") for item in items)
    assert sum(bool(item.syllabus) for item in items) == rows  # every row has a subject
    if mapping is EDX_MAPPING:
        cs50 = next(i for i in items if i.title == "CS50's Introduction to Computer Science")
        assert cs50.provider == "Harvard University"
        assert cs50.duration_hours == 12 * 12  # 6–18 hours per week, 12 Weeks
        assert "pending" not in cs50.syllabus.lower().split()
