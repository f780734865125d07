"""The same records and settings build the same engine: inferred profiles, tags and answers
(evaluation numbers and nightly exports depend on it)."""

from __future__ import annotations

from pathlib import Path

from engine.conftest import hashing_settings
from engine.engine_answers import answer_snapshot

from skillgraph.data.company import load_company
from skillgraph.engine import Engine


def test_two_builds_from_the_same_records_agree(sample_company_dir: Path, tmp_path: Path) -> None:
    records = load_company(sample_company_dir)
    first = Engine.build(records, hashing_settings(tmp_path / "a"))
    second = Engine.build(load_company(sample_company_dir), hashing_settings(tmp_path / "b"))
    assert first.derived == second.derived
    assert first.derived.employees, "the sample company has people known by an `about` text"
    roles = sorted(records.roles)[::7]
    employees = sorted(e for e, person in records.employees.items() if person.active)[::15]
    options = {"employees": employees, "roles": roles, "target_role": "engineering-manager"}
    assert answer_snapshot(first, **options) == answer_snapshot(second, **options)
