"""One router per resource; each module's `build(settings)` returns its APIRouter."""
