"""The `skillgraph` command: ingest, build, info, recommend, export, evaluate, match, serve.

Heavy imports (torch, the engine) happen inside commands so that `--help` and `info` stay fast.
Output goes to stdout (tables, JSON, JSON lines); progress, notes and errors to stderr. Every
failure prints one line saying what and where (file, row, field) and exits with status 1.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from skillgraph.cli_views import print_answer, print_counts, print_round, print_skills
from skillgraph.config import Settings
from skillgraph.errors import DatasetError, SkillgraphError

if TYPE_CHECKING:
    from skillgraph.data.schema import Records
    from skillgraph.engine import Engine

app = typer.Typer(
    no_args_is_help=True,
    help="Skills-graph recommendations: gaps, mentors, content, paths.",
    pretty_exceptions_enable=False,
)
ingest_app = typer.Typer(
    no_args_is_help=True,
    help="Load records into a data directory. Records add up: ingest an ontology (esco, onet), "
    "then a company and content on top; --replace starts the directory's records afresh.",
)
skills_app = typer.Typer(no_args_is_help=True, help="Skill look-ups and inference.")
export_app = typer.Typer(no_args_is_help=True, help="Export engine data.")
recommend_app = typer.Typer(
    no_args_is_help=True,
    help="Recommendations for an employee (or a role / skill list), as tables or JSON; "
    "--batch FILE or --all stream JSON lines.",
)
app.add_typer(ingest_app, name="ingest")
app.add_typer(skills_app, name="skills")
app.add_typer(export_app, name="export")
app.add_typer(recommend_app, name="recommend")

console = Console(stderr=True)  # progress, notes and errors
T = TypeVar("T")
ProgressFn = Callable[[str, int, int], None]
MAX_AUTO_JOBS = 4

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", "-d", help="Data directory (default: SKILLGRAPH_DATA_DIR or var/sample)."
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
ReplaceFlag = Annotated[
    bool, typer.Option("--replace", help="Start the records afresh from this input alone.")
]


@app.callback()
def _setup() -> None:
    """Model files are local only; their loading bars would clutter stderr next to ours."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def _stdout() -> Console:
    return Console(soft_wrap=False)


def _settings(data_dir: Path | None, **overrides: Any) -> Settings:
    settings = Settings.from_env()
    if data_dir is not None:
        settings = settings.with_overrides(data_dir=data_dir)
    return settings.with_overrides(**overrides) if overrides else settings


def _fail(message: str) -> typer.Exit:
    console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


@contextmanager
def _progress() -> Iterator[ProgressFn]:
    """A rich progress callback, progress(stage, done, total), drawn only on a terminal."""
    tasks: dict[str, Any] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield report


def _guard(action: Callable[[], T]) -> T:
    """Run `action`; a skillgraph error or an OS error becomes one line on stderr and exit 1."""
    try:
        return action()
    except SkillgraphError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise _fail(f"{exc.strerror or exc}{where}") from None


# ---------------------------------------------------------------- ingest


def _ingest(
    data_dir: Path | None,
    load: Callable[[Records | None, ProgressFn], Records],
    *,
    replace: bool,
) -> None:
    from skillgraph import workspace

    settings = _settings(data_dir)

    def run() -> None:
        with _progress() as progress:
            try:
                records = workspace.ingest(
                    settings, lambda base: load(base, progress), replace=replace
                )
            except DatasetError as exc:
                clash = "duplicate" in exc.message or "already" in exc.message
                if not clash or replace:
                    raise
                hint = " (records add up across ingests; --replace starts afresh)"
                raise DatasetError(
                    exc.message + hint, file=exc.file, row=exc.row, field=exc.field
                ) from None
        print_counts(_stdout(), records.counts(), f"records in {settings.data_dir}")
        console.print("next: `skillgraph build` to embed and index them")

    _guard(run)


def _merged(base: Records | None, loaded: Records, source: Path) -> Records:
    from skillgraph.data.validate import merge

    return merge(base, loaded, source=str(source)) if base else loaded


