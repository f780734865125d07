"""The current engine behind a swappable reference, kept in step with the store.

The store is the source of truth; engines are derived from it and never change in place
(`Engine.updated` returns a new one). A request takes the current `EngineState` once and
keeps it to the end, so swapping in a new engine (after a write or a reindex) never disturbs
requests in flight. Writes go to the store first; `sync` then applies the store's change log
to the engine: incrementally for upserts, erasures and deletions of people, mentors and items;
by a rebuild for imports, relation changes and deleted skills or roles.

Worker processes share the store: each catches up from the change log on its next request
(checked at most every SYNC_INTERVAL_S). A restart loads the saved engine, whose manifest
names the revision it reflects, and catches up from there.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.access import OrgChart
from api.errors import EngineUnavailableError
from api.threads import limit_this_thread
from skillgraph.config import Settings
from skillgraph.data.schema import Records
from skillgraph.errors import ConflictError, SkillgraphError
from skillgraph.store import Change, Kind, Op, Store
from skillgraph.store.database import RECORDS_FIELD

if TYPE_CHECKING:
    from skillgraph.engine import Engine
    from skillgraph.retrieval.encoder import Encoder

log = logging.getLogger("skillgraph.api")

SYNC_INTERVAL_S = 0.1
_KINDS = {k.value for k in Kind}
_REBUILD_OPS = {Op.REPLACE, Op.RELATIONS}
_REBUILD_ON_DELETE = {Kind.SKILL.value, Kind.ROLE.value}


class EngineFactory:
    """How the service makes, saves and loads engines; tests pass one with a HashingEncoder.

    The first engine's encoder is kept for the next builds, so a rebuild never reloads the model.
    """

    def __init__(self, encoder: Encoder | None = None) -> None:
        self.encoder = encoder

    def build(self, records: Records, settings: Settings, *, revision: int) -> Engine:
        from skillgraph.engine import Engine, declared_only

        engine = Engine.build(
            declared_only(records), settings, encoder=self.encoder, revision=revision
        )
        if self.encoder is None:
            self.encoder = engine.encoder
        return engine

    def load(self, settings: Settings) -> Engine:
        from skillgraph.workspace import load_engine

        engine = load_engine(settings, encoder=self.encoder)
        if self.encoder is None:
            self.encoder = engine.encoder
        return engine

    def save(self, engine: Engine, settings: Settings) -> None:
        from skillgraph.workspace import save_engine

        save_engine(engine, settings)

    def seed_records(self, settings: Settings, engine: Engine) -> Records:
        """The records a saved engine was built from (before inference), for an empty store."""
        from skillgraph.workspace import load_records

        try:
            return load_records(settings)
        except SkillgraphError:
            return engine.records


class EngineState:
    """An engine and what the service derives from it once (the org chart for access checks)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._org: OrgChart | None = None

    @property
    def revision(self) -> int:
        return int(self.engine.revision)

    @property
    def org(self) -> OrgChart:
        if self._org is None:
            self._org = OrgChart(self.engine.records.employees)
        return self._org


@dataclass(frozen=True)
class Status:
    phase: str  # starting | ready | empty | failed
    revision: int | None
    store_revision: int
    detail: str = ""
    reindexing: bool = False
    last_reindex: dict[str, Any] | None = None


