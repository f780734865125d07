"""The bundled sample company: it loads, meets the agreed minimums, and its facts hold."""

from __future__ import annotations

import importlib.util
import itertools
import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from skillgraph.data.company import load_company
from skillgraph.data.schema import (
    FeedbackVerdict,
    MentorMode,
    Modality,
    Records,
    RelationKind,
    Role,
    SkillKind,
    TargetKind,
)

DATASETS = Path(__file__).resolve().parents[2] / "datasets"
TODAY = date(2025, 6, 30)  # the generator's "today"


@pytest.fixture(scope="module")
def sample(sample_company_dir: Path) -> Records:
    return load_company(sample_company_dir)


@pytest.fixture(scope="module")
def generator() -> Iterator[ModuleType]:
    name = "skillgraph_sample_generator"
    spec = importlib.util.spec_from_file_location(name, DATASETS / "generate_sample.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    yield module
    del sys.modules[name]


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text))


def overlap(a: Role, b: Role) -> float:
    wa = {r.skill_id: r.importance for r in a.requirements}
    wb = {r.skill_id: r.importance for r in b.requirements}
    keys = set(wa) | set(wb)
    top = sum(min(wa.get(k, 0), wb.get(k, 0)) for k in keys)
    return top / sum(max(wa.get(k, 0), wb.get(k, 0)) for k in keys) if keys else 0.0


def moves(sample: Records) -> list[tuple[Role, Role]]:
    return [
        (sample.roles[a.role_id], sample.roles[b.role_id])
        for emp in sample.employees.values()
        for a, b in zip(emp.history, emp.history[1:], strict=False)
    ]


def test_meets_the_minimums(sample: Records) -> None:
    real_skills = [s for s in sample.skills.values() if s.kind is not SkillKind.GROUP]
    assert len(real_skills) >= 150
    assert len(sample.roles) >= 40
    assert len({r.family for r in sample.roles.values()}) >= 5
    assert len(sample.employees) >= 300
    assert len(sample.mentors) >= 60
    assert len(sample.items) >= 250
    assert len(sample.feedback) >= 100
    assert sample.sources == ["company sample_company"]


def test_everything_is_original_company_data(sample: Records) -> None:
    assert {s.source for s in sample.skills.values()} == {"company"}
    assert {r.source for r in sample.roles.values()} == {"company"}
    assert not any(s.source_uri for s in sample.skills.values())
    assert all("northwind" in i.url for i in sample.items.values())


def test_skill_hierarchy(sample: Records) -> None:
    parents: dict[str, list[str]] = {}
    for rel in sample.relations:
        if rel.kind is RelationKind.BROADER:
            parents.setdefault(rel.source, []).append(rel.target)
    groups = [s for s in sample.skills.values() if s.kind is SkillKind.GROUP]
    assert len(groups) >= 10
    assert len([g for g in groups if g.id not in parents]) >= 8  # top-level areas
    for skill in sample.skills.values():
        if skill.kind is not SkillKind.GROUP:
            assert len(parents[skill.id]) == 1
            assert sample.skills[parents[skill.id][0]].kind is SkillKind.GROUP
        assert skill.label
        assert sentences(skill.description) == 1
    assert parents["python"] == ["backend-development"]
    assert parents["backend-development"] == ["software-engineering"]
    assert parents["deep-learning"] == ["machine-learning-ai"]
    with_alt = sum(bool(s.alt_labels) for s in sample.skills.values())
    assert with_alt >= 0.9 * len(sample.skills)


def test_prerequisites_chain_realistically(sample: Records) -> None:
    before: dict[str, set[str]] = {}
    for rel in sample.relations:
        if rel.kind is RelationKind.PREREQUISITE:
            before.setdefault(rel.target, set()).add(rel.source)

    def all_before(skill: str) -> set[str]:
        seen: set[str] = set()
        stack = [skill]
        while stack:
            for p in before.get(stack.pop(), ()):
                if p not in seen:
                    seen.add(p)
                    stack.append(p)
        return seen

    assert {"python", "pandas", "statistics"} <= all_before("machine-learning")
    assert {"python", "pandas", "machine-learning"} <= all_before("deep-learning")
    assert {"sql", "data-modeling"} <= all_before("dbt")
    assert {"javascript", "html-css"} <= all_before("react")
    assert "machine-learning" not in all_before("python")
    related = [r for r in sample.relations if r.kind is RelationKind.RELATED]
    assert len(related) >= 40