@ingest_app.command("esco")
def ingest_esco(path: Path, data_dir: DataDir = None, replace: ReplaceFlag = False) -> None:
    """ESCO v1.1.1 CSV release (file names with or without `_en`)."""
    from skillgraph.data.esco import load_esco

    _ingest(
        data_dir,
        lambda base, progress: _merged(base, load_esco(path, progress=progress), path),
        replace=replace,
    )


@ingest_app.command("onet")
def ingest_onet(path: Path, data_dir: DataDir = None, replace: ReplaceFlag = False) -> None:
    """O*NET text release (Occupation Data, Skills, Knowledge, Technology Skills, ...)."""
    from skillgraph.data.onet import load_onet

    _ingest(
        data_dir,
        lambda base, progress: _merged(base, load_onet(path, progress=progress), path),
        replace=replace,
    )


@ingest_app.command("company")
def ingest_company(path: Path, data_dir: DataDir = None, replace: ReplaceFlag = False) -> None:
    """A company directory in the documented format (datasets/FORMAT.md); its skill ids may
    refer to skills of an ontology ingested before."""
    from skillgraph.data.company import load_company

    _ingest(data_dir, lambda base, _: load_company(path, base=base), replace=replace)


@ingest_app.command("content")
def ingest_content(
    catalog: Path,
    data_dir: DataDir = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="field=column (repeatable), e.g. --map title=course_title --map id=course_id; "
            "fields: title, id, description, text, level, duration, modality, provider, url, "
            "id_prefix; modality and provider also take =constant (--map provider==Udemy). "
            "Over a --preset, a --map replaces that field.",
        ),
    ] = None,
    preset: Annotated[
        str | None, typer.Option(help="A ready mapping for a known export: edx or udemy.")
    ] = None,
    replace: ReplaceFlag = False,
) -> None:
    """A course catalog export (CSV) as learning items; the skills each teaches are inferred
    from its text when the engine is built."""
    from skillgraph.data import catalog as cat

    def load(base: Records | None, _: ProgressFn) -> Records:
        column_mapping = _column_mapping(preset, mapping or [])
        loaded = cat.load_catalog(catalog, column_mapping, base=base or _empty())
        return _merged(base, loaded, catalog)

    _ingest(data_dir, load, replace=replace)


def _column_mapping(preset: str | None, pairs: list[str]) -> Any:
    from skillgraph.data import catalog as cat
    from skillgraph.errors import ValidationError

    if preset is None and not pairs:
        raise ValidationError(
            "say which columns hold what: --preset edx|udemy, or --map title=COLUMN ..."
        )
    base = None
    if preset is not None:
        if preset.lower() not in cat.MAPPINGS:
            raise ValidationError(f"unknown preset {preset!r}; known: {', '.join(cat.MAPPINGS)}")
        base = cat.MAPPINGS[preset.lower()]
    return cat.ColumnMapping.parse(pairs, base=base)


def _empty() -> Records:
    from skillgraph.data.schema import Records

    return Records()


# ---------------------------------------------------------------- build / info


@app.command()
def build(
    dataset: Annotated[
        Path | None,
        typer.Argument(help="A company directory: its records replace the directory's first."),
    ] = None,
    data_dir: DataDir = None,
    if_missing: Annotated[
        bool, typer.Option(help="Do nothing when the engine is already built.")
    ] = False,
) -> None:
    """Build the engine (embeddings, indexes, inferred profiles, career graph) from the
    ingested records, or from DATASET."""
    from skillgraph import workspace

    settings = _settings(data_dir)

    def run() -> None:
        if if_missing and dataset is None and workspace.engine_ready(settings):
            console.print(f"engine in {settings.data_dir} is up to date")
            return
        records = None
        if dataset is not None:
            from skillgraph.data.company import load_company

            records = load_company(dataset)
        with _progress() as progress:
            engine = workspace.build_engine(settings, records=records, progress=progress)
        print_counts(_stdout(), engine.counts(), f"engine in {settings.data_dir}")
        seconds = engine.stats.get("seconds", {})
        console.print(f"built in {sum(seconds.values()):.1f} s")

    _guard(run)


