"""Outputs of a run: a rich table in the terminal, results.json with every number, and a
self-contained report.html (inline CSS, matplotlib charts embedded as base64 PNG; opens offline).
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from evaluation.results import EvaluationResult, ProtocolResult, SystemResult

RESULTS_FILE = "results.json"
REPORT_FILE = "report.html"
SIGNIFICANCE = 0.05
WIDE_TABLE_COLUMNS = 170  # below this the terminal table puts systems in columns
BEYOND_LABELS = {
    "coverage": "coverage",
    "diversity": "diversity",
    "novelty": "novelty (bits)",
    "exposure_gini": "exposure Gini",
    "unmatched_rate": "unmatched",
    "capacity_utilisation": "capacity used",
    "capacity_overloaded_share": "mentors overloaded",
    "capacity_unserved_share": "first choice full",
}
BEYOND_CHART = ("coverage", "diversity", "exposure_gini", "unmatched_rate")
MAX_BAR_GROUPS = 10  # more groups than this: a dot per system and group instead of bars
COLOURS = ("#1f5fa8", "#e07b28", "#3a9a4a", "#c23b3b", "#7d5ba6", "#8c6d31", "#d46aa8", "#6f6f6f")


# -- files ----------------------------------------------------------------------------------------


def write_outputs(result: EvaluationResult, out_dir: Path) -> dict[str, Path]:
    """Write results.json and report.html into `out_dir` (created), each atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"results": out_dir / RESULTS_FILE, "report": out_dir / REPORT_FILE}
    _write_atomic(paths["results"], json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    _write_atomic(paths["report"], render_html(result))
    return paths


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- terminal -------------------------------------------------------------------------------------


def print_summary(console: Console, result: EvaluationResult) -> None:
    """One table per protocol: mean [CI] per metric, beyond-accuracy, p vs the engine."""
    # names hold brackets ("engine[default]") that rich would read as markup: escape them
    console.print(f"[bold]{_m(result.title)}[/] - {_m(result.dataset['description'])}")
    console.print(f"[dim]{_m(result.gain_convention)}[/]")
    for protocol in result.protocols:
        if not protocol.applicable:
            console.print(
                f"[yellow]{_m(protocol.name)}[/]: not applicable ({_m(protocol.description)})"
            )
            continue
        wide = console.width >= WIDE_TABLE_COLUMNS
        console.print(
            _protocol_table(protocol, result) if wide else _narrow_table(protocol, result)
        )
        for note in protocol.notes:
            console.print(f"  [dim]- {_m(note)}[/]")
        console.print(f"  [dim]- time: {_m(timing_line(protocol))}[/]")
        if protocol.unknown and protocol.unknown["unknown"]:
            for u in protocol.unknown["unknown"]:
                examples = _m(", ".join(u["examples"]))
                console.print(f"  [yellow]unknown {u['kind']}[/]: {u['count']} (e.g. {examples})")
    for line in headline_sentences(result):
        console.print(f"[bold]>[/] {_m(line)}")
    for line in result.attributions:
        console.print(f"[dim]{_m(line)}[/]")


def _protocol_table(protocol: ProtocolResult, result: EvaluationResult) -> Table:
    table = Table(
        title=f"{protocol.name} ({protocol.task}, {protocol.queries} queries)",
        title_justify="left",
    )
    table.add_column("system")
    for metric in metrics_of(protocol, result):
        table.add_column(metric, justify="right")
    for key in ("coverage", "diversity", "novelty"):
        table.add_column(BEYOND_LABELS[key], justify="right")
    table.add_column(f"p vs engine ({protocol.headline})", justify="right")
    p_values = _p_vs_first_engine(protocol)
    for system in protocol.systems:
        cells = [
            f"{i.mean:.3f} [{i.low:.3f}, {i.high:.3f}]"
            for i in (system.metrics[m] for m in metrics_of(protocol, result))
        ]
        cells += [_number(system.beyond.get(key)) for key in ("coverage", "diversity", "novelty")]
        p = p_values.get(system.name)
        cells.append("" if p is None else _p_text(p))
        style = "bold" if system.kind == "engine" else None
        table.add_row(_m(system.name), *cells, style=style)
    return table


def _narrow_table(protocol: ProtocolResult, result: EvaluationResult) -> Table:
    """Systems as columns, means only (the intervals are in report.html): fits 80 columns."""
    table = Table(
        title=f"{protocol.name} ({protocol.task}, {protocol.queries} queries; "
        f"{result.confidence:.0%} CIs in {REPORT_FILE})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("")
    for system in protocol.systems:
        table.add_column(
            _m(system.name), justify="right", style="bold" if system.kind == "engine" else None
        )
    for metric in metrics_of(protocol, result):
        table.add_row(metric, *(f"{s.metrics[metric].mean:.3f}" for s in protocol.systems))
    for key in ("coverage", "diversity", "novelty"):
        table.add_row(BEYOND_LABELS[key], *(_number(s.beyond.get(key)) for s in protocol.systems))
    table.add_row("ms/query", *(_ms(s) for s in protocol.systems))
    p_values = _p_vs_first_engine(protocol)
    table.add_row(
        f"p vs engine ({protocol.headline})",
        *("" if s.name not in p_values else _p_text(p_values[s.name]) for s in protocol.systems),
    )
    return table


def _m(text: str) -> str:
    return escape(str(text))


def timing_line(protocol: ProtocolResult) -> str:
    """Build and ranking time of each system, one line."""
    parts = []
    for s in protocol.systems:
        t = s.timing
        if not t:
            continue
        built = f"build {t['build_seconds']:.1f} s, " if "build_seconds" in t else ""
        fit = f"fit {t['fit_seconds']:.1f} s, " if t.get("fit_seconds", 0.0) >= 0.05 else ""
        parts.append(
            f"{s.name} {built}{fit}{int(t.get('queries', 0))} queries in "
            f"{t.get('seconds', 0.0):.1f} s ({t.get('ms_per_query', 0.0):.1f} ms/query)"
        )
    return "; ".join(parts) or "-"


def metrics_of(protocol: ProtocolResult, result: EvaluationResult) -> list[str]:
    """The protocol's metrics (a protocol may have its own cut-offs), else the run's."""
    return protocol.metrics or result.metrics


def _ms(system: SystemResult) -> str:
    value = system.timing.get("ms_per_query")
    return "-" if value is None else f"{value:.1f}"


def _p_vs_first_engine(protocol: ProtocolResult) -> dict[str, float]:
    engines = [s.name for s in protocol.systems if s.kind == "engine"]
    if not engines:
        return {}
    return {
        c.baseline: c.p_holm
        for c in protocol.comparisons
        if c.system == engines[0] and c.metric == protocol.headline
    }


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _p_text(p: float) -> str:
    mark = " *" if p < SIGNIFICANCE else ""
    return f"{p:.4f}{mark}" if p >= 0.0001 else f"<0.0001{mark}"


# -- HTML -----------------------------------------------------------------------------------------


def render_html(result: EvaluationResult) -> str:
    """The whole report as one HTML string with no external reference."""
    from evaluation.supply_report import supply_section  # it draws with this module's helpers

    body = [
        f"<h1>{_e(result.title)}</h1>",
        _summary(result),
        _overview(result),
        *(_protocol_section(p, result) for p in result.protocols),
        supply_section(result.supply_demand),
        _attributions(result),
    ]
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_e(result.title)}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )


