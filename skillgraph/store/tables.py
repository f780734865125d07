"""The database schema: one table per kind of stored thing, created on first open.

Company records are JSON documents keyed by (kind, id) with a version and updated_at, so
new record fields need no migration. Every write bumps `state.revision` and appends to
`changes`, which is how other processes and a restarted service catch up.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)
from sqlalchemy.dialects.postgresql import JSONB

SCHEMA_VERSION = 1
ID = String(255)
Document = JSON().with_variant(JSONB(), "postgresql")

metadata = MetaData()

state = Table(
    "state",
    metadata,
    Column("id", Integer, primary_key=True),  # a single row, id 1
    Column("revision", Integer, nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("sources", Document, nullable=False),
    Column("attributions", Document, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("id", ID, primary_key=True),
    Column("body", Document, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # the person a document belongs to (employee itself, offer owner, feedback giver)
    Column("owner_id", ID, nullable=True),
    Index("ix_documents_owner", "owner_id"),
)

relations = Table(
    "relations",
    metadata,
    Column("source", ID, primary_key=True),
    Column("target", ID, primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("weight", Float, nullable=False),
)

changes = Table(
    "changes",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("revision", Integer, nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("entity_id", ID, nullable=True),
    Column("op", String(16), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

plans = Table(
    "plans",
    metadata,
    Column("id", ID, primary_key=True),
    Column("employee_id", ID, nullable=False, index=True),
    Column("status", String(32), nullable=False),
    Column("body", Document, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

rounds = Table(
    "rounds",
    metadata,
    Column("id", ID, primary_key=True),
    Column("status", String(32), nullable=False),
    Column("body", Document, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

assignments = Table(
    "assignments",
    metadata,
    Column("id", ID, primary_key=True),
    Column("round_id", ID, nullable=True, index=True),
    Column("match_id", ID, nullable=True),  # several mentees of one circle share a match
    Column("mentor_id", ID, nullable=False, index=True),  # employee ids
    Column("mentee_id", ID, nullable=False, index=True),
    Column("offer_id", ID, nullable=True),
    Column("status", String(32), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

erasures = Table(
    "erasures",
    metadata,
    Column("id", ID, primary_key=True),
    Column("subject_digest", String(64), nullable=False),
    Column("body", Document, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("revision", Integer, nullable=False),
)
