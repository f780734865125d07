"""`skillgraph recommend ... --batch FILE | --all`: JSON lines, one engine load, errors per line."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli.conftest import FIXTURES, json_lines, run_cli

from skillgraph import workspace


def test_all_employees_stream_one_line_each(tiny_dir: Path) -> None:
    result = run_cli("recommend", "gaps", "--all", "-d", tiny_dir)
    assert result.exit_code == 0, result.output
    rows = json_lines(result.stdout)
    assert [r["query"] for r in rows] == ["e1", "e2", "e3", "e4", "e5"]  # e6 has left
    assert all(r["kind"] == "gaps" and "result" in r for r in rows)
    assert rows[1]["result"]["readiness"] == 100
    assert "5 queries, 0 failed" in result.stderr


def test_a_batch_loads_the_engine_once(tiny_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened = []
    real_open = workspace.open_engine

    def counting_open(*args: object, **kwargs: object) -> object:
        opened.append(1)
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(workspace, "open_engine", counting_open)
    result = run_cli("recommend", "roles", "--all", "-d", tiny_dir)
    assert result.exit_code == 0, result.output
    assert len(json_lines(result.stdout)) == 5
    assert opened == [1]


def test_a_batch_file_mixes_people_roles_and_skill_lists(tiny_dir: Path, tmp_path: Path) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text("e2\nanalyst\n\n# a comment\npython, sql\nnobody\n", encoding="utf-8")
    result = run_cli("recommend", "roles", "--batch", queries, "-d", tiny_dir)
    assert result.exit_code == 1  # one query failed; the others were answered
    rows = json_lines(result.stdout)
    assert [r["query"] for r in rows] == ["e2", "analyst", "python,sql", "nobody"]
    assert all("result" in r for r in rows[:3])
    assert rows[3]["line"] == 6
    assert "not an employee, role or skill id" in rows[3]["error"]
    assert "4 queries, 1 failed" in result.stderr


def test_every_role_against_a_target(tiny_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "gaps.jsonl"
    result = run_cli(
        "recommend", "gaps", "--all", "--roles", "--target", "lead", "--out", out, "-d", tiny_dir
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    rows = json_lines(out.read_text(encoding="utf-8"))
    assert [r["query"] for r in rows] == ["analyst", "scientist", "lead", "analytics-writer"]
    lead = rows[2]["result"]
    assert lead["readiness"] == 100  # a role meets its own profile


def test_kinds_that_do_not_fit_a_query_fail_per_line(tiny_dir: Path, tmp_path: Path) -> None:
    queries = tmp_path / "q.txt"
    queries.write_text("sql,python\ne3\n", encoding="utf-8")
    result = run_cli("recommend", "paths", "--batch", queries, "-d", tiny_dir, "--max-hops", "2")
    rows = json_lines(result.stdout)
    assert "error" in rows[0]
    assert rows[1]["result"]
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--all", "e2"], "take no employee"),
        (["--all", "--batch", "q.txt"], "not both"),
        (["--batch", "missing.txt"], "file not found"),
    ],
)
def test_batch_usage_errors(
    tiny_dir: Path, tmp_path: Path, args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "q.txt").write_text("e2\n", encoding="utf-8")
    result = run_cli("recommend", "gaps", *args, "-d", tiny_dir)
    assert result.exit_code == 1
    assert message in result.stderr


def test_all_employees_of_an_ontology_says_what_to_do(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_cli("ingest", "esco", FIXTURES / "esco_tiny", "-d", data).exit_code == 0
    result = run_cli("recommend", "roles", "--all", "-d", data)
    assert result.exit_code == 1
    assert "--all --roles" in result.stderr
    roles = run_cli("recommend", "roles", "--all", "--roles", "-d", data)
    assert roles.exit_code == 0, roles.output
    assert len(json_lines(roles.stdout)) == 3


def test_worker_processes_give_the_same_lines_in_order(
    tiny_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skillgraph import answers

    monkeypatch.setattr(answers, "PARALLEL_MIN_QUERIES", 1)
    monkeypatch.setattr(answers, "PARALLEL_CHUNK", 2)
    one = run_cli("recommend", "roles", "--all", "--jobs", "1", "-d", tiny_dir)
    two = run_cli("recommend", "roles", "--all", "--jobs", "2", "-d", tiny_dir)
    assert one.exit_code == two.exit_code == 0
    assert two.stdout == one.stdout
    assert len(json_lines(two.stdout)) == 5
