"""The store: the source of truth for a company's records and the workflows around them.

SQLite with WAL by default (one file inside the data dir), PostgreSQL by URL. Every write
runs in one transaction whose first statement bumps the revision, so writers queue on the
same row on both databases and the change log is gap-free.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Generic, TypeVar

import orjson
from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from skillgraph.config import Settings
from skillgraph.data.schema import (
    Employee,
    Feedback,
    LearningItem,
    MentorOffer,
    Records,
    RelationKind,
    Role,
    Skill,
    SkillRelation,
)
from skillgraph.data.validate import find_prerequisite_cycle
from skillgraph.errors import ConflictError, NotFoundError, ValidationError
from skillgraph.store import tables as t
from skillgraph.store.codec import from_doc, to_doc
from skillgraph.store.scrub import names, scrub

T = TypeVar("T")


class Kind(StrEnum):
    """Kinds of company records kept as documents."""

    SKILL = "skill"
    ROLE = "role"
    EMPLOYEE = "employee"
    MENTOR = "mentor"
    ITEM = "item"
    FEEDBACK = "feedback"


RECORD_TYPE: dict[Kind, type] = {
    Kind.SKILL: Skill,
    Kind.ROLE: Role,
    Kind.EMPLOYEE: Employee,
    Kind.MENTOR: MentorOffer,
    Kind.ITEM: LearningItem,
    Kind.FEEDBACK: Feedback,
}
RECORDS_FIELD: dict[Kind, str] = {
    Kind.SKILL: "skills",
    Kind.ROLE: "roles",
    Kind.EMPLOYEE: "employees",
    Kind.MENTOR: "mentors",
    Kind.ITEM: "items",
    Kind.FEEDBACK: "feedback",
}


class Op(StrEnum):
    """What a change did; the change log tells other processes how to catch up."""

    UPSERT = "upsert"
    DELETE = "delete"
    ERASE = "erase"  # an employee was erased; the id is not kept
    REPLACE = "replace"  # every record replaced (import)
    RELATIONS = "relations"
    REINDEX = "reindex"  # indexes rebuilt and saved; nothing changed in the records


@dataclass(frozen=True, slots=True)
class Stored(Generic[T]):
    record: T
    version: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Change:
    revision: int
    kind: str
    entity_id: str | None
    op: Op
    at: datetime


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True, slots=True)
class WorkflowDoc:
    """A plan or a matching round: a JSON body the service owns, with a status and version."""

    id: str
    status: str
    body: dict[str, Any]
    version: int
    created_at: datetime
    updated_at: datetime
    employee_id: str | None = None


@dataclass(frozen=True, slots=True)
class Assignment:
    """A mentor-mentee pairing of a published round: pending (awaiting answers), active
    (everyone accepted), declined or closed; pending and active ones use the offer's capacity."""

    id: str
    mentor_id: str
    mentee_id: str
    status: str
    round_id: str | None = None
    offer_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    match_id: str | None = None


LOAD_STATUSES = ("pending", "active")  # published and not declined


@dataclass(frozen=True, slots=True)
class ErasureReceipt:
    """What an erasure removed, where. Names the person only by a digest of the id."""

    id: str
    subject_digest: str
    at: datetime
    revision: int
    removed: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)


