"""Skill inference on ESCO: infer hidden occupation profiles from their descriptions.

Occupations with declared skills are shuffled with a seed; the first 10 % are the reported
(test) split, the next 10 % the dev split used to tune the fusion (never the test split). For a
hidden occupation the query is its title, alternative titles and description
(texts.role_text without skills); its own profile is hidden from the role evidence (only the
occupations outside the split being evaluated count as neighbours). Metrics against the hidden
profile: nDCG@20 (gain = importance: essential 1.0, optional 0.5) and essential-skill recall@20
(share of the essential skills found in the top 20). Baselines in the same run: description-to-
skill cosine alone, and the skills of the 10 nearest occupations.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_inference.py --esco ../shared/data/esco \
        --cache CACHE_DIR

The first run encodes about 20k texts (minutes on one core); reruns read the cache.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from skillgraph.config import RetrievalSettings
from skillgraph.data.esco import load_esco
from skillgraph.data.schema import Role
from skillgraph.graph.ontology import SkillGraph
from skillgraph.retrieval.cache import CachedEncoder
from skillgraph.retrieval.encoder import SentenceTransformerEncoder
from skillgraph.retrieval.inference import (
    InferenceWeights,
    SkillInferrer,
    build_role_index,
    build_skill_index,
)
from skillgraph.retrieval.texts import role_text
from skillgraph.retrieval.vectors import VectorIndex

K = 20


def ndcg(ranked: Sequence[str], gains: dict[str, float], k: int = K) -> float:
    dcg = sum(gains.get(s, 0.0) / math.log2(i + 2) for i, s in enumerate(ranked[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def essential_recall(ranked: Sequence[str], gains: dict[str, float], k: int = K) -> float | None:
    essential = {s for s, g in gains.items() if g >= 1.0}
    if not essential:
        return None
    return len(essential & set(ranked[:k])) / len(essential)


def evaluate(
    inferrer: SkillInferrer, roles: list[Role], labels: dict[str, str], hidden: set[str]
) -> dict[str, float]:
    nd, rec = [], []
    for role in roles:
        text = role_text(role, labels, max_skills=0)
        ranked = [s for s, _ in inferrer.infer_skills(text, K, exclude_roles=hidden)]
        gains = {r.skill_id: r.importance for r in role.requirements}
        nd.append(ndcg(ranked, gains))
        r = essential_recall(ranked, gains)
        if r is not None:
            rec.append(r)
    return {"ndcg": statistics.mean(nd), "recall": statistics.mean(rec)}


def tune(
    graph: SkillGraph,
    encoder: CachedEncoder,
    skills: VectorIndex,
    role_indexes: dict[str, VectorIndex],
    dev: list[Role],
    labels: dict[str, str],
) -> tuple[str, InferenceWeights, list[str]]:
    """Coarse grid on the dev split: role evidence shape first, then the three weights."""
    hidden = {r.id for r in dev}
    log: list[str] = []
    best: tuple[float, str, InferenceWeights] | None = None
    for variant, top_roles, temperature in itertools.product(
        role_indexes, (5, 10, 20), (0.1, 0.2, 0.5)
    ):
        w = InferenceWeights(top_roles=top_roles, role_temperature=temperature)
        score = evaluate(
            SkillInferrer(graph, encoder, skills, role_indexes[variant], weights=w),
            dev,
            labels,
            hidden,
        )["ndcg"]
        log.append(f"{variant} top_roles={top_roles} T={temperature}: nDCG@20 {score:.4f}")
        print(log[-1], file=sys.stderr, flush=True)
        if best is None or score > best[0]:
            best = (score, variant, w)
    assert best is not None
    _, variant, shape = best
    for text_w, graph_w in itertools.product((0.1, 0.2, 0.3), (0.0, 0.05, 0.1)):
        w = replace(shape, text=text_w, graph=graph_w, roles=1.0 - text_w - graph_w)
        score = evaluate(
            SkillInferrer(graph, encoder, skills, role_indexes[variant], weights=w),
            dev,
            labels,
            hidden,
        )["ndcg"]
        log.append(f"{variant} text={text_w} graph={graph_w}: nDCG@20 {score:.4f}")
        print(log[-1], file=sys.stderr, flush=True)
        if score > best[0]:
            best = (score, variant, w)
    return best[1], best[2], log


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco", type=Path, default=Path("../shared/data/esco"))
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "skillgraph-bench-cache"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--share", type=float, default=0.10, help="size of each split")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--no-tune", action="store_true", help="use the library defaults")
    args = parser.parse_args()
    os.environ.setdefault(
        "HF_HUB_OFFLINE", "1"
    )  # benchmarks may set it; the library never reads it

    started = time.perf_counter()
    records = load_esco(args.esco)
    graph = SkillGraph.build(records)
    settings = RetrievalSettings(threads=args.threads)
    encoder = CachedEncoder(SentenceTransformerEncoder(settings), args.cache)
    labels = {s.id: s.label for s in records.skills.values()}
    skills = build_skill_index(graph, encoder, settings, progress=True)
    role_indexes = {
        "role texts with skills": build_role_index(graph, encoder, settings, progress=True),
        "role texts without skills": build_role_index(
            graph, encoder, settings, max_skills=0, progress=True
        ),
    }
    declared = sorted(r.id for r in records.roles.values() if r.requirements)
    random.Random(args.seed).shuffle(declared)
    size = round(len(declared) * args.share)
    test = [records.roles[r] for r in declared[:size]]
    dev = [records.roles[r] for r in declared[size : 2 * size]]
    for role in test + dev:  # the hidden queries, encoded once
        encoder.encode([role_text(role, labels, max_skills=0)])
    prepared = time.perf_counter() - started

    if args.no_tune:
        variant, weights, log = "role texts with skills", InferenceWeights(), []
    else:
        variant, weights, log = tune(graph, encoder, skills, role_indexes, dev, labels)
    roles_ix = role_indexes[variant]
    hidden = {r.id for r in test}
    systems = {
        "description-to-skill cosine alone": SkillInferrer(
            graph, encoder, skills, None, weights=InferenceWeights(text=1.0, roles=0.0, graph=0.0)
        ),
        "skills of the 10 nearest occupations": SkillInferrer(
            graph,
            encoder,
            skills,
            roles_ix,
            weights=InferenceWeights(
                text=0.0, roles=1.0, graph=0.0, top_roles=10, role_temperature=1.0
            ),
        ),
        "fused (library defaults)": SkillInferrer(graph, encoder, skills, roles_ix),
        "fused (tuned on dev)": SkillInferrer(graph, encoder, skills, roles_ix, weights=weights),
    }
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores; ESCO at {args.esco.name}/: "
        f"{len(records.skills)} skills, {len(declared)} occupations with declared skills; "
        f"seed {args.seed}: test {len(test)}, dev {len(dev)}; model {encoder.model_id}; "
        f"prepared in {prepared:.0f} s\n"
    )
    print(f"tuned on dev: {variant}; {weights}\n", flush=True)
    print("| system (test split) | nDCG@20 | essential recall@20 | ms/query |")
    print("|---|---|---|---|")
    for name, system in systems.items():
        t0 = time.perf_counter()
        result = evaluate(system, test, labels, hidden)
        ms = 1000 * (time.perf_counter() - t0) / len(test)
        print(f"| {name} | {result['ndcg']:.3f} | {result['recall']:.3f} | {ms:.1f} |", flush=True)
    if log:
        print("\ndev grid (nDCG@20):")
        for line in log:
            print("-", line)


if __name__ == "__main__":
    main()
