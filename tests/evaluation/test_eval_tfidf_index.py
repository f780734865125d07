"""The TF-IDF baseline's sparse top-k equals a dense sort of every candidate (ties by id)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.systems import _TfidfIndex

WORDS = ["python", "sql", "data", "models", "teams", "coaching", "budgets", "cloud", "audit"]
texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=6).map(" ".join)


def _dense(index: _TfidfIndex, text: str, k: int, banned: str) -> list[str]:
    assert index.matrix is not None
    scores = (index.vectorizer.transform([text]) @ index.matrix.T).toarray().ravel()
    order = sorted(
        (i for i in range(len(index.ids)) if scores[i] > 0 and index.ids[i] != banned),
        key=lambda i: (-scores[i], index.ids[i]),
    )
    return [index.ids[i] for i in order[:k]]


@settings(max_examples=60, deadline=None)
@given(
    corpus=st.lists(texts, min_size=2, max_size=12),
    query=texts,
    k=st.integers(1, 8),
    banned=st.integers(0, 11),
)
def test_sparse_top_k_equals_the_dense_sort(
    corpus: list[str], query: str, k: int, banned: int
) -> None:
    if not any(t.strip() for t in corpus):
        return
    pairs = [(f"r{i:02d}", t) for i, t in enumerate(corpus)]
    index = _TfidfIndex(pairs)
    skip = f"r{banned:02d}"
    found = index.search(query, k, lambda rid: rid != skip)
    if not query.strip():
        assert found == []
        return
    assert found == _dense(index, query, k, skip)
    assert skip not in found
    assert len(set(found)) == len(found) <= k
