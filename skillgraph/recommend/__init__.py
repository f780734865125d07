"""L3: recommenders over the graph and the indexes: gaps, mentors, content, roles, paths, plans.

Import the concrete recommenders from their modules (skillgraph.recommend.mentors, ...); this
package re-exports only the shared contract.
"""

from skillgraph.recommend.base import (
    EngineContext,
    Explanation,
    GapReason,
    Query,
    Recommendation,
    Recommender,
)

__all__ = ["EngineContext", "Explanation", "GapReason", "Query", "Recommendation", "Recommender"]
