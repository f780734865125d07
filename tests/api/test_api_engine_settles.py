"""After a load or a reindex the long-lived engine leaves the collector's scans; the one it
replaced is freed."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator

import pytest
from api_harness import Api


@pytest.fixture
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()  # the rest of the session collects as usual


def test_reindex_frees_the_old_engine_and_freezes_the_new(
    make_api: Callable[..., Api], unfrozen: None
) -> None:
    api = make_api()
    assert gc.get_freeze_count() > 0
    old = weakref.ref(api.app.state.runtime.current().engine)
    response = api.client.post("/v1/admin/reindex", headers=api.admin)
    assert response.status_code == 200, response.text
    new = api.app.state.runtime.current().engine
    assert new is not old()
    assert old() is None
    assert not gc.is_tracked(new) or new not in gc.get_objects(generation=2)