def subject_digest(employee_id: str) -> str:
    return hashlib.sha256(employee_id.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _owner(kind: Kind, record: Any) -> str | None:
    if kind is Kind.EMPLOYEE:
        return str(record.id)
    if kind in (Kind.MENTOR, Kind.FEEDBACK):
        return str(record.employee_id)
    return None


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode("utf-8")


class Store:
    """Open with `Store(url)` or `Store.open(settings)`; the schema is created on first open."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        self._engine = self._create_engine(url)
        self._create_schema()

    @classmethod
    def open(cls, settings: Settings) -> Store:
        url = settings.resolved_database_url
        if make_url(url).get_backend_name() == "sqlite":
            database = make_url(url).database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
        return cls(url)

    def close(self) -> None:
        self._engine.dispose()

    # ---------------------------------------------------------------- setup

    def _create_engine(self, url: str) -> Engine:
        if not self.is_sqlite:
            return create_engine(
                url,
                pool_pre_ping=True,
                json_serializer=_json_dumps,
                json_deserializer=orjson.loads,
            )
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            json_serializer=_json_dumps,
            json_deserializer=orjson.loads,
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # SQLAlchemy emits BEGIN itself so a read transaction sees one snapshot.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN")

        return engine

    def _create_schema(self) -> None:
        for attempt in range(3):
            try:
                t.metadata.create_all(self._engine)
                with self._engine.begin() as conn:
                    if conn.execute(select(t.state.c.id)).first() is None:
                        conn.execute(
                            insert(t.state).values(
                                id=1,
                                revision=0,
                                schema_version=t.SCHEMA_VERSION,
                                sources=[],
                                attributions=[],
                            )
                        )
                return
            except (IntegrityError, OperationalError, ProgrammingError):
                # another process created the schema at the same moment
                if attempt == 2:
                    raise

    # ---------------------------------------------------------------- transactions

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            if not self.is_sqlite:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def _write(self) -> Iterator[tuple[Connection, int]]:
        """A transaction that holds the write lock from its first statement."""
        with self._engine.begin() as conn:
            revision = conn.execute(
                update(t.state)
                .where(t.state.c.id == 1)
                .values(revision=t.state.c.revision + 1)
                .returning(t.state.c.revision)
            ).scalar_one()
            yield conn, revision

    @staticmethod
    def _log(conn: Connection, revision: int, kind: str, entity_id: str | None, op: Op) -> None:
        conn.execute(
            insert(t.changes).values(
                revision=revision,
                kind=kind,
                entity_id=entity_id,
                op=op.value,
                at=_now(),
            )
        )

    # ---------------------------------------------------------------- revision + changes

    def revision(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(t.state.c.revision)).scalar_one())

    def changes_since(self, revision: int) -> list[Change]:
        """Changes of revisions after `revision`, oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                select(t.changes).where(t.changes.c.revision > revision).order_by(t.changes.c.seq)
            ).all()
        return [
            Change(
                revision=row.revision,
                kind=row.kind,
                entity_id=row.entity_id,
                op=Op(row.op),
                at=_aware(row.at),
            )
            for row in rows
        ]

    def mark(self, op: Op, kind: str = "all") -> int:
        """Record a change that touches no document (e.g. a reindex); returns its revision."""
        with self._write() as (conn, revision):
            self._log(conn, revision, kind, None, op)
        return revision

    # ---------------------------------------------------------------- records

    def is_empty(self) -> bool:
        with self._engine.connect() as conn:
            return conn.execute(select(t.documents.c.id).limit(1)).first() is None

    def counts(self) -> dict[str, int]:
        with self._read() as conn:
            rows = conn.execute(
                select(t.documents.c.kind, func.count()).group_by(t.documents.c.kind)
            ).all()
            relations = conn.execute(select(func.count()).select_from(t.relations)).scalar_one()
        by_kind = {str(kind): int(n) for kind, n in rows}
        counts = {RECORDS_FIELD[k]: by_kind.get(k.value, 0) for k in Kind}
        counts["relations"] = int(relations)
        return counts

    def load_records(self) -> Records:
        """Every company record, from one consistent snapshot."""
        return self.load_records_at()[0]

    def load_records_at(self) -> tuple[Records, int]:
        """Every company record and the revision they are at, from one snapshot."""
        records = Records()
        with self._read() as conn:
            revision = int(conn.execute(select(t.state.c.revision)).scalar_one())
            head = conn.execute(select(t.state.c.sources, t.state.c.attributions)).one()
            records.sources = list(head.sources)
            records.attributions = list(head.attributions)
            rows = conn.execute(
                select(t.documents.c.kind, t.documents.c.id, t.documents.c.body).order_by(
                    t.documents.c.kind, t.documents.c.id
                )
            )
            for row in rows:
                kind = Kind(row.kind)
                getattr(records, RECORDS_FIELD[kind])[row.id] = from_doc(
                    RECORD_TYPE[kind], row.body, where=f"{kind.value} {row.id}"
                )
            rels = conn.execute(
                select(t.relations).order_by(
                    t.relations.c.source, t.relations.c.target, t.relations.c.kind
                )
            )
            records.relations = [
                SkillRelation(r.source, r.target, RelationKind(r.kind), float(r.weight))
                for r in rels
            ]
        return records, revision

    def ids(self, kind: Kind) -> set[str]:
        with self._engine.connect() as conn:
            return set(
                conn.execute(
                    select(t.documents.c.id).where(t.documents.c.kind == kind.value)
                ).scalars()
            )

    def replace_records(self, records: Records, *, expected_revision: int | None = None) -> int:
        """Replace every company record in one transaction; returns the new revision.

        Plans, rounds and assignments stay. With `expected_revision`, a store that moved on
        meanwhile raises ConflictError (e.g. two processes seeding an empty store).
        """
        with self._write() as (conn, revision):
            if expected_revision is not None and revision != expected_revision + 1:
                raise ConflictError(
                    f"store is at revision {revision - 1}, expected {expected_revision}"
                )
            conn.execute(delete(t.documents))
            conn.execute(delete(t.relations))
            conn.execute(delete(t.changes))
            now = _now()
            _insert_documents(conn, _documents_of(records, now))
            if records.relations:
                conn.execute(insert(t.relations), _relation_rows(records.relations))
            conn.execute(
                update(t.state)
                .where(t.state.c.id == 1)
                .values(sources=list(records.sources), attributions=list(records.attributions))
            )
            self._log(conn, revision, "all", None, Op.REPLACE)
        return revision

    def get(self, kind: Kind, id_: str) -> Stored[Any]:
        with self._engine.connect() as conn:
            row = conn.execute(
                select(t.documents).where(t.documents.c.kind == kind.value, t.documents.c.id == id_)
            ).first()
        if row is None:
            raise NotFoundError(kind.value, id_)
        return _stored(kind, row)

    def get_many(self, kind: Kind, ids: Collection[str]) -> dict[str, Stored[Any]]:
        found: dict[str, Stored[Any]] = {}
        wanted = list(dict.fromkeys(ids))
        with self._engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                rows = conn.execute(
                    select(t.documents).where(
                        t.documents.c.kind == kind.value,
                        t.documents.c.id.in_(wanted[start : start + 500]),
                    )
                )
                found.update({row.id: _stored(kind, row) for row in rows})
        return found

    def page(
        self,
        kind: Kind,
        *,
        offset: int = 0,
        limit: int = 50,
        ids: Collection[str] | None = None,
        owner_id: str | None = None,
    ) -> Page[Stored[Any]]:
        """A page of records ordered by id, optionally only the given ids or one owner's."""
        where = [t.documents.c.kind == kind.value]
        if ids is not None:
            where.append(t.documents.c.id.in_(list(ids)))
        if owner_id is not None:
            where.append(t.documents.c.owner_id == owner_id)
        with self._read() as conn:
            total = conn.execute(
                select(func.count()).select_from(t.documents).where(*where)
            ).scalar_one()
            rows = conn.execute(
                select(t.documents)
                .where(*where)
                .order_by(t.documents.c.id)
                .offset(offset)
                .limit(limit)
            ).all()
        return Page([_stored(kind, row) for row in rows], int(total), offset, limit)

    def upsert(
        self,
        kind: Kind,
        record: Any,
        *,
        expected_version: int | None = None,
        create: bool | None = None,
    ) -> Stored[Any]:
        """Insert or update one record after checking the ids it refers to exist.

        create=True: must be new (ConflictError); create=False: must exist (NotFoundError);
        expected_version: optimistic concurrency (ConflictError when stale).
        """
        record_id: str = record.id
        if type(record) is not RECORD_TYPE[kind]:
            raise TypeError(f"expected {RECORD_TYPE[kind].__name__}, got {type(record).__name__}")
        with self._write() as (conn, revision):
            current = conn.execute(
                select(t.documents.c.version).where(
                    t.documents.c.kind == kind.value, t.documents.c.id == record_id
                )
            ).scalar_one_or_none()
            _check_upsert(kind, record_id, current, expected_version, create)
            _check_references(conn, kind, record)
            now = _now()
            version = (current or 0) + 1
            values = {
                "body": to_doc(record),
                "version": version,
                "updated_at": now,
                "owner_id": _owner(kind, record),
            }
            if current is None:
                conn.execute(insert(t.documents).values(kind=kind.value, id=record_id, **values))
            else:
                conn.execute(
                    update(t.documents)
                    .where(t.documents.c.kind == kind.value, t.documents.c.id == record_id)
                    .values(**values)
                )
            self._log(conn, revision, kind.value, record_id, Op.UPSERT)
        return Stored(record, version, now)

    def upsert_skill(self, skill: Skill, **kw: Any) -> Stored[Skill]:
        return self.upsert(Kind.SKILL, skill, **kw)

    def upsert_role(self, role: Role, **kw: Any) -> Stored[Role]:
        return self.upsert(Kind.ROLE, role, **kw)

    def upsert_employee(self, employee: Employee, **kw: Any) -> Stored[Employee]:
        return self.upsert(Kind.EMPLOYEE, employee, **kw)

    def upsert_mentor(self, offer: MentorOffer, **kw: Any) -> Stored[MentorOffer]:
        return self.upsert(Kind.MENTOR, offer, **kw)

    def upsert_item(self, item: LearningItem, **kw: Any) -> Stored[LearningItem]:
        return self.upsert(Kind.ITEM, item, **kw)

    def upsert_feedback(self, feedback: Feedback, **kw: Any) -> Stored[Feedback]:
        return self.upsert(Kind.FEEDBACK, feedback, **kw)

    def delete(self, kind: Kind, id_: str) -> int:
        """Delete a record nothing else refers to; returns the revision."""
        if kind is Kind.EMPLOYEE:
            raise ValidationError("employees are deactivated or erased, not deleted")
        with self._write() as (conn, revision):
            _check_unreferenced(conn, kind, id_)
            gone = conn.execute(
                delete(t.documents).where(t.documents.c.kind == kind.value, t.documents.c.id == id_)
            ).rowcount
            if not gone:
                raise NotFoundError(kind.value, id_)
            self._log(conn, revision, kind.value, id_, Op.DELETE)
        return revision

    def add_relations(self, relations: Iterable[SkillRelation]) -> int:
        """Add relations (replacing equal ones); no self-loops, no broader or prerequisite
        cycles (ValidationError naming the cycle)."""
        rels = list(relations)
        loops = [r for r in rels if r.source == r.target]
        if loops:
            raise ValidationError(f"a skill cannot relate to itself: {loops[0].source!r}")
        with self._write() as (conn, revision):
            skills = {r.source for r in rels} | {r.target for r in rels}
            _need(conn, Kind.SKILL, skills, "relation")
            existing = [
                SkillRelation(r.source, r.target, RelationKind(r.kind), float(r.weight))
                for r in conn.execute(select(t.relations))
            ]
            _check_cycles([*existing, *rels])
            for rel in rels:
                conn.execute(
                    delete(t.relations).where(
                        t.relations.c.source == rel.source,
                        t.relations.c.target == rel.target,
                        t.relations.c.kind == rel.kind.value,
                    )
                )
            if rels:
                conn.execute(insert(t.relations), _relation_rows(rels))
            self._log(conn, revision, "relation", None, Op.RELATIONS)
        return revision

    # ---------------------------------------------------------------- erasure

    def erase_employee(self, employee_id: str) -> ErasureReceipt:
        """Remove the person everywhere, in one transaction, and keep a receipt.

        Removed: the employee (with their skills and role history), their mentor offers,
        feedback they gave or that names them or their offers, their plans, their mentoring
        assignments, the change-log entries naming them. Rewritten: their reports move to
        their manager; plans and rounds of others lose the parts that name them.
        """
        with self._write() as (conn, revision):
            row = conn.execute(
                select(t.documents).where(
                    t.documents.c.kind == Kind.EMPLOYEE.value, t.documents.c.id == employee_id
                )
            ).first()
            if row is None:
                raise NotFoundError("employee", employee_id)
            employee = from_doc(Employee, row.body)
            removed: dict[str, int] = {
                "employee": 1,
                "employee_skills": len(employee.skills),
                "role_history": len(employee.history),
            }
            updated: dict[str, int] = {}
            offers = _owned_ids(conn, Kind.MENTOR, employee_id)
            removed["mentor_offers"] = _delete_docs(conn, Kind.MENTOR, offers)
            feedback = _feedback_naming(conn, {employee_id, *offers})
            removed["feedback"] = _delete_docs(conn, Kind.FEEDBACK, feedback)
            reports = _reassign_reports(conn, employee_id, employee.manager_id)
            updated["reports_reassigned"] = len(reports)
            removed["plans"] = conn.execute(
                delete(t.plans).where(t.plans.c.employee_id == employee_id)
            ).rowcount
            removed["assignments"] = conn.execute(
                delete(t.assignments).where(
                    (t.assignments.c.mentor_id == employee_id)
                    | (t.assignments.c.mentee_id == employee_id)
                )
            ).rowcount
            person_ids = {employee_id, *offers}
            updated["plans_rewritten"] = _scrub_bodies(conn, t.plans, person_ids)
            updated["rounds_rewritten"] = _scrub_bodies(conn, t.rounds, person_ids)
            conn.execute(
                delete(t.documents).where(
                    t.documents.c.kind == Kind.EMPLOYEE.value, t.documents.c.id == employee_id
                )
            )
            named = {employee_id, *offers, *feedback}
            removed["change_log_entries"] = conn.execute(
                delete(t.changes).where(t.changes.c.entity_id.in_(list(named)))
            ).rowcount
            for report in reports:
                self._log(conn, revision, Kind.EMPLOYEE.value, report, Op.UPSERT)
            self._log(conn, revision, Kind.EMPLOYEE.value, None, Op.ERASE)
            receipt = ErasureReceipt(
                id=uuid.uuid4().hex,
                subject_digest=subject_digest(employee_id),
                at=_now(),
                revision=revision,
                removed=removed,
                updated=updated,
            )
            conn.execute(
                insert(t.erasures).values(
                    id=receipt.id,
                    subject_digest=receipt.subject_digest,
                    body={"removed": removed, "updated": updated},
                    at=receipt.at,
                    revision=revision,
                )
            )
        return receipt

    def erasure_receipts(self, subject_id: str | None = None) -> list[ErasureReceipt]:
        query = select(t.erasures).order_by(t.erasures.c.revision)
        if subject_id is not None:
            query = query.where(t.erasures.c.subject_digest == subject_digest(subject_id))
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            ErasureReceipt(
                id=r.id,
                subject_digest=r.subject_digest,
                at=_aware(r.at),
                revision=r.revision,
                removed=dict(r.body["removed"]),
                updated=dict(r.body["updated"]),
            )
            for r in rows
        ]

    # ---------------------------------------------------------------- plans and rounds

    def create_plan(
        self, employee_id: str, status: str, body: Mapping[str, Any], *, plan_id: str | None = None
    ) -> WorkflowDoc:
        return self._create_workflow(t.plans, status, body, employee_id=employee_id, id_=plan_id)

    def get_plan(self, plan_id: str) -> WorkflowDoc:
        return self._get_workflow(t.plans, "plan", plan_id)

    def list_plans(
        self, *, employee_id: str | None = None, offset: int = 0, limit: int = 50
    ) -> Page[WorkflowDoc]:
        where = [] if employee_id is None else [t.plans.c.employee_id == employee_id]
        return self._list_workflows(t.plans, where, offset, limit)

    def update_plan(
        self, plan_id: str, status: str, body: Mapping[str, Any], *, expected_version: int
    ) -> WorkflowDoc:
        return self._update_workflow(t.plans, "plan", plan_id, status, body, expected_version)

    def create_round(
        self, status: str, body: Mapping[str, Any], *, round_id: str | None = None
    ) -> WorkflowDoc:
        return self._create_workflow(t.rounds, status, body, id_=round_id)

    def get_round(self, round_id: str) -> WorkflowDoc:
        return self._get_workflow(t.rounds, "round", round_id)

    def list_rounds(self, *, offset: int = 0, limit: int = 50) -> Page[WorkflowDoc]:
        return self._list_workflows(t.rounds, [], offset, limit)

    def update_round(
        self, round_id: str, status: str, body: Mapping[str, Any], *, expected_version: int
    ) -> WorkflowDoc:
        return self._update_workflow(t.rounds, "round", round_id, status, body, expected_version)

    def _create_workflow(
        self,
        table: Any,
        status: str,
        body: Mapping[str, Any],
        *,
        employee_id: str | None = None,
        id_: str | None = None,
    ) -> WorkflowDoc:
        now = _now()
        doc = WorkflowDoc(id_ or uuid.uuid4().hex, status, dict(body), 1, now, now, employee_id)
        values: dict[str, Any] = {
            "id": doc.id,
            "status": status,
            "body": doc.body,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        if employee_id is not None:
            values["employee_id"] = employee_id
        with self._write() as (conn, revision):
            if employee_id is not None:
                _need(conn, Kind.EMPLOYEE, [employee_id], "plan")
            if conn.execute(select(table.c.id).where(table.c.id == doc.id)).first() is not None:
                raise ConflictError(f"{table.name[:-1]} {doc.id!r} already exists")
            conn.execute(insert(table).values(**values))
            self._log(conn, revision, table.name, doc.id, Op.UPSERT)
        return doc

    def _get_workflow(self, table: Any, what: str, id_: str) -> WorkflowDoc:
        with self._engine.connect() as conn:
            row = conn.execute(select(table).where(table.c.id == id_)).first()
        if row is None:
            raise NotFoundError(what, id_)
        return _workflow(row)

    def _list_workflows(
        self, table: Any, where: list[Any], offset: int, limit: int
    ) -> Page[WorkflowDoc]:
        with self._read() as conn:
            total = conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()
            rows = conn.execute(
                select(table)
                .where(*where)
                .order_by(table.c.created_at, table.c.id)
                .offset(offset)
                .limit(limit)
            ).all()
        return Page([_workflow(r) for r in rows], int(total), offset, limit)

    def _update_workflow(
        self,
        table: Any,
        what: str,
        id_: str,
        status: str,
        body: Mapping[str, Any],
        expected_version: int,
    ) -> WorkflowDoc:
        with self._write() as (conn, revision):
            row = conn.execute(select(table).where(table.c.id == id_)).first()
            if row is None:
                raise NotFoundError(what, id_)
            if row.version != expected_version:
                raise ConflictError(
                    f"{what} {id_!r} is at version {row.version}, not {expected_version}"
                )
            now = _now()
            conn.execute(
                update(table)
                .where(table.c.id == id_)
                .values(status=status, body=dict(body), version=row.version + 1, updated_at=now)
            )
            self._log(conn, revision, table.name, id_, Op.UPSERT)
        return replace(
            _workflow(row), status=status, body=dict(body), version=row.version + 1, updated_at=now
        )

    # ---------------------------------------------------------------- assignments

    def add_assignments(self, items: Iterable[Assignment]) -> list[Assignment]:
        now = _now()
        made = [
            Assignment(
                id=a.id or uuid.uuid4().hex,
                mentor_id=a.mentor_id,
                mentee_id=a.mentee_id,
                status=a.status,
                round_id=a.round_id,
                offer_id=a.offer_id,
                created_at=now,
                updated_at=now,
                match_id=a.match_id,
            )
            for a in items
        ]
        with self._write() as (conn, revision):
            people = {a.mentor_id for a in made} | {a.mentee_id for a in made}
            _need(conn, Kind.EMPLOYEE, people, "assignment")
            if made:
                conn.execute(insert(t.assignments), [_assignment_row(a) for a in made])
            self._log(conn, revision, "assignment", None, Op.UPSERT)
        return made

    def get_assignment(self, assignment_id: str) -> Assignment:
        with self._engine.connect() as conn:
            row = conn.execute(
                select(t.assignments).where(t.assignments.c.id == assignment_id)
            ).first()
        if row is None:
            raise NotFoundError("assignment", assignment_id)
        return _assignment(row)

    def list_assignments(
        self,
        *,
        round_id: str | None = None,
        employee_id: str | None = None,
        statuses: Collection[str] | None = None,
    ) -> list[Assignment]:
        query = select(t.assignments).order_by(t.assignments.c.created_at, t.assignments.c.id)
        if round_id is not None:
            query = query.where(t.assignments.c.round_id == round_id)
        if employee_id is not None:
            query = query.where(
                (t.assignments.c.mentor_id == employee_id)
                | (t.assignments.c.mentee_id == employee_id)
            )
        if statuses is not None:
            query = query.where(t.assignments.c.status.in_(list(statuses)))
        with self._engine.connect() as conn:
            return [_assignment(r) for r in conn.execute(query)]

    def set_assignment_status(
        self, assignment_id: str, status: str, *, expected: Collection[str] | None = None
    ) -> Assignment:
        """Move an assignment to `status`; with `expected`, only from one of those statuses."""
        with self._write() as (conn, revision):
            row = conn.execute(
                select(t.assignments).where(t.assignments.c.id == assignment_id)
            ).first()
            if row is None:
                raise NotFoundError("assignment", assignment_id)
            if expected is not None and row.status not in expected:
                raise ConflictError(
                    f"assignment {assignment_id!r} is {row.status}, expected one of "
                    + ", ".join(sorted(expected))
                )
            now = _now()
            conn.execute(
                update(t.assignments)
                .where(t.assignments.c.id == assignment_id)
                .values(status=status, updated_at=now)
            )
            self._log(conn, revision, "assignment", assignment_id, Op.UPSERT)
        current = _assignment(row)
        return Assignment(
            current.id,
            current.mentor_id,
            current.mentee_id,
            status,
            current.round_id,
            current.offer_id,
            current.created_at,
            now,
            current.match_id,
        )

    def replace_round_assignments(self, round_id: str, items: Iterable[Assignment]) -> int:
        """The round's assignments become exactly `items` (one transaction); returns how many."""
        now = _now()
        rows = [
            _assignment_row(
                replace(
                    a,
                    id=a.id or uuid.uuid4().hex,
                    round_id=round_id,
                    created_at=now,
                    updated_at=now,
                )
            )
            for a in items
        ]
        with self._write() as (conn, revision):
            conn.execute(delete(t.assignments).where(t.assignments.c.round_id == round_id))
            if rows:
                conn.execute(insert(t.assignments), rows)
            self._log(conn, revision, "assignment", None, Op.UPSERT)
        return len(rows)

    def offer_load(self) -> dict[str, int]:
        """Places each mentor offer uses now: pending and active matches (a circle is one)."""
        place = func.coalesce(t.assignments.c.match_id, t.assignments.c.id)
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(t.assignments.c.offer_id, func.count(func.distinct(place)))
                .where(
                    t.assignments.c.status.in_(LOAD_STATUSES),
                    t.assignments.c.offer_id.is_not(None),
                )
                .group_by(t.assignments.c.offer_id)
            ).all()
        return {str(offer): int(n) for offer, n in rows}

    def mentor_load(self) -> dict[str, int]:
        """Mentees each mentor (employee id) has now: pending and active assignments."""
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(t.assignments.c.mentor_id, func.count())
                .where(t.assignments.c.status.in_(LOAD_STATUSES))
                .group_by(t.assignments.c.mentor_id)
            ).all()
        return {str(mentor): int(n) for mentor, n in rows}


