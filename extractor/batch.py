"""Batch runs over files and folders: parallel, resumable, atomic, never stopped by one bad file.

Output does not depend on the number of workers: a worker takes a chunk of files and
runs them through the pipeline together (the model reads their sentences in one batch,
and a sentence reads the same in any batch), results are written in input order, and the
JSON of a document is a pure function of its bytes and the options (recorded in it:
``--mode``, ``--doc-date``, ``--with-text``).
"""

from __future__ import annotations

import datetime as dt
import errno
import fnmatch
import hashlib
import itertools
import json
import multiprocessing as mp
import os
import signal
import stat
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator, Optional

from . import __version__
from .exports import CSV_HEADERS, MODALITY_VI, csv_rows, spreadsheet_cell, to_csv  # noqa: F401


@dataclass(frozen=True)
class Job:
    """One input file and where its output goes, relative to the output folder."""

    path: str
    relative: str
    stdin: bool = False  # standard input: read once, in the main process


STDIN = "-"
STDIN_JOB = Job("<stdin>", "stdin", stdin=True)

# Names a folder walk passes over silently (matched case-insensitively, as on Windows):
# Office lock files, dotfiles and dot-folders, Windows folder metadata. A file named on
# the command line is still read.
IGNORED_NAMES = ("~$*", ".*", "thumbs.db", "desktop.ini")


@dataclass
class Outcome:
    job: Job
    document_json: Optional[str] = None
    directives: int = 0
    error_kind: Optional[str] = None
    error: Optional[str] = None
    skipped: bool = False


@dataclass
class Summary:
    files: int = 0
    succeeded: int = 0
    failed: int = 0
    skipped: int = 0
    directives: int = 0
    seconds: float = 0.0
    errors: list[dict] = field(default_factory=list)


def collect_jobs(
    paths: list[str], pattern: Optional[str] = None
) -> tuple[list[Job], list[Outcome]]:
    """Files named or found under folders (recursively, sorted), and problems found on the way.

    ``x.txt`` is written as ``x.json`` (under its folder, relative to the folder walked);
    when two inputs would share an output (``x.txt`` and ``x.docx``, or two ``x.txt`` named
    from different folders), they keep their extension (``x.txt.json``), then a counter.
    ``-`` is standard input (:data:`STDIN_JOB`, written as ``stdin.json``).
    """
    jobs: list[Job] = []
    problems: list[Outcome] = []
    seen_paths: set[tuple[str, bool]] = set()
    for raw in paths:
        p = Path(raw)
        if raw == STDIN:
            found_jobs = [STDIN_JOB]
        elif p.is_dir():
            found_jobs = [Job(str(found), rel) for found, rel in _walk(p, problems)
                          if pattern is None or fnmatch.fnmatch(found.name, pattern)]  # fmt: skip
        else:  # a missing or unreadable file is reported by the reader, with its name
            found_jobs = [Job(raw, _stem(p.name))]
        for job in found_jobs:
            if (job.path, job.stdin) not in seen_paths:  # the same file named twice: done once
                seen_paths.add((job.path, job.stdin))
                jobs.append(job)
    return _unique_outputs(jobs), problems


def _stem(relative: str) -> str:
    """``sub/x.txt`` -> ``sub/x``; a name without a stem (``.txt``) is kept as it is."""
    stem = Path(relative).with_suffix("") if Path(relative).suffix else Path(relative)
    return str(stem) if stem.name else relative


def _unique_outputs(jobs: list[Job]) -> list[Job]:
    """Give every job its own output name, deterministically (input order decides)."""
    counts: dict[str, int] = {}
    for job in jobs:
        counts[job.relative] = counts.get(job.relative, 0) + 1
    if all(n == 1 for n in counts.values()):
        return jobs
    result: list[Job] = []
    taken = {rel for rel, n in counts.items() if n == 1}
    for job in jobs:
        rel = job.relative
        if counts[rel] > 1:
            if not job.stdin:
                rel = str(Path(rel).parent / Path(job.path).name)  # keep the extension
            base, n = rel, 1
            while rel in taken:
                n += 1
                rel = f"{base}~{n}"
        taken.add(rel)
        result.append(replace(job, relative=rel))
    return result


