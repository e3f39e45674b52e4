"""The ``extractor`` command: a thin layer over :mod:`extractor.api`.

Exit codes: 0 all inputs processed, 1 some inputs failed, 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Optional

import click

from . import DEFAULT_MODE, MODES, __version__
from .readers.base import printable
from .splits import SPLITS
from .splits import VIEWS as SPLIT_VIEWS


def _parse_date(ctx, param, value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def _usable_cores() -> int:
    """Cores this process may run on (container and affinity limits included)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="extractor")
def main() -> None:
    """Extract directives (who must do what, by when) from Vietnamese meeting conclusions."""


FILE_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".xlsx": "xlsx", ".ics": "ics"}
APPENDABLE = ("csv", "jsonl")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "output", metavar="OUT",
              help="A folder for the outputs (the input tree is mirrored), or one file whose "
                   "extension gives the format (out.csv, out.jsonl, out.xlsx, or out.ics: a "
                   "calendar of the dated deadlines), or - for stdout (the default).")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv", "table"]),
              help="json: one document per input; jsonl: one line per document; csv: one row "
                   "per directive (UTF-8 with BOM, for Excel); table: a summary to read "
                   "(stdout only). Default: table when stdout is a terminal and one file is "
                   "given, else json.")  # fmt: skip
@click.option("--glob", "pattern", metavar="PATTERN",
              help="Only files whose name matches, when walking folders (e.g. '*.docx').")
@click.option("--workers", type=click.IntRange(min=1), default=_usable_cores(),
              show_default="number of cores", help="Files processed in parallel.")
@click.option("--force", is_flag=True,
              help="Redo files whose output is already up to date; replace an output file.")
@click.option("--append", is_flag=True, help="Add to an existing .csv or .jsonl output file.")
@click.option("--doc-date", callback=_parse_date, metavar="YYYY-MM-DD",
              help="Date of the document(s), to resolve deadlines without a year.")
@click.option("--mode", type=click.Choice(MODES), default=DEFAULT_MODE, show_default=True,
              help="rules, the trained model, or both combined.")
@click.option("--with-text", is_flag=True, help="Include the normalized text in the output.")
@click.option("--quiet", "-q", is_flag=True, help="Print errors only.")
def extract(paths, output, fmt, pattern, workers, force, append, doc_date, mode, with_text,
            quiet) -> None:  # fmt: skip
    """Extract directives from PATHS: files, folders (walked recursively), or - for stdin.

    Exit status: 0 when every input succeeded, 1 when some failed, 2 on usage errors,
    130 when interrupted (Ctrl-C; what was done is said and kept).
    """
    from .batch import collect_jobs, process_stdin

    target, fmt = _output_target(output, fmt, paths, force, append)
    options = {"doc_date": doc_date.isoformat() if doc_date else None, "mode": mode,
               "with_text": with_text}  # fmt: skip
    jobs, problems = collect_jobs(paths, pattern)
    _warn_about_empty_inputs(paths, jobs, pattern)
    # Standard input is read here, before any worker starts; its document comes first.
    done = [process_stdin(sys.stdin.buffer.read(), options, job) for job in jobs if job.stdin]
    jobs = [job for job in jobs if not job.stdin]
    reporter = _Reporter(len(done) + len(jobs) + len(problems), quiet)
    try:
        if isinstance(target, Path) and target.suffix.lower() not in FILE_FORMATS:
            _extract_to_folder(jobs, problems, done, target, fmt, workers, force, options,
                               reporter)  # fmt: skip
        from .batch import _run

        with reporter:
            outcomes = itertools.chain(done, problems, _run(jobs, workers, options))
            if target is None:
                failed = _extract_to_stdout(paths, outcomes, fmt, reporter)
            else:
                failed = _extract_to_file(outcomes, target, fmt, append, reporter)
    except KeyboardInterrupt:
        reporter.interrupted(target)
        sys.exit(130)
    sys.exit(1 if failed else 0)