# -------------------------------------------------------------------- helpers


def _stored(kind: Kind, row: Any) -> Stored[Any]:
    record: Any = from_doc(RECORD_TYPE[kind], row.body, where=f"{kind.value} {row.id}")
    return Stored(record, int(row.version), _aware(row.updated_at))


def _documents_of(records: Records, now: datetime) -> Iterator[dict[str, Any]]:
    for kind in Kind:
        for id_, record in getattr(records, RECORDS_FIELD[kind]).items():
            yield {
                "kind": kind.value,
                "id": id_,
                "body": to_doc(record),
                "version": 1,
                "updated_at": now,
                "owner_id": _owner(kind, record),
            }


def _insert_documents(conn: Connection, rows: Iterable[dict[str, Any]]) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 1000:
            conn.execute(insert(t.documents), batch)
            batch = []
    if batch:
        conn.execute(insert(t.documents), batch)


def _relation_rows(relations: Iterable[SkillRelation]) -> list[dict[str, Any]]:
    unique = {(r.source, r.target, r.kind.value): r.weight for r in relations}
    return [
        {"source": s, "target": tg, "kind": k, "weight": float(w)}
        for (s, tg, k), w in unique.items()
    ]


def _check_upsert(
    kind: Kind, id_: str, current: int | None, expected: int | None, create: bool | None
) -> None:
    if create is True and current is not None:
        raise ConflictError(f"{kind.value} {id_!r} already exists")
    if create is False and current is None:
        raise NotFoundError(kind.value, id_)
    if expected is not None and current != expected:
        raise ConflictError(f"{kind.value} {id_!r} is at version {current}, not {expected}")


