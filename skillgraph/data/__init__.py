"""L0: typed records and the loaders that make them."""
