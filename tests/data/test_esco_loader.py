"""ESCO loader on a hand-written release in the official CSV layout, and on the real release."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from skillgraph.data.esco import (
    ESCO_ATTRIBUTION,
    ESCO_SOURCE,
    RELATED_WEIGHT,
    load_esco,
    load_esco_report,
)
from skillgraph.data.load_report import LoadReport
from skillgraph.data.schema import (
    ESCO_ESSENTIAL,
    ESCO_OPTIONAL,
    Provenance,
    Records,
    RelationKind,
    SkillKind,
)
from skillgraph.errors import DatasetError
from skillgraph.graph.ontology import SkillGraph

S = "http://example.test/esco/skill/"
OCC = "http://example.test/esco/occupation/"


def _copy(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "esco"
    shutil.copytree(src, dst)
    return dst


def _rewrite(path: Path, edit: dict[str, str] | None = None, drop: str | None = None) -> None:
    """Rewrite a CSV, dropping a column or setting cells of the first record (column -> value)."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    header = [h for h in rows[0] if h != drop]
    if edit:
        rows[0].update(edit)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


def test_counts_sources_and_kinds(esco_tiny: Path) -> None:
    records = load_esco(esco_tiny)
    kinds = {id_.removeprefix(S): s.kind for id_, s in records.skills.items()}
    assert kinds == {
        "python": SkillKind.KNOWLEDGE,
        "java": SkillKind.KNOWLEDGE,
        "scripting": SkillKind.SKILL,
        "debug": SkillKind.SKILL,
        "teamwork": SkillKind.SKILL,
        "english": SkillKind.LANGUAGE,  # from the language collection
        "content": SkillKind.OTHER,  # empty skillType
        "g-knowledge": SkillKind.GROUP,
        "g-ict": SkillKind.GROUP,
        "g-programming": SkillKind.GROUP,
        "g-skills": SkillKind.GROUP,
        "g-others": SkillKind.GROUP,
        "g-languages": SkillKind.GROUP,
        "g-media": SkillKind.GROUP,  # only in skillsHierarchy_en.csv
    }
    assert len(records.roles) == 3
    assert records.sources == [ESCO_SOURCE]
    assert records.attributions == [ESCO_ATTRIBUTION]
    assert all(s.source == "esco" and s.source_uri == s.id for s in records.skills.values())


def test_multiline_fields_labels_and_descriptions(esco_tiny: Path) -> None:
    records = load_esco(esco_tiny)
    python = records.skills[S + "python"]
    assert python.label == "Python (computer programming)"
    assert python.alt_labels == ("Python", "Python 3")  # the preferred label is not repeated
    assert python.description.splitlines() == [
        "Writing, testing and packaging programs in the Python language,",
        "including its standard library.",
    ]
    assert records.skills[S + "java"].alt_labels == ("Java",)  # case-insensitive repeat dropped
    developer = records.roles[OCC + "developer"]
    assert developer.alt_titles == ("programmer", "coder")
    assert developer.description.startswith("Software developers design")
    assert len(developer.description.splitlines()) == 2


def test_hierarchy_and_related_relations(esco_tiny: Path) -> None:
    records = load_esco(esco_tiny)
    broader = {
        (r.source.removeprefix(S), r.target.removeprefix(S))
        for r in records.relations
        if r.kind is RelationKind.BROADER
    }
    assert ("python", "g-programming") in broader
    assert ("debug", "scripting") in broader  # skill under skill
    assert ("g-media", "g-skills") in broader  # recovered group keeps its links
    assert not any("g-phantom" in pair for pair in broader)
    assert len(broader) == 11
    related = {
        (r.source.removeprefix(S), r.target.removeprefix(S)): r.weight
        for r in records.relations
        if r.kind is RelationKind.RELATED
    }
    assert related == {
        ("python", "scripting"): RELATED_WEIGHT["essential"],
        ("java", "python"): RELATED_WEIGHT["optional"],
    }
    assert not any(r.kind is RelationKind.PREREQUISITE for r in records.relations)