def _output_target(output: Optional[str], fmt: Optional[str], paths, force: bool,
                   append: bool) -> tuple[Optional[Path], str]:  # fmt: skip
    """(None for stdout, or the folder or file to write; the format), or a usage error."""
    if output is None or output == "-":
        if append:
            raise click.UsageError("--append needs an output file (-o out.csv or out.jsonl)")
        one_file = len(paths) == 1 and paths[0] != "-" and not Path(paths[0]).is_dir()
        return None, fmt or ("table" if one_file and sys.stdout.isatty() else "json")
    target = Path(output)
    by_extension = FILE_FORMATS.get(target.suffix.lower())
    if by_extension is None:  # a folder, as before
        if fmt == "table":
            raise click.UsageError("--format table is for the terminal (no -o, or -o -)")
        if append:
            raise click.UsageError("--append needs an output file (-o out.csv or out.jsonl)")
        if target.exists() and not target.is_dir():
            raise click.UsageError(f"{output} is a file: name a folder, or a .csv, .jsonl or "
                                   ".xlsx file")  # fmt: skip
        return target, fmt or "json"
    if fmt is not None and fmt != by_extension:
        raise click.UsageError(f"--format {fmt} does not match the extension of {output}")
    if force and append:
        raise click.UsageError("--force replaces the file, --append adds to it: choose one")
    if append and by_extension not in APPENDABLE:
        raise click.UsageError("--append works for .csv and .jsonl; use --force to replace "
                               f"{output}")  # fmt: skip
    if target.is_dir():
        raise click.UsageError(f"{output} is a folder")
    if target.exists() and not (force or append):
        raise click.UsageError(f"{output} exists: --force replaces it, --append adds to it")
    return target, by_extension


def _warn_about_empty_inputs(paths, jobs, pattern: Optional[str]) -> None:
    from .batch import _inside

    for raw in paths:
        folder = Path(raw)
        if raw == "-" or not folder.is_dir():
            continue
        if not any(not job.stdin and _inside(job.path, folder) for job in jobs):
            what = f"no file matches --glob {pattern!r}" if pattern else "no files"
            click.echo(f"warning: {printable(raw)}: {what}", err=True)


def _extract_to_folder(jobs, problems, done, outdir, fmt, workers, force, options,
                       reporter) -> None:  # fmt: skip
    from .batch import run_batch

    with reporter:
        summary = run_batch(jobs, outdir, fmt=fmt, workers=workers, force=force,
                            options=options, on_outcome=reporter.outcome,
                            problems=problems, done=done)  # fmt: skip
    reporter.summary(summary, outdir)
    sys.exit(1 if summary.failed else 0)


def _documents(outcomes, reporter, errors: list):
    """The documents of ``outcomes`` as they come (errors reported, and kept in ``errors``)."""
    for outcome in outcomes:
        reporter.outcome(outcome)
        if outcome.error is not None:
            errors.append({"path": outcome.job.path, "kind": outcome.error_kind,
                           "message": outcome.error})  # fmt: skip
            continue
        yield json.loads(outcome.document_json)


def _extract_to_stdout(paths, outcomes, fmt: str, reporter) -> bool:
    """Everything to stdout, in input order; jsonl and csv stream. True when any failed."""
    from .exports import to_csv, to_table

    errors: list = []
    docs = _documents(outcomes, reporter, errors)
    if fmt == "jsonl":
        for d in docs:
            click.echo(json.dumps(d, ensure_ascii=False))
    elif fmt == "csv":
        sys.stdout.buffer.write(to_csv([]).encode("utf-8"))  # the header, then rows as they come
        for d in docs:
            sys.stdout.buffer.write(to_csv([d], header=False).encode("utf-8"))
            sys.stdout.buffer.flush()
    elif fmt == "table":
        width = shutil.get_terminal_size((100, 24)).columns
        for d in docs:
            click.echo(to_table([d], width))
    else:
        collected = list(docs)
        one_file = len(paths) == 1 and paths[0] != "-" and not Path(paths[0]).is_dir()
        if one_file or paths == ("-",):  # one input: its document, or nothing if it failed
            if collected:
                click.echo(json.dumps(collected[0], ensure_ascii=False, indent=2))
        else:  # several (or a folder): an array, [] for none
            click.echo(json.dumps(collected, ensure_ascii=False, indent=2))
    return bool(errors)


def _extract_to_file(outcomes, target: Path, fmt: str, append: bool, reporter) -> bool:
    """One output file (csv, jsonl, xlsx or ics), written atomically; errors beside it in
    ``<name>.errors.jsonl``. True when any input failed."""
    from .batch import write_atomic
    from .exports import CSV_HEADERS, to_csv, to_ics, to_xlsx

    errors: list = []
    docs = list(_documents(outcomes, reporter, errors))
    old = target.read_bytes() if append and target.exists() else b""
    if fmt == "csv":
        if old and not old.decode("utf-8-sig").startswith(",".join(CSV_HEADERS)):
            raise click.UsageError(f"{target} has other columns: cannot --append to it")
        data = old + to_csv(docs, header=not old).encode("utf-8")
    elif fmt == "jsonl":
        data = old + "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs).encode()
    elif fmt == "ics":
        data = to_ics(docs)
    else:
        data = to_xlsx(docs)
    write_atomic(target, data)
    errors_path = target.with_name(target.name + ".errors.jsonl")
    if errors:
        write_atomic(errors_path, "".join(json.dumps(e, ensure_ascii=False) + "\n"
                                          for e in errors))  # fmt: skip
    elif errors_path.exists() and not append:
        errors_path.unlink()
    directives = sum(len(d["directives"]) for d in docs)
    click.echo(f"{len(docs)} documents, {directives} directives -> {target}"
               + (f" ({len(errors)} failed: {errors_path})" if errors else ""), err=True)
    return bool(errors)


