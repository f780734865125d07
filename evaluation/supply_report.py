"""The "Mentor supply and demand" section of report.html (and its one-line summary): the shortage
table, a chart of the largest deficits, roll-ups per skill group, department and location, and,
when rounds were given, the rounds and the deficit trend across them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from evaluation.report import COLOURS, _e, _figure, _img, _png, _table

SHORTAGE_ROWS = 20  # skills in the shortage table
CHART_BARS = 15  # skills in the deficit chart
GROUP_ROWS = 10
TREND_ROWS = 15
TREND_LINES = 6


def supply_sentences(section: Mapping[str, Any] | None) -> list[str]:
    """One plain sentence on mentor shortages (nothing when the section was not asked for)."""
    if section is None:
        return []
    if not section.get("applicable"):
        return [f"Mentor supply and demand: {section.get('note', 'not computed')}"]
    shortages = section.get("shortages", [])
    if not shortages:
        return ["Mentor supply and demand: no skill is short of mentors."]
    top = ", ".join(f"{b['label']} ({b['deficit']:.1f})" for b in shortages[:3])
    return [
        f"Mentor supply and demand: {len(shortages)} skill(s) short of mentors; "
        f"largest deficits: {top}."
    ]


def supply_section(section: Mapping[str, Any] | None) -> str:
    if section is None:
        return ""
    head = "<h2>Mentor supply and demand</h2>"
    if not section.get("applicable"):
        return f"<section>{head}<p class='warn'>{_e(section.get('note', ''))}</p></section>"
    parts = [head, _intro(section), "<h3>Shortages by skill</h3>", _shortage_table(section)]
    chart = _deficit_chart(section.get("shortages", []))
    if chart is not None:
        parts.append(_img(chart, "largest mentor deficits: demand and supply per skill"))
    parts += [
        "<h3>By skill group</h3>",
        _group_table(section.get("by_group", [])),
        "<h3>By department</h3>",
        _slice_table(section.get("by_department", []), "department"),
        "<h3>By location</h3>",
        _slice_table(section.get("by_location", []), "location"),
    ]
    if section.get("rounds"):
        parts += _rounds_parts(section)
    return "<section>" + "".join(parts) + "</section>"


def _intro(section: Mapping[str, Any]) -> str:
    people = section.get("active_employees", 0)
    return (
        f"<p>{_e(section.get('note', ''))} {section.get('with_gaps', 0)} of {people} active "
        f"employees have an open gap; {section.get('offers', 0)} mentor offers have "
        f"{section.get('places', 0)} places. A mentor's places count for every skill they "
        "qualify on, so supplies of different skills do not add up. "
        "Deficit = demand - supply; ratio = supply / demand.</p>"
    )


def _shortage_table(section: Mapping[str, Any]) -> str:
    shortages = section.get("shortages", [])
    if not shortages:
        return "<p>No skill has more demand than mentor places.</p>"
    rows = [
        [
            f"{_e(b['label'])} <span class='ci'>{_e(b['skill_id'])}</span>",
            str(b["demand_count"]),
            f"{b['demand']:.2f}",
            str(b["mentors"]),
            str(b["supply"]),
            "-" if b.get("ratio") is None else f"{b['ratio']:.2f}",
            f"{b['deficit']:.2f}",
        ]
        for b in shortages[:SHORTAGE_ROWS]
    ]
    more = len(shortages) - SHORTAGE_ROWS
    note = f"<p class='small'>... and {more} more in results.json.</p>" if more > 0 else ""
    headers = ["skill", "people", "demand", "mentors", "supply", "ratio", "deficit"]
    return _table(headers, rows, raw=True) + note


def _group_table(groups: Sequence[Mapping[str, Any]]) -> str:
    short = [g for g in groups if g["deficit"] > 0][:GROUP_ROWS]
    if not short:
        return "<p>No skill group is short of mentors.</p>"
    rows = [
        [
            _e(g["label"]),
            str(len(g.get("members", []))),
            str(g["demand_count"]),
            str(g["mentors"]),
            str(g["supply"]),
            f"{g['deficit']:.2f}",
        ]
        for g in short
    ]
    headers = ["group", "skills in demand", "people", "mentors", "supply", "deficit"]
    return _table(headers, rows, raw=True)


def _slice_table(slices: Sequence[Mapping[str, Any]], what: str) -> str:
    if not slices:
        return f"<p>No {_e(what)} is known.</p>"
    rows = []
    for s in slices:
        per_person = s["supply"] / s["demand_count"] if s["demand_count"] else None
        largest = ", ".join(f"{b['label']} ({b['deficit']:.1f})" for b in s.get("shortages", []))
        rows.append(
            [
                _e(s["name"]),
                str(s["demand_count"]),
                str(s["mentors"]),
                str(s["supply"]),
                "-" if per_person is None else f"{per_person:.2f}",
                _e(largest or "-"),
            ]
        )
    headers = [
        what,
        "people with a gap",
        "mentors",
        "places",
        "places per person",
        "largest shortages (own mentors)",
    ]
    return _table(headers, rows, raw=True)


def _rounds_parts(section: Mapping[str, Any]) -> list[str]:
    rounds = section["rounds"]
    rows = [
        [
            _e(r["round_id"]),
            _e(r["source"]),
            str(r["stats"]["cohort"]),
            f"{r['stats']['matched_share']:.2f}",
            f"{r['stats']['mean_quality']:.3f}",
            f"{r['stats']['utilisation']:.2f}",
            _e(", ".join(f"{k} {v}" for k, v in r.get("unmatched_reasons", {}).items()) or "-"),
        ]
        for r in rounds
    ]
    headers = ["round", "source", "cohort", "matched", "mean quality", "utilisation", "unmatched"]
    parts = ["<h3>Mentoring rounds</h3>", _table(headers, rows, raw=True)]
    trends = [t for t in section.get("trends", []) if any(p["deficit"] for p in t["points"])]
    if trends:
        parts += ["<h3>Deficit per skill across rounds</h3>", _trend_table(trends, rounds)]
        chart = _trend_chart(trends, [r["round_id"] for r in rounds])
        if chart is not None:
            parts.append(_img(chart, "deficit per skill across rounds"))
    return parts


def _trend_table(trends: Sequence[Mapping[str, Any]], rounds: Sequence[Mapping[str, Any]]) -> str:
    rows = [
        [
            _e(t["label"]),
            *(f"{p['deficit']} / {p['demand']}" for p in t["points"]),
            f"{t['change']:+d}",
        ]
        for t in trends[:TREND_ROWS]
    ]
    headers = ["skill", *(f"{r['round_id']} (unmet / needing)" for r in rounds), "change"]
    note = "<p class='small'>Skills whose every mentee was covered in every round are left out.</p>"
    return _table(headers, rows, raw=True) + note


# charts -----------------------------------------------------------------------------------------
def _deficit_chart(shortages: Sequence[Mapping[str, Any]]) -> bytes | None:
    top = list(shortages[:CHART_BARS])
    if not top:
        return None
    top.reverse()  # largest at the top of a horizontal chart
    fig = _figure(9, 0.9 + 0.32 * len(top))
    ax = fig.add_subplot()
    y = np.arange(len(top))
    ax.barh(y + 0.2, [b["demand"] for b in top], 0.4, label="demand", color=COLOURS[3])
    ax.barh(y - 0.2, [b["supply"] for b in top], 0.4, label="supply (places)", color=COLOURS[0])
    for n, b in enumerate(top):
        ax.text(b["demand"], n + 0.2, f"  deficit {b['deficit']:.1f}", va="center", fontsize=7)
    ax.set_yticks(y, [b["label"] for b in top], fontsize=8)
    ax.margins(x=0.15)  # room for the deficit labels
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("largest mentor deficits: demand vs free places", fontsize=10)
    return _png(fig)


def _trend_chart(trends: Sequence[Mapping[str, Any]], round_ids: Sequence[str]) -> bytes | None:
    if len(round_ids) < 2:
        return None
    fig = _figure(9, 3.6)
    ax = fig.add_subplot()
    x = np.arange(len(round_ids))
    for n, t in enumerate(trends[:TREND_LINES]):
        ax.plot(
            x,
            [p["deficit"] for p in t["points"]],
            marker="o",
            color=COLOURS[n % len(COLOURS)],
            label=t["label"],
        )
    ax.set_xticks(x, list(round_ids), fontsize=8)
    ax.set_ylabel("mentees not covered")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title("deficit per skill across rounds (largest last deficits)", fontsize=10)
    return _png(fig)
