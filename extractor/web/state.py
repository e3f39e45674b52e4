"""What the routes share: the review store, the extraction pool and the server settings.

One :class:`AppState` per app, kept in ``app.state.review`` and handed to the routes by
the :data:`AppStateDep` dependency (an ``async`` one, so that it runs on the event loop and
``/api/health`` never waits for the thread pool).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from ..fields import say
from . import review as rv
from .errors import ClientError
from .store import Store, StoredDocument
from .workers import ExtractionPool


@dataclass
class AppState:
    """The shared state of one review server."""

    store: Store
    pool: ExtractionPool
    max_upload_bytes: int
    timeout: float  # seconds one extraction may take
    ready: bool = False  # the lifespan has started (and warmed up) the pool

    def load(self, doc_id: str) -> StoredDocument:
        """The stored document, or 404."""
        stored = self.store.get(doc_id)
        if stored is None:
            raise ClientError(404, f"no document with id {doc_id!r}",
                              say("no_document", doc_id=doc_id))  # fmt: skip
        return stored

    def directive(self, doc_id: str, directive_id: str) -> dict:
        """A directive of a stored document, or 404."""
        found = rv.find_directive(self.load(doc_id), directive_id)
        if found is None:
            raise ClientError(404, f"no directive {directive_id!r} in document {doc_id!r}",
                              say("no_directive", directive_id=directive_id))  # fmt: skip
        return found


async def app_state(request: Request) -> AppState:
    """The FastAPI dependency: the state of the app serving this request."""
    return request.app.state.review


AppStateDep = Annotated[AppState, Depends(app_state)]