class _Reporter:
    """A progress bar on a terminal, plain log lines otherwise; errors always, one line each."""

    def __init__(self, total: int, quiet: bool):
        self.total, self.quiet = total, quiet
        self.bar = None
        self.done = self.errors = self.directives = 0
        self.started = time.perf_counter()

    def __enter__(self):
        if not self.quiet and sys.stderr.isatty() and self.total > 1:
            self.bar = click.progressbar(length=self.total, file=sys.stderr,
                                         item_show_func=lambda _: self._status())  # fmt: skip
            self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
            self.bar = None

    def _status(self) -> str:
        rate = self.done / max(time.perf_counter() - self.started, 1e-6)
        return f"{self.directives} directives, {self.errors} errors, {rate:.1f} files/s"

    def outcome(self, outcome) -> None:
        self.done += 1
        if outcome.error is not None:
            self.errors += 1
            click.echo(f"error: {printable(outcome.error)}", err=True)
        else:
            self.directives += outcome.directives
            if self.bar is None and not self.quiet:
                what = f"{outcome.directives} directives"
                state = "up to date" if outcome.skipped else what
                click.echo(f"{printable(outcome.job.path)}: {state}", err=True)
        if self.bar is not None:
            self.bar.update(1)

    def interrupted(self, outdir: Optional[Path]) -> None:
        kept = f"; finished outputs are kept in {outdir}" if outdir is not None else ""
        click.echo(f"interrupted: {self.done} of {self.total} files done, {self.errors} failed"
                   f"{kept}", err=True)  # fmt: skip

    def summary(self, summary, outdir: Path) -> None:
        if self.quiet and not summary.failed:
            return
        line = (f"{summary.files} files: {summary.succeeded} done, {summary.skipped} up to date, "
                f"{summary.failed} failed; {summary.directives} directives in "
                f"{summary.seconds:.1f} s -> {outdir}")  # fmt: skip
        if summary.failed:
            line += f" (errors in {outdir / 'errors.jsonl'})"
        click.echo(line, err=True)


@main.command("eval")
@click.option("--split", default="test", show_default=True,
              type=click.Choice([*SPLITS, *SPLIT_VIEWS, "all"]),
              help="Corpus split to score (field-train/field-dev: the part-F documents of "
                   "train/dev).")  # fmt: skip
@click.option("--by", "by", type=click.Choice(["genre"]),
              help="Also give the table per genre.")
@click.option("--mode", "modes", multiple=True, type=click.Choice([*MODES, "baseline"]),
              help="Extraction mode(s) to score; default: every mode and the naive baseline.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the results as JSON to this file.")
@click.option("--show-errors", is_flag=True,
              help="List false positives, misses and field mismatches per document.")
def eval_command(split, by, modes, report_path, show_errors) -> None:
    """Score the extractor on a corpus split (precision, recall, F1 per field)."""
    from .evaluate import evaluate, format_errors, format_reliability, format_table

    modes = modes or (*MODES, "baseline")
    reports = [evaluate(split, mode) for mode in modes]
    click.echo(f"split: {split}")
    click.echo(format_table(reports))
    if by == "genre":
        click.echo("\nby genre:")
        click.echo(format_table([g for r in reports for g in r.by_genre()]))
    for r in reports:
        if r.mode != "baseline":
            click.echo(f"\nreliability ({r.mode}):")
            click.echo(format_reliability(r))
    if show_errors:
        for r in reports:
            click.echo(f"\nerrors ({r.mode}):")
            click.echo(format_errors(r))
    if report_path is not None:
        data = {"split": split, "reports": [r.as_dict() for r in reports]}
        if by == "genre":
            data["by_genre"] = [g.as_dict() for r in reports for g in r.by_genre()]
        report_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                               encoding="utf-8")  # fmt: skip