def headline_sentences(result: EvaluationResult) -> list[str]:
    """One plain sentence per protocol: the engine's headline score against the best baseline;
    and one on mentor shortages when supply and demand were computed."""
    from evaluation.supply_report import supply_sentences  # it draws with this module's helpers

    lines = []
    for protocol in result.protocols:
        if not protocol.applicable:
            lines.append(f"{protocol.name}: not applicable to this dataset.")
            continue
        metric = protocol.headline
        engines = [s for s in protocol.systems if s.kind == "engine"]
        baselines = [s for s in protocol.systems if s.kind == "baseline"]
        if not engines:
            continue
        engine = engines[0]
        interval = engine.metrics[metric]
        line = (
            f"{protocol.name} ({protocol.queries} queries): {engine.name} {metric} "
            f"{interval.mean:.3f} [{interval.low:.3f}, {interval.high:.3f}]"
        )
        if engine.timing.get("queries"):
            line += f" ({_ms(engine)} ms/query)"
        if baselines:
            best = max(baselines, key=lambda b: (b.metrics[metric].mean, b.name))
            verdict = next(
                (c for c in protocol.comparisons
                 if c.system == engine.name and c.baseline == best.name and c.metric == metric),
                None,
            )  # fmt: skip
            line += f"; best baseline {best.name} {best.metrics[metric].mean:.3f}"
            if verdict is not None:
                significant = "significant" if verdict.p_holm < SIGNIFICANCE else "not significant"
                line += (
                    f"; difference {verdict.difference:+.3f}, p = {verdict.p_holm:.4f} "
                    f"(Holm, {significant})"
                )
        lines.append(line + ".")
    return lines + supply_sentences(result.supply_demand)


