"""Mentor supply and demand in the evaluation: results.json and report.html, rounds and trends."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest

from evaluation.config import EvaluationConfig
from evaluation.report import headline_sentences, render_html, write_outputs
from evaluation.results import EvaluationResult
from evaluation.runner import run_evaluation
from skillgraph.config import Settings
from skillgraph.data.schema import (
    Employee,
    MentorMode,
    MentorOffer,
    Records,
    Role,
    Skill,
    SkillLevel,
    SkillRequirement,
)
from skillgraph.errors import DatasetError
from skillgraph.retrieval.encoder import HashingEncoder


def company() -> Records:
    """Analysts need SQL at 4 (importance 1) and Python at 3 (importance 0.5).

    a, b (data) and c (sales) lack SQL; b also lacks Python. Mentor x (eng) holds SQL 5 and
    Python 5 with 2 places; mentor y (eng) holds Python 4 with 1 place. So SQL: demand 3, supply
    2, deficit 1; Python: demand 0.5, supply 3, no deficit. Data: 2 people with a gap, no mentor.
    """
    skills = {s: Skill(s, s.upper(), description=f"{s} skill") for s in ("sql", "python")}
    needs = (SkillRequirement("sql", 4.0, 1.0), SkillRequirement("python", 3.0, 0.5))
    roles = {
        "analyst": Role("analyst", "Analyst", seniority=1, requirements=needs),
        "lead": Role("lead", "Lead", seniority=3, requirements=needs),
    }

    def person(id_: str, role: str, department: str, **levels: float) -> Employee:
        held = tuple(SkillLevel(s, lv) for s, lv in levels.items())
        return Employee(id_, id_.upper(), role, department=department, skills=held)

    employees = [
        person("a", "analyst", "data", sql=1, python=3),
        person("b", "analyst", "data", sql=2, python=1),
        person("c", "analyst", "sales", sql=3, python=4),
        person("x", "lead", "eng", sql=5, python=5),
        person("y", "lead", "eng", sql=4, python=4),
    ]
    one = (MentorMode.ONE_ON_ONE,)
    offers = [MentorOffer("ox", "x", 2, one), MentorOffer("oy", "y", 1, one, topics=("python",))]
    return Records(
        skills=skills,
        roles=roles,
        employees={e.id: e for e in employees},
        mentors={o.id: o for o in offers},
    )


def evaluate(records: Records, **changes: Any) -> EvaluationResult:
    # next_role has no move to predict here: the run is only the supply-and-demand section
    values: dict[str, Any] = {"protocols": ("next_role",), "resamples": 50, **changes}
    return run_evaluation(EvaluationConfig(**values), records=records, encoder=HashingEncoder(64))


@pytest.fixture(scope="module")
def result() -> EvaluationResult:
    return evaluate(company())


def by_skill(section: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["skill_id"]: b for b in section["by_skill"]}


def test_supply_and_demand_per_skill(result: EvaluationResult) -> None:
    section = result.supply_demand
    assert section is not None
    assert section["applicable"]
    skills = by_skill(section)
    sql, python = skills["sql"], skills["python"]
    assert (sql["demand_count"], sql["demand"], sql["mentors"], sql["supply"]) == (3, 3.0, 1, 2)
    assert sql["deficit"] == pytest.approx(1.0)
    assert (python["demand_count"], python["demand"], python["supply"]) == (1, 0.5, 3)
    assert [s["skill_id"] for s in section["shortages"]] == ["sql"]
    assert section["shortages"][0]["message"].startswith("recruit mentors for SQL")
    assert (section["active_employees"], section["with_gaps"]) == (5, 3)
    assert (section["offers"], section["places"]) == (2, 3)
    assert section["rounds"] == []
    assert section["trends"] == []


def test_department_roll_up(result: EvaluationResult) -> None:
    assert result.supply_demand is not None
    departments = {d["name"]: d for d in result.supply_demand["by_department"]}
    data = departments["data"]
    assert (data["demand_count"], data["mentors"], data["supply"]) == (2, 0, 0)
    assert {b["skill_id"] for b in data["shortages"]} == {"sql", "python"}
    assert (departments["eng"]["mentors"], departments["eng"]["supply"]) == (2, 3)
    assert result.supply_demand["by_department"][0]["name"] == "data"  # largest deficit first


def test_results_json_and_report_html(result: EvaluationResult, tmp_path: Path) -> None:
    paths = write_outputs(result, tmp_path)
    saved = json.loads(paths["results"].read_text(encoding="utf-8"))
    assert saved["supply_demand"] == json.loads(json.dumps(result.supply_demand))
    page = paths["report"].read_text(encoding="utf-8")
    section = page[page.index("<h2>Mentor supply and demand</h2>") :]
    assert re.search(r"<td>SQL <span class='ci'>sql</span></td><td>3</td>", section)
    assert "<h3>By department</h3>" in section
    assert section.count("data:image/png;base64,") >= 1  # the deficit chart
    assert "Mentoring rounds" not in section  # no round was given
    assert any("1 skill(s) short of mentors" in line for line in headline_sentences(result))


def round_files(folder: Path) -> list[Path]:
    """An earlier round saved as a result (as `skillgraph match --out` writes it), then a round
    definition solved by the evaluation: SQL for everyone with the gap."""
    from skillgraph.engine import Engine
    from skillgraph.recommend.matching import solve_definition

    definition = {"id": "q1", "gap_skills": ["sql"], "capacities": {"ox": 1}}
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.build(company(), Settings(data_dir=Path(tmp)), encoder=HashingEncoder(64))
        saved = solve_definition(engine.ctx, definition, recommender=engine.mentor_recommender)
    first = folder / "q1-result.json"
    first.write_text(json.dumps(saved), encoding="utf-8")
    second = folder / "q2.json"
    second.write_text(json.dumps({"id": "q2", "gap_skills": ["sql"]}), encoding="utf-8")
    return [first, second]


def test_rounds_give_the_deficit_trend(tmp_path: Path) -> None:
    rounds = tuple(round_files(tmp_path))
    result = evaluate(company(), rounds=rounds)
    section = result.supply_demand
    assert section is not None
    summary = [(r["round_id"], r["source"], r["stats"]["matched"]) for r in section["rounds"]]
    assert summary == [("q1", "result", 1), ("q2", "definition", 2)]  # x has 1, then 2 places
    (sql,) = section["trends"]
    points = [(p["round_id"], p["demand"], p["covered"], p["deficit"]) for p in sql["points"]]
    assert points == [("q1", 3, 1, 2), ("q2", 3, 2, 1)]
    assert sql["change"] == -1
    page = render_html(result)
    assert "<h3>Mentoring rounds</h3>" in page
    assert "<h3>Deficit per skill across rounds</h3>" in page


def test_a_bad_round_file_fails_before_anything_runs(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    definition = {"id": "r", "gap_skills": ["sql"], "mode": "group"}
    bad.write_text(json.dumps(definition), encoding="utf-8")
    with pytest.raises(DatasetError, match="group mode needs circle_size") as caught:
        run_evaluation(EvaluationConfig(rounds=(bad,)), records=Records(), encoder=None)
    assert "bad.json" in str(caught.value)


def test_not_applicable_without_mentors_and_off_when_asked() -> None:
    records = company()
    records.mentors = {}
    section = evaluate(records).supply_demand
    assert section == {
        "applicable": False,
        "note": "Not computed: the dataset has no mentor offers.",
    }
    assert "no mentor offers" in render_html(evaluate(records))
    skipped = evaluate(company(), supply_demand=False)
    assert skipped.supply_demand is None
    assert "Mentor supply and demand" not in render_html(skipped)


def test_configuration_file_names_rounds_relative_to_itself(tmp_path: Path) -> None:
    config = tmp_path / "eval.toml"
    config.write_text('rounds = ["rounds/q1.json"]\nsupply_demand = true\n', encoding="utf-8")
    read = EvaluationConfig.from_toml(config)
    assert read.rounds == (tmp_path / "rounds" / "q1.json",)
    assert read.supply_demand
    assert read.describe()["rounds"] == [str(tmp_path / "rounds" / "q1.json")]