def test_occupation_requirements_follow_the_schema_mapping(esco_tiny: Path) -> None:
    records = load_esco(esco_tiny)
    developer = records.roles[OCC + "developer"]
    profile = {r.skill_id.removeprefix(S): (r.level, r.importance) for r in developer.requirements}
    assert profile == {
        "python": ESCO_ESSENTIAL,
        "scripting": ESCO_ESSENTIAL,
        "java": ESCO_OPTIONAL,
        "teamwork": ESCO_OPTIONAL,
    }
    # essential first, file order within
    assert [r.skill_id.removeprefix(S) for r in developer.requirements] == [
        "python",
        "scripting",
        "java",
        "teamwork",
    ]
    assert all(r.provenance is Provenance.DECLARED for r in developer.requirements)
    assert developer.family == "ISCO 25 Information and communications technology professionals"
    assert developer.group == "2512"
    assert developer.seniority == 0
    assert records.roles[OCC + "interpreter"].requirements == ()  # no relations: empty profile
    assert records.roles[OCC + "interpreter"].family.startswith("ISCO 26 ")


def test_skipped_rows_are_counted_not_hidden(esco_tiny: Path) -> None:
    records, report = load_esco_report(esco_tiny)
    assert report.skipped == {
        "broader relation to an unknown concept": 1,
        "relation to an occupation missing from occupations": 2,
        "relation to a skill missing from skills": 1,
    }
    assert report.examples["relation to an occupation missing from occupations"] == [
        OCC + "retired-occupation"
    ]
    assert any("skillsHierarchy" in note and S + "g-media" in note for note in report.notes)
    assert any(note.startswith("1 occupation(s) have no skill relations") for note in report.notes)
    assert report.rows["occupationSkillRelations.csv"] == 9
    tester = records.roles[OCC + "tester"]
    assert [r.skill_id for r in tester.requirements] == [S + "debug", S + "python"]
    assert any("skipped" in line and "missing from occupations" in line for line in report.lines())


def test_records_build_a_valid_graph(esco_tiny: Path) -> None:
    graph = SkillGraph.build(load_esco(esco_tiny))
    assert graph.ancestors(S + "debug") == {
        S + "scripting",
        S + "g-programming",
        S + "g-ict",
        S + "g-knowledge",
    }
    assert graph.roles_requiring(S + "python") == [OCC + "developer", OCC + "tester"]


def test_file_names_with_or_without_en(esco_tiny: Path, tmp_path: Path) -> None:
    folder = _copy(esco_tiny, tmp_path)
    (folder / "skills_en.csv").rename(folder / "skills.csv")
    (folder / "occupationSkillRelations.csv").rename(folder / "occupationSkillRelations_en.csv")
    (folder / "skillSkillRelations.csv").rename(folder / "skillSkillRelations_en.csv")
    assert load_esco(folder) == load_esco(esco_tiny)


def test_optional_files_may_be_absent(esco_tiny: Path, tmp_path: Path) -> None:
    folder = _copy(esco_tiny, tmp_path)
    for name in ("ISCOGroups_en.csv", "languageSkillsCollection_en.csv", "skillsHierarchy_en.csv"):
        (folder / name).unlink()
    records, report = load_esco_report(folder)
    assert records.roles[OCC + "developer"].family == "ISCO 25"
    assert records.skills[S + "english"].kind is SkillKind.SKILL
    assert S + "g-media" not in records.skills
    assert report.skipped["broader relation to an unknown concept"] == 3  # phantom + media links
    assert sum("not found" in note for note in report.notes) == 3


def test_missing_required_file_names_it(esco_tiny: Path, tmp_path: Path) -> None:
    folder = _copy(esco_tiny, tmp_path)
    (folder / "occupations_en.csv").unlink()
    with pytest.raises(DatasetError) as caught:
        load_esco(folder)
    assert caught.value.file is not None
    assert caught.value.file.endswith("occupations_en.csv")
    assert "occupations.csv" in str(caught.value)


def test_missing_folder_is_a_dataset_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="not found"):
        load_esco(tmp_path / "nowhere")