def _summary(result: EvaluationResult) -> str:
    items = "".join(f"<li>{_e(line)}</li>" for line in headline_sentences(result))
    return f"<section><h2>Summary</h2><ul>{items}</ul></section>"


def _overview(result: EvaluationResult) -> str:
    counts = ", ".join(f"{v} {k}" for k, v in result.dataset.get("counts", {}).items())
    rows = [
        ("Dataset", result.dataset.get("description", "")),
        ("Sources", ", ".join(result.dataset.get("sources", [])) or "-"),
        ("Records", counts),
        ("Date", result.created),
        ("Metrics", ", ".join(result.metrics)),
        ("Gain convention", result.gain_convention),
        ("List length (beyond accuracy)", str(result.k)),
        (
            "Confidence intervals",
            f"{result.confidence:.0%} percentile bootstrap over queries, "
            f"{result.resamples} resamples, seed {result.seed}",
        ),
        (
            "Significance",
            "paired randomisation (sign-flip) test with Holm correction over baselines; "
            "Wilcoxon signed-rank (scipy) alongside",
        ),
        ("Versions", ", ".join(f"{k} {v}" for k, v in result.versions.items())),
    ]
    table = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    configs = _table(
        ["configuration", "settings"],
        [
            [c.get("name", ""), _e(json.dumps({k: v for k, v in c.items() if k != "name"}))]
            for c in result.configurations
        ],
        raw=True,
        css="left",
    )
    return (
        f"<section><h2>Run</h2><table class='kv'>{table}</table>"
        f"<h3>Configuration</h3>{configs}</section>"
    )


def _protocol_section(protocol: ProtocolResult, result: EvaluationResult) -> str:
    head = f"<h2>{_e(protocol.name)} <small>{_e(protocol.task)}</small></h2>"
    k = protocol.k or result.k
    intro = (
        f"<p>{_e(protocol.description.rstrip('.'))}. Queries: {protocol.queries}; "
        f"list length k = {k}.</p>"
    )
    notes = _notes(protocol)
    if not protocol.applicable:
        warn = "<p class='warn'>Not applicable to this dataset.</p>"
        return f"<section>{head}{intro}{notes}{warn}</section>"
    parts = [
        head,
        intro,
        notes,
        _unknown(protocol),
        "<h3>Ranking quality</h3>",
        _metrics_table(protocol, result),
        _img(
            _metric_chart(protocol, metrics_of(protocol, result)),
            f"{protocol.name}: metrics with CI",
        ),
        "<h3>Time</h3>",
        _timing_table(protocol),
        "<h3>Engine vs baselines</h3>",
        _comparison_table(protocol),
        "<h3>Beyond accuracy</h3>",
        _beyond_table(protocol),
        _img(_beyond_chart(protocol), f"{protocol.name}: coverage and exposure"),
    ]
    exposure_chart = _exposure_chart(protocol)
    if exposure_chart:
        parts += ["<h3>Mentor exposure</h3>", _img(exposure_chart, "mentor exposure (Lorenz)")]
    parity = _parity_section(protocol)
    if parity:
        parts.append(parity)
    parts.append(_failures(protocol))
    return "<section>" + "".join(parts) + "</section>"


