"""Reading and extraction off the server's event loop, with a time limit.

Each clerk's upload is read and extracted in a worker process that has the pipeline
loaded. Why processes rather than threads: a hostile or huge file holds the GIL and its
memory while it is parsed; in a process it can be stopped (killed and replaced) when it
runs past the time limit, and its memory is bounded (``RLIMIT_AS``), while the server
keeps answering everyone else. The pool has a fixed size, so at most that many
extractions run at once; a request that waits too long for a free worker gets
:class:`Busy` (HTTP 503), one that runs too long :class:`TimedOut` (HTTP 504).

``size=0`` runs jobs in a server thread instead (one at a time, no time limit): for tests
and embedding, where starting processes costs more than it protects.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import multiprocessing as mp
import resource
import threading
from dataclasses import dataclass
from typing import Optional

from starlette.concurrency import run_in_threadpool

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 300.0  # seconds one extraction may take
DEFAULT_QUEUE_TIMEOUT = 30.0  # seconds a request may wait for a free worker
DEFAULT_MEMORY = 2 * 1024**3  # bytes of address space a worker may add after start-up


class Busy(Exception):
    """No worker became free in time."""


class TimedOut(Exception):
    """The extraction ran past the time limit; its worker was replaced."""


class WorkerFailed(Exception):
    """The worker ended or ran out of memory while extracting."""


@dataclass(frozen=True)
class Job:
    """One upload to read (``data`` with ``name``) or a text to extract as it is."""

    data: bytes
    name: Optional[str]
    text: Optional[str]
    doc_date: Optional[dt.date]
    max_bytes: int


def run_job(job: Job, mode: str) -> dict:
    """Read and extract one job; raises :class:`~extractor.readers.ReadError` for bad input."""
    from ..api import extract_text, source_of
    from ..readers import read_bytes
    from ..schema import Source

    if job.text is None:
        raw = read_bytes(job.data, name=job.name or "upload", max_bytes=job.max_bytes)
        source = source_of(raw, job.name)
        text, warnings = raw.text, raw.warnings
    else:
        import hashlib

        source = Source(path=None, sha256=hashlib.sha256(job.data).hexdigest(), format="text",
                        chars=0, encoding="utf-8")  # fmt: skip
        text, warnings = job.text, ()
    doc = extract_text(text, doc_date=job.doc_date, mode=mode, source=source,
                       warnings=tuple(warnings), with_text=True)  # fmt: skip
    return doc.model_dump(mode="json")


def _limit_memory(extra: int) -> None:
    """Bound the address space to what the process holds now plus ``extra`` bytes."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[0])
    limit = pages * resource.getpagesize() + extra
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _serve(conn, mode: str, memory: int) -> None:
    """A worker process: load the pipeline, then answer jobs until told to stop."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when workers end
    from ..pipeline import build
    from ..readers import ReadError

    build(mode)
    try:
        _limit_memory(memory)
    except (OSError, ValueError):  # no /proc or no rlimit here: run unbounded
        pass
    conn.send(("ready", None))
    while True:
        job = conn.recv()
        if job is None:
            return
        try:
            reply = ("ok", run_job(job, mode))
        except ReadError as exc:
            reply = ("read_error", exc)
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:  # reported to the client as an internal error
            reply = ("error", f"{type(exc).__name__}: {exc}")
        conn.send(reply)


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, mode: str, memory: int):
        ctx = mp.get_context("spawn")  # a clean process: the server's threads stay behind
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, mode, memory), daemon=True,
                                   name="extractor-worker")  # fmt: skip
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            raise WorkerFailed("the worker did not start in time")
        kind, _ = self.conn.recv()
        if kind != "ready":
            raise WorkerFailed("the worker failed to start")

    def call(self, job: Job, timeout: float):
        """Send one job and wait for its reply, at most ``timeout`` seconds."""
        try:
            self.conn.send(job)
            if not self.conn.poll(timeout):
                raise TimedOut()
            return self.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            raise WorkerFailed("the worker ended while extracting (out of memory?)") from exc

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class ExtractionPool:
    """A fixed number of workers; :meth:`run` is awaited by request handlers."""

    def __init__(self, mode: str, size: int = 2, *, timeout: float = DEFAULT_TIMEOUT,
                 queue_timeout: float = DEFAULT_QUEUE_TIMEOUT, memory: int = DEFAULT_MEMORY):
        self.mode, self.size, self.timeout = mode, size, timeout
        self.queue_timeout, self.memory = queue_timeout, memory
        self._idle: Optional[asyncio.Queue] = None
        self._workers: list[_Worker] = []
        self._local_lock = threading.Lock()  # size 0: the models are not documented as thread-safe

    async def start(self) -> None:
        """Start the workers and wait until each has loaded the pipeline."""
        self._idle = asyncio.Queue()
        if self.size == 0:
            from ..pipeline import build

            await run_in_threadpool(build, self.mode)
            return
        for worker in await run_in_threadpool(self._start_workers, self.size):
            self._idle.put_nowait(worker)

    def _start_workers(self, n: int) -> list[_Worker]:
        workers = [_Worker(self.mode, self.memory) for _ in range(n)]
        for worker in workers:
            worker.wait_ready(120)
        self._workers.extend(workers)
        return workers

    async def run(self, job: Job) -> dict:
        """The extracted document of ``job``; raises ReadError, Busy, TimedOut, WorkerFailed."""
        if self.size == 0:
            return await run_in_threadpool(self._run_here, job)
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_timeout)
        except asyncio.TimeoutError:
            raise Busy() from None
        healthy = False
        try:
            kind, value = await run_in_threadpool(worker.call, job, self.timeout)
            healthy = True
        finally:
            if healthy:
                self._idle.put_nowait(worker)
            else:  # timed out or died: replace it in the background, the request answers now
                asyncio.get_running_loop().create_task(self._replace(worker))
        if kind == "ok":
            return value
        if kind == "read_error":
            raise value
        if kind == "memory":
            raise WorkerFailed("the document needs more memory than a worker may use")
        raise RuntimeError(value)

    def _run_here(self, job: Job) -> dict:
        with self._local_lock:
            return run_job(job, self.mode)

    async def _replace(self, worker: _Worker) -> None:
        await run_in_threadpool(worker.stop)
        self._workers.remove(worker)
        try:
            (fresh,) = await run_in_threadpool(self._start_workers, 1)
        except WorkerFailed:
            log.exception("could not replace an extraction worker")
            return
        self._idle.put_nowait(fresh)

    def close(self) -> None:
        """Stop every worker (at server shutdown)."""
        for worker in list(self._workers):
            worker.stop()
        self._workers.clear()
