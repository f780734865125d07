"""Mentor supply and demand of the evaluated company, for results.json and report.html.

Computed with skillgraph.recommend.supply.supply_demand over an engine built on the whole dataset
(gaps against each active employee's current role, inferred profiles included), with every mentor
offer's full capacity free. Applies when the dataset has active employees and mentor offers.

Rounds (`rounds` in the evaluation configuration) are JSON files, oldest first: a round
definition (solved here, exactly, with the engine's mentor recommender) or a solved round saved
earlier (`skillgraph match --out`, or `RoundResult.to_dict()`). Their per-skill deficit across
rounds is supply.deficit_trends.

The section is plain data (`mentor_supply` returns a dict):

    applicable, note, min_mentor_level, active_employees, with_gaps, offers, places,
    by_skill, by_group, by_department, by_location, shortages   (SupplyDemand.to_dict())
    rounds: [{round_id, name, source, file, stats, unmatched_reasons}], trends: [SkillTrend]
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillgraph.data.schema import Records
from skillgraph.errors import DatasetError, ValidationError
from skillgraph.recommend.matching import RoundDefinition, solve_round
from skillgraph.recommend.matching_context import ContextGaps, context_inputs
from skillgraph.recommend.matching_result import RoundResult, reason_counts
from skillgraph.recommend.supply import deficit_trends, free_places, supply_demand

if TYPE_CHECKING:
    from skillgraph.engine import Engine


@dataclass(frozen=True)
class RoundFile:
    """A round given to the evaluation: a definition to solve, or a result solved before."""

    path: Path
    definition: RoundDefinition | None = None
    result: RoundResult | None = None


def read_round(path: Path) -> RoundFile:
    """A round file; DatasetError naming the file when it is neither kind."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DatasetError("round file not found", file=str(path)) from None
    except json.JSONDecodeError as exc:
        raise DatasetError(f"invalid JSON: {exc.msg}", file=str(path), row=exc.lineno) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"cannot read the round file: {exc}", file=str(path)) from None
    if not isinstance(data, Mapping):
        raise DatasetError("expected a JSON object (a round definition or result)", file=str(path))
    try:
        if "round_id" in data and "matches" in data:
            return RoundFile(path, result=RoundResult.from_dict(data))
        return RoundFile(path, definition=RoundDefinition.from_dict(data))
    except ValidationError as exc:
        raise DatasetError(str(exc), file=str(path)) from None


def not_applicable_reason(records: Records) -> str | None:
    """Why supply and demand cannot be computed for these records, or None."""
    if not any(e.active for e in records.employees.values()):
        return "the dataset has no active employees"
    if not records.mentors:
        return "the dataset has no mentor offers"
    return None


def not_applicable(reason: str) -> dict[str, Any]:
    return {"applicable": False, "note": f"Not computed: {reason}."}


def mentor_supply(engine: Engine, rounds: Sequence[RoundFile] = ()) -> dict[str, Any]:
    """The supply-and-demand section for an engine built on the whole dataset."""
    records = engine.records
    reason = not_applicable_reason(records)
    if reason is not None:
        return not_applicable(reason)
    gaps = ContextGaps(engine.ctx, engine.mentor_recommender.analyzer)
    balance = supply_demand(records, gaps)
    active = [e.id for e in records.employees.values() if e.active]
    free = free_places(records, {})
    solved = [_solved(engine, r) for r in rounds]
    return {
        "applicable": True,
        "note": (
            "Demand: active employees with an open gap on their current role, weighted by the "
            "gap's importance. Supply: free places of available mentor offers whose mentor holds "
            f"the skill at level {balance.min_mentor_level:g} or more."
        ),
        "active_employees": len(active),
        "with_gaps": sum(1 for e in active if any(g.gap > 0 for g in gaps(e))),
        "offers": len(free),
        "places": sum(free.values()),
        **balance.to_dict(),
        "rounds": [_round_summary(r, result) for r, result in zip(rounds, solved, strict=True)],
        "trends": [t.to_dict() for t in deficit_trends(solved, records)] if solved else [],
    }


def _solved(engine: Engine, round_file: RoundFile) -> RoundResult:
    if round_file.result is not None:
        return round_file.result
    definition = round_file.definition
    if definition is None:  # a RoundFile always holds one of the two
        raise DatasetError("empty round file", file=str(round_file.path))
    inputs = context_inputs(engine.ctx, definition, recommender=engine.mentor_recommender)
    try:
        return solve_round(definition, inputs)
    except ValidationError as exc:
        raise DatasetError(str(exc), file=str(round_file.path)) from None


def _round_summary(round_file: RoundFile, result: RoundResult) -> dict[str, Any]:
    definition = round_file.definition
    return {
        "round_id": result.round_id,
        "name": definition.name if definition is not None else "",
        "source": "definition" if definition is not None else "result",
        "file": round_file.path.name,
        "stats": result.stats.to_dict(),
        "unmatched_reasons": reason_counts(result),
    }