def _need(conn: Connection, kind: Kind, ids: Iterable[str], where: str) -> None:
    wanted = set(ids)
    if not wanted:
        return
    found = set(
        conn.execute(
            select(t.documents.c.id).where(
                t.documents.c.kind == kind.value, t.documents.c.id.in_(list(wanted))
            )
        ).scalars()
    )
    missing = sorted(wanted - found)
    if missing:
        raise ValidationError(f"unknown {kind.value} id(s) in {where}: {', '.join(missing[:5])}")


def _check_cycles(relations: list[SkillRelation]) -> None:
    for kind in (RelationKind.PREREQUISITE, RelationKind.BROADER):
        # find_prerequisite_cycle walks prerequisite edges; relabel to walk broader ones
        edges = [
            SkillRelation(r.source, r.target, RelationKind.PREREQUISITE)
            for r in relations
            if r.kind is kind
        ]
        cycle = find_prerequisite_cycle(edges)
        if cycle:
            path = " -> ".join([*cycle, cycle[0]])
            raise ValidationError(f"{kind.value} relations would form a cycle: {path}")


def _check_references(conn: Connection, kind: Kind, record: Any) -> None:
    where = f"{kind.value} {record.id!r}"
    if kind is Kind.ROLE:
        _need(conn, Kind.SKILL, [r.skill_id for r in record.requirements], where)
    elif kind is Kind.EMPLOYEE:
        _need(conn, Kind.ROLE, [record.role_id, *(s.role_id for s in record.history)], where)
        _need(conn, Kind.SKILL, [s.skill_id for s in record.skills], where)
        if record.manager_id is not None:
            _check_manager(conn, record.id, record.manager_id)
    elif kind is Kind.MENTOR:
        _need(conn, Kind.EMPLOYEE, [record.employee_id], where)
        _need(conn, Kind.SKILL, record.topics, where)
    elif kind is Kind.ITEM:
        _need(
            conn,
            Kind.SKILL,
            [s.skill_id for s in record.skills] + [p.skill_id for p in record.prerequisites],
            where,
        )
    elif kind is Kind.FEEDBACK:
        _need(conn, Kind.EMPLOYEE, [record.employee_id], where)


