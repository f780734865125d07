"""The HTTP service: FastAPI over the engine and the store. Build it with `api.app.create_app`."""
