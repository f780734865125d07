"""Exact capacitated assignment: known answers, brute force, both engines, greedy baseline."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillgraph.errors import ValidationError
from skillgraph.recommend.matching_solver import (
    AssignmentProblem,
    Engine,
    Objective,
    objective_value,
    solve_exact,
    solve_greedy,
)


def problem(
    edges: list[tuple[int, int, float]],
    capacity: list[int],
    n_rows: int | None = None,
    *,
    weights: list[int] | None = None,
    top: list[bool] | None = None,
    top_capacity: int | None = None,
) -> AssignmentProblem:
    rows = np.array([e[0] for e in edges], dtype=np.int64)
    return AssignmentProblem(
        n_rows=n_rows if n_rows is not None else int(rows.max()) + 1,
        n_cols=len(capacity),
        rows=rows,
        cols=np.array([e[1] for e in edges], dtype=np.int64),
        quality=np.array([e[2] for e in edges], dtype=np.float64),
        capacity=np.array(capacity, dtype=np.int64),
        row_weight=None if weights is None else np.array(weights, dtype=np.int64),
        top=None if top is None else np.array(top, dtype=bool),
        top_capacity=top_capacity,
    )


def brute_force(p: AssignmentProblem, objective: Objective) -> tuple[int, float]:
    """The best (matched mentees, quality) over every feasible assignment."""
    options = [[-1, *np.flatnonzero(p.rows == r).tolist()] for r in range(p.n_rows)]
    weights = p.weights()
    best: tuple[int, float] | None = None
    for combo in itertools.product(*options):
        chosen = [e for e in combo if e >= 0]
        load = np.bincount(p.cols[chosen], minlength=p.n_cols) if chosen else np.zeros(p.n_cols)
        if np.any(load > p.capacity):
            continue
        if top_count(p, chosen) > (p.top_capacity if p.top_capacity is not None else len(chosen)):
            continue
        value = (int(weights[p.rows[chosen]].sum()), float(p.quality[chosen].sum()))
        if best is None or rank(value, objective) > rank(best, objective):
            best = value
    assert best is not None
    return best


def top_count(p: AssignmentProblem, chosen: list[int]) -> int:
    return 0 if p.top is None or not chosen else int(p.top[p.cols[chosen]].sum())


def rank(value: tuple[int, float], objective: Objective) -> tuple[int, float]:
    return value if objective is Objective.COVERAGE else (0, value[1])


def assert_feasible(p: AssignmentProblem, edge_of_row: np.ndarray) -> None:
    chosen = edge_of_row[edge_of_row >= 0]
    assert np.all(p.rows[chosen] == np.flatnonzero(edge_of_row >= 0))
    load = np.bincount(p.cols[chosen], minlength=p.n_cols)
    assert np.all(load <= p.capacity)
    if p.top is not None and p.top_capacity is not None:
        assert int(p.top[p.cols[chosen]].sum()) <= p.top_capacity


# known answers ----------------------------------------------------------------------------------
GREEDY_TRAP = [(0, 0, 0.9), (0, 1, 0.8), (1, 0, 0.7)]  # row 0 grabs column 0, row 1 is left out


@pytest.mark.parametrize("engine", [Engine.ASSIGNMENT, Engine.LP])
def test_optimum_beats_greedy_top1(engine: Engine) -> None:
    p = problem(GREEDY_TRAP, [1, 1])
    greedy = solve_greedy(p)
    best = solve_exact(p, Objective.QUALITY, engine)
    assert objective_value(p, greedy) == pytest.approx((1, 0.9))
    assert objective_value(p, best) == pytest.approx((2, 1.5))
    assert objective_value(p, best) == pytest.approx(brute_force(p, Objective.QUALITY))
    assert best.edge_of_row.tolist() == [1, 2]


@pytest.mark.parametrize("engine", [Engine.ASSIGNMENT, Engine.LP])
def test_coverage_matches_more_than_quality(engine: Engine) -> None:
    # row 0 loves column 0 (0.9) or settles for column 1 (0.1); row 1 can only have column 0
    p = problem([(0, 0, 0.9), (0, 1, 0.1), (1, 0, 0.5)], [1, 1])
    quality = solve_exact(p, Objective.QUALITY, engine)
    coverage = solve_exact(p, Objective.COVERAGE, engine)
    assert objective_value(p, quality) == pytest.approx((1, 0.9))
    assert objective_value(p, coverage) == pytest.approx((2, 0.6))


def test_coverage_counts_mentees_of_circles() -> None:
    # a circle of 3 (row 0) against a pair (row 1) for the only place: coverage takes the circle
    p = problem([(0, 0, 0.2), (1, 0, 0.9)], [1], weights=[3, 1])
    assert objective_value(p, solve_exact(p, Objective.COVERAGE)) == pytest.approx((3, 0.2))
    assert objective_value(p, solve_exact(p, Objective.QUALITY)) == pytest.approx((1, 0.9))


def test_top_capacity_caps_the_top_columns_together() -> None:
    edges = [(r, 0, 0.9) for r in range(4)] + [(r, 1, 0.8) for r in range(4)]
    edges += [(r, 2, 0.3) for r in range(4)]
    p = problem(edges, [2, 2, 4], top=[True, True, False], top_capacity=1)
    found = solve_exact(p)
    assert found.engine is Engine.LP  # the assignment engine cannot express it
    assert_feasible(p, found.edge_of_row)
    assert objective_value(p, found) == pytest.approx((4, 0.9 + 3 * 0.3))


def test_assignment_engine_refuses_a_top_cap() -> None:
    p = problem(GREEDY_TRAP, [1, 1], top=[True, False], top_capacity=1)
    with pytest.raises(ValidationError, match="top mentors"):
        solve_exact(p, engine=Engine.ASSIGNMENT)


def test_zero_capacity_column_is_never_used() -> None:
    p = problem([(0, 0, 1.0), (0, 1, 0.1)], [0, 1])
    assert solve_exact(p).edge_of_row.tolist() == [1]


def test_empty_problem() -> None:
    p = AssignmentProblem(3, 2, np.zeros(0, int), np.zeros(0, int), np.zeros(0), np.ones(2, int))
    assert solve_exact(p).edge_of_row.tolist() == [-1, -1, -1]


@pytest.mark.parametrize(
    ("edges", "capacity", "message"),
    [
        ([(0, 0, 0.5), (0, 0, 0.4)], [1], "twice"),
        ([(0, 0, 0.0)], [1], r"\(0, 1\]"),
        ([(0, 0, 1.5)], [1], r"\(0, 1\]"),
        ([(0, 3, 0.5)], [1], "column out of range"),
        ([(0, 0, 0.5)], [-1], ">= 0"),
    ],
)
def test_malformed_problems_are_refused(
    edges: list[tuple[int, int, float]], capacity: list[int], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        solve_exact(problem(edges, capacity))


# brute force over random small problems ---------------------------------------------------------
@st.composite
def small_problems(draw: st.DrawFn) -> AssignmentProblem:
    n_rows = draw(st.integers(1, 5))
    n_cols = draw(st.integers(1, 3))
    cells = [(r, c) for r in range(n_rows) for c in range(n_cols)]
    chosen = draw(st.lists(st.sampled_from(cells), unique=True, max_size=len(cells)))
    qualities = draw(st.lists(st.integers(1, 100), min_size=len(chosen), max_size=len(chosen)))
    capacity = draw(st.lists(st.integers(0, 3), min_size=n_cols, max_size=n_cols))
    weights = draw(st.none() | st.lists(st.integers(1, 3), min_size=n_rows, max_size=n_rows))
    with_top = draw(st.booleans())
    top = draw(st.lists(st.booleans(), min_size=n_cols, max_size=n_cols)) if with_top else None
    top_capacity = draw(st.integers(0, 3)) if with_top else None
    edges = [(r, c, q / 100) for (r, c), q in zip(chosen, qualities, strict=True)]
    if not edges:
        return AssignmentProblem(
            n_rows, n_cols, np.zeros(0, int), np.zeros(0, int), np.zeros(0), np.array(capacity)
        )
    return problem(edges, capacity, n_rows, weights=weights, top=top, top_capacity=top_capacity)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p=small_problems(), objective=st.sampled_from(list(Objective)))
def test_exact_engines_equal_brute_force(p: AssignmentProblem, objective: Objective) -> None:
    expected = brute_force(p, objective)
    engines = [Engine.LP] if p.top is not None else [Engine.LP, Engine.ASSIGNMENT]
    for engine in engines:
        found = solve_exact(p, objective, engine)
        assert_feasible(p, found.edge_of_row)
        matched, quality = objective_value(p, found)
        assert quality == pytest.approx(expected[1], abs=1e-9)
        if objective is Objective.COVERAGE:
            assert matched == expected[0]


@settings(max_examples=60, deadline=None)
@given(p=small_problems())
def test_greedy_is_feasible_and_never_better(p: AssignmentProblem) -> None:
    greedy = solve_greedy(p)
    assert_feasible(p, greedy.edge_of_row)
    assert objective_value(p, greedy)[1] <= brute_force(p, Objective.QUALITY)[1] + 1e-9


def test_engines_agree_on_a_medium_random_round() -> None:
    rng = np.random.default_rng(7)
    n_rows, n_cols, per_row = 400, 60, 8
    rows = np.repeat(np.arange(n_rows), per_row)
    cols = np.concatenate([rng.choice(n_cols, per_row, replace=False) for _ in range(n_rows)])
    quality = rng.uniform(0.01, 1.0, len(rows))
    p = AssignmentProblem(n_rows, n_cols, rows, cols, quality, rng.integers(0, 6, n_cols))
    for objective in Objective:
        a = objective_value(p, solve_exact(p, objective, Engine.ASSIGNMENT))
        b = objective_value(p, solve_exact(p, objective, Engine.LP))
        assert a[0] == b[0]
        assert a[1] == pytest.approx(b[1], abs=1e-7)
    best = objective_value(p, solve_exact(p, Objective.QUALITY))[1]
    assert best > objective_value(p, solve_greedy(p))[1]
