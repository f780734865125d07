"""L0 persistence: the database that is the source of truth for a company's records."""

from skillgraph.store.database import (
    Assignment,
    Change,
    ErasureReceipt,
    Kind,
    Op,
    Page,
    Store,
    Stored,
    WorkflowDoc,
    subject_digest,
)

__all__ = [
    "Assignment",
    "Change",
    "ErasureReceipt",
    "Kind",
    "Op",
    "Page",
    "Store",
    "Stored",
    "WorkflowDoc",
    "subject_digest",
]