def _notes(protocol: ProtocolResult) -> str:
    items = [_e(n) for n in protocol.notes]
    items += [f"Skipped: {_e(reason)}: {count}" for reason, count in protocol.skipped.items()]
    return "<ul class='notes'>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else ""


def _unknown(protocol: ProtocolResult) -> str:
    if protocol.unknown is None:
        return ""
    unknown = protocol.unknown
    if not unknown["unknown"]:
        return "<p>Every id in the ground truth is known to the engine.</p>"
    rows = [[u["kind"], str(u["count"]), ", ".join(u["examples"])] for u in unknown["unknown"]]
    summary = (
        f"<p class='warn'>{unknown['dropped_pairs']} judgement(s) name ids the engine does not "
        f"know and are not scored; {unknown['dropped_queries']} quer(y/ies) lost every item.</p>"
    )
    return "<h3>Unknown ids</h3>" + summary + _table(["kind", "count", "examples"], rows)


def _metrics_table(protocol: ProtocolResult, result: EvaluationResult) -> str:
    rows = []
    metrics = metrics_of(protocol, result)
    for s in protocol.systems:
        cells = [_system_label(s)]
        for m in metrics:
            i = s.metrics[m]
            cells.append(f"{i.mean:.3f} <span class='ci'>[{i.low:.3f}, {i.high:.3f}]</span>")
        cells.append(f"{s.median_ms:.1f}")
        rows.append(cells)
    return _table(["system", *metrics, "median ms"], rows, raw=True)


def _timing_table(protocol: ProtocolResult) -> str:
    """Build (engines) or fit (baselines) apart from ranking every query."""
    rows = []
    for s in protocol.systems:
        t = s.timing
        prepared = t.get("build_seconds", 0.0) + t.get("fit_seconds", 0.0)
        cells = [
            f"{prepared:.2f}",
            f"{int(t.get('queries', 0)):,}",
            f"{t.get('seconds', 0.0):.2f}",
            f"{t.get('cpu_seconds', 0.0):.2f}",
            f"{t.get('ms_per_query', 0.0):.2f}",
            f"{t.get('median_ms', 0.0):.2f}",
            f"{t.get('p99_ms', 0.0):.2f}",
        ]
        rows.append([_system_label(s), *cells])
    headers = ["system", "build / fit s", "queries", "ranking s", "ranking CPU s", "ms/query",
               "median ms", "p99 ms"]  # fmt: skip
    note = (
        "<p class='small'>Build: Engine.build (embedding, indexes, inference, fitting); fit: what "
        "a baseline prepares before its first query. Ranking: every query, wall clock, one "
        "process.</p>"
    )
    return _table(headers, rows, raw=True) + note


def _comparison_table(protocol: ProtocolResult) -> str:
    rows = [
        [
            _e(c.system),
            _e(c.baseline),
            _e(c.metric),
            f"{c.difference:+.3f}",
            f"[{c.ci_low:+.3f}, {c.ci_high:+.3f}]",
            _p_text(c.p_randomisation),
            _p_text(c.p_holm),
            _p_text(c.p_wilcoxon),
        ]
        for c in protocol.comparisons
    ]
    headers = ["system", "vs", "metric", "difference", "CI", "p (randomisation)",
               "p (Holm)", "p (Wilcoxon)"]  # fmt: skip
    return _table(headers, rows, raw=True) + "<p class='small'>* p &lt; 0.05</p>"


def _beyond_table(protocol: ProtocolResult) -> str:
    keys = [k for k in BEYOND_LABELS if any(k in s.beyond for s in protocol.systems)]
    rows = [[_system_label(s), *(_number(s.beyond.get(k)) for k in keys)] for s in protocol.systems]
    return _table(["system", *(BEYOND_LABELS[k] for k in keys)], rows, raw=True)