def test_every_family_has_a_ladder_of_rising_requirements(sample: Records) -> None:
    families: dict[str, set[int]] = {}
    tracks: dict[str, list[Role]] = {}
    for role in sample.roles.values():
        families.setdefault(role.family, set()).add(role.seniority)
        if role.requirements:
            tracks.setdefault(role.group, []).append(role)
    assert len(families) >= 5
    for family, seniorities in families.items():
        assert seniorities == {1, 2, 3, 4, 5}, family
    ladders = [sorted(t, key=lambda r: r.seniority) for t in tracks.values() if len(t) >= 2]
    assert len(ladders) >= 8
    for ladder in ladders:
        for lower, upper in itertools.pairwise(ladder):
            assert upper.seniority > lower.seniority
            low = {r.skill_id: r.level for r in lower.requirements}
            high = {r.skill_id: r.level for r in upper.requirements}
            assert set(low) <= set(high), (lower.id, upper.id)
            assert all(high[s] >= low[s] for s in low), (lower.id, upper.id)
            assert sum(high.values()) > sum(low.values())


def test_role_descriptions_and_description_only_roles(sample: Records) -> None:
    for role in sample.roles.values():
        assert 2 <= sentences(role.description) <= 4, role.id
        assert role.family
        assert 1 <= role.seniority <= 5
    bare = [r for r in sample.roles.values() if not r.requirements]
    assert 3 <= len(bare) <= 8
    assert {r.family for r in bare} >= {"Data", "Sales"}
    holders = Counter(e.role_id for e in sample.employees.values())
    assert all(holders[r.id] >= 1 for r in bare)  # people hold them, so they need a profile


def test_lateral_moves_share_skills(sample: Records) -> None:
    roles = sample.roles
    pairs = [
        ("data-analyst", "data-scientist"),
        ("backend-engineer", "data-engineer"),
        ("product-manager", "product-designer"),
        ("account-executive", "customer-success-manager"),
    ]
    unrelated = overlap(roles["backend-engineer"], roles["accountant"])
    for a, b in pairs:
        assert overlap(roles[a], roles[b]) > max(0.05, unrelated), (a, b)


def test_managers_form_one_tree_per_department(sample: Records) -> None:
    employees = sample.employees
    by_department: dict[str, list[str]] = {}
    for emp in employees.values():
        by_department.setdefault(emp.department, []).append(emp.id)
        if emp.manager_id is not None:
            manager = employees[emp.manager_id]
            assert manager.department == emp.department
            assert manager.active
            assert sample.roles[manager.role_id].seniority >= 4
    assert len(by_department) >= 5
    for department, ids in by_department.items():
        roots = [i for i in ids if employees[i].manager_id is None]
        assert len(roots) == 1, department
        for emp_id in ids:  # every chain ends at the root
            node, steps = emp_id, 0
            while employees[node].manager_id is not None:
                node, steps = employees[node].manager_id or "", steps + 1
                assert steps < 10
            assert node == roots[0]


def test_locations_have_one_utc_offset_each(sample: Records) -> None:
    offsets: dict[str, set[float]] = {}
    for emp in sample.employees.values():
        offsets.setdefault(emp.location, set()).add(emp.utc_offset)
    assert all(len(v) == 1 for v in offsets.values())
    expected = {
        "Berlin": 1.0,
        "London": 0.0,
        "New York": -5.0,
        "Bangalore": 5.5,
        "San Francisco": -8.0,
    }
    assert {k: next(iter(offsets[k])) for k in expected} == expected


