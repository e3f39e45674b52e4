"""``extractor serve``: the review page and the API under uvicorn."""

from __future__ import annotations

import logging
import os
from typing import Union

from .app import DEFAULT_MAX_UPLOAD_BYTES, create_app


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    db_path: Union[str, os.PathLike] = "extractor-review.sqlite3",
    *,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
) -> None:
    """Run the server until interrupted; the pipeline is loaded once, at start-up."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = create_app(db_path, max_upload_bytes=max_upload_bytes, warm_up=True)
    # One worker process: the pipeline and the SQLite writer lock live in it.
    uvicorn.run(app, host=host, port=port, log_level="info")
