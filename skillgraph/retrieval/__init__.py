"""Retrieval: text recipes, encoders (with an on-disk cache), vector indexes and skill inference.

Import from the submodules: `skillgraph.retrieval.encoder`, `.cache`, `.texts`, `.index`,
`.inference`. This package module stays empty so importing a light part (texts) does not load
torch or FAISS.
"""
