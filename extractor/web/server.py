"""``extractor serve``: the review page and the API under uvicorn."""

from __future__ import annotations

import logging
import os
from typing import Sequence, Union

from .app import DEFAULT_MAX_UPLOAD_BYTES, create_app
from .workers import DEFAULT_TIMEOUT

SHUTDOWN_SECONDS = 5  # on SIGTERM: requests in flight get this long, then workers are killed


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    db_path: Union[str, os.PathLike] = "extractor-review.sqlite3",
    *,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    workers: int = 2,
    timeout: float = DEFAULT_TIMEOUT,
    allowed_hosts: Sequence[str] = (),
) -> None:
    """Run the server until interrupted (Ctrl-C or SIGTERM; it stops within seconds).

    ``workers`` extraction processes each load the pipeline once, at start-up. The name
    in ``host`` (unless a wildcard address) and ``allowed_hosts`` are accepted in the
    ``Host`` header besides loopback names.
    """
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    names = [*allowed_hosts, *([] if host in ("0.0.0.0", "::", "") else [host])]
    app = create_app(db_path, max_upload_bytes=max_upload_bytes, warm_up=True, workers=workers,
                     timeout=timeout, allowed_hosts=names)  # fmt: skip
    # One server process: the SQLite writer lock lives in it; extraction is in `workers`.
    uvicorn.run(app, host=host, port=port, log_level="info",
                timeout_graceful_shutdown=SHUTDOWN_SECONDS)  # fmt: skip