def _check_manager(conn: Connection, employee_id: str, manager_id: str) -> None:
    """The manager exists and the reporting line does not loop back to the employee."""
    seen = {employee_id}
    current: str | None = manager_id
    while current is not None:
        if current in seen:
            raise ValidationError(f"manager {manager_id!r} would make a reporting cycle")
        seen.add(current)
        body = conn.execute(
            select(t.documents.c.body).where(
                t.documents.c.kind == Kind.EMPLOYEE.value, t.documents.c.id == current
            )
        ).scalar_one_or_none()
        if body is None:
            raise ValidationError(f"unknown employee id(s) in manager_id: {current}")
        current = body.get("manager_id")


def _check_unreferenced(conn: Connection, kind: Kind, id_: str) -> None:
    """Refuse to delete a skill or role other records still name."""
    if kind not in (Kind.SKILL, Kind.ROLE):
        return
    users = conn.execute(
        select(t.documents.c.kind, t.documents.c.id, t.documents.c.body).where(
            t.documents.c.kind.in_(
                [Kind.ROLE.value, Kind.EMPLOYEE.value, Kind.MENTOR.value, Kind.ITEM.value]
            )
        )
    )
    for row in users:
        if names(row.body, id_, words=False):
            raise ConflictError(f"{kind.value} {id_!r} is still used by {row.kind} {row.id!r}")
    if kind is Kind.SKILL:
        used = conn.execute(
            select(t.relations.c.source).where(
                (t.relations.c.source == id_) | (t.relations.c.target == id_)
            )
        ).first()
        if used is not None:
            raise ConflictError(f"skill {id_!r} is still used by a relation")


