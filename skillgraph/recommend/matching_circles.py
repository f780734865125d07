"""Group mode: form circles of mentees who share gaps.

Greedy, seeded by the largest shared gap: take the skill on which the most mentees still in the
pool have an open gap (ties: the larger summed gap weight, then the skill id); seed the circle
with the mentee who has the largest gap weight on it; fill it with the mentees of that skill who
share the most other gap skills with the seed (ties: larger weight on the skill, then id). When
the skill has fewer mentees left than a circle holds, the circle is filled with the pool mentees
sharing the most gap skills with it (it may then share only some gaps). A last circle smaller than
`min_size` is not formed: its mentees are returned as left over.

Gap weight = importance x gap size. Deterministic for a given input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Circle:
    id: str
    members: tuple[str, ...]
    seed_skill: str
    shared_skills: tuple[str, ...]  # gap skills held by at least two members, most shared first


def form_circles(
    gap_weights: Mapping[str, Mapping[str, float]],
    size: int,
    *,
    min_size: int | None = None,
    id_prefix: str = "circle",
) -> tuple[list[Circle], list[str]]:
    """Circles of `size` mentees (mentee -> {gap skill: weight}); returns (circles, left over)."""
    smallest = size if min_size is None else min_size
    pool = {m for m, gaps in gap_weights.items() if gaps}
    holders: dict[str, set[str]] = {}
    for mentee in pool:
        for skill in gap_weights[mentee]:
            holders.setdefault(skill, set()).add(mentee)
    circles: list[Circle] = []
    while len(pool) >= smallest and pool:
        seed_skill = _largest_shared_gap(holders, gap_weights)
        members = _fill(seed_skill, holders[seed_skill], pool, gap_weights, size)
        if len(members) < smallest:
            break
        for mentee in members:
            pool.discard(mentee)
            for skill in gap_weights[mentee]:
                holders[skill].discard(mentee)
                if not holders[skill]:
                    del holders[skill]
        circles.append(
            Circle(
                id=f"{id_prefix}-{len(circles) + 1}",
                members=tuple(members),
                seed_skill=seed_skill,
                shared_skills=_shared(members, gap_weights, seed_skill),
            )
        )
    return circles, sorted(pool)


def _largest_shared_gap(
    holders: Mapping[str, set[str]], gap_weights: Mapping[str, Mapping[str, float]]
) -> str:
    def key(skill: str) -> tuple[int, float, str]:
        weight = sum(gap_weights[m][skill] for m in holders[skill])
        return (-len(holders[skill]), -weight, skill)

    return min(holders, key=key)


def _fill(
    seed_skill: str,
    with_skill: set[str],
    pool: set[str],
    gap_weights: Mapping[str, Mapping[str, float]],
    size: int,
) -> list[str]:
    seed = min(with_skill, key=lambda m: (-gap_weights[m][seed_skill], m))
    seed_gaps = set(gap_weights[seed])

    def closeness(m: str) -> tuple[int, float, str]:
        return (-len(seed_gaps & set(gap_weights[m])), -gap_weights[m].get(seed_skill, 0.0), m)

    members = [seed, *sorted(with_skill - {seed}, key=closeness)[: size - 1]]
    if len(members) < size:
        profile = set().union(*(set(gap_weights[m]) for m in members))

        def overlap(m: str) -> tuple[int, str]:
            return (-len(profile & set(gap_weights[m])), m)

        others = sorted(pool - set(members), key=overlap)
        members.extend(others[: size - len(members)])
    return members


def _shared(
    members: list[str], gap_weights: Mapping[str, Mapping[str, float]], seed_skill: str
) -> tuple[str, ...]:
    counts: dict[str, int] = {}
    for m in members:
        for skill in gap_weights[m]:
            counts[skill] = counts.get(skill, 0) + 1
    shared = [s for s, c in counts.items() if c >= 2 or s == seed_skill]
    return tuple(sorted(shared, key=lambda s: (s != seed_skill, -counts[s], s)))