def test_histories_are_dated_and_end_in_the_current_role(sample: Records) -> None:
    lengths = Counter(len(e.history) for e in sample.employees.values())
    assert set(lengths) <= {1, 2, 3, 4, 5}
    assert lengths[1]
    assert lengths[4] + lengths[5] >= 5
    for emp in sample.employees.values():
        last = emp.history[-1]
        assert last.role_id == emp.role_id
        assert (last.end is None) == emp.active
        assert date(2009, 1, 1) <= emp.history[0].start
        assert (last.end or last.start) <= TODAY


def test_moves_go_mostly_up_and_follow_skill_overlap(sample: Records) -> None:
    observed = moves(sample)
    assert len(observed) >= 150
    steps = Counter(b.seniority - a.seniority for a, b in observed)
    assert steps[1] / len(observed) >= 0.55
    assert 0.1 <= steps[0] / len(observed) <= 0.4  # lateral
    assert sum(a.family != b.family for a, b in observed) >= 5
    assert len({(a.id, b.id) for a, b in observed}) >= 60  # not one fixed path per role
    profiled = [r for r in sample.roles.values() if r.requirements]
    baseline = statistics.mean(overlap(a, b) for a in profiled for b in profiled if a is not b)
    moved = statistics.mean(overlap(a, b) for a, b in observed if a.requirements and b.requirements)
    assert moved > 2.5 * baseline


def test_skills_follow_the_role_and_tenure(sample: Records) -> None:
    gaps_new: list[float] = []
    gaps_long: list[float] = []
    pairs: list[tuple[float, float]] = []
    for emp in sample.employees.values():
        if not emp.skills or not emp.active:
            continue
        have = {s.skill_id: s.level for s in emp.skills}
        role = sample.roles[emp.role_id]
        years = (TODAY - emp.history[-1].start).days / 365.25
        for req in role.requirements:
            pairs.append((req.level, have.get(req.skill_id, 0.0)))
            gap = have.get(req.skill_id, 0.0) - req.level
            (gaps_new if years < 1 else gaps_long if years > 2.5 else []).append(gap)
    covered = sum(h > 0 for _, h in pairs) / len(pairs)
    assert covered >= 0.85
    assert statistics.correlation([r for r, _ in pairs], [h for _, h in pairs]) > 0.5
    assert statistics.mean(gaps_long) > statistics.mean(gaps_new) + 0.3
    assert statistics.mean(abs(r - h) for r, h in pairs if h) < 1.2


def test_strengths_above_the_role_and_reverse_mentoring(sample: Records) -> None:
    roles, employees = sample.roles, sample.employees
    above = 0
    for emp in employees.values():
        need = {r.skill_id: r.level for r in roles[emp.role_id].requirements}
        above += any(s.level >= need.get(s.skill_id, 99) + 1 for s in emp.skills)
    assert above >= 0.15 * len(employees)
    reverse = [o for o in sample.mentors.values() if MentorMode.REVERSE in o.modes]
    assert len(reverse) >= 10
    for offer in reverse:
        mentor = employees[offer.employee_id]
        seniors = [
            e
            for e in employees.values()
            if roles[e.role_id].seniority >= 4 and e.department == mentor.department
        ]
        assert roles[mentor.role_id].seniority <= 2
        level = {s.skill_id: s.level for s in mentor.skills}
        topic = offer.topics[0]
        weaker = [
            e
            for e in seniors
            if {s.skill_id: s.level for s in e.skills}.get(topic, 0) < level[topic]
        ]
        assert len(weaker) >= 0.8 * len(seniors)


def test_about_only_people_inactive_people_and_interests(sample: Records) -> None:
    employees = list(sample.employees.values())
    about_only = [e for e in employees if not e.skills]
    assert len(about_only) >= 5
    assert all(len(e.about.split()) >= 25 for e in about_only)
    inactive = [e for e in employees if not e.active]
    assert 1 <= len(inactive) <= 0.05 * len(employees)
    interests = [i for e in employees for i in e.interests]
    assert sum(i in sample.roles for i in interests) >= 50
    assert sum(i in sample.skills for i in interests) >= 30
    assert sum(i not in sample.roles and i not in sample.skills for i in interests) >= 10
    assert len({e.name for e in employees}) == len(employees)


