"""The review server's routes, one :class:`fastapi.APIRouter` per concern, in the order
they are mounted: :mod:`.pages`, :mod:`.health`, :mod:`.documents`, :mod:`.reviews`,
:mod:`.exports`. Shared state comes through :data:`..state.AppStateDep`."""

from . import documents, exports, health, pages, reviews

ROUTERS = (pages.router, health.router, documents.router, reviews.router, exports.router)
