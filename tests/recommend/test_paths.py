"""Career paths: k best loopless paths, exploration, accumulated skills, enrichment, real data."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest
from recommend.synthetic import tiny_context

from skillgraph.config import Settings
from skillgraph.data.onet import load_onet
from skillgraph.errors import NotFoundError, ValidationError
from skillgraph.graph.ontology import SkillGraph
from skillgraph.graph.transitions import MoveType, TransitionGraph
from skillgraph.recommend.base import EngineContext
from skillgraph.recommend.content import ContentRecommender
from skillgraph.recommend.effort import effort_hours
from skillgraph.recommend.gaps import analyze_gaps, analyze_role_gaps, held_levels
from skillgraph.recommend.mentors import MentorRecommender
from skillgraph.recommend.paths import CareerPath, PathFinder
from skillgraph.recommend.transition_build import build_transitions
from skillgraph.retrieval.encoder import HashingEncoder


@pytest.fixture(scope="module")
def ctx() -> EngineContext:
    return tiny_context(HashingEncoder(64))


@pytest.fixture(scope="module")
def transitions(ctx: EngineContext) -> TransitionGraph:
    return build_transitions(ctx)


@pytest.fixture(scope="module")
def finder(ctx: EngineContext, transitions: TransitionGraph) -> PathFinder:
    return PathFinder(transitions, ctx, ContentRecommender().fit(ctx), MentorRecommender().fit(ctx))


def _check_path(path: CareerPath, transitions: TransitionGraph, max_hops: int) -> None:
    roles = path.roles
    assert len(set(roles)) == len(roles)  # loopless
    assert 1 <= len(path.hops) <= max_hops
    for hop, (a, b) in zip(path.hops, itertools.pairwise(roles), strict=True):
        assert (hop.from_role, hop.to_role) == (a, b)
        assert transitions.has_edge(a, b)
        assert hop.cost == pytest.approx(transitions.edge(a, b).cost)
    assert path.total_cost == pytest.approx(sum(h.cost for h in path.hops), abs=1e-5)
    assert path.total_effort_hours == pytest.approx(sum(h.effort_hours for h in path.hops))


# k best ------------------------------------------------------------------------------------
def test_k_best_paths_are_distinct_loopless_sorted_and_within_max_hops(
    finder: PathFinder, transitions: TransitionGraph
) -> None:
    for max_hops in (1, 2, 3):
        paths = finder.k_best("junior_analyst", "lead_scientist", k=5, max_hops=max_hops)
        assert paths
        assert len({tuple(p.roles) for p in paths}) == len(paths)
        costs = [p.total_cost for p in paths]
        assert costs == sorted(costs)
        for p in paths:
            _check_path(p, transitions, max_hops)
            assert p.roles[0] == "junior_analyst"
            assert p.roles[-1] == "lead_scientist"


def test_the_observed_ladder_is_the_best_path(finder: PathFinder) -> None:
    # lena went analyst -> scientist -> lead: two up steps beat one big jump
    best = finder.k_best("analyst", "lead_scientist", k=3, max_hops=3)[0]
    assert best.roles == ["analyst", "scientist", "lead_scientist"]
    assert [h.move for h in best.hops] == [MoveType.UP, MoveType.UP]


def test_steps_down_only_when_asked(finder: PathFinder) -> None:
    default = finder.k_best("analyst", "lead_scientist", k=10, max_hops=3)
    assert all(h.move is not MoveType.DOWN for p in default for h in p.hops)
    anything = finder.k_best("analyst", "lead_scientist", k=10, max_hops=3, moves=None)
    assert len(anything) > len(default)
    assert any(h.move is MoveType.DOWN for p in anything for h in p.hops)


def test_skills_accumulate_along_the_path(ctx: EngineContext, finder: PathFinder) -> None:
    path = finder.k_best(None, "lead_scientist", k=1, max_hops=3, employee_id="ari")[0]
    assert path.roles == ["analyst", "scientist", "lead_scientist"]
    first, second = path.hops
    assert first.gaps.readiness == pytest.approx(analyze_gaps(ctx, "ari", "scientist").readiness)
    direct = analyze_gaps(ctx, "ari", "lead_scientist")
    # after becoming a scientist, python / stats at 4 are taken as learnt
    assert second.readiness > direct.readiness
    assert len(second.gaps.gaps) < len(direct.gaps)
    assert not second.gaps.has("python") or second.gaps.row("python").gap == 0
    assert second.effort_hours < effort_hours(direct)
    assert second.effort_hours == effort_hours(second.gaps)
    # nothing is counted twice: the path costs no more than the two reports apart
    assert path.total_effort_hours <= effort_hours(analyze_gaps(ctx, "ari", "scientist")) + (
        effort_hours(direct)
    )


def test_hops_carry_content_and_mentors_for_their_gaps(
    ctx: EngineContext, finder: PathFinder
) -> None:
    path = finder.k_best(None, "scientist", k=1, max_hops=2, employee_id="ari")[0]
    hop = path.hops[-1]
    gap_ids = {g.skill_id for g in hop.gaps.gaps}
    assert hop.content
    assert hop.mentors
    for rec in hop.content:
        assert rec.item_id in ctx.records.items
        assert {g.skill_id for g in rec.explanation.gaps} <= gap_ids
    assert all(m.item_id in ctx.records.mentors for m in hop.mentors)
    assert all(m.payload["employee_id"] != "ari" for m in hop.mentors)
    bare = finder.k_best(None, "scientist", k=1, max_hops=2, employee_id="ari", details=False)
    assert bare[0].hops[-1].content == ()
    as_dict = path.to_dict()
    assert as_dict["roles"] == path.roles
    assert as_dict["hops"][-1]["content"][0]["id"] == hop.content[0].item_id


def test_a_role_without_an_employee_starts_from_its_profile(
    ctx: EngineContext, finder: PathFinder
) -> None:
    path = finder.k_best("analyst", "scientist", k=1, max_hops=1)[0]
    assert path.employee_id is None
    expected = analyze_role_gaps(ctx, "analyst", "scientist")
    assert path.hops[0].readiness == pytest.approx(expected.readiness)


def test_unreachable_target_gives_an_empty_list_with_a_reason(ctx: EngineContext) -> None:
    sparse = PathFinder(
        TransitionGraph.build(
            ctx.graph, weights=ctx.settings.recommend.transition_weights, top_n=1
        ),
        ctx,
    )
    paths = sparse.k_best("junior_analyst", "eng_manager", k=3, max_hops=1)
    assert paths == []
    assert paths.reason is not None
    assert "Engineering Manager" in paths.reason
    same = sparse.k_best("analyst", "analyst", k=1, max_hops=2)
    assert same == []
    assert same.reason


def test_unknown_ids_and_bad_limits(finder: PathFinder) -> None:
    with pytest.raises(NotFoundError):
        finder.k_best("nobody", "scientist")
    with pytest.raises(NotFoundError):
        finder.k_best("analyst", "nobody")
    with pytest.raises(NotFoundError):
        finder.k_best(None, "scientist", employee_id="nobody")
    with pytest.raises(NotFoundError):
        finder.explore("nobody")
    for k, hops in ((0, 2), (3, 0), (3, 7)):
        with pytest.raises(ValidationError):
            finder.k_best("analyst", "scientist", k=k, max_hops=hops)
    with pytest.raises(ValidationError):
        finder.k_best(None, "scientist")  # neither a role nor an employee
    with pytest.raises(ValidationError):
        finder.k_best("analyst", "scientist", moves=["sideways"])


# explore ---------------------------------------------------------------------------------
def test_explore_gives_the_best_path_to_each_reachable_role(
    finder: PathFinder, transitions: TransitionGraph
) -> None:
    paths = finder.explore("junior_analyst", max_hops=2, limit=10, details=False)
    destinations = [p.to_role for p in paths]
    assert len(destinations) == len(set(destinations))
    assert "junior_analyst" not in destinations
    scores = [p.total_score for p in paths]
    assert scores == sorted(scores, reverse=True)
    for p in paths:
        _check_path(p, transitions, 2)
        best = finder.k_best("junior_analyst", p.to_role, k=1, max_hops=2, details=False)[0]
        assert p.total_cost == pytest.approx(best.total_cost)
    assert len(finder.explore("junior_analyst", max_hops=2, limit=2)) == 2
    excluded = finder.explore("junior_analyst", max_hops=2, exclude=["analyst"], details=False)
    assert "analyst" not in [p.to_role for p in excluded]


def test_explicit_role_sequence(ctx: EngineContext, finder: PathFinder) -> None:
    path = finder.path(["junior_analyst", "engineer"], "jo")
    assert path.hops[0].gaps.employee_id == "jo"
    held = held_levels(ctx.employee("jo"))
    assert path.hops[0].readiness == pytest.approx(analyze_gaps(ctx, held, "engineer").readiness)
    with pytest.raises(ValidationError):
        finder.path(["analyst"])


# a bare ontology ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def onet_ctx(onet_dir: Path) -> EngineContext:
    graph = SkillGraph.build(load_onet(onet_dir))
    return EngineContext(graph=graph, encoder=HashingEncoder(64), indexes={}, settings=Settings())


@pytest.mark.slow
@pytest.mark.realdata
def test_paths_on_onet_occupations(onet_ctx: EngineContext) -> None:
    transitions = build_transitions(onet_ctx)
    finder = PathFinder(transitions, onet_ctx)
    by_title = {r.title: r.id for r in onet_ctx.records.roles.values()}
    start = by_title["Computer Programmers"]
    goal = by_title["Computer and Information Systems Managers"]
    started = time.perf_counter()
    paths = finder.k_best(start, goal, k=5, max_hops=3)
    seconds = time.perf_counter() - started
    assert paths, paths.reason
    assert seconds < 5.0
    for p in paths:
        _check_path(p, transitions, 3)
        assert p.roles[-1] == goal
    explored = finder.explore(start, max_hops=2, limit=10)
    assert len(explored) == 10
    assert any(p.to_role.startswith("15-") for p in explored)