class Runtime:
    """Owns the store and the current engine state of one service process."""

    def __init__(self, settings: Settings, store: Store, factory: EngineFactory) -> None:
        self.settings = settings
        self.store = store
        self.factory = factory
        self._state: EngineState | None = None
        self._phase = "starting"
        self._detail = ""
        self._apply = threading.Lock()  # one thread derives and swaps engines at a time
        self._reindexing = threading.Lock()
        self._last_reindex: dict[str, Any] | None = None
        self._last_check = 0.0
        self._started = threading.Event()
        self._failed_revision: int | None = None  # a head that could not be applied
        self._sync_error = ""

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> threading.Thread:
        """Load the engine in the background; /ready answers 503 until it is done."""
        thread = threading.Thread(target=self._start, name="skillgraph-engine-load", daemon=True)
        thread.start()
        return thread

    def _start(self) -> None:
        limit_this_thread()
        try:
            with self._apply:
                engine = self._initial_engine()
                _settle()  # before /ready says so: the first requests meet a settled heap
                self._swap(engine)
        except Exception as exc:  # surfaced on /ready and logged; the process stays up
            log.exception("engine failed to load")
            self._phase, self._detail = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            self._started.set()

    def wait_started(self, timeout: float | None = None) -> bool:
        return self._started.wait(timeout)

    def status(self) -> Status:
        state = self._state
        return Status(
            phase=self._phase,
            revision=state.revision if state else None,
            store_revision=self.store.revision(),
            detail=self._detail or self._sync_error,
            reindexing=self._reindexing.locked(),
            last_reindex=self._last_reindex,
        )

    def _initial_engine(self) -> Engine | None:
        engine = self._try_load()
        if self.store.is_empty():
            if engine is None:
                return None
            seeded = self._seed(engine)
            if seeded is not None:
                return seeded
        if engine is not None and engine.revision <= self.store.revision():
            return self._caught_up(engine)
        return self._rebuilt(save=True)

    def _try_load(self) -> Engine | None:
        try:
            return self.factory.load(self.settings)
        except (SkillgraphError, OSError) as exc:
            log.info("no saved engine to load (%s)", exc)
            return None

    def _seed(self, engine: Engine) -> Engine | None:
        """Fill an empty store from the saved engine's records; None if another process won."""
        try:
            revision = self.store.replace_records(
                self.factory.seed_records(self.settings, engine),
                expected_revision=self.store.revision(),
            )
        except ConflictError:
            log.info("another process seeded the store first")
            return None
        seeded = dataclasses.replace(engine, revision=revision)
        self.factory.save(seeded, self.settings)
        return seeded

    # ------------------------------------------------------------------ reading

    def current(self) -> EngineState:
        """The state to answer a request with; catches up with other processes' writes."""
        self._maybe_sync()
        state = self._state
        if state is None:
            raise EngineUnavailableError(self._unavailable_reason())
        return state

    def sync_due(self) -> bool:
        """Whether the next `current()` would look at the store (cheap, no I/O)."""
        return time.monotonic() - self._last_check >= SYNC_INTERVAL_S

    def current_state(self) -> EngineState:
        """The current state without looking at the store."""
        state = self._state
        if state is None:
            raise EngineUnavailableError(self._unavailable_reason())
        return state

    def _unavailable_reason(self) -> str:
        if self._phase == "starting":
            return "the engine is loading; retry shortly"
        return f"the engine is not available ({self._phase}): {self._detail}"

    def _maybe_sync(self) -> None:
        now = time.monotonic()
        if now - self._last_check < SYNC_INTERVAL_S or not self._started.is_set():
            return
        self._last_check = now
        state = self._state
        head = self.store.revision()
        if head == self._failed_revision:
            return  # already failed on this head; keep answering with the current engine
        if state is None or head != state.revision:
            try:
                self.sync(wait=False)
            except Exception:  # logged and shown on /ready; readers keep the current engine
                return

    # ------------------------------------------------------------------ writing

    def sync(self, *, wait: bool = True) -> None:
        """Apply the store's changes to the engine. wait=False: skip if another thread is."""
        limit_this_thread()
        if not self._started.is_set():
            if wait:
                self._started.wait()
            else:
                return
        if not self._apply.acquire(blocking=wait):
            return
        try:
            head = self.store.revision()
            state = self._state
            engine = self._caught_up(state.engine) if state else self._rebuilt(save=True)
            self._swap(engine)
            self._failed_revision, self._sync_error = None, ""
        except Exception as exc:
            log.exception("could not apply the store's changes to the engine")
            self._failed_revision = head
            self._sync_error = f"engine behind the store: {type(exc).__name__}: {exc}"
            raise
        finally:
            self._apply.release()

    def persist(self) -> None:
        """Save the current engine (after an erasure: no copy of the person stays on disk)."""
        with self._apply:
            state = self._state
            if state is not None:
                self.factory.save(state.engine, self.settings)

    def reindex(self) -> dict[str, Any]:
        """Build a new engine from the store beside the old one, save it, swap it in."""
        if not self._reindexing.acquire(blocking=False):
            raise ConflictError("a reindex is already running")
        limit_this_thread()
        started = time.monotonic()
        try:
            records, revision = self.store.load_records_at()
            if not any(records.counts().values()):
                raise EngineUnavailableError("the store holds no records to index")
            fresh = self.factory.build(records, self.settings, revision=revision)
            with self._apply:
                engine = self._caught_up(fresh)
                if engine is None:
                    raise EngineUnavailableError("the store was emptied during the reindex")
                self.factory.save(engine, self.settings)
                self._swap(engine)
            _settle()
            self.store.mark(Op.REINDEX)
            summary = {
                "revision": engine.revision,
                "seconds": round(time.monotonic() - started, 3),
                "counts": engine.records.counts(),
            }
            self._last_reindex = summary
            return summary
        finally:
            self._reindexing.release()

    def _swap(self, engine: Engine | None) -> None:
        if engine is None:
            self._state = None
            self._phase, self._detail = "empty", "the store holds no records: import a dataset"
            return
        if self._state is None or self._state.engine is not engine:
            self._state = EngineState(engine)
        self._phase, self._detail = "ready", ""

    # ------------------------------------------------------------------ catching up

    def _rebuilt(self, *, save: bool) -> Engine | None:
        records, revision = self.store.load_records_at()
        if not any(records.counts().values()):
            return None
        engine = self.factory.build(records, self.settings, revision=revision)
        engine = engine.with_mentor_load(self.store.offer_load())
        if save:
            self.factory.save(engine, self.settings)
        return engine

    def _caught_up(self, engine: Engine) -> Engine | None:
        """`engine` brought to the store's head (the caller holds _apply)."""
        changes = self.store.changes_since(engine.revision)
        if not changes:
            return engine
        head = max(c.revision for c in changes)
        if any(_needs_rebuild(c) for c in changes):
            return self._rebuilt(save=False)
        changed = self._changed_records(changes)
        removed = {
            kind: sorted(set(getattr(engine.records, RECORDS_FIELD[kind])) - self.store.ids(kind))
            for kind in (Kind.EMPLOYEE, Kind.MENTOR, Kind.ITEM)
        }
        load_changed = any(c.kind == "assignment" or c.op is Op.ERASE for c in changes)
        load = self.store.offer_load() if load_changed else None
        if any(changed.counts().values()) or any(removed.values()):
            return engine.updated(
                changed,
                removed_employees=removed[Kind.EMPLOYEE],
                removed_mentors=removed[Kind.MENTOR],
                removed_items=removed[Kind.ITEM],
                revision=head,
                mentor_load=load,
            )
        if load is not None:
            engine = engine.with_mentor_load(load)
        return dataclasses.replace(engine, revision=head)

    def _changed_records(self, changes: list[Change]) -> Records:
        """The current version of every record the changes upserted (gone ones are skipped)."""
        wanted: dict[Kind, set[str]] = {}
        for change in changes:
            if change.op is Op.UPSERT and change.entity_id and change.kind in _KINDS:
                wanted.setdefault(Kind(change.kind), set()).add(change.entity_id)
        partial = Records()
        for kind, ids in wanted.items():
            found = self.store.get_many(kind, ids)
            getattr(partial, RECORDS_FIELD[kind]).update(
                {id_: stored.record for id_, stored in found.items()}
            )
        return partial


def _settle() -> None:
    """Free the engine the swap dropped, then take the new long-lived one out of the collector's
    scans: full collections otherwise rescan it (about 0.1 s on ESCO) inside some request."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _needs_rebuild(change: Change) -> bool:
    if change.op in _REBUILD_OPS:
        return True
    return change.op is Op.DELETE and change.kind in _REBUILD_ON_DELETE


def seed_store(settings: Settings, records: Records, engine: Engine | None = None) -> int:
    """Make the store hold exactly `records` and mark `engine` (built from them) as current.

    For `skillgraph build`: the store is the service's source of truth, so a rebuilt dataset
    reaches the service only through it. Returns the store revision the engine now reflects.
    """
    store = Store.open(settings)
    try:
        revision = store.replace_records(records)
    finally:
        store.close()
    if engine is not None:
        EngineFactory().save(dataclasses.replace(engine, revision=revision), settings)
    return revision
