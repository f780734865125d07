"""Operations: liveness, readiness, status, reindex and dataset import (admins)."""

import json
import tempfile
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from pydantic import ConfigDict, Field

from api import schemas as s
from api.deps import AdminUser, RuntimeDep, SettingsDep
from api.encoding import JsonBytes
from api.errors import problem
from api.routes.common import READ_ERRORS, WRITE_ERRORS, problems
from api.runtime import Runtime
from api.threads import thread_pools
from skillgraph.config import Settings
from skillgraph.data.company import load_company
from skillgraph.data.schema import Records
from skillgraph.errors import DatasetError, PermissionDeniedError
from skillgraph.store import Store

IMPORT_DIR = "imports"  # datasets on the server are read only from <data_dir>/imports
Rows = list[dict[str, Any]]


class CompanyDataset(s.RequestModel):
    """A company dataset in the company format (datasets/FORMAT.md): one array per table."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "skills": [{"id": "python", "label": "Python"}],
                "roles": [{"id": "dev", "title": "Developer", "skills": "python:3"}],
                "employees": [{"id": "e1", "name": "Ada", "role_id": "dev"}],
            }
        },
    )
    skills: Rows | None = Field(default=None, max_length=1_000_000)
    relations: Rows | None = Field(default=None, max_length=1_000_000)
    roles: Rows | None = Field(default=None, max_length=1_000_000)
    employees: Rows | None = Field(default=None, max_length=1_000_000)
    mentors: Rows | None = Field(default=None, max_length=1_000_000)
    content: Rows | None = Field(default=None, max_length=1_000_000)
    feedback: Rows | None = Field(default=None, max_length=1_000_000)


def ontology_part(records: Records) -> Records:
    """What an import keeps: public skills and roles, relations among those skills."""
    skills = {k: v for k, v in records.skills.items() if v.source != "company"}
    return Records(
        skills=skills,
        relations=[r for r in records.relations if r.source in skills and r.target in skills],
        roles={k: v for k, v in records.roles.items() if v.source != "company"},
        sources=[x for x in records.sources if not x.startswith("company")],
        attributions=list(records.attributions),
    )


def import_root(settings: Settings) -> Path:
    return (settings.data_dir / IMPORT_DIR).resolve()


def resolve_import_path(settings: Settings, raw: str) -> Path:
    """A directory inside the import root; anything outside it is refused."""
    root = import_root(settings)
    candidate = (root / raw).resolve()
    if candidate != root and not candidate.is_relative_to(root):
        raise PermissionDeniedError(f"imports are read only from the server's {IMPORT_DIR}/ folder")
    if not candidate.is_dir():
        raise DatasetError("no such dataset directory in the import folder", file=raw)
    return candidate


def load_uploaded(dataset: CompanyDataset, base: Records) -> Records:
    tables = dataset.model_dump(exclude_none=True)
    if not tables:
        raise DatasetError("the dataset has no tables")
    with tempfile.TemporaryDirectory(prefix="skillgraph-import-") as tmp:
        folder = Path(tmp) / "upload"
        folder.mkdir()
        for name, rows in tables.items():
            (folder / f"{name}.json").write_text(json.dumps(rows), encoding="utf-8")
        try:
            return load_company(folder, base=base)
        except DatasetError as exc:
            if exc.file:  # name the table, not the temp folder
                exc.file = Path(exc.file).name
                exc.args = (
                    str(DatasetError(exc.message, file=exc.file, row=exc.row, field=exc.field)),
                )
            raise


def run_import(runtime: Runtime, store: Store, records: Records, base: Records) -> s.ImportResult:
    if not any(records.counts()[k] for k in ("employees", "roles", "skills")) or (
        records.counts() == base.counts()
    ):
        raise DatasetError("the dataset adds no company records; nothing was imported")
    revision = store.replace_records(records)
    runtime.sync()
    runtime.persist()
    return s.ImportResult(
        revision=revision, counts=records.counts(), engine="rebuilt from the imported records"
    )


def build(settings: Settings) -> APIRouter:
    """Liveness and readiness (no token)."""
    router = APIRouter(tags=["operations"])

    healthy = s.HealthPublic().model_dump_json().encode()

    @router.get("/health", response_model=s.HealthPublic)
    async def health() -> Any:
        """The process is up (no dependencies checked)."""
        return JsonBytes(healthy)

    @router.get("/ready", response_model=s.ReadyPublic, responses=problems(503))
    def ready(runtime: RuntimeDep) -> Any:
        """200 once the engine is loaded and answering; 503 before (or with no data)."""
        st = runtime.status()
        body = s.ReadyPublic(
            status="ready" if st.phase == "ready" else "unavailable",
            phase=st.phase,
            revision=st.revision,
            store_revision=st.store_revision,
            detail=st.detail,
            reindexing=st.reindexing,
        )
        if st.phase == "ready":
            return body
        return problem(
            503,
            st.detail or f"engine {st.phase}",
            slug="engine-unavailable",
            extra=body.model_dump(exclude={"status"}),
            headers={"Retry-After": "5"},
        )

    return router


def build_admin(settings: Settings) -> APIRouter:
    """Status, reindex and import (L&D admins)."""
    router = APIRouter(tags=["operations"])

    @router.get("/v1/admin/status", response_model=dict[str, Any], responses=READ_ERRORS)
    def admin_status(user: AdminUser, runtime: RuntimeDep) -> dict[str, Any]:
        """The engine's phase and revision, the store's, the last reindex, thread pools."""
        st = runtime.status()
        return {
            "phase": st.phase,
            "revision": st.revision,
            "store_revision": st.store_revision,
            "detail": st.detail,
            "reindexing": st.reindexing,
            "last_reindex": st.last_reindex,
            "store_counts": runtime.store.counts(),
            # the native pools of the thread that answered (api/threads.py)
            "threads": {"limit": settings.retrieval.threads, "pools": thread_pools()},
        }

    @router.post(
        "/v1/admin/reindex",
        response_model=s.ReindexResult,
        responses={**WRITE_ERRORS, 202: {"model": s.ReindexResult, "description": "started"}},
    )
    def reindex(
        user: AdminUser,
        runtime: RuntimeDep,
        response: Response,
        wait: Annotated[bool, Query(description="answer when done (else 202 at once)")] = True,
    ) -> s.ReindexResult:
        """Rebuild every index beside the old ones from the store, then swap atomically."""
        if wait:
            summary = runtime.reindex()
            return s.ReindexResult(status="done", **summary)
        if runtime.status().reindexing:
            runtime.reindex()  # raises ConflictError: already running
        threading.Thread(target=_reindex_quietly, args=(runtime,), daemon=True).start()
        response.status_code = status.HTTP_202_ACCEPTED
        return s.ReindexResult(status="started")

    @router.post("/v1/admin/import", response_model=s.ImportResult, responses=WRITE_ERRORS)
    def import_dataset(
        user: AdminUser,
        runtime: RuntimeDep,
        settings: SettingsDep,
        body: s.ImportPath | CompanyDataset,
    ) -> s.ImportResult:
        """Replace the company's records (public ontology records stay) in one transaction.

        Body: the dataset itself (one array per table), or `{"path": ...}` naming a dataset
        directory inside the server's import folder. Errors name the table, row and field.
        """
        store = runtime.store
        base = ontology_part(store.load_records())
        if isinstance(body, s.ImportPath):
            records = load_company(resolve_import_path(settings, body.path), base=base)
        else:
            records = load_uploaded(body, base)
        return run_import(runtime, store, records, base)

    return router


def _reindex_quietly(runtime: Runtime) -> None:
    import logging

    try:
        runtime.reindex()
    except Exception:  # reported by /v1/admin/status and the log
        logging.getLogger("skillgraph.api").exception("background reindex failed")
