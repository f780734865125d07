"""The skill ontology graph (`ontology`), its snapshots (`snapshot`) and graph algorithms.

Import from the submodules, e.g. `from skillgraph.graph.ontology import SkillGraph`.
"""
