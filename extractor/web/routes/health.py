"""``GET /api/health``: liveness, versions, whether the pipeline is loaded."""

from __future__ import annotations

from fastapi import APIRouter

from ... import __version__
from ...reviewed import REVIEWED_SCHEMA_VERSION
from ...schema import SCHEMA_VERSION
from .. import models as m
from ..state import AppStateDep

router = APIRouter()


@router.get("/api/health", tags=["service"], response_model=m.Health)
async def health(state: AppStateDep) -> dict:
    """Liveness, versions and whether the pipeline is loaded. On the event loop itself
    (one indexed SQLite count), so that it never queues behind the clerks' requests in
    the thread pool."""
    return {"status": "ok", "extractor_version": __version__,
            "schema_version": SCHEMA_VERSION,
            "reviewed_schema_version": REVIEWED_SCHEMA_VERSION,
            "pipeline_loaded": state.ready,
            "documents": state.store.count(),
            "max_upload_bytes": state.max_upload_bytes}  # fmt: skip
