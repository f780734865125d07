"""O*NET loader on a hand-written release in the official tab-separated layout, and the real one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from skillgraph.data.load_report import LoadReport
from skillgraph.data.onet import (
    HOT_TECH_BOOST,
    IN_DEMAND_BOOST,
    MAX_ALT_TITLES,
    ONET_ATTRIBUTION,
    ONET_SOURCE,
    SOC_MAJOR_GROUPS,
    TECH_GROUP_ID,
    TECH_IMPORTANCE,
    TECH_LEVEL,
    TECH_PREFIX,
    element_parents,
    load_onet,
    load_onet_report,
)
from skillgraph.data.schema import (
    ONET_MIN_IMPORTANCE,
    Records,
    RelationKind,
    SkillKind,
    onet_importance,
    onet_level,
)
from skillgraph.errors import DatasetError
from skillgraph.graph.ontology import SkillGraph

DEV, QA, NURSE = "15-1252.00", "15-1253.00", "29-1141.00"


def _profile(records: Records, role_id: str) -> dict[str, tuple[float, float]]:
    return {r.skill_id: (r.level, r.importance) for r in records.roles[role_id].requirements}


def _copy(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "onet"
    shutil.copytree(src, dst)
    return dst


def test_counts_sources_and_kinds(onet_tiny: Path) -> None:
    records = load_onet(onet_tiny)
    assert set(records.roles) == {DEV, QA, NURSE}
    kinds: dict[SkillKind, set[str]] = {}
    for skill in records.skills.values():
        kinds.setdefault(skill.kind, set()).add(skill.id)
    assert kinds[SkillKind.SKILL] == {"2.A.1.a", "2.A.2.a", "2.B.3.e"}
    assert kinds[SkillKind.KNOWLEDGE] == {"2.C.3.a", "2.C.5.a", "2.C.6"}
    assert kinds[SkillKind.TECHNOLOGY] == {
        TECH_PREFIX + "43232405",
        TECH_PREFIX + "43232402",
        TECH_PREFIX + "43231999",
    }
    # element groups down to two segments ("2" is not a group), and the technology group
    assert kinds[SkillKind.GROUP] == {
        "2.A",
        "2.A.1",
        "2.A.2",
        "2.B",
        "2.B.3",
        "2.C",
        "2.C.3",
        "2.C.5",
        TECH_GROUP_ID,
    }
    assert records.sources == [ONET_SOURCE]
    assert records.attributions == [ONET_ATTRIBUTION]
    assert records.skills["2.B.3.e"].description == "Creating software by writing and testing code."


def test_hierarchy_from_the_content_model(onet_tiny: Path) -> None:
    records = load_onet(onet_tiny)
    broader = {(r.source, r.target) for r in records.relations if r.kind is RelationKind.BROADER}
    assert {("2.A.1.a", "2.A.1"), ("2.A.1", "2.A"), ("2.C.6", "2.C")} <= broader
    assert (TECH_PREFIX + "43232405", TECH_GROUP_ID) in broader
    assert len(broader) == 14  # 11 element links + 3 commodities
    assert {r.kind for r in records.relations} == {RelationKind.BROADER}
    assert element_parents("2.A.1.a") == ["2.A.1", "2.A"]
    assert element_parents("2.C") == []


def test_importance_and_level_pairing(onet_tiny: Path) -> None:
    records = load_onet(onet_tiny)
    dev = _profile(records, DEV)
    assert dev["2.A.1.a"] == (onet_level(3.50), onet_importance(3.00))
    assert dev["2.B.3.e"] == (onet_level(4.20), onet_importance(4.50))
    assert dev["2.C.3.a"] == (onet_level(5.60), onet_importance(4.60))
    assert "2.A.2.a" not in dev  # IM 2.0 is below the threshold
    assert onet_importance(2.0) < ONET_MIN_IMPORTANCE
    nurse = _profile(records, NURSE)
    assert set(nurse) == {"2.A.1.a", "2.C.5.a", "2.C.6", TECH_PREFIX + "43231999"}
    # most important first
    importances = [r.importance for r in records.roles[DEV].requirements]
    assert importances == sorted(importances, reverse=True)


def test_suppressed_not_relevant_and_unpaired_ratings_are_skipped(onet_tiny: Path) -> None:
    records, report = load_onet_report(onet_tiny)
    assert "2.A.2.a" not in _profile(records, QA)  # LV row marked Recommend Suppress
    assert "2.B.3.e" not in _profile(records, NURSE)  # LV row marked Not Relevant
    assert "2.A.2.a" not in _profile(records, NURSE)  # IM without LV
    assert report.skipped == {
        "Skills.txt row for an occupation not in Occupation Data.txt": 2,
        "Skills.txt rating marked Recommend Suppress or Not Relevant": 2,
        "Skills.txt rating without both IM and LV": 1,
    }
    assert report.examples["Skills.txt rating without both IM and LV"] == [f"{NURSE} 2.A.2.a"]
    assert any("below importance" in note for note in report.notes)


def test_technology_skills(onet_tiny: Path) -> None:
    records = load_onet(onet_tiny)
    oo = TECH_PREFIX + "43232405"
    skill = records.skills[oo]
    assert skill.label == "Program development tools"
    assert skill.alt_labels == ("Python", "C++")  # used by more occupations first
    assert skill.kind is SkillKind.TECHNOLOGY
    hot_and_demanded = TECH_IMPORTANCE + HOT_TECH_BOOST + IN_DEMAND_BOOST
    assert _profile(records, DEV)[oo] == (TECH_LEVEL, pytest.approx(hot_and_demanded))
    assert _profile(records, DEV)[TECH_PREFIX + "43232402"] == (TECH_LEVEL, TECH_IMPORTANCE)
    assert _profile(records, QA)[oo] == (
        TECH_LEVEL,
        pytest.approx(TECH_IMPORTANCE + HOT_TECH_BOOST),
    )
    medical = _profile(records, NURSE)[TECH_PREFIX + "43231999"]
    assert medical == (TECH_LEVEL, pytest.approx(TECH_IMPORTANCE + IN_DEMAND_BOOST))
    assert TECH_IMPORTANCE >= ONET_MIN_IMPORTANCE


def test_roles_family_group_seniority_tasks_titles(onet_tiny: Path) -> None:
    records = load_onet(onet_tiny)
    dev = records.roles[DEV]
    assert dev.title == "Software Developers"
    assert dev.family == f"SOC 15 {SOC_MAJOR_GROUPS['15']}"
    assert dev.group == "15-1200"
    assert dev.seniority == 4
    assert records.roles[QA].seniority == 0  # no job zone
    assert records.roles[NURSE].family == "SOC 29 Healthcare Practitioners and Technical"
    assert dev.tasks == (
        "Modify existing programs to fix faults or add features.",
        'Write "unit tests" for new code.',  # quoted field with doubled quotes
        "Advise customers on maintaining their software.",  # supplemental after core
    )
    assert dev.alt_titles == (
        "Software Engineer",  # three sources
        "Application Developer",
        "Chief Technology Officer (CTO)",
        "CTO",
    )
    assert dev.source_uri.endswith(DEV)
    assert len(SOC_MAJOR_GROUPS) == 23


def test_alt_titles_are_capped(onet_tiny: Path, tmp_path: Path) -> None:
    folder = _copy(onet_tiny, tmp_path)
    with (folder / "Alternate Titles.txt").open("a", encoding="ascii") as handle:
        for i in range(30):
            handle.write(f"{QA}\tTesters\tTest Specialist {i:02d}\t\t08\n")
    titles = load_onet(folder).roles[QA].alt_titles
    assert len(titles) == MAX_ALT_TITLES
    assert titles[0] == "Test Specialist 00"


def test_records_build_a_valid_graph(onet_tiny: Path) -> None:
    graph = SkillGraph.build(load_onet(onet_tiny))
    assert graph.ancestors("2.A.1.a") == {"2.A.1", "2.A"}
    assert graph.similarity("2.A.1.a", "2.A.1") == pytest.approx(2 / 3)  # depth 2 under depth 1
    assert graph.similarity("2.A.1.a", "2.A.2.a") == 0.0  # only the root 2.A in common
    assert graph.roles_in_family("SOC 15") == [DEV, QA]


def test_missing_required_file_names_it(onet_tiny: Path, tmp_path: Path) -> None:
    folder = _copy(onet_tiny, tmp_path)
    (folder / "Knowledge.txt").unlink()
    with pytest.raises(DatasetError) as caught:
        load_onet(folder)
    assert caught.value.file is not None
    assert caught.value.file.endswith("Knowledge.txt")


def test_optional_files_may_be_absent(onet_tiny: Path, tmp_path: Path) -> None:
    folder = _copy(onet_tiny, tmp_path)
    for name in (
        "Technology Skills.txt",
        "Task Statements.txt",
        "Job Zones.txt",
        "Alternate Titles.txt",
    ):
        (folder / name).unlink()
    records, report = load_onet_report(folder)
    assert not any(s.kind is SkillKind.TECHNOLOGY for s in records.skills.values())
    assert TECH_GROUP_ID not in records.skills
    assert records.roles[DEV].tasks == ()
    assert records.roles[DEV].seniority == 0
    assert sum("not found" in note for note in report.notes) == 4


def test_missing_column_names_file_and_column(onet_tiny: Path, tmp_path: Path) -> None:
    folder = _copy(onet_tiny, tmp_path)
    path = folder / "Skills.txt"
    path.write_text(path.read_text().replace("Scale ID", "Scale"), encoding="ascii")
    with pytest.raises(DatasetError) as caught:
        load_onet(folder)
    assert caught.value.field == "Scale ID"
    assert caught.value.file is not None
    assert caught.value.file.endswith("Skills.txt")


def test_bad_rating_value_names_row_and_field(onet_tiny: Path, tmp_path: Path) -> None:
    folder = _copy(onet_tiny, tmp_path)
    path = folder / "Knowledge.txt"
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace("\t5.60\t", "\t9.10\t")  # LV above 7
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    with pytest.raises(DatasetError) as caught:
        load_onet(folder)
    assert (caught.value.row, caught.value.field) == (3, "Data Value")


def test_bad_occupation_code_is_an_error(onet_tiny: Path, tmp_path: Path) -> None:
    folder = _copy(onet_tiny, tmp_path)
    path = folder / "Occupation Data.txt"
    path.write_text(path.read_text().replace("29-1141.00", "29-1141"), encoding="ascii")
    with pytest.raises(DatasetError) as caught:
        load_onet(folder)
    assert (caught.value.row, caught.value.field) == (4, "O*NET-SOC Code")


# -- the real release ------------------------------------------------------------------------


@pytest.mark.realdata
@pytest.mark.slow
def test_real_onet_counts(onet_loaded: tuple[Records, LoadReport], onet_dir: Path) -> None:
    records, report = onet_loaded
    with (onet_dir / "Occupation Data.txt").open(encoding="utf-8") as handle:
        occupations = sum(1 for _ in handle) - 1
    assert len(records.roles) == occupations == 1_016
    assert report.rows["Occupation Data.txt"] == 1_016
    assert not any("not in Occupation Data" in reason for reason in report.skipped)
    zones = {role.seniority for role in records.roles.values()}
    assert zones <= {0, 1, 2, 3, 4, 5}
    assert all(len(role.alt_titles) <= MAX_ALT_TITLES for role in records.roles.values())
    assert all(
        r.importance >= ONET_MIN_IMPORTANCE
        for role in records.roles.values()
        for r in role.requirements
    )
    SkillGraph.build(records)  # references and hierarchy are consistent


@pytest.mark.realdata
@pytest.mark.slow
def test_real_onet_known_occupation(onet_loaded: tuple[Records, LoadReport]) -> None:
    records, _ = onet_loaded
    role = next(r for r in records.roles.values() if r.title == "Computer Programmers")
    by_label = {records.skills[r.skill_id].label: r for r in role.requirements}
    # Skills.txt rates Programming IM 4.75, LV 4.88 for this occupation
    assert by_label["Programming"].importance == onet_importance(4.75)
    assert by_label["Programming"].level == onet_level(4.88)
    assert "Computers and Electronics" in by_label
    assert role.family == "SOC 15 Computer and Mathematical"
    assert role.tasks
