"""The `skillgraph` command: ingest, build, info, recommend, evaluate, match, serve.

Heavy imports (torch, the engine) happen inside commands so that `--help` and `info` stay fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from skillgraph.config import Settings
from skillgraph.errors import SkillgraphError

if TYPE_CHECKING:
    from skillgraph.data.schema import Records
    from skillgraph.engine import Engine

app = typer.Typer(
    no_args_is_help=True, help="Skills-graph recommendations: gaps, mentors, content, paths."
)
ingest_app = typer.Typer(no_args_is_help=True, help="Load records into a data directory.")
skills_app = typer.Typer(no_args_is_help=True, help="Skill look-ups and inference.")
export_app = typer.Typer(no_args_is_help=True, help="Export engine data.")
recommend_app = typer.Typer(no_args_is_help=True, help="Recommendations, as tables or JSON.")
app.add_typer(ingest_app, name="ingest")
app.add_typer(skills_app, name="skills")
app.add_typer(export_app, name="export")
app.add_typer(recommend_app, name="recommend")

console = Console(stderr=True)
T = TypeVar("T")

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", "-d", help="Data directory (default: SKILLGRAPH_DATA_DIR or var/sample)."
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _settings(data_dir: Path | None, **overrides: Any) -> Settings:
    settings = Settings.from_env()
    if data_dir is not None:
        settings = settings.with_overrides(data_dir=data_dir)
    return settings.with_overrides(**overrides) if overrides else settings


def _fail(exc: Exception) -> typer.Exit:
    console.print(f"[bold red]error:[/] {exc}")
    return typer.Exit(code=1)


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress callback: progress(stage, done, total)."""
    tasks: dict[str, Any] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal,
    ) as bar:

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield report


def _guard(action: Callable[[], T]) -> T:
    try:
        return action()
    except SkillgraphError as exc:
        raise _fail(exc) from None


# ---------------------------------------------------------------- ingest


def _ingest(data_dir: Path | None, load: Callable[[Records | None], Records]) -> None:
    from skillgraph import workspace

    settings = _settings(data_dir)

    def run() -> None:
        with _progress():
            records = workspace.ingest(settings, load)
        _print_counts(records.counts(), f"{settings.data_dir}")

    _guard(run)


@ingest_app.command("esco")
def ingest_esco(path: Path, data_dir: DataDir = None) -> None:
    """ESCO v1.1.1 CSV release (file names with or without `_en`)."""
    from skillgraph.data.esco import load_esco
    from skillgraph.data.validate import merge

    def load(base: Records | None) -> Records:
        loaded = load_esco(path)
        return merge(base, loaded, source=str(path)) if base else loaded

    _ingest(data_dir, load)


@ingest_app.command("onet")
def ingest_onet(path: Path, data_dir: DataDir = None) -> None:
    """O*NET text release (Occupation Data, Skills, Knowledge, Technology Skills, ...)."""
    from skillgraph.data.onet import load_onet
    from skillgraph.data.validate import merge

    def load(base: Records | None) -> Records:
        loaded = load_onet(path)
        return merge(base, loaded, source=str(path)) if base else loaded

    _ingest(data_dir, load)


@ingest_app.command("company")
def ingest_company(path: Path, data_dir: DataDir = None) -> None:
    """A company directory in the documented format (datasets/FORMAT.md)."""
    from skillgraph.data.company import load_company

    _ingest(data_dir, lambda base: load_company(path, base=base))


@ingest_app.command("content")
def ingest_content(
    catalog: Path,
    data_dir: DataDir = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help="field=column, e.g. --map id=course_id --map title=course_title"
        ),
    ] = None,
    preset: Annotated[str | None, typer.Option(help="A ready mapping: edx or udemy.")] = None,
) -> None:
    """A course catalog export (CSV) as learning items; skills are inferred when building."""
    from skillgraph.data import catalog as cat
    from skillgraph.data.validate import merge

    def load(base: Records | None) -> Records:
        column_mapping = cat.mapping_from(preset=preset, pairs=mapping or [])
        loaded = cat.load_catalog(catalog, column_mapping, base=base or _empty())
        return merge(base, loaded, source=str(catalog)) if base else loaded

    _ingest(data_dir, load)


def _empty() -> Records:
    from skillgraph.data.schema import Records

    return Records()


# ---------------------------------------------------------------- build / info


