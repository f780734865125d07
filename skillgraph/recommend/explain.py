"""Building explanations: the gaps a recommendation closes, and readiness counterfactuals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from skillgraph.recommend.base import Explanation, GapReason
from skillgraph.recommend.gaps import GapReport, SkillGap


def fmt_level(level: float) -> str:
    """3.0 -> "3", 2.4 -> "2.4"."""
    return f"{level:.1f}".rstrip("0").rstrip(".")


def reason_of(row: SkillGap) -> GapReason:
    return GapReason(
        skill_id=row.skill_id,
        skill_label=row.label,
        required_level=row.required_level,
        current_level=row.current_level,
        importance=row.importance,
    )


def counterfactual(
    report: GapReport | None, reached: Mapping[str, float]
) -> tuple[str | None, tuple[float, float] | None]:
    """What readiness for the report's role would become if these skills reached these levels.

    Returns (sentence, (before, after)), or (None, None) when nothing in the role changes.
    """
    if report is None:
        return None, None
    touched = [r for r in report.gaps if reached.get(r.skill_id, 0.0) > r.current_level]
    if not touched:
        return None, None
    before = report.readiness
    after = report.readiness_with(reached)
    names = _join_names([r.label for r in touched])
    verb = (
        "closing" if all(reached[r.skill_id] >= r.required_level for r in touched) else "improving"
    )
    text = (
        f"{verb} {names} raises readiness for {report.role_title} from {before:.0f} to {after:.0f}"
    )
    return text, (round(before, 1), round(after, 1))


def explanation(
    reasons: Iterable[GapReason],
    signals: Mapping[str, float],
    text: str,
    *,
    report: GapReport | None = None,
    reached: Mapping[str, float] | None = None,
) -> Explanation:
    """An Explanation; the counterfactual is filled when a report and reached levels are given."""
    cf_text, cf_numbers = counterfactual(report, reached or {})
    return Explanation(
        gaps=tuple(reasons),
        signals={name: round(float(value), 4) for name, value in signals.items()},
        counterfactual=cf_text,
        counterfactual_readiness=cf_numbers,
        text=text if cf_text is None else f"{text}; {cf_text}",
    )


def gap_phrase(reason: GapReason, reached: float | None = None) -> str:
    """ "SQL 2 -> 3" (from the current level to the level reached or required)."""
    target = reason.required_level if reached is None else min(reached, reason.required_level)
    return f"{reason.skill_label} {fmt_level(reason.current_level)} -> {fmt_level(target)}"


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    if len(names) > 3:
        return f"{', '.join(names[:3])} and {len(names) - 3} more"
    return f"{', '.join(names[:-1])} and {names[-1]}"