def _parity_section(protocol: ProtocolResult) -> str:
    attributes = sorted({a for s in protocol.systems for a in s.parity})
    if not attributes:
        return ""
    parts = [f"<h3>Quality across groups ({_e(protocol.headline)})</h3>"]
    for attribute in attributes:
        rows = [
            [
                _system_label(s),
                f"{s.parity[attribute].max_gap:.3f}",
                _e(s.parity[attribute].worst or "-"),
                _e(s.parity[attribute].best or "-"),
            ]
            for s in protocol.systems
            if attribute in s.parity
        ]
        parts.append(f"<h4>{_e(attribute)}</h4>")
        parts.append(_table(["system", "max gap", "worst group", "best group"], rows, raw=True))
        ranked = [s.parity[attribute] for s in protocol.systems if attribute in s.parity]
        smallest = max(p.min_size for p in ranked)
        if smallest > 1:
            parts.append(
                f"<p>Best, worst and the gap compare groups of at least {smallest} queries; "
                "smaller groups are drawn but not ranked.</p>"
            )
        parts.append(_img(_parity_chart(protocol, attribute), f"quality by {attribute}"))
    return "".join(parts)


def _failures(protocol: ProtocolResult) -> str:
    failed = [s for s in protocol.systems if s.failures]
    if not failed:
        return ""
    rows = [[_e(s.name), str(s.failures), _e("; ".join(s.failure_examples))] for s in failed]
    return "<h3>Refused queries</h3>" + _table(["system", "count", "examples"], rows, raw=True)


def _attributions(result: EvaluationResult) -> str:
    if not result.attributions:
        return ""
    lines = "".join(f"<li>{_e(a)}</li>" for a in result.attributions)
    return f"<footer><h2>Data attributions</h2><ul>{lines}</ul></footer>"


def _system_label(system: SystemResult) -> str:
    css = "engine" if system.kind == "engine" else "baseline"
    return f"<span class='{css}'>{_e(system.name)}</span>"


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, raw: bool = False, css: str = ""
) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{c if raw else _e(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    klass = f" class='{css}'" if css else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f"<figure><img alt='{_e(alt)}' src='data:image/png;base64,{data}'></figure>"


# -- charts (matplotlib, object API with the Agg canvas: no display, no global state) -------------


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _png(fig: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _grouped_bars(
    ax: Any,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float], Sequence[tuple[float, float]] | None]],
) -> None:
    x = np.arange(len(labels))
    width = 0.8 / max(1, len(series))
    for n, (name, values, errors) in enumerate(series):
        offset = x - 0.4 + width * (n + 0.5)
        yerr = None
        if errors is not None:
            yerr = np.array(
                [
                    [v - lo for v, (lo, _) in zip(values, errors, strict=True)],
                    [hi - v for v, (_, hi) in zip(values, errors, strict=True)],
                ]
            )
            yerr = np.clip(yerr, 0.0, None)
        ax.bar(offset, values, width, label=name, color=COLOURS[n % len(COLOURS)], yerr=yerr,
               capsize=2, error_kw={"elinewidth": 0.8})  # fmt: skip
    ax.set_xticks(x, labels)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(
        fontsize=8,
        ncols=min(6, len(series)),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        frameon=False,
    )


def _metric_chart(protocol: ProtocolResult, metrics: Sequence[str]) -> bytes:
    fig = _figure(9, 4.0)
    ax = fig.add_subplot()
    series = [
        (
            s.name,
            [s.metrics[m].mean for m in metrics],
            [(s.metrics[m].low, s.metrics[m].high) for m in metrics],
        )
        for s in protocol.systems
    ]
    _grouped_bars(ax, list(metrics), series)
    ax.set_ylim(0, 1.05)
    ax.set_title(f"{protocol.name}: mean per query with bootstrap CI", fontsize=10)
    return _png(fig)


def _beyond_chart(protocol: ProtocolResult) -> bytes:
    fig = _figure(9, 3.2)
    ax = fig.add_subplot()
    series = [
        (s.name, [float(s.beyond.get(k) or 0.0) for k in BEYOND_CHART], None)
        for s in protocol.systems
    ]
    _grouped_bars(ax, [BEYOND_LABELS[k] for k in BEYOND_CHART], series)
    ax.set_ylim(0, 1.05)
    ax.set_title("catalog coverage, diversity, exposure inequality, unmatched", fontsize=10)
    return _png(fig)