@app.command()
def build(
    dataset: Annotated[
        Path | None, typer.Argument(help="A company directory to ingest first.")
    ] = None,
    data_dir: DataDir = None,
    if_missing: Annotated[
        bool, typer.Option(help="Do nothing when the engine is already built.")
    ] = False,
) -> None:
    """Ingest DATASET (optional) and build the engine: embeddings, indexes, inferred profiles."""
    from skillgraph import workspace

    settings = _settings(data_dir)

    def run() -> None:
        if if_missing and workspace.engine_ready(settings):
            console.print(f"engine in {settings.data_dir} is up to date")
            return
        with _progress() as progress:
            if dataset is not None:
                from skillgraph.data.company import load_company

                workspace.ingest(settings, lambda base: load_company(dataset), replace=True)
            engine = workspace.build_engine(settings, progress=progress)
        _print_counts(engine.counts(), f"engine in {settings.data_dir}")

    _guard(run)


@app.command()
def info(data_dir: DataDir = None, as_json: JsonFlag = False) -> None:
    """Counts of skills, roles, employees, mentors, content and edges."""
    from skillgraph import workspace

    settings = _settings(data_dir)
    counts = _guard(lambda: workspace.info(settings))
    if as_json:
        typer.echo(json.dumps(counts, indent=2))
    else:
        _print_counts(counts, str(settings.data_dir))


def _print_counts(counts: dict[str, Any], title: str) -> None:
    table = Table(title=title)
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in counts.items():
        table.add_row(key, f"{value:,}" if isinstance(value, int) else str(value))
    Console().print(table)


# ---------------------------------------------------------------- serve / token