@app.command()
def info(data_dir: DataDir = None, as_json: JsonFlag = False) -> None:
    """Counts of skills, roles, employees, mentors, content and edges, and the engine's state."""
    from skillgraph import workspace

    settings = _settings(data_dir)
    counts = _guard(lambda: workspace.info(settings))
    if as_json:
        typer.echo(json.dumps(counts, indent=2))
    else:
        print_counts(_stdout(), counts, str(settings.data_dir))


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
        uvicorn.run(_guard(lambda: create_app(settings)), host=api.host, port=api.port)


@app.command()
def token(
    subject: Annotated[str, typer.Argument(help="Employee id (or a service name).")],
    role: Annotated[str, typer.Option(help="employee | manager | ld_admin | service")] = "employee",
    ttl_minutes: Annotated[int | None, typer.Option(min=1)] = None,
    data_dir: DataDir = None,
) -> None:
    """Mint a bearer token for development."""
    from api.auth import mint_token

    settings = _settings(data_dir)
    typer.echo(_guard(lambda: mint_token(settings, subject, role, ttl_minutes)))


# ---------------------------------------------------------------- skills / export


def _engine(settings: Settings) -> Engine:
    from skillgraph import workspace

    def run() -> Engine:
        with _progress() as progress:
            return workspace.open_engine(settings, progress=progress)

    return _guard(run)


