"""Ranking metrics by name ("ndcg@10", "mrr", ...), computed per query with ranx.

Data convention (the ranx habit): relevance judgements `qrels` are `{query_id: {item_id: grade}}`
with integer grades >= 0, where a grade of 1 or more means relevant; a system's answers are a
ranked list per query, turned into a ranx run `{query_id: {item_id: score}}` whose scores follow
the rank exactly (no ties, so ranx cannot reorder).

Gain convention: nDCG uses LINEAR gain (gain = grade) with a log2(rank + 1) discount, the
Järvelin & Kekäläinen form; this is ranx "ndcg" and agrees with sklearn.metrics.ndcg_score.
The exponential form (gain = 2^grade - 1, Burges et al.) is available as "ndcg_burges@k"; with
binary grades the two are equal.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from skillgraph.errors import ValidationError

Qrels = dict[str, dict[str, int]]
RunScores = dict[str, dict[str, float]]
Ranked = Mapping[str, Sequence[str]]
PerQuery = dict[str, dict[str, float]]  # metric -> query id -> score

GAIN_CONVENTION = (
    "nDCG uses linear gain (gain = grade) with a log2(rank + 1) discount "
    "(Järvelin & Kekäläinen; ranx 'ndcg', same as sklearn.metrics.ndcg_score); "
    "ndcg_burges uses exponential gain 2^grade - 1."
)
METRICS_WITH_CUTOFF = frozenset({"ndcg", "ndcg_burges", "precision", "recall", "hit_rate", "f1"})
METRICS_OPTIONAL_CUTOFF = frozenset({"map", "mrr"})
DEFAULT_METRICS = ("ndcg@10", "precision@5", "recall@10", "map@10", "mrr", "hit_rate@5")
_NAME = re.compile(r"^(?P<base>[a-z_]+)(?:@(?P<k>\d+))?$")
# ranx needs at least one entry per query; a never-relevant placeholder stands for "no answer".
_EMPTY_ANSWER = "\x00no-answer"
_PADDING_METRIC = "hits"  # never a user metric (not in the accepted names)


@dataclass(frozen=True, slots=True)
class MetricName:
    base: str
    k: int | None

    def __str__(self) -> str:
        return self.base if self.k is None else f"{self.base}@{self.k}"


def parse_metric(name: str) -> MetricName:
    """ "ndcg@10" -> MetricName("ndcg", 10); ValidationError names what is accepted."""
    match = _NAME.match(name.strip().lower())
    known = sorted(METRICS_WITH_CUTOFF | METRICS_OPTIONAL_CUTOFF)
    if not match or match["base"] not in METRICS_WITH_CUTOFF | METRICS_OPTIONAL_CUTOFF:
        raise ValidationError(f"unknown metric {name!r}; expected one of {', '.join(known)}")
    k = int(match["k"]) if match["k"] else None
    if match["base"] in METRICS_WITH_CUTOFF and k is None:
        raise ValidationError(f"metric {name!r} needs a cut-off, e.g. {match['base']}@10")
    if k is not None and k < 1:
        raise ValidationError(f"metric {name!r}: the cut-off must be at least 1")
    return MetricName(match["base"], k)


def normalise_metrics(names: Iterable[str]) -> list[str]:
    """Validated canonical names, in the given order, without repeats."""
    out: list[str] = []
    for name in names:
        canonical = str(parse_metric(name))
        if canonical not in out:
            out.append(canonical)
    if not out:
        raise ValidationError("at least one metric is needed")
    return out


def metrics_at(names: Iterable[str], k: int) -> list[str]:
    """The metrics with every cut-off set to `k` (a protocol with its own list length)."""
    out = [
        str(MetricName(m.base, k if m.k is not None else None)) for m in map(parse_metric, names)
    ]
    return normalise_metrics(out)


def max_cutoff(metrics: Iterable[str], default: int = 10) -> int:
    """The deepest cut-off the metrics look at (`default` when none has one)."""
    cutoffs = [m.k for m in map(parse_metric, metrics) if m.k is not None]
    return max([*cutoffs, default])


def ranked_to_run(ranked: Ranked, query_ids: Sequence[str]) -> RunScores:
    """Ranked lists -> ranx run with scores n, n-1, ..., 1 in rank order; repeats keep the first."""
    run: RunScores = {}
    for qid in query_ids:
        items = list(dict.fromkeys(ranked.get(qid, ())))
        n = len(items)
        run[qid] = {item: float(n - i) for i, item in enumerate(items)} or {_EMPTY_ANSWER: 0.0}
    return run


def judged_queries(qrels: Mapping[str, Mapping[str, int]]) -> list[str]:
    """Query ids (sorted) with at least one relevant item (grade >= 1)."""
    return sorted(q for q, items in qrels.items() if any(g >= 1 for g in items.values()))


def evaluate(
    qrels: Mapping[str, Mapping[str, int]], ranked: Ranked, metrics: Sequence[str]
) -> PerQuery:
    """Per-query scores {metric: {query_id: score}} over the judged queries of `qrels`.

    A query the system answered with nothing scores 0; answers to queries absent from qrels are
    ignored; queries whose judgements are all 0 are left out (no metric is defined for them).
    """
    names = normalise_metrics(metrics)
    query_ids = judged_queries(qrels)
    if not query_ids:
        return {name: {} for name in names}
    # identical key order in both: ranx pairs queries by position
    qrels_dict = {q: {item: int(g) for item, g in qrels[q].items()} for q in query_ids}
    run_dict = ranked_to_run(ranked, query_ids)
    scores = _ranx_scores(qrels_dict, run_dict, names)
    return {
        name: {q: float(s) for q, s in zip(query_ids, scores[name], strict=True)} for name in names
    }


def mean_scores(per_query: PerQuery) -> dict[str, float]:
    """Mean over queries of each metric (0.0 when there is no query)."""
    return {m: (sum(v.values()) / len(v) if v else 0.0) for m, v in per_query.items()}


def _ranx_scores(qrels: Qrels, run: RunScores, names: list[str]) -> dict[str, Sequence[float]]:
    from numba.core.errors import NumbaWarning  # ranx compiles with numba on first use
    from ranx import evaluate as ranx_evaluate

    # ranx returns a bare array for a single metric under the wrong key; ask for two always
    asked = [*names, _PADDING_METRIC]
    with warnings.catch_warnings():
        # numba's type-safety notes while compiling ranx are not ours to fix
        warnings.simplefilter("ignore", NumbaWarning)
        result = ranx_evaluate(qrels, run, asked, return_mean=False, threads=1)
    return {name: list(result[name]) for name in names}