def test_missing_column_names_file_and_column(esco_tiny: Path, tmp_path: Path) -> None:
    folder = _copy(esco_tiny, tmp_path)
    _rewrite(folder / "occupations_en.csv", drop="iscoGroup")
    with pytest.raises(DatasetError) as caught:
        load_esco(folder)
    assert caught.value.field == "iscoGroup"
    assert caught.value.file is not None
    assert caught.value.file.endswith("occupations_en.csv")
    assert caught.value.row == 1


@pytest.mark.parametrize(
    ("file", "edit", "field", "row"),
    [
        ("skills_en.csv", {"preferredLabel": " "}, "preferredLabel", 2),
        ("occupationSkillRelations.csv", {"relationType": "sometimes"}, "relationType", 2),
        ("skillSkillRelations.csv", {"relatedSkillUri": ""}, "relatedSkillUri", 2),
    ],
)
def test_bad_cells_name_file_row_and_field(
    esco_tiny: Path, tmp_path: Path, file: str, edit: dict[str, str], field: str, row: int
) -> None:
    folder = _copy(esco_tiny, tmp_path)
    _rewrite(folder / file, edit=edit)
    with pytest.raises(DatasetError) as caught:
        load_esco(folder)
    assert (caught.value.field, caught.value.row) == (field, row)
    assert caught.value.file is not None
    assert caught.value.file.endswith(file)


def test_duplicate_skill_is_an_error(esco_tiny: Path, tmp_path: Path) -> None:
    folder = _copy(esco_tiny, tmp_path)
    _rewrite(folder / "skills_en.csv", edit={"conceptUri": S + "java"})
    with pytest.raises(DatasetError, match="duplicate skill") as caught:
        load_esco(folder)
    assert caught.value.row == 3  # java's own row comes second


def test_progress_reports_each_file(esco_tiny: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    load_esco(esco_tiny, progress=lambda stage, done, total: calls.append((stage, done, total)))
    files = [stage for stage, _, _ in calls if not stage.startswith("skipped")]
    assert "skills_en.csv" in files
    assert "occupationSkillRelations.csv" in files
    assert all(done <= total for _, done, total in calls)
    assert ("skipped: relation to an occupation missing from occupations", 2, 2) in calls


# -- the real release ------------------------------------------------------------------------


@pytest.mark.realdata
@pytest.mark.slow
def test_real_esco_counts_and_known_gaps(
    esco_loaded: tuple[Records, LoadReport], esco_dir: Path
) -> None:
    records, report = esco_loaded
    with (esco_dir / "skills_en.csv").open(newline="", encoding="utf-8-sig") as handle:
        skill_rows = sum(1 for _ in csv.DictReader(handle))
    concepts = [s for s in records.skills.values() if s.kind is not SkillKind.GROUP]
    assert len(concepts) == skill_rows == 13_896
    assert len(records.roles) == 3_007
    assert report.skipped["relation to an occupation missing from occupations"] == 67
    assert "relation to a skill missing from skills" not in report.skipped
    assert sum(1 for s in concepts if s.kind is SkillKind.OTHER) == 6
    empty = sum(1 for role in records.roles.values() if not role.requirements)
    assert 250 <= empty <= 350  # about 300 occupations come without relations
    requirements = sum(len(role.requirements) for role in records.roles.values())
    skipped = report.skipped["relation to an occupation missing from occupations"]
    assert requirements == report.rows["occupationSkillRelations.csv"] - skipped


@pytest.mark.realdata
@pytest.mark.slow
def test_real_esco_known_occupation_has_known_essential_skill(
    esco_loaded: tuple[Records, LoadReport],
) -> None:
    records, _ = esco_loaded
    role = next(r for r in records.roles.values() if r.title == "software developer")
    label_of = {r.skill_id: records.skills[r.skill_id].label for r in role.requirements}
    essential = {label_of[r.skill_id] for r in role.requirements if r.importance == 1.0}
    assert "computer programming" in essential
    assert role.family.startswith("ISCO 25 ")
    assert role.group == "2512"
