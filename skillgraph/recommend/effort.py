"""Effort: the hours it takes to close skill gaps, by a documented rule.

Reaching level l from level l - 1 takes HOURS_TO_REACH[l] hours of deliberate learning and
practice: awareness 8 h, basic 24 h, intermediate 60 h, advanced 120 h, expert 200 h (each step
takes longer than the one before). A fractional step counts pro rata: from 2.4 to 3 is
0.6 x 60 = 36 h. A gap's hours are the sum of the steps between the current level (after partial
credit, see gaps.py) and the required level, so partial credit from a related skill shortens the
estimate. Importance does not scale the hours: it says how much a gap matters, not how long it
takes to close.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from skillgraph.data.schema import MAX_LEVEL
from skillgraph.recommend.gaps import GapReport, SkillGap

HOURS_TO_REACH = (0.0, 8.0, 24.0, 60.0, 120.0, 200.0)  # index: the level reached


def gap_hours(current: float, required: float) -> float:
    """Hours from `current` to `required` on the 0-5 scale (0 when already there)."""
    low = min(max(current, 0.0), MAX_LEVEL)
    high = min(max(required, 0.0), MAX_LEVEL)
    hours = 0.0
    for level in range(1, int(MAX_LEVEL) + 1):
        step_low, step_high = max(low, level - 1.0), min(high, float(level))
        if step_high > step_low:
            hours += (step_high - step_low) * HOURS_TO_REACH[level]
    return hours


def rows_hours(rows: Iterable[SkillGap]) -> float:
    return round(math.fsum(gap_hours(r.current_level, r.required_level) for r in rows), 1)


def effort_hours(report: GapReport) -> float:
    """Hours to close every open gap of the report, rounded to 0.1."""
    return rows_hours(report.gaps)
