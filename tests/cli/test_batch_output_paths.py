"""The batch output: the fast plain-type path of `to_jsonable` converts like the general rules,
and forked workers write the same lines as one process."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any

import pytest
from cli.conftest import HASHING_ENV
from hypothesis import given, settings
from hypothesis import strategies as st

from skillgraph import answers, workspace
from skillgraph.config import Settings


def general_jsonable(value: Any) -> Any:
    """`to_jsonable` as first written: the general rules only, in order."""
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return general_jsonable(value.to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: general_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): general_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [general_jsonable(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    return value


class Colour(StrEnum):
    RED = "red"


class Number(Enum):
    ONE = 1


@dataclass(frozen=True)
class Pair:
    left: Any
    right: Any


class WithToDict:
    def __init__(self, value: Any) -> None:
        self.value = value

    def to_dict(self) -> dict[str, Any]:
        return {"wrapped": self.value}


class FloatLike(float):
    pass


leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(-10, 10).map(FloatLike),
    st.text(max_size=5),
    st.sampled_from([Colour.RED, Number.ONE, date(2024, 1, 2), datetime(2024, 1, 2, 3, 4)]),
)
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=3), st.just(Colour.RED)), inner, max_size=4),
        st.tuples(inner, inner).map(lambda p: Pair(*p)),
        inner.map(WithToDict),
        st.frozensets(st.integers(0, 5), max_size=3),
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_to_jsonable_converts_like_the_general_rules(value: Any) -> None:
    fast = answers.to_jsonable(value)
    assert fast == general_jsonable(value)
    assert json.dumps(fast) == json.dumps(general_jsonable(value))


def test_forked_workers_write_the_lines_of_one_process(
    tiny_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings.from_env(HASHING_ENV, data_dir=tiny_dir)
    engine = workspace.open_engine(settings)
    monkeypatch.setattr(answers, "PARALLEL_MIN_QUERIES", 1)  # fork even for a tiny batch
    monkeypatch.setattr(answers, "PARALLEL_CHUNK", 1)
    queries = answers.all_queries(engine, roles=True) + answers.all_queries(engine)
    options = answers.Options(k=3)
    alone = list(answers.answer_lines(engine, "roles", queries, options, jobs=1))
    forked = list(answers.answer_lines(engine, "roles", queries, options, jobs=2))
    assert forked == alone
    assert len(alone) == len(queries)
    assert all(not failed for failed, _ in alone)
