"""skillgraph: a skills-graph recommendation engine for the people inside a company."""

__version__ = "0.1.0"
