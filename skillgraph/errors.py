"""Typed errors. Every input problem raises one of these with the place it was found."""

from __future__ import annotations


class SkillgraphError(Exception):
    """Base of every error skillgraph raises on purpose."""


class NotFoundError(SkillgraphError, KeyError):
    """An id that the engine does not know."""

    def __init__(self, kind: str, id_: str) -> None:
        self.kind = kind
        self.id = id_
        super().__init__(f"unknown {kind} id: {id_!r}")

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class DatasetError(SkillgraphError):
    """Bad input data: names the file, row and field where it was found."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.field = field
        where = ", ".join(
            part
            for part in (
                f"file {file}" if file else "",
                f"row {row}" if row is not None else "",
                f"field {field!r}" if field else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class CycleError(DatasetError):
    """The prerequisite graph has a cycle; names it."""

    def __init__(self, cycle: list[str], *, file: str | None = None) -> None:
        self.cycle = cycle
        super().__init__(
            "prerequisite cycle: " + " -> ".join([*cycle, cycle[0]]),
            file=file,
            field="prerequisites",
        )


class SnapshotError(SkillgraphError):
    """A snapshot that is missing, from another version, or corrupted."""


class ModelNotAvailableError(SkillgraphError):
    """The embedding model cannot be loaded without a download."""


class IndexMismatchError(SkillgraphError):
    """A saved index built with another model or dimension, or a corrupted index file."""


class ValidationError(SkillgraphError):
    """A request or definition that cannot be carried out as given."""


class PermissionDeniedError(SkillgraphError):
    """The caller may not do this."""


class ConflictError(SkillgraphError):
    """The request conflicts with stored state (duplicate id, stale version)."""