def _owned_ids(conn: Connection, kind: Kind, owner_id: str) -> list[str]:
    return list(
        conn.execute(
            select(t.documents.c.id).where(
                t.documents.c.kind == kind.value, t.documents.c.owner_id == owner_id
            )
        ).scalars()
    )


def _delete_docs(conn: Connection, kind: Kind, ids: Collection[str]) -> int:
    if not ids:
        return 0
    return int(
        conn.execute(
            delete(t.documents).where(
                t.documents.c.kind == kind.value, t.documents.c.id.in_(list(ids))
            )
        ).rowcount
    )


def _feedback_naming(conn: Connection, person_ids: set[str]) -> list[str]:
    """Feedback given by the person or naming them (as target, in context or comment)."""
    rows = conn.execute(
        select(t.documents.c.id, t.documents.c.body).where(
            t.documents.c.kind == Kind.FEEDBACK.value
        )
    )
    return [
        row.id
        for row in rows
        if row.body.get("employee_id") in person_ids
        or row.body.get("target_id") in person_ids
        or any(
            pid in str(row.body.get(f, "")) for pid in person_ids for f in ("context", "comment")
        )
    ]


def _reassign_reports(conn: Connection, employee_id: str, new_manager: str | None) -> list[str]:
    rows = conn.execute(
        select(t.documents.c.id, t.documents.c.body, t.documents.c.version).where(
            t.documents.c.kind == Kind.EMPLOYEE.value
        )
    ).all()
    moved = []
    for row in rows:
        if row.body.get("manager_id") != employee_id:
            continue
        conn.execute(
            update(t.documents)
            .where(t.documents.c.kind == Kind.EMPLOYEE.value, t.documents.c.id == row.id)
            .values(
                body={**row.body, "manager_id": new_manager},
                version=row.version + 1,
                updated_at=_now(),
            )
        )
        moved.append(row.id)
    return moved


