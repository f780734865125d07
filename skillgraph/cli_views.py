"""Human views of the CLI's answers: rich tables over the same JSON data `--json` prints.

Each view reads the JSON-able answer (skillgraph.answers), so the table and the JSON never
disagree; the JSON has everything, the tables what a person reads first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

MAX_GAP_LABELS = 5  # open gaps named per career move
MAX_WHY = 160  # characters of a recommendation's explanation in a table cell


def _num(value: Any, digits: int = 1) -> str:
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:,.0f}"
    return str(value)


def _clip(text: str, width: int = MAX_WHY) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def print_counts(console: Console, counts: Mapping[str, Any], title: str) -> None:
    table = Table(title=title)
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in counts.items():
        shown = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
        table.add_row(key, str(shown))
    console.print(table)


def print_answer(console: Console, kind: str, result: Any) -> None:
    """The human view of one answer of `kind`."""
    view = _VIEWS.get(kind)
    if view is None:
        console.print_json(data=result)
        return
    view(console, result)


def _gaps(console: Console, result: Mapping[str, Any]) -> None:
    who = result.get("employee_id") or "skills"
    title = (
        f"{who} vs {result.get('role_title')} ({result.get('role_id')}): "
        f"readiness {_num(result.get('readiness'), 0)}/100"
    )
    table = Table(title=title, title_justify="left")
    for col in ("skill", "required", "current", "gap", "importance", "note"):
        table.add_column(col, justify="left" if col in ("skill", "note") else "right")
    for row in result.get("rows", []):
        table.add_row(
            f"{row.get('label')} [dim]({row.get('skill_id')})[/]",
            _num(row.get("required_level")),
            _num(row.get("current_level")),
            _num(row.get("gap")) if row.get("gap") else "[green]met[/]",
            _num(row.get("importance"), 2),
            _gap_note(row),
        )
    console.print(table)
    flags = result.get("flags") or []
    if flags:
        console.print(f"flags: {', '.join(flags)}")


def _gap_note(row: Mapping[str, Any]) -> str:
    notes = []
    if row.get("provenance") == "inferred":
        notes.append("inferred requirement")
    evidence = row.get("evidence") or {}
    if evidence and evidence.get("kind") not in (None, "direct"):
        notes.append(f"credit via {evidence.get('source_skill_id')} ({evidence.get('kind')})")
    return "; ".join(notes)


def _recommendations(title: str, name: Callable[[Mapping[str, Any]], str]) -> Any:
    def view(console: Console, result: Sequence[Mapping[str, Any]]) -> None:
        if not result:
            console.print(f"no {title} to recommend")
            return
        table = Table(title=title, title_justify="left", show_lines=True)
        for col in ("#", "recommendation", "score", "why"):
            table.add_column(col, justify="right" if col in ("#", "score") else "left")
        for rank, row in enumerate(result, start=1):
            why = (row.get("explanation") or {}).get("text", "")
            table.add_row(str(rank), name(row), _num(row.get("score"), 3), _clip(why))
        console.print(table)

    return view


def _mentor_name(row: Mapping[str, Any]) -> str:
    payload = row.get("payload") or {}
    return (
        f"{payload.get('name', row.get('item_id'))}\n[dim]{payload.get('role_title', '')}, "
        f"{payload.get('mode', '')} ({row.get('item_id')})[/]"
    )


def _content_name(row: Mapping[str, Any]) -> str:
    payload = row.get("payload") or {}
    return (
        f"{payload.get('title', row.get('item_id'))}\n[dim]{payload.get('modality', '')}, "
        f"{_num(payload.get('duration_hours'))} h ({row.get('item_id')})[/]"
    )


def _role_name(row: Mapping[str, Any]) -> str:
    payload = row.get("payload") or {}
    move = f"{payload['move']} move, " if payload.get("move") else ""
    return (
        f"{payload.get('title', row.get('item_id'))}\n[dim]{move}"
        f"readiness {_num(payload.get('readiness'), 0)} ({row.get('item_id')})[/]"
    )


def _paths(console: Console, result: Sequence[Mapping[str, Any]]) -> None:
    """One row per path (role chain, move types, readiness at each move, effort, score), then
    the best path move by move with its open gaps."""
    if not result:
        console.print("no career path found within the given number of moves")
        return
    table = Table(title="career paths", title_justify="left")
    for col in ("#", "path", "moves", "readiness", "effort (h)", "score"):
        table.add_column(col, justify="right" if col in ("#", "effort (h)", "score") else "left")
    for rank, path in enumerate(result, start=1):
        hops = path.get("hops", [])
        table.add_row(
            str(rank),
            " → ".join(_hop_titles(path)),
            ", ".join(str(h.get("move", "")) for h in hops),
            " → ".join(_num(h.get("readiness"), 0) for h in hops),
            _num(path.get("total_effort_hours"), 0),
            _num(path.get("total_score"), 3),
        )
    console.print(table)
    _path_detail(console, result[0])


def _path_detail(console: Console, path: Mapping[str, Any]) -> None:
    table = Table(title="path 1, move by move", title_justify="left")
    for col in ("to role", "move", "readiness", "effort (h)", "open gaps"):
        table.add_column(col, justify="right" if col in ("readiness", "effort (h)") else "left")
    for hop in path.get("hops", []):
        rows = (hop.get("gaps") or {}).get("rows", [])
        open_gaps = [g for g in rows if g.get("gap")]
        named = ", ".join(
            str(g.get("label", g.get("skill_id"))) for g in open_gaps[:MAX_GAP_LABELS]
        )
        more = len(open_gaps) - MAX_GAP_LABELS
        table.add_row(
            f"{hop.get('to_title')} [dim]({hop.get('to_role')})[/]",
            str(hop.get("move", "")),
            _num(hop.get("readiness"), 0),
            _num(hop.get("effort_hours"), 0),
            (named + (f" +{more} more" if more > 0 else "")) if open_gaps else "none",
        )
    console.print(table)


def _hop_titles(path: Mapping[str, Any]) -> list[str]:
    titles = path.get("titles")
    if titles:
        return [str(t) for t in titles]
    hops = path.get("hops", [])
    return [str(path.get("from_role", "")), *(str(h.get("to_title")) for h in hops)]


def _plan(console: Console, plan: Mapping[str, Any]) -> None:
    console.print(
        f"[bold]plan {plan.get('id')}[/]: {plan.get('employee_id')} "
        f"{plan.get('role_id')} → {plan.get('target_role_id')}; readiness "
        f"{_num(plan.get('readiness'), 0)} → {_num(plan.get('projected_readiness'), 0)}, "
        f"{_num(plan.get('total_hours'), 0)} h over {plan.get('weeks')} weeks at "
        f"{_num(plan.get('hours_per_week'))} h/week"
    )
    goals = Table(title="goals", title_justify="left")
    for col in ("goal", "skill", "from", "to", "reached", "importance"):
        goals.add_column(col, justify="left" if col in ("goal", "skill") else "right")
    for goal in plan.get("goals", []):
        goals.add_row(
            str(goal.get("id")),
            str(goal.get("label")),
            _num(goal.get("from_level")),
            _num(goal.get("to_level")),
            _num(goal.get("reached_level")),
            _num(goal.get("importance"), 2),
        )
    console.print(goals)
    actions = Table(title="actions", title_justify="left")
    for col in ("weeks", "channel", "action", "hours", "goals"):
        actions.add_column(col, justify="right" if col == "hours" else "left")
    for act in plan.get("actions", []):
        actions.add_row(
            f"{act.get('start_week')}-{act.get('end_week')}",
            str(act.get("channel")),
            f"{act.get('title')} [dim]({act.get('modality')})[/]",
            _num(act.get("effort_hours"), 0),
            ", ".join(act.get("goal_ids", [])),
        )
    console.print(actions)
    mix = plan.get("mix") or {}
    target = plan.get("target_mix") or {}
    if mix:
        parts = [
            f"{ch} {100 * share:.0f}% (target {100 * target.get(ch, 0):.0f}%)"
            for ch, share in mix.items()
        ]
        console.print("70-20-10 mix: " + ", ".join(parts))
    for flag in plan.get("flags") or []:
        console.print(f"[yellow]note:[/] {flag}")


_VIEWS: dict[str, Callable[[Console, Any], None]] = {
    "gaps": _gaps,
    "mentors": _recommendations("mentors", _mentor_name),
    "content": _recommendations("learning content", _content_name),
    "roles": _recommendations("next roles", _role_name),
    "paths": _paths,
    "plan": _plan,
}


def print_skills(console: Console, rows: Sequence[Mapping[str, Any]], text: str) -> None:
    table = Table(title=f"skills in: {_clip(text, 60)}", title_justify="left")
    for col in ("skill", "kind", "score"):
        table.add_column(col, justify="right" if col == "score" else "left")
    for row in rows:
        table.add_row(
            f"{row['label']} [dim]({row['skill_id']})[/]", str(row["kind"]), f"{row['score']:.3f}"
        )
    console.print(table)


def print_round(console: Console, result: Mapping[str, Any]) -> None:
    """A solved mentoring round: matches, the unmatched and why, mentor shortages."""
    stats = result.get("stats") or {}
    console.print(
        f"[bold]round {result.get('round_id')}[/]: {stats.get('matched')} of "
        f"{stats.get('cohort')} matched, mean quality {_num(stats.get('mean_quality'), 3)}, "
        f"capacity used {stats.get('used')}/{stats.get('capacity')}"
    )
    matches = Table(title="matches", title_justify="left")
    for col in ("mentee(s)", "mentor offer", "quality", "gaps covered"):
        matches.add_column(col, justify="right" if col == "quality" else "left")
    for m in result.get("matches", []):
        gaps = ", ".join(g.get("skill_label", g.get("skill_id")) for g in m.get("gaps", []))
        matches.add_row(
            ", ".join(m.get("mentee_ids", [])),
            f"{m.get('offer_id')} [dim]({m.get('mentor_id')})[/]",
            _num(m.get("quality"), 3),
            gaps,
        )
    console.print(matches)
    unmatched = result.get("unmatched") or []
    if unmatched:
        table = Table(title="unmatched", title_justify="left")
        for col in ("mentee", "reason", "detail"):
            table.add_column(col)
        for u in unmatched:
            table.add_row(str(u.get("mentee_id")), str(u.get("reason")), str(u.get("detail", "")))
        console.print(table)
    for shortage in result.get("shortages") or []:
        console.print(f"[yellow]shortage:[/] {shortage.get('message')}")
    greedy = result.get("greedy")
    if greedy:
        g = greedy.get("stats") or {}
        console.print(
            f"greedy baseline: {g.get('matched')} matched, mean quality "
            f"{_num(g.get('mean_quality'), 3)}, total quality {_num(g.get('total_quality'), 3)} "
            f"(optimal: {_num(stats.get('total_quality'), 3)})"
        )
