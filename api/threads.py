"""Per-worker limits on the native thread pools (BLAS, OpenMP, torch, faiss).

N service workers on N cores should each compute with `settings.retrieval.threads` threads;
left alone, every library starts one thread per core in every worker and they fight.

OpenMP reads OMP_NUM_THREADS once, when it loads, and then applies it to every thread; once
loaded, `omp_set_num_threads` reaches only the calling thread. So a worker process sets the
variables before faiss and torch load (the engine loads after the lifespan starts), and every
thread the service computes in also calls `limit_this_thread` (cheap after the first call).
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

from threadpoolctl import threadpool_info, threadpool_limits

POOL_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
_applied = threading.local()
_process_limit: list[int] = []  # the limit of this process, once set


def limit_threads(threads: int) -> None:
    """Limit every pool of this process (and the calling thread) to `threads` threads."""
    threads = max(1, int(threads))
    _process_limit[:] = [threads]
    if "faiss" not in sys.modules and "torch" not in sys.modules:
        # not loaded yet: the variables reach every thread they will ever start
        for name in POOL_VARIABLES:
            os.environ[name] = str(threads)
    _applied.limit = None
    limit_this_thread()


def limit_this_thread() -> None:
    """Apply the process limit to the calling thread (OpenMP limits are per thread)."""
    if not _process_limit:
        return
    threads = _process_limit[0]
    if getattr(_applied, "limit", None) == threads:
        return
    threadpool_limits(limits=threads)
    faiss = sys.modules.get("faiss")
    if faiss is not None:
        faiss.omp_set_num_threads(threads)
    torch = sys.modules.get("torch")
    if torch is not None and torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    _applied.limit = threads


def thread_pools() -> list[dict[str, Any]]:
    """The native pools the calling thread sees: library, API and thread count."""
    pools = [
        {"library": info["prefix"], "api": info["user_api"], "threads": info["num_threads"]}
        for info in threadpool_info()
    ]
    torch = sys.modules.get("torch")
    if torch is not None:
        pools.append({"library": "torch", "api": "torch", "threads": torch.get_num_threads()})
    return pools