def _scrub_bodies(conn: Connection, table: Any, person_ids: Collection[str]) -> int:
    """Rewrite the documents that name any of the ids (the person and their offers)."""
    rewritten = 0
    for row in conn.execute(select(table.c.id, table.c.body, table.c.version)).all():
        if not any(names(row.body, pid) for pid in person_ids):
            continue
        body = row.body
        for pid in person_ids:
            body = scrub(body, pid)
        conn.execute(
            update(table)
            .where(table.c.id == row.id)
            .values(body=body, version=row.version + 1, updated_at=_now())
        )
        rewritten += 1
    return rewritten


def _workflow(row: Any) -> WorkflowDoc:
    return WorkflowDoc(
        id=row.id,
        status=row.status,
        body=dict(row.body),
        version=int(row.version),
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
        employee_id=getattr(row, "employee_id", None),
    )


def _assignment(row: Any) -> Assignment:
    return Assignment(
        id=row.id,
        mentor_id=row.mentor_id,
        mentee_id=row.mentee_id,
        status=row.status,
        round_id=row.round_id,
        offer_id=row.offer_id,
        created_at=_aware(row.created_at),
        updated_at=_aware(row.updated_at),
        match_id=row.match_id,
    )


def _assignment_row(a: Assignment) -> dict[str, Any]:
    return {
        "id": a.id,
        "round_id": a.round_id,
        "mentor_id": a.mentor_id,
        "mentee_id": a.mentee_id,
        "offer_id": a.offer_id,
        "match_id": a.match_id,
        "status": a.status,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }
