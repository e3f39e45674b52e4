"""The ``extractor`` command: a thin layer over :mod:`extractor.api`.

Exit codes: 0 all inputs processed, 1 some inputs failed, 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Optional

import click

from . import __version__


def _parse_date(ctx, param, value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="extractor")
def main() -> None:
    """Extract directives (who must do what, by when) from Vietnamese meeting conclusions."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the JSON outputs; without it JSON goes to stdout.")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json",
              show_default=True, help="One JSON file per document, or one line per document.")
@click.option("--doc-date", callback=_parse_date, metavar="YYYY-MM-DD",
              help="Date of the document, to resolve deadlines without a year.")
@click.option("--with-text", is_flag=True, help="Include the normalized text in the output.")
@click.option("--quiet", "-q", is_flag=True, help="Print errors only.")
def extract(paths, outdir, fmt, doc_date, with_text, quiet) -> None:
    """Extract directives from PATHS (files, or - for standard input)."""
    from .api import extract_file, extract_text
    from .readers import ReadError, read_bytes

    failures = 0
    results = []
    for raw_path in paths:
        try:
            if raw_path == "-":
                raw = read_bytes(sys.stdin.buffer.read(), name="<stdin>")
                from .schema import Source

                source = Source(path="-", sha256=raw.sha256, format=raw.format, chars=0,
                                encoding=raw.encoding)  # fmt: skip
                doc = extract_text(raw.text, doc_date=doc_date, source=source,
                                   warnings=tuple(raw.warnings), with_text=with_text)  # fmt: skip
            else:
                doc = extract_file(raw_path, doc_date=doc_date, with_text=with_text)
        except ReadError as exc:
            failures += 1
            click.echo(f"error: {exc}", err=True)
            continue
        except Exception as exc:  # one bad document must not stop the others
            failures += 1
            click.echo(f"error: {raw_path}: {type(exc).__name__}: {exc}", err=True)
            continue
        if outdir is not None:
            _write(outdir, raw_path, doc, fmt)
            if not quiet:
                click.echo(f"{raw_path}: {len(doc.directives)} directives", err=True)
        else:
            results.append(doc)
    if outdir is None and results:
        if fmt == "jsonl":
            for doc in results:
                click.echo(doc.model_dump_json())
        elif len(results) == 1:
            click.echo(results[0].to_json(), nl=False)
        else:
            items = [json.loads(doc.to_json()) for doc in results]
            click.echo(json.dumps(items, ensure_ascii=False, indent=2))
    sys.exit(1 if failures else 0)


def _write(outdir: Path, raw_path: str, doc, fmt: str) -> None:
    """Write atomically: a temporary file, then a rename."""
    outdir.mkdir(parents=True, exist_ok=True)
    name = "stdin" if raw_path == "-" else Path(raw_path).stem
    if fmt == "jsonl":
        target = outdir / "documents.jsonl"
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(doc.model_dump_json() + "\n")
        return
    target = outdir / f"{name}.json"
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(doc.to_json(), encoding="utf-8")
    os.replace(tmp, target)


@main.command("eval")
@click.option("--split", default="test", show_default=True,
              type=click.Choice(["train", "dev", "test", "all"]), help="Corpus split to score.")
@click.option("--mode", "modes", multiple=True, type=click.Choice(["rules", "baseline"]),
              help="Extraction mode(s) to score; default: every mode and the naive baseline.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the results as JSON to this file.")
@click.option("--show-errors", is_flag=True,
              help="List false positives, misses and field mismatches per document.")
def eval_command(split, modes, report_path, show_errors) -> None:
    """Score the extractor on a corpus split (precision, recall, F1 per field)."""
    from .evaluate import evaluate, format_errors, format_reliability, format_table

    modes = modes or ("rules", "baseline")
    reports = [evaluate(split, mode) for mode in modes]
    click.echo(f"split: {split}")
    click.echo(format_table(reports))
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
        report_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                               encoding="utf-8")  # fmt: skip


@main.command()
def schema() -> None:
    """Print the JSON Schema of the output."""
    from .schema import json_schema

    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


if __name__ == "__main__":  # pragma: no cover
    main()