def _walk(root: Path, problems: list[Outcome]) -> Iterator[tuple[Path, str]]:
    """Files under ``root``, depth first in name order, each folder walked once.

    A folder that links back to one of its ancestors is reported (``symlink_loop``);
    a folder reached a second time through another link is walked only the first time.
    """
    seen: set[tuple[int, int]] = set()
    top = Path(os.path.realpath(root))
    stack: list[tuple[Path, tuple[tuple[int, int], ...]]] = [(root, ())]
    while stack:
        folder, ancestors = stack.pop()
        try:
            st = folder.stat()
        except OSError as exc:
            kind = "symlink_loop" if exc.errno == errno.ELOOP else "not_found"
            problems.append(_problem(folder, root, kind, f"{folder}: {exc.strerror}"))
            continue
        key = (st.st_dev, st.st_ino)
        if key in ancestors:
            target = os.readlink(folder) if folder.is_symlink() else "a folder above it"
            problems.append(_problem(folder, root, "symlink_loop",
                                     f"{folder}: symbolic link loop (links to a folder "
                                     f"that contains it: {target})"))  # fmt: skip
            continue
        if key in seen:  # the same folder reached again through another link
            continue
        seen.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(_problem(folder, root, "permission", f"{folder}: {exc.strerror}"))
            continue
        subdirs = []
        for entry in entries:
            if ignored(entry.name):
                continue
            path = Path(entry.path)
            if entry.is_symlink() and not _inside(entry.path, top):
                problems.append(_problem(path, root, "outside_root",
                                         f"{path}: symbolic link to "
                                         f"{os.path.realpath(entry.path)}, outside {root}: "
                                         "not followed"))  # fmt: skip
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                subdirs.append(path)
            else:
                yield path, _stem(str(path.relative_to(root)))
        stack.extend((sub, (*ancestors, key)) for sub in reversed(subdirs))


def ignored(name: str) -> bool:
    """True for a name a folder walk passes over (:data:`IGNORED_NAMES`)."""
    folded = name.lower()
    return any(fnmatch.fnmatchcase(folded, pattern) for pattern in IGNORED_NAMES)


def _problem(path: Path, root: Path, kind: str, message: str) -> Outcome:
    return Outcome(Job(str(path), str(path.relative_to(root))), error_kind=kind, error=message)


# -- workers ---------------------------------------------------------------------------

_OPTIONS: dict = {}


_INIT_ERROR: list[str] = []


def _init_worker(options: dict) -> None:
    _OPTIONS.update(options)
    from .pipeline import build

    build(options["mode"])  # once per process (cached); forked workers inherit it


def _init_pool_worker(options: dict) -> None:
    # Ctrl-C is the parent's to handle: it ends the pool and reports what was done.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # An exception in a Pool initializer kills the worker, and the pool starts another
    # forever: the run would hang. Keep the error and report it for each job instead.
    try:
        _init_worker(options)
    except Exception as exc:
        _INIT_ERROR.append(f"{type(exc).__name__}: {exc}")


def process(job: Job, options: Optional[dict] = None) -> Outcome:
    """Extract one file; every failure becomes an error record, never an exception."""
    from .api import extract_file

    opts = options if options is not None else _OPTIONS
    return _extract(job, opts, lambda **kw: extract_file(job.path, **kw))


def process_stdin(data: bytes, options: dict, job: Job = STDIN_JOB) -> Outcome:
    """Extract the bytes read from standard input, as :func:`process` does a file."""
    from .api import extract_text, source_of
    from .readers import read_bytes

    def extract(**kw):
        raw = read_bytes(data, name=job.path)
        return extract_text(raw.text, source=source_of(raw, STDIN), warnings=tuple(raw.warnings),
                            **kw)  # fmt: skip

    return _extract(job, options, extract)


def recorded_options(options: dict) -> dict:
    """The options that change a document, as its ``options`` block records them."""
    from .schema import Options

    return Options(mode=options["mode"], doc_date=options.get("doc_date"),
                   with_text=bool(options.get("with_text", False))).model_dump(mode="json")


def _extract(job: Job, opts: dict, extract: Callable) -> Outcome:
    from .readers import ReadError

    try:
        doc = extract(**_extract_options(opts))
    except ReadError as exc:
        return Outcome(job, error_kind=exc.kind, error=str(exc))
    except Exception as exc:  # an extractor bug must not stop the batch
        return _internal(job, exc)
    return Outcome(job, document_json=doc.to_json(), directives=len(doc.directives))


def _extract_options(opts: dict) -> dict:
    doc_date = dt.date.fromisoformat(opts["doc_date"]) if opts.get("doc_date") else None
    return {"doc_date": doc_date, "mode": opts["mode"], "with_text": opts.get("with_text", False)}


def _internal(job: Job, exc: Exception) -> Outcome:
    return Outcome(job, error_kind="internal", error=f"{job.path}: {type(exc).__name__}: {exc}")


CHUNK = 8  # files a worker runs through the pipeline together
CHUNK_BYTES = 1_000_000  # ... unless they are large: a chunk's Docs are in memory together


def process_chunk(jobs: list[Job], options: Optional[dict] = None) -> list[Outcome]:
    """Extract several files in one pipeline stream: the same outcomes as :func:`process`
    file by file, faster (the model reads the sentences of the chunk together)."""
    from .api import extract_texts, read_file
    from .readers import ReadError

    opts = options if options is not None else _OPTIONS
    outcomes: list[Optional[Outcome]] = [None] * len(jobs)
    items, placed = [], []
    for n, job in enumerate(jobs):
        try:
            items.append(read_file(job.path))
            placed.append(n)
        except ReadError as exc:
            outcomes[n] = Outcome(job, error_kind=exc.kind, error=str(exc))
        except Exception as exc:
            outcomes[n] = _internal(job, exc)
    try:
        docs = list(extract_texts(items, batch_size=max(1, len(items)), **_extract_options(opts)))
    except Exception:  # one document broke the stream: one by one, the others succeed
        return [process(job, opts) for job in jobs]
    for n, doc in zip(placed, docs):
        outcomes[n] = Outcome(jobs[n], document_json=doc.to_json(), directives=len(doc.directives))
    return outcomes


def _chunks(jobs: list[Job], workers: int) -> list[list[Job]]:
    # Small enough that every worker gets several (the last chunk does not run alone), and
    # a few large files are not held in memory together.
    size = max(1, min(CHUNK, len(jobs) // (4 * max(1, workers))))
    chunks: list[list[Job]] = []
    held = 0
    for job in jobs:
        nbytes = _size(job.path)
        if not chunks or len(chunks[-1]) >= size or held + nbytes > CHUNK_BYTES:
            chunks.append([])
            held = 0
        chunks[-1].append(job)
        held += nbytes
    return chunks


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:  # the reader reports it, with the file's name
        return 0


def _worker(chunk: list[Job]) -> list[Outcome]:
    if _INIT_ERROR:
        return [Outcome(job, error_kind="internal",
                        error=f"{job.path}: the pipeline failed to load: {_INIT_ERROR[0]}")
                for job in chunk]  # fmt: skip
    return process_chunk(chunk)


# -- writing ---------------------------------------------------------------------------


def write_atomic(target: Path, data: str | bytes) -> None:
    """Write via a temporary file in the same folder, then rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    payload = data if isinstance(data, bytes) else data.encode("utf-8")  # no newline translation
    try:
        with open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)  # never leave a half-written file behind
        raise


def _sha256_file(path: str) -> Optional[str]:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block the rerun
            return None
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def already_done(job: Job, outdir: Path, options: dict) -> bool:
    """True when OUT holds this file's output for the same bytes, extractor version and
    options (``--mode``, ``--doc-date``, ``--with-text``)."""
    target = outdir / f"{job.relative}.json"
    if job.stdin or not target.exists():
        return False
    try:
        old = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(old, dict) or not isinstance(old.get("source"), dict):
        return False
    from .schema import SCHEMA_VERSION

    return (old.get("extractor_version") == __version__
            and old.get("schema_version") == SCHEMA_VERSION
            and old.get("options") == recorded_options(options)
            and old["source"].get("sha256") == _sha256_file(job.path))  # fmt: skip


def run_batch(
    jobs: list[Job],
    outdir: Path,
    *,
    fmt: str = "json",
    workers: int = 1,
    force: bool = False,
    options: dict,
    on_outcome: Optional[Callable[[Outcome], None]] = None,
    problems: Optional[list[Outcome]] = None,
    done: Optional[list[Outcome]] = None,
) -> Summary:
    """Process jobs into ``outdir``; errors go to OUT/errors.jsonl and never stop the run.

    ``problems`` are those found while walking folders; ``done`` are inputs already
    processed (standard input), written first. Files inside ``outdir`` are left out: with
    OUT inside the folder walked, the outputs of a previous run would otherwise be read as
    inputs (and nest deeper on every run). A file that fails loses its previous output.
    """
    jobs = [job for job in jobs if not _inside(job.path, outdir)]
    problems, done = problems or [], done or []
    summary = Summary(files=len(done) + len(jobs) + len(problems))
    start = time.perf_counter()
    outdir.mkdir(parents=True, exist_ok=True)
    todo = []
    for job in jobs:
        if fmt == "json" and not force and already_done(job, outdir, options):
            outcome = Outcome(job, skipped=True)
            summary.skipped += 1
            if on_outcome:
                on_outcome(outcome)
        else:
            todo.append(job)
    collected: list[dict] = []
    # A folder problem mirrors no input: its name may be a file's output, which it keeps.
    outcomes = itertools.chain(((o, True) for o in done), ((o, False) for o in problems),
                               ((o, True) for o in _run(todo, workers, options)))  # fmt: skip
    # One at a time, as they come: each output is written (and reported) when its document
    # is done, so an interrupted run keeps the finished files and memory stays flat.
    for outcome, mirrored in outcomes:
        if outcome.error is not None:
            if fmt == "json" and mirrored:
                _remove_stale(outcome, outdir)
            summary.failed += 1
            summary.errors.append({"path": outcome.job.path, "kind": outcome.error_kind,
                                   "message": outcome.error})  # fmt: skip
        else:
            summary.succeeded += 1
            summary.directives += outcome.directives
            if fmt == "json":
                write_atomic(outdir / f"{outcome.job.relative}.json", outcome.document_json)
            else:
                collected.append(json.loads(outcome.document_json))
        if on_outcome:
            on_outcome(outcome)
    if fmt == "jsonl":
        lines = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in collected)
        write_atomic(outdir / "documents.jsonl", lines)
    elif fmt == "csv":
        write_atomic(outdir / "directives.csv", to_csv(collected).encode("utf-8"))
    errors_path = outdir / "errors.jsonl"
    if summary.errors:
        write_atomic(errors_path, "".join(json.dumps(e, ensure_ascii=False) + "\n"
                                          for e in summary.errors))  # fmt: skip
    elif errors_path.exists():
        errors_path.unlink()
    summary.seconds = time.perf_counter() - start
    return summary


def _remove_stale(outcome: Outcome, outdir: Path) -> None:
    """Remove the previous output of an input that failed: it no longer matches the input.

    Unlinking is atomic: OUT shows the old output or none, never part of one.
    """
    target = outdir / f"{outcome.job.relative}.json"
    try:
        target.unlink()
    except FileNotFoundError:
        return
    outcome.error += f"; its previous output {target.relative_to(outdir)} was removed"


def _inside(path: str, folder: Path) -> bool:
    base = os.path.realpath(folder)
    real = os.path.realpath(path)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def _run(jobs: list[Job], workers: int, options: dict) -> Iterator[Outcome]:
    if not jobs:
        return
    single = workers <= 1 or len(jobs) == 1
    fork = sys.platform.startswith("linux")
    if single or fork:
        # Forked workers inherit the pipeline loaded here (copy-on-write): one start-up,
        # not one per worker.
        try:
            _init_worker(options)
        except Exception as exc:  # as in a pool: one error per file, the same records
            for job in jobs:
                message = f"{job.path}: the pipeline failed to load: {type(exc).__name__}: {exc}"
                yield Outcome(job, error_kind="internal", error=message)
            return
    if single:
        for chunk in _chunks(jobs, 1):
            yield from process_chunk(chunk, options)
        return
    ctx = mp.get_context("fork" if fork else "spawn")
    with ctx.Pool(workers, initializer=_init_pool_worker, initargs=(options,)) as pool:
        for outcomes in pool.imap(_worker, _chunks(jobs, workers), chunksize=1):
            yield from outcomes