@app.command()
def serve(
    data_dir: DataDir = None,
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    workers: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Serve the HTTP API and the career-path page."""
    import dataclasses

    import uvicorn

    settings = _settings(data_dir)
    api = dataclasses.replace(
        settings.api,
        host=host or settings.api.host,
        port=port or settings.api.port,
        workers=workers or settings.api.workers,
    )
    settings = settings.with_overrides(api=api)
    from api.app import create_app, settings_factory_for

    if api.workers > 1:
        # Each worker process builds its app from the same settings, passed through the factory.
        uvicorn.run(
            settings_factory_for(settings),
            factory=True,
            host=api.host,
            port=api.port,
            workers=api.workers,
        )
    else:
        uvicorn.run(create_app(settings), host=api.host, port=api.port)


@app.command()
def token(
    subject: Annotated[str, typer.Argument(help="Employee id (or a service name).")],
    role: Annotated[str, typer.Option(help="employee | manager | ld_admin | service")] = "employee",
    ttl_minutes: Annotated[int | None, typer.Option()] = None,
    data_dir: DataDir = None,
) -> None:
    """Mint a bearer token for development."""
    from api.auth import mint_token

    settings = _settings(data_dir)
    typer.echo(_guard(lambda: mint_token(settings, subject, role, ttl_minutes)))


# ---------------------------------------------------------------- skills / export


def _engine(settings: Settings) -> Engine:
    from skillgraph import workspace

    with _progress() as progress:
        return workspace.open_engine(settings, progress=progress)


@skills_app.command("infer")
def skills_infer(
    text: str,
    k: Annotated[int, typer.Option(min=1, max=200)] = 20,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Skills a free text speaks of, with scores."""
    settings = _settings(data_dir)

    def run() -> list[tuple[str, float]]:
        return _engine(settings).infer_skills(text, k=k)

    engine_skills = _guard(run)
    labels = _skill_labels(settings)
    rows = [
        {"skill_id": s, "label": labels.get(s, s), "score": round(v, 4)} for s, v in engine_skills
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"skills in: {text[:60]}")
    for col in ("skill_id", "label", "score"):
        table.add_column(col)
    for row in rows:
        table.add_row(row["skill_id"], row["label"], f"{row['score']:.3f}")
    Console().print(table)


def _skill_labels(settings: Settings) -> dict[str, str]:
    from skillgraph import workspace

    return {sid: s.label for sid, s in workspace.load_records(settings).skills.items()}


@export_app.command("roles")
def export_roles(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File (default: stdout).")] = None,
    data_dir: DataDir = None,
) -> None:
    """Every role's profile (declared and inferred skills) as JSON lines."""
    from skillgraph.answers import role_profile_rows

    settings = _settings(data_dir)
    engine = _guard(lambda: _engine(settings))
    lines = (json.dumps(row, ensure_ascii=False) for row in role_profile_rows(engine))
    if out is None:
        for line in lines:
            typer.echo(line)
        return
    from skillgraph.workspace import write_lines_atomic

    count = write_lines_atomic(out, lines)
    console.print(f"wrote {count:,} roles to {out}")


# ---------------------------------------------------------------- recommend


def _recommend_command(kind: str) -> Callable[..., None]:
    def command(
        employee: Annotated[str | None, typer.Argument(help="Employee id.")] = None,
        role: Annotated[
            str | None, typer.Option("--role", help="Role id (instead of an employee).")
        ] = None,
        target: Annotated[str | None, typer.Option("--target", help="Target role id.")] = None,
        skills: Annotated[
            str | None, typer.Option("--skills", help="Comma-separated skill ids.")
        ] = None,
        k: Annotated[int, typer.Option(min=1, max=100)] = 10,
        max_hops: Annotated[int, typer.Option(min=1, max=6)] = 3,
        mode: Annotated[str | None, typer.Option(help="Mentor mode.")] = None,
        batch: Annotated[Path | None, typer.Option(help="File of queries, one a line.")] = None,
        all_: Annotated[
            bool, typer.Option("--all", help="Every employee (or role with --role-level).")
        ] = False,
        roles_only: Annotated[
            bool, typer.Option("--roles", help="With --all: every role instead.")
        ] = False,
        data_dir: DataDir = None,
        as_json: JsonFlag = False,
    ) -> None:
        from skillgraph import answers

        settings = _settings(data_dir)
        engine = _guard(lambda: _engine(settings))
        options = answers.Options(k=k, max_hops=max_hops, mode=mode, target_role_id=target)
        if batch is not None or all_:
            queries = (
                answers.queries_from_file(batch)
                if batch is not None
                else answers.all_queries(engine, roles=roles_only)
            )
            count = 0
            for row in answers.stream(engine, kind, queries, options):
                sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
            console.print(f"{count:,} answers")
            return
        query = answers.single_query(employee=employee, role=role, skills=skills)
        result = _guard(lambda: answers.answer(engine, kind, query, options))
        if as_json:
            typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        else:
            answers.print_table(Console(), kind, result)

    command.__doc__ = f"{kind}: for an employee, or with --role / --skills where it makes sense."
    return command


for _kind in ("gaps", "mentors", "content", "roles", "paths", "plan"):
    recommend_app.command(_kind)(_recommend_command(_kind))


# ---------------------------------------------------------------- evaluate / match


@app.command()
def evaluate(
    dataset: Annotated[
        str, typer.Option(help="sample, a company directory, esco:PATH or onet:PATH")
    ] = "sample",
    config: Annotated[Path | None, typer.Option(help="Configurations to compare (TOML).")] = None,
    protocol: Annotated[
        list[str] | None, typer.Option(help="Protocols to run (default: all that apply).")
    ] = None,
    ground_truth: Annotated[Path | None, typer.Option(help="query,item,grade file.")] = None,
    task: Annotated[str | None, typer.Option(help="Task of the ground-truth file.")] = None,
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("var/evaluation"),
    k: Annotated[int, typer.Option(min=1, max=100)] = 10,
    seed: Annotated[int, typer.Option()] = 42,
) -> None:
    """Score the engine and the baselines offline; writes results.json and report.html."""
    from evaluation.runner import EvaluationConfig, print_summary, run_evaluation, write_outputs

    def run() -> None:
        cfg = EvaluationConfig.from_cli(
            dataset=dataset,
            config_file=config,
            protocols=protocol or [],
            ground_truth=ground_truth,
            task=task,
            k=k,
            seed=seed,
            settings=_settings(None),
        )
        with _progress() as progress:
            result = run_evaluation(cfg, progress=progress)
        print_summary(Console(), result)
        for name, path in write_outputs(result, out).items():
            console.print(f"{name}: {path}")

    _guard(run)


@app.command()
def match(
    round_file: Annotated[Path, typer.Argument(help="Round definition (JSON).")],
    data_dir: DataDir = None,
    out: Annotated[Path | None, typer.Option(help="Write the proposal here (JSON).")] = None,
    greedy: Annotated[bool, typer.Option(help="Also solve greedily and compare.")] = False,
) -> None:
    """Solve a mentoring round for a cohort; prints matches, unmatched with reasons, shortages."""
    from skillgraph import answers

    settings = _settings(data_dir)
    engine = _guard(lambda: _engine(settings))
    result = _guard(lambda: answers.solve_round_file(engine, round_file, compare_greedy=greedy))
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if out is None:
        typer.echo(text)
    else:
        from skillgraph.workspace import write_lines_atomic

        write_lines_atomic(out, [text])
        console.print(f"proposal written to {out}")


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