def _exposure_chart(protocol: ProtocolResult) -> bytes | None:
    systems = [s for s in protocol.systems if s.exposure]
    if not systems:
        return None
    fig = _figure(5.5, 4.2)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=0.8, label="equal")
    for n, s in enumerate(systems):
        values = np.sort(np.asarray(list(s.exposure.values()), dtype=float))
        total = values.sum()
        if total <= 0:
            continue
        share = np.concatenate([[0.0], np.cumsum(values) / total])
        people = np.linspace(0, 1, len(share))
        gini = s.beyond.get("exposure_gini") or 0.0
        ax.plot(people, share, color=COLOURS[n % len(COLOURS)], label=f"{s.name} (Gini {gini:.2f})")
    ax.set_xlabel("share of mentors (least shown first)")
    ax.set_ylabel("share of suggestions")
    ax.legend(fontsize=8)
    ax.set_title("who gets suggested: Lorenz curves", fontsize=10)
    return _png(fig)


def _parity_chart(protocol: ProtocolResult, attribute: str) -> bytes:
    systems = [s for s in protocol.systems if attribute in s.parity]
    groups = sorted({g for s in systems for g in s.parity[attribute].groups})
    if len(groups) > MAX_BAR_GROUPS:
        return _parity_dots(protocol, attribute, systems, groups)
    fig = _figure(9, 3.6)
    ax = fig.add_subplot()
    series = [
        (s.name, [s.parity[attribute].groups.get(g, (0.0, 0))[0] for g in groups], None)
        for s in systems
    ]
    sizes = {
        g: max(s.parity[attribute].groups.get(g, (0.0, 0))[1] for s in systems) for g in groups
    }
    _grouped_bars(ax, [f"{g} (n={sizes[g]})" for g in groups], series)
    ax.set_ylim(0, 1.05)
    ax.tick_params(axis="x", labelrotation=20, labelsize=8)
    ax.set_title(f"{protocol.headline} by {attribute}", fontsize=10)
    return _png(fig)


def _parity_dots(
    protocol: ProtocolResult, attribute: str, systems: Sequence[SystemResult], groups: list[str]
) -> bytes:
    """Many groups (an ontology's families): one row per group, a dot per system."""
    sizes = {
        g: max(s.parity[attribute].groups.get(g, (0.0, 0))[1] for s in systems) for g in groups
    }
    fig = _figure(9, 1.2 + 0.24 * len(groups))
    ax = fig.add_subplot()
    rows = np.arange(len(groups))[::-1]
    for n, s in enumerate(systems):
        values = [s.parity[attribute].groups.get(g, (np.nan, 0))[0] for g in groups]
        ax.plot(values, rows, "o", markersize=4, color=COLOURS[n % len(COLOURS)], label=s.name)
    labels = [f"{_short(g)} (n={sizes[g]})" for g in groups]
    ax.set_yticks(rows, labels, fontsize=7)
    ax.set_xlim(0, 1.0)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, ncols=min(6, len(systems)), loc="lower center",
              bbox_to_anchor=(0.5, 1.0), frameon=False)  # fmt: skip
    ax.set_title(f"{protocol.headline} by {attribute}", fontsize=10, pad=22)
    return _png(fig)


def _short(label: str, width: int = 42) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:1100px;color:#1d2430;padding:0 1rem;line-height:1.45}
h1{font-size:1.6rem}h2{border-bottom:2px solid #1f5fa8;padding-bottom:.2rem;margin-top:2.2rem}
h2 small{font-weight:normal;color:#5b6575;font-size:.9rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.85rem}
th,td{border:1px solid #d5dbe3;padding:.25rem .5rem;text-align:right;vertical-align:top}
th{background:#eef2f7}td:first-child,th:first-child{text-align:left}
table.kv td,table.left td{text-align:left}.ci{color:#6b7585;font-size:.8em}
.engine{font-weight:600;color:#1f5fa8}.baseline{color:#333}
.warn{color:#9a4b00}.notes{color:#4b5563;font-size:.9rem}.small{font-size:.8rem;color:#5b6575}
figure{margin:.6rem 0}img{max-width:100%}
footer{margin-top:3rem;font-size:.85rem;color:#4b5563}
"""