def test_mentor_offers(sample: Records) -> None:
    offers = list(sample.mentors.values())
    assert all(1 <= o.capacity <= 4 for o in offers)
    assert {m for o in offers for m in o.modes} == set(MentorMode)
    accepted = Counter(
        f.target_id
        for f in sample.feedback.values()
        if f.target_kind is TargetKind.MENTOR and f.verdict is FeedbackVerdict.ACCEPTED
    )
    for offer in offers:
        mentor = sample.employees[offer.employee_id]
        assert mentor.active
        strong = {s.skill_id for s in mentor.skills if s.level >= 4}
        assert offer.topics
        assert set(offer.topics) <= strong
        assert offer.capacity - accepted[offer.id] >= 1  # free capacity
        if MentorMode.GROUP in offer.modes:
            assert offer.max_group_size >= 3
    assert sum(not o.available for o in offers) >= 1


def test_learning_items(sample: Records) -> None:
    items = list(sample.items.values())
    modalities = Counter(i.modality for i in items)
    assert set(modalities) == set(Modality)
    assert all(n >= 5 for n in modalities.values())
    assert 3 <= sum(not i.skills for i in items) <= 15
    before: dict[str, set[str]] = {}
    for rel in sample.relations:
        if rel.kind is RelationKind.PREREQUISITE:
            before.setdefault(rel.target, set()).add(rel.source)
    for item in items:
        taught = {t.skill_id for t in item.skills}
        allowed = taught | {p for t in taught for p in before.get(t, ())}
        assert {p.skill_id for p in item.prerequisites} <= allowed, item.id
        assert all(t.level > item.level for t in item.skills), item.id
        assert item.title
        assert item.description
        assert item.provider
    hours = {
        m: statistics.median(i.duration_hours for i in items if i.modality is m) for m in Modality
    }
    assert hours[Modality.ARTICLE] < 1 < hours[Modality.COURSE] < hours[Modality.PROJECT]
    assert len({i.title for i in items}) == len(items)


def test_feedback_for_the_evaluation_protocols(sample: Records) -> None:
    rows = list(sample.feedback.values())
    mentor = [f for f in rows if f.target_kind is TargetKind.MENTOR]
    verdicts = Counter(f.verdict for f in mentor)
    assert verdicts[FeedbackVerdict.ACCEPTED] >= 20
    assert verdicts[FeedbackVerdict.DECLINED] >= 20
    for f in mentor:
        assert (f.rating is not None) == (f.verdict is FeedbackVerdict.ACCEPTED)
        assert f.context in sample.skills
        assert sample.mentors[f.target_id].employee_id != f.employee_id
    ratings_match = [
        f.rating for f in mentor if f.rating and f.context in sample.mentors[f.target_id].topics
    ]
    ratings_other = [
        f.rating for f in mentor if f.rating and f.context not in sample.mentors[f.target_id].topics
    ]
    assert statistics.mean(ratings_match) > statistics.mean(ratings_other)
    content = Counter(f.verdict for f in rows if f.target_kind is TargetKind.CONTENT)
    assert content[FeedbackVerdict.USEFUL]
    assert content[FeedbackVerdict.NOT_USEFUL]
    assert all(f.created_at is not None for f in rows)


def test_generator_reproduces_the_committed_files(
    generator: ModuleType, sample_company_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "sample_company"
    assert generator.main([str(out)]) == 0
    committed = sorted(p.name for p in sample_company_dir.iterdir())
    assert sorted(p.name for p in out.iterdir()) == committed
    for name in committed:
        assert (out / name).read_bytes() == (sample_company_dir / name).read_bytes(), name


def test_another_seed_gives_another_company(generator: ModuleType) -> None:
    first, second = generator.build(), generator.build(seed=7)
    assert first.skills == second.skills
    assert first.roles == second.roles
    assert first.employees != second.employees


def test_sample_is_small_and_datasets_is_not_a_package(sample_company_dir: Path) -> None:
    assert sum(p.stat().st_size for p in sample_company_dir.iterdir()) < 2_000_000
    assert all(p.suffix == ".json" for p in sample_company_dir.iterdir())
    assert not list(DATASETS.rglob("__init__.py"))
