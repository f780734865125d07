"""The `skillgraph` command end to end: ingest, build, info, recommend, export, match, errors."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from cli.conftest import FIXTURES, TINY, json_lines, run_cli

SAMPLE = Path(__file__).resolve().parents[2] / "datasets" / "sample_company"


def test_build_then_info_counts(tiny_dir: Path) -> None:
    result = run_cli("info", "--data-dir", tiny_dir, "--json")
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)
    assert counts["employees"] == 6
    assert counts["roles"] == 4
    assert counts["mentors"] == 3
    assert counts["content items"] == 5
    assert counts["graph edges"] > 0
    assert counts["engine"] == "built"
    table = run_cli("info", "--data-dir", tiny_dir)
    assert "employees" in table.stdout
    assert "graph edges" in table.stdout


def test_gaps_of_an_employee_and_against_a_target(tiny_dir: Path) -> None:
    own = json.loads(run_cli("recommend", "gaps", "e2", "-d", tiny_dir, "--json").stdout)
    assert own["readiness"] == 100  # Ben has no gap in his current role (fixture README)
    result = run_cli("recommend", "gaps", "e2", "--target", "scientist", "-d", tiny_dir, "--json")
    report = json.loads(result.stdout)
    open_gaps = {r["skill_id"] for r in report["rows"] if r["gap"] > 0}
    assert open_gaps == {"python", "pandas", "statistics", "ml"}
    table = run_cli("recommend", "gaps", "e2", "--target", "scientist", "-d", tiny_dir).stdout
    assert "readiness" in table
    assert "Pandas" in table


def test_gaps_between_roles_and_for_a_skill_list(tiny_dir: Path) -> None:
    result = run_cli(
        "recommend", "gaps", "--role", "analyst", "--target", "scientist", "-d", tiny_dir, "--json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["role_id"] == "scientist"
    result = run_cli(
        "recommend", "gaps", "--skills", "python,ml", "--target", "lead", "-d", tiny_dir, "--json"
    )
    rows = {r["skill_id"]: r for r in json.loads(result.stdout)["rows"]}
    assert rows["python"]["current_level"] == 3.0
    assert rows["leadership"]["current_level"] == 0.0


def test_mentors_never_propose_the_manager(tiny_dir: Path) -> None:
    result = run_cli(
        "recommend", "mentors", "e2", "--target", "scientist", "-d", tiny_dir, "--json"
    )
    offers = [r["item_id"] for r in json.loads(result.stdout)]
    assert "m2" in offers
    assert "m1" not in offers  # Ada is Ben's manager
    table = run_cli("recommend", "mentors", "e2", "--target", "scientist", "-d", tiny_dir).stdout
    assert "Chen Li" in table


def test_content_roles_paths_and_plan(tiny_dir: Path) -> None:
    content = json.loads(
        run_cli(
            "recommend", "content", "e2", "--target", "scientist", "-d", tiny_dir, "--json"
        ).stdout
    )
    assert {"c1", "c2"} <= {r["item_id"] for r in content}
    roles = json.loads(run_cli("recommend", "roles", "e3", "-d", tiny_dir, "--json").stdout)
    assert roles
    assert all(r["item_id"] != "scientist" for r in roles)  # not the current role
    paths = json.loads(
        run_cli("recommend", "paths", "--role", "analyst", "-d", tiny_dir, "--json").stdout
    )
    assert paths
    assert all(p["roles"][0] == "analyst" for p in paths)
    assert all(p["titles"][0] == "Data Analyst" for p in paths)
    table = run_cli("recommend", "paths", "--role", "analyst", "--target", "lead", "-d", tiny_dir)
    assert table.exit_code == 0, table.output
    assert "Data Analyst → " in table.stdout
    assert "readiness" in table.stdout
    plan = run_cli("recommend", "plan", "e2", "--target", "scientist", "-d", tiny_dir)
    assert plan.exit_code == 0, plan.output
    assert "goals" in plan.stdout
    assert "actions" in plan.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["recommend", "gaps", "nobody"], "unknown employee id: 'nobody'"),
        (["recommend", "plan", "e2"], "needs an employee id and --target"),
        (["recommend", "gaps", "e2", "--role", "analyst"], "exactly one of"),
        (["recommend", "gaps", "--role", "analyst"], "need --target"),
        (["recommend", "paths", "--skills", "sql"], "not skills"),
        (["recommend", "roles", "e2", "--target", "astronaut"], "unknown role id"),
    ],
)
def test_bad_queries_fail_with_one_clear_line(
    tiny_dir: Path, args: list[str], message: str
) -> None:
    result = run_cli(*args, "-d", tiny_dir)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_broken_company_names_file_row_field_and_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_cli("ingest", "company", TINY, "-d", data).exit_code == 0
    before = (data / "records.snapshot").read_bytes()
    broken = tmp_path / "broken"
    shutil.copytree(TINY, broken)
    csv = broken / "employees.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",analyst,", ",astronaut,")
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("ingest", "company", broken, "-d", data, "--replace")
    assert result.exit_code == 1
    assert "employees.csv" in result.stderr
    assert "astronaut" in result.stderr
    assert "'role_id'" in result.stderr
    assert (data / "records.snapshot").read_bytes() == before
    again = run_cli("ingest", "company", TINY, "-d", data)  # the same company twice
    assert again.exit_code == 1
    assert "--replace" in again.stderr


def test_build_of_a_broken_dataset_keeps_the_data_directory(tiny_dir: Path, tmp_path: Path) -> None:
    before = (tiny_dir / "records.snapshot").read_bytes()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("build", empty, "-d", tiny_dir)
    assert result.exit_code == 1
    assert "no company tables" in result.stderr
    assert (tiny_dir / "records.snapshot").read_bytes() == before
    assert run_cli("info", "-d", tiny_dir, "--json").stdout.count('"built"') == 1


def test_ingest_content_with_a_column_mapping(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_cli("ingest", "company", TINY, "-d", data).exit_code == 0
    catalog = tmp_path / "courses.csv"
    catalog.write_text(
        "code,name,blurb,hours\n"
        "k1,SQL for analysts,Joins and window functions,6 hours\n"
        "k2,Charts that work,Dashboards and data visualization,3 hours\n",
        encoding="utf-8",
    )
    maps = ["--map", "id=code", "--map", "title=name", "--map", "description=blurb"]
    maps += ["--map", "duration=hours", "--map", "provider==Acme"]
    result = run_cli("ingest", "content", catalog, *maps, "-d", data)
    assert result.exit_code == 0, result.output
    counts = json.loads(run_cli("info", "-d", data, "--json").stdout)
    assert counts["content items"] == 7
    no_map = run_cli("ingest", "content", catalog, "-d", data)
    assert no_map.exit_code == 1
    assert "--preset" in no_map.stderr
    bad_preset = run_cli("ingest", "content", catalog, "--preset", "coursera", "-d", data)
    assert bad_preset.exit_code == 1
    assert "edx" in bad_preset.stderr
    missing_column = run_cli("ingest", "content", catalog, "--map", "title=nope", "-d", data)
    assert missing_column.exit_code == 1
    assert "nope" in missing_column.stderr


def test_ontologies_alone_answer_role_questions(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_cli("ingest", "esco", FIXTURES / "esco_tiny", "-d", data).exit_code == 0
    assert run_cli("ingest", "onet", FIXTURES / "onet_tiny", "-d", data).exit_code == 0
    exported = run_cli("export", "roles", "-d", data)  # builds the engine on first use
    assert exported.exit_code == 0, exported.output
    rows = {row["role_id"]: row for row in json_lines(exported.stdout)}
    assert len(rows) == 6
    assert "inferred" in {row["profile"] for row in rows.values()}
    role = next(r for r in rows if r.startswith("15-"))
    result = run_cli("recommend", "roles", "--role", role, "-d", data, "--json")
    assert result.exit_code == 0, result.output
    assert all(r["item_id"] in rows for r in json.loads(result.stdout))
    inferred = run_cli("skills", "infer", "debugging python code", "-d", data, "--json")
    assert json.loads(inferred.stdout)


def test_export_roles_marks_declared_and_inferred(tiny_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "roles.jsonl"
    result = run_cli("export", "roles", "--out", out, "-d", tiny_dir)
    assert result.exit_code == 0, result.output
    rows = {row["role_id"]: row for row in json_lines(out.read_text(encoding="utf-8"))}
    assert rows["analytics-writer"]["profile"] == "inferred"
    assert rows["analyst"]["profile"] == "declared"
    skill = rows["analytics-writer"]["skills"][0]
    assert set(skill) >= {"skill_id", "label", "level", "importance", "provenance", "score"}
    assert skill["provenance"] == "inferred"
    assert skill["score"] is not None


def test_skills_infer_and_token(tiny_dir: Path) -> None:
    rows = json.loads(
        run_cli("skills", "infer", "pandas dataframes in python", "-d", tiny_dir, "--json").stdout
    )
    assert rows
    assert {"skill_id", "label", "kind", "score"} <= set(rows[0])
    token = run_cli("token", "e2", "--role", "manager", "-d", tiny_dir)
    assert token.exit_code == 0
    assert token.stdout.strip().count(".") == 2
    bad = run_cli("token", "e2", "--role", "emperor", "-d", tiny_dir)
    assert bad.exit_code == 1
    assert "unknown role" in bad.stderr


def test_match_a_round(tiny_dir: Path, tmp_path: Path) -> None:
    round_file = tmp_path / "round.json"
    round_file.write_text(
        json.dumps({"id": "r1", "mentee_ids": ["e2", "e4"], "gap_skills": ["pandas", "python"]}),
        encoding="utf-8",
    )
    result = run_cli("match", round_file, "-d", tiny_dir, "--json", "--greedy")
    assert result.exit_code == 0, result.output
    solved = json.loads(result.stdout)
    assert solved["round_id"] == "r1"
    placed = {m for match in solved["matches"] for m in match["mentee_ids"]}
    unplaced = {u["mentee_id"] for u in solved["unmatched"]}
    assert placed | unplaced == {"e2", "e4"}
    assert "shortages" in solved
    assert "greedy" in solved
    table = run_cli("match", round_file, "-d", tiny_dir)
    assert "round r1" in table.stdout
    round_file.write_text(json.dumps({"id": "r2", "colour": "blue"}), encoding="utf-8")
    bad = run_cli("match", round_file, "-d", tiny_dir)
    assert bad.exit_code == 1
    assert "round.json" in bad.stderr
    assert "colour" in bad.stderr


@pytest.mark.model
def test_sample_company_with_the_real_model(tmp_path: Path, real_encoder: object) -> None:
    env = {"SKILLGRAPH_RETRIEVAL__MODEL": "all-MiniLM-L6-v2", "HF_HUB_OFFLINE": "1"}
    data = tmp_path / "data"
    built = run_cli("build", SAMPLE, "-d", data, env=env)
    assert built.exit_code == 0, built.output
    for kind in ("gaps", "mentors", "content", "roles"):
        result = run_cli("recommend", kind, "e0006", "-d", data, "--json", env=env)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)
    inferred = json.loads(
        run_cli("skills", "infer", "writes SQL queries", "-d", data, "--json", env=env).stdout
    )
    assert inferred[0]["skill_id"] in {"sql", "relational-databases"}


@pytest.mark.realdata
@pytest.mark.slow
def test_ingest_the_public_ontologies(esco_dir: Path, onet_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    esco = run_cli("ingest", "esco", esco_dir, "-d", data)
    assert esco.exit_code == 0, esco.output
    onet = run_cli("ingest", "onet", onet_dir, "-d", data)
    assert onet.exit_code == 0, onet.output
    counts = json.loads(run_cli("info", "-d", data, "--json").stdout)
    assert counts["roles"] == 3007 + 1016
    assert counts["skills"] > 13_896
    assert counts["engine"] == "not built"
    assert "ESCO" in counts["sources"]
    again = run_cli("ingest", "esco", esco_dir, "-d", data)
    assert again.exit_code == 1
    assert "--replace" in again.stderr
    assert os.path.getsize(data / "records.snapshot") > 0