@main.command("train")
@click.option("--config", "config_path",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="spaCy training config [default: models/directives.cfg].")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path),
              help="Pipeline directory to write [default: models/directives].")
@click.option("--limit", type=click.IntRange(min=1), help="Use only the first N documents.")
@click.option("--max-steps", type=click.IntRange(min=1), help="Stop after N training steps.")
@click.option("--seed", type=int, help="Random seed [default: the config's].")
def train_command(config_path, output, limit, max_steps, seed) -> None:
    """Train the clause classifier and role tagger, and the sector classifier, on the
    corpus train split. The sector classifier is written beside the pipeline, in
    ``sectors/`` (models/sectors by default)."""
    from .corpus import CORPUS_DIR
    from .model import models_dir
    from .sector_model import EPOCHS, MODEL_NAME, train_sector_model

    if not CORPUS_DIR.is_dir():
        raise click.ClickException(f"training needs a source checkout: no corpus at "
                                   f"{CORPUS_DIR} (an installed package has none)")  # fmt: skip
    from .train import default_config, train

    target = output or models_dir() / "directives"

    def log(line: str) -> None:
        click.echo(line, err=True)

    meta = train(config_path or default_config(), target, limit=limit, max_steps=max_steps,
                 seed=seed, log=log)  # fmt: skip
    sectors = train_sector_model(target.parent / MODEL_NAME, seed=seed or 0, limit=limit,
                                 epochs=2 if max_steps else EPOCHS, log=log)  # fmt: skip
    click.echo(json.dumps({**meta.get("dev_scores", {}),
                           "sector_dev_accuracy": sectors["dev_accuracy"]}, indent=2))


# The web extra's modules (python-multipart is imported as python_multipart, formerly
# multipart).
WEB_MODULES = {"fastapi": ("fastapi",), "uvicorn": ("uvicorn",),
               "python-multipart": ("python_multipart", "multipart")}  # fmt: skip


def missing_web_modules() -> list[str]:
    """The distributions of the ``web`` extra that are not installed."""
    from importlib.util import find_spec

    return [name for name, modules in WEB_MODULES.items()
            if not any(find_spec(m) is not None for m in modules)]  # fmt: skip


def web_requirements() -> list[str]:
    """The ``web`` extra's requirements as installed metadata gives them."""
    from importlib import metadata

    try:
        reqs = metadata.requires("vn-directive-extractor") or []
    except metadata.PackageNotFoundError:
        reqs = []
    found = [r.split(";")[0].strip() for r in reqs
             if "extra" in r and "web" in r.split(";", 1)[-1]]  # fmt: skip
    return found or list(WEB_MODULES)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--db", "db_path", default="extractor-review.sqlite3", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="SQLite file of reviews.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Extraction processes (uploads extracted at once).")
@click.option("--timeout", type=click.FloatRange(min=1), default=300, show_default=True,
              help="Seconds one extraction may take before it is stopped (HTTP 504).")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="A host name clients use to reach the server, besides loopback names "
                   "(needed with --host 0.0.0.0).")  # fmt: skip
def serve(host, port, db_path, workers, timeout, allowed_hosts) -> None:
    """Serve the clerk's review page and the HTTP API (needs the web extra)."""
    missing = missing_web_modules()
    if missing:
        install = " ".join(f"'{r}'" for r in web_requirements())
        raise click.ClickException(
            f"'extractor serve' needs {', '.join(missing)} (the [web] extra): "
            f"{sys.executable} -m pip install {install}"
            " (in a checkout: pip install -e '.[web]')")  # fmt: skip
    from .web.server import serve as run_server

    run_server(host=host, port=port, db_path=db_path, workers=workers, timeout=timeout,
               allowed_hosts=allowed_hosts)  # fmt: skip


@main.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "output", required=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The HTML file to write.")
def report(out_dir, output) -> None:
    """Write one self-contained HTML report over a batch's outputs (json, jsonl, csv) and
    the failed files of its errors.jsonl."""
    from .web.report import write_report

    count = write_report(out_dir, output)
    click.echo(f"{output}: {count} documents", err=True)


@main.command()
@click.option("--reviewed", is_flag=True,
              help="The schema of a reviewed export (the review page's JSON) instead.")
def schema(reviewed) -> None:
    """Print the JSON Schema of the output (or of a reviewed export)."""
    from .reviewed import document_json_schema, reviewed_json_schema

    found = reviewed_json_schema() if reviewed else document_json_schema()
    click.echo(json.dumps(found, ensure_ascii=False, indent=2))


if __name__ == "__main__":  # pragma: no cover
    main()