@skills_app.command("infer")
def skills_infer(
    text: str,
    k: Annotated[int, typer.Option("--k", "-k", min=1, max=200, help="How many.")] = 20,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Skills a free text speaks of, with scores."""
    from skillgraph.answers import inferred_skill_rows

    engine = _engine(_settings(data_dir))
    rows = _guard(lambda: inferred_skill_rows(engine, text, k))
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        print_skills(_stdout(), rows, text)


@export_app.command("roles")
def export_roles(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File (default: stdout).")] = None,
    data_dir: DataDir = None,
) -> None:
    """Every role's profile, declared and inferred skills with level, importance and score,
    as JSON lines."""
    from skillgraph.answers import role_profile_rows

    engine = _engine(_settings(data_dir))
    lines = (json.dumps(row, ensure_ascii=False) for row in role_profile_rows(engine))
    if out is None:
        for line in lines:
            sys.stdout.write(line + "\n")
        return
    from skillgraph.workspace import write_lines_atomic

    count = _guard(lambda: write_lines_atomic(out, lines))
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
        k: Annotated[int, typer.Option("--k", "-k", min=1, max=100, help="How many.")] = 10,
        max_hops: Annotated[int, typer.Option(min=1, max=6)] = 3,
        mode: Annotated[
            str | None, typer.Option(help="Mentoring mode: one_on_one, peer, reverse, group.")
        ] = None,
        batch: Annotated[
            Path | None,
            typer.Option(
                help="File of queries, one a line: an employee id, a role id, or a "
                "comma-separated skill list; JSON lines out."
            ),
        ] = None,
        all_: Annotated[
            bool, typer.Option("--all", help="Every active employee (with --roles: every role).")
        ] = False,
        roles_only: Annotated[
            bool, typer.Option("--roles", help="With --all: every role instead.")
        ] = False,
        out: Annotated[
            Path | None, typer.Option("--out", "-o", help="Batch: write JSON lines to this file.")
        ] = None,
        jobs: Annotated[
            int,
            typer.Option(
                min=0, help="Batch: worker processes sharing the loaded engine (0: one per CPU)."
            ),
        ] = 0,
        data_dir: DataDir = None,
        as_json: JsonFlag = False,
    ) -> None:
        from skillgraph import answers

        settings = _settings(data_dir)
        options = answers.Options(k=k, max_hops=max_hops, mode=mode, target_role_id=target)
        if batch is not None or all_:
            if employee or role or skills:
                raise _fail("--batch / --all take no employee, --role or --skills")
            if batch is not None and all_:
                raise _fail("give --batch FILE or --all, not both")
            workers = jobs or min(os.cpu_count() or 1, MAX_AUTO_JOBS)
            _run_batch(settings, kind, options, batch, roles_only, out, workers)
            return
        query = _guard(lambda: answers.single_query(employee=employee, role=role, skills=skills))
        engine = _engine(settings)
        result = _guard(lambda: answers.answer(engine, kind, query, options))
        if as_json:
            typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        else:
            print_answer(_stdout(), kind, result)

    command.__doc__ = _RECOMMEND_HELP[kind]
    return command


_RECOMMEND_HELP = {
    "gaps": "Skill gaps of an employee against their role (or --target); of a role or a skill "
    "list against --target.",
    "mentors": "Mentors for an employee's gaps (or a role's profile, or a skill list).",
    "content": "Learning content for an employee's gaps (or a role's profile, or a skill list).",
    "roles": "Next roles for an employee (or from a role, or for a skill list).",
    "paths": "Career paths from an employee's role (or --role), to --target or exploring.",
    "plan": "A development plan for an employee towards --target.",
}


def _run_batch(
    settings: Settings,
    kind: str,
    options: Any,
    batch: Path | None,
    roles_only: bool,
    out: Path | None,
    jobs: int,
) -> None:
    """Answer every query with one engine, streaming JSON lines; exit 1 if any query failed."""
    from skillgraph import answers

    queries = _guard(lambda: answers.queries_from_file(batch)) if batch is not None else None
    engine = _engine(settings)
    # The engine lives to the end: its objects leave the collector's care, so full collections
    # (about 0.1 s each on ESCO, one every hundred queries or so) stop rescanning it, and forked
    # workers do not copy its pages by writing to their headers.
    gc.freeze()
    if queries is None:
        queries = answers.all_queries(engine, roles=roles_only)
        if not queries:
            what = "roles" if roles_only else "active employees (try --all --roles)"
            raise _fail(f"no {what} in {settings.data_dir}")
    failed = 0

    def lines() -> Iterator[str]:
        nonlocal failed
        with _progress() as progress:
            found = answers.answer_lines(engine, kind, queries, options, jobs=jobs)
            for done, (error, line) in enumerate(found, start=1):
                failed += error
                progress(f"{kind} ({failed} failed)" if failed else kind, done, len(queries))
                yield line

    if out is not None:
        _guard(lambda: _write_out(out, lines()))
    else:
        for line in lines():
            sys.stdout.write(line + "\n")
        sys.stdout.flush()
    console.print(f"{len(queries):,} queries, {failed:,} failed")
    if failed:
        raise typer.Exit(code=1)


def _write_out(out: Path, lines: Iterator[str]) -> None:
    from skillgraph.workspace import write_lines_atomic

    write_lines_atomic(out, lines)


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
        print_summary(_stdout(), result)
        for name, path in write_outputs(result, out).items():
            console.print(f"{name}: {path}")

    _guard(run)


@app.command()
def match(
    round_file: Annotated[Path, typer.Argument(help="Round definition (JSON).")],
    data_dir: DataDir = None,
    out: Annotated[Path | None, typer.Option(help="Also write the result here (JSON).")] = None,
    greedy: Annotated[bool, typer.Option(help="Also solve greedily and compare.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Solve a mentoring round for a cohort: matches, the unmatched with reasons, shortages."""
    from skillgraph import answers

    engine = _engine(_settings(data_dir))
    result = _guard(lambda: answers.solve_round_file(engine, round_file, compare_greedy=greedy))
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if out is not None:
        from skillgraph.workspace import write_lines_atomic

        _guard(lambda: write_lines_atomic(out, [text]))
        console.print(f"result written to {out}")
    if as_json:
        typer.echo(text)
    else:
        print_round(_stdout(), result)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
