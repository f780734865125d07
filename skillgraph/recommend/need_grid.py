"""The needs of several queries side by side, as arrays: what lets content_table.py and
mentor_table.py score the queries of one answer (a career path's hops) in one pass."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from skillgraph.recommend.needs import Needs


@dataclass(frozen=True)
class NeedGrid:
    """The needs of several queries side by side, one row per query, padded to the widest
    (`valid` False in the padding, every number 0 there)."""

    skill_ids: list[str]  # every needed skill once
    column: np.ndarray  # (queries, width): position in skill_ids
    valid: np.ndarray
    required: np.ndarray
    current: np.ndarray
    gap: np.ndarray
    importance: np.ndarray
    widths: list[int]

    @classmethod
    def of(cls, needs_list: Sequence[Needs]) -> NeedGrid:
        widths = [len(n.needs) for n in needs_list]
        shape = (len(needs_list), max(widths, default=0))
        position: dict[str, int] = {}
        column = np.zeros(shape, dtype=np.int64)
        numbers = np.zeros((4, *shape))
        for q, needs in enumerate(needs_list):
            for j, need in enumerate(needs.needs):
                column[q, j] = position.setdefault(need.skill_id, len(position))
                numbers[:, q, j] = (
                    need.required_level,
                    need.current_level,
                    need.gap,
                    need.importance,
                )
        valid = np.arange(shape[1])[None, :] < np.array(widths, dtype=np.int64)[:, None]
        required, current, gap, importance = numbers
        return cls(list(position), column, valid, required, current, gap, importance, widths)
