"""The HTTP API and the clerk's review page: a thin layer over :mod:`extractor.api`.

Every bad input is a 4xx with a one-line ``detail`` (the reader's message for files) and
the same in Vietnamese as ``message`` (what the page shows):
415 for a content type other than JSON or multipart, 422 for an empty body, bad JSON,
an empty/binary/undecodable file or a bad field, 413 for a body over the upload limit,
404 for an unknown document or directive, 409 for adding a directive twice.

The routes live in :mod:`.routes` (one router per concern); what they share is the
:class:`.state.AppState` built here. Request bodies: :mod:`.bodies`; error replies,
their handlers and the body size limit: :mod:`.errors`; upload parsing: :mod:`.uploads`.
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from typing import Sequence, Union

from fastapi import FastAPI

from .. import DEFAULT_MODE, __version__
from .bodies import MAX_FIELD_CHARS
from .errors import BodyLimit, install_error_handlers
from .guard import HostGuard
from .routes import ROUTERS
from .state import AppState
from .store import Store
from .workers import DEFAULT_QUEUE_TIMEOUT, DEFAULT_TIMEOUT, ExtractionPool

__all__ = ["DEFAULT_MAX_UPLOAD_BYTES", "MAX_FIELD_CHARS", "create_app"]

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_MULTIPART_SLACK = 64 * 1024  # boundaries and part headers around the file itself


def create_app(
    db_path: Union[str, os.PathLike],
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    *,
    mode: str = DEFAULT_MODE,
    warm_up: bool = True,
    workers: int = 0,
    timeout: float = DEFAULT_TIMEOUT,
    queue_timeout: float = DEFAULT_QUEUE_TIMEOUT,
    allowed_hosts: Sequence[str] = (),
) -> FastAPI:
    """The FastAPI app over the SQLite review store at ``db_path``.

    ``workers`` processes read and extract uploads (see :mod:`.workers`; 0: a server
    thread, one at a time), each within ``timeout`` seconds; a request waits at most
    ``queue_timeout`` seconds for a free one. ``warm_up`` loads the pipeline at start-up
    (lifespan) so the first request is fast. Requests must name this server in ``Host``:
    a loopback name, or one of ``allowed_hosts`` (see :class:`.guard.HostGuard`).
    """
    pool = ExtractionPool(mode, workers, timeout=timeout, queue_timeout=queue_timeout)
    state = AppState(Store(db_path), pool, max_upload_bytes=max_upload_bytes, timeout=timeout)
    app = FastAPI(
        title="Vietnamese directive extractor — review",
        version=__version__,
        description="Extract directives from Vietnamese meeting conclusions and review them.",
        lifespan=_lifespan(state, start_pool=bool(warm_up or workers)),
        docs_url=None,  # Swagger UI and ReDoc load from a CDN; the schema is at /openapi.json
        redoc_url=None,
    )
    app.state.review = state
    app.state.store = state.store  # as before the routers: callers reach the store here
    app.add_middleware(BodyLimit, limit=max_upload_bytes + _MULTIPART_SLACK)
    app.add_middleware(HostGuard, allowed_hosts=allowed_hosts)
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    return app


def _lifespan(state: AppState, *, start_pool: bool):
    """Start (and warm up) the worker pool before serving; close it on shutdown."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if start_pool:
            await state.pool.start()
        state.ready = True
        try:
            yield
        finally:
            state.pool.close()

    return lifespan
