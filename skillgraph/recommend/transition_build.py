"""Building the role-transition graph for an engine context.

The graph layer cannot see embeddings, so this layer hands it the embedding similarity of each
role to its `neighbours` nearest roles (cosine of the role vectors in the "roles" index, clipped
at 0); roles missing from the index get the lexical text signal only.
"""

from __future__ import annotations

import numpy as np

from skillgraph.graph.transitions import TransitionGraph
from skillgraph.recommend.base import EngineContext

BLOCK_ROWS = 1024


def role_embedding_similarity(
    ctx: EngineContext, neighbours: int = 30
) -> dict[tuple[str, str], float] | None:
    """(role, nearest role) -> cosine for each role's `neighbours` nearest, or None when the
    context has no roles index."""
    index = ctx.indexes.get("roles")
    if index is None or len(index) == 0 or neighbours < 1:
        return None
    ids, vectors = index.export()
    known = [i for i, id_ in enumerate(ids) if id_ in ctx.records.roles]
    role_ids = [ids[i] for i in known]
    matrix = np.asarray(vectors, dtype=np.float32)[known]
    k = min(neighbours, len(role_ids) - 1)
    if k < 1:
        return None
    pairs: dict[tuple[str, str], float] = {}
    for start in range(0, len(role_ids), BLOCK_ROWS):
        sims = matrix[start : start + BLOCK_ROWS] @ matrix.T
        rows = np.arange(sims.shape[0])
        sims[rows, rows + start] = -np.inf  # not itself
        best = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for r, cols in enumerate(best):
            for c in cols:
                value = float(sims[r, c])
                if value > 0:
                    pairs[(role_ids[start + r], role_ids[int(c)])] = value
    return pairs


def build_transitions(
    ctx: EngineContext, *, top_n: int = 30, neighbours: int = 30, use_embeddings: bool = True
) -> TransitionGraph:
    """The transition graph over every role of the context, weighted by
    settings.recommend.transition_weights, partial credit as in gaps.py."""
    settings = ctx.settings.recommend
    return TransitionGraph.build(
        ctx.graph,
        text_similarity=role_embedding_similarity(ctx, neighbours) if use_embeddings else None,
        weights=settings.transition_weights,
        top_n=top_n,
        partial_credit_narrower=settings.partial_credit_narrower,
        partial_credit_related=settings.partial_credit_related,
    )
