"""``extractor report``: one self-contained HTML file over a batch's outputs.

It reads the JSON, JSONL and CSV outputs under a folder (``extractor extract -o``) and the
``errors.jsonl`` files beside them (the failed files are listed). Inline CSS and JS only,
nothing fetched: the file opens from disk, offline. Per document the text with its
directives highlighted (or, for outputs made without ``--with-text``, the evidence
sentences), and the fields; first a summary (documents, directives by modality and by
actor — counted by the gazetteer's canonical id, not by the words — deadlines by month,
failed files). Vietnamese throughout: dd/mm/yyyy dates, 1.234 and 0,95 numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Optional, Union

from ..exports import MODALITY_VI, STATUS_VI
from ..fields import column, label, label_vi
from .assets import fill, package_text

LOW_CONFIDENCE = 0.6
_NO_ACTOR = label("unknown_actor")
_NO_DEADLINE = label("report_no_deadline")
_UNDATED = label("report_undated")


def load_documents(out_dir: Union[str, os.PathLike]) -> tuple[list[tuple[str, dict]], list[str]]:
    """(relative path, document) of every output under ``out_dir`` (``.json``, ``.jsonl``,
    ``.csv``), sorted; and the files set aside (unreadable, or not an extractor output)."""
    root = Path(out_dir)
    docs: list[tuple[str, dict]] = []
    skipped: list[str] = []
    for path in sorted(p for ext in _READERS for p in root.rglob(f"*{ext}")):
        rel = path.relative_to(root).as_posix()
        if path.name.startswith(".") or not path.is_file() or _is_error_log(path):
            continue  # batch.write_atomic's temp files; error logs are read by load_errors
        try:
            items = _READERS[path.suffix.lower()](path)
        except (OSError, UnicodeDecodeError, ValueError, RecursionError, csv.Error) as exc:
            skipped.append(label("report_unreadable", path=rel, error=type(exc).__name__))
            continue
        found = [d for d in items if _is_document(d)]
        if not found:
            skipped.append(label("report_not_output", path=rel))
        elif len(found) < len(items):
            skipped.append(label("report_some_not_output", path=rel,
                                 n=len(items) - len(found)))  # fmt: skip
        for i, d in enumerate(found):
            docs.append((rel if len(found) == 1 else f"{rel}#{i + 1}", d))
    return docs, skipped


def _is_error_log(path: Path) -> bool:
    return path.name == "errors.jsonl" or path.name.endswith(".errors.jsonl")


def load_errors(out_dir: Union[str, os.PathLike]) -> list[dict]:
    """The failed files recorded in the ``errors.jsonl`` files under ``out_dir``."""
    errors = []
    for path in sorted(Path(out_dir).rglob("*errors.jsonl")):
        if not _is_error_log(path):
            continue
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and record.get("path"):
                errors.append(record)
    return errors


def _read_json(path: Path) -> list:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, list) else [data]  # stdout of several inputs: a list


def _read_jsonl(path: Path) -> list:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]  # fmt: skip


def _read_csv(path: Path) -> list:
    """The clerk's CSV back into documents (one per *Văn bản*), without offsets."""
    from ..exports import CSV_HEADERS

    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    if not rows or not set(CSV_HEADERS[:9]) <= set(rows[0]):
        return [{}]  # not the clerk's CSV
    docs: dict[tuple[str, str], dict] = {}
    for row in rows:
        name, date = row[column("document")], row[column("date")]
        doc = docs.setdefault((name, date), {
            "from_csv": True, "directives": [], "warnings": [],
            "source": {"path": name, "format": "csv"},
            "document": {"number": name, "date": date or None}})  # fmt: skip
        doc["directives"].append(_csv_directive(row))
    return list(docs.values())


_MODALITY_OF = {v: k for k, v in MODALITY_VI.items()}


def _csv_directive(row: dict) -> dict:
    def entity(text: str) -> Optional[dict]:
        return {"text": _plain(text)} if text else None

    when = row.get(column("deadline")) or ""
    iso = when if _ISO_DATE.fullmatch(when) else None
    status = next((k for k, v in STATUS_VI.items() if v == row.get(column("review_status"))), None)
    directive = {
        "id": row.get(column("id")) or "", "actor": entity(row[column("actor")]),
        "issuer": entity(row.get(column("issuer"), "")),
        "report_to": entity(row.get(column("report_to"), "")),
        "coactors": [{"text": _plain(c)} for c in row[column("coactors")].split("; ") if c],
        "action": {"text": _plain(row[column("action")])},
        "topic": {"text": _plain(row[column("topic")])} if row[column("topic")] else None,
        "deadline": {"text": "" if iso else when, "date": iso} if when else None,
        "modality": _MODALITY_OF.get(row[column("modality")], "obligation"),
        "evidence": {"text": _plain(row[column("evidence")])},
        "confidence": _float(row.get(column("confidence"))),
    }  # fmt: skip
    if status:
        directive["review"] = {"status": status}
    return directive


def _plain(cell: str) -> str:
    """A CSV cell without the quote that kept a spreadsheet from reading it as a formula."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@") else cell


def _float(value: Optional[str]) -> float:
    try:
        return float(value) if value else 1.0
    except ValueError:
        return 1.0


_READERS = {".json": _read_json, ".jsonl": _read_jsonl, ".csv": _read_csv}


def _is_document(d) -> bool:
    """Whether ``d`` is a document of the JSON contract (validated by its schema)."""
    from pydantic import ValidationError

    from ..reviewed import ReviewedDocument
    from ..schema import Document

    if not isinstance(d, dict):
        return False
    if d.get("from_csv"):  # read back from the clerk's CSV: no offsets to check
        return isinstance(d.get("directives"), list)
    try:
        if "review" in d:  # a reviewed export
            ReviewedDocument.model_validate(d)
        else:  # this version of the contract or an earlier one still read
            Document.read(d)
    except (ValidationError, RecursionError):
        return False
    return True


def write_report(out_dir: Union[str, os.PathLike], output: Union[str, os.PathLike]) -> int:
    """Write the HTML report of the outputs under ``out_dir``; returns the number of documents."""
    docs, skipped = load_documents(out_dir)
    for line in skipped:
        print(f"report: skipped {line}", file=sys.stderr)
    page = render_report(docs, title=label("report_title", name=Path(out_dir).name),
                         skipped=skipped, errors=load_errors(out_dir))  # fmt: skip
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out)
    return len(docs)


def render_report(
    docs: list[tuple[str, dict]], *, title: str, skipped: Optional[list[str]] = None,
    errors: Optional[list[dict]] = None,
) -> str:
    """The report's HTML for (name, document) pairs; ``errors`` are the failed files."""
    when = dt.datetime.now().strftime("%d/%m/%Y %H:%M")
    total = sum(len(d["directives"]) for _, d in docs)
    subtitle = label("report_subtitle", documents=vi_number(len(docs)),
                     directives=vi_number(total), when=when)  # fmt: skip
    sections = [_document(i, name, doc) for i, (name, doc) in enumerate(docs, 1)]
    return fill(package_text("templates", "report.html"), {
        "title": _e(title), "subtitle": _e(subtitle),
        "summary": _summary(docs, skipped or [], errors or []),
        "documents": "\n".join(sections),
    })  # fmt: skip


# -- Vietnamese formats --------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def vi_number(n: float, digits: int = 0) -> str:
    """1234 -> "1.234", 0.95 (digits=2) -> "0,95": Vietnamese separators."""
    text = f"{n:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def vi_date(iso: Optional[str]) -> str:
    """2021-06-30 -> 30/06/2021, 2021-06 -> 06/2021; anything else as it is."""
    if not iso:
        return ""
    parts = iso.split("-")
    if len(parts) in (2, 3) and all(p.isdigit() for p in parts):
        return "/".join(reversed(parts))
    return iso


# -- summary -------------------------------------------------------------------------


def _summary(docs: list[tuple[str, dict]], skipped: list[str], errors: list[dict]) -> str:
    directives = [d for _, doc in docs for d in doc["directives"]]
    by_modality = Counter(MODALITY_VI.get(d["modality"], d["modality"]) for d in directives)
    by_month: Counter = Counter()
    for d in directives:
        deadline = d.get("deadline")
        if not deadline:
            by_month[_NO_DEADLINE] += 1
        elif deadline.get("date"):
            by_month[deadline["date"][:7]] += 1
        else:
            by_month[_UNDATED] += 1
    months = sorted(k for k in by_month if k[:1].isdigit())
    months += [k for k in (_UNDATED, _NO_DEADLINE) if k in by_month]
    low = sum(1 for d in directives if d.get("confidence", 1) < LOW_CONFIDENCE)
    empty = sum(1 for _, doc in docs if not doc["directives"])
    overview = [
        (column("document"), len(docs)), (label("report_directives"), len(directives)),
        (label("report_empty_documents"), empty),
        (label("report_low_confidence", limit=vi_number(LOW_CONFIDENCE, 1)), low),
    ]  # fmt: skip
    if errors:
        overview.append((label("report_failed_files"), len(errors)))
    if skipped:
        overview.append((label("report_skipped_files"), len(skipped)))
    count = label("directive_count")
    parts = [
        f'<section class="box" id="summary"><h2>{label("report_summary")}</h2>'
        '<div class="stats">',
        _table(label("report_overview"), ("", label("report_count")), overview, bars=False),
        _table(label("report_by_modality"), (label_vi("modality"), count),
               by_modality.most_common()),
        _table(label("report_by_month"), (label("report_month"), count),
               [(vi_date(m), by_month[m]) for m in months]),
        "</div>",
        _table(label("report_by_actor"), (label("report_body"), count),
               actor_counts(directives)),
    ]  # fmt: skip
    if errors:
        parts.append(_errors(errors))
    if skipped:
        parts.append(f"<h3>{label('report_skipped_files')}</h3><ul>"
                     + "".join(f"<li>{_e(s)}</li>" for s in skipped) + "</ul>")  # fmt: skip
    if docs:
        parts.append(f"<h3>{column('document')}</h3><ol class=\"toc\">" + "".join(
            f'<li><a href="#doc-{i}">{_e(_title(name, doc))}</a> '
            f'<span class="muted">({len(doc["directives"])})</span></li>'
            for i, (name, doc) in enumerate(docs, 1)) + "</ol>")  # fmt: skip
    parts.append("</section>")
    return "\n".join(parts)


def actor_counts(directives: list[dict]) -> list[tuple[str, int]]:
    """(name, directives) per actor, most first. One body is one row whatever the words
    ("Bộ TC", "Bộ Tài chính"): counted by its canonical id, named by its canonical name."""
    counts: Counter = Counter()
    names: dict[str, str] = {}
    for d in directives:
        key, name = _actor_key(d.get("actor"))
        counts[key] += 1
        names.setdefault(key, name)
    return sorted(((names[k], n) for k, n in counts.items()), key=lambda kv: (-kv[1], kv[0]))


def _actor_key(actor: Optional[dict]) -> tuple[str, str]:
    if not actor:
        return "", _NO_ACTOR
    canonical = actor.get("canonical") or {}
    name = canonical.get("name") or actor.get("text") or _NO_ACTOR
    key = canonical.get("id") or (canonical.get("name") or actor.get("text") or "").casefold()
    return key, name


def _errors(errors: list[dict]) -> str:
    from .messages import read_error_kinds

    kinds = read_error_kinds()
    unknown = label("report_error")
    rows = "".join(
        f"<tr><td>{_e(e.get('path', ''))}</td>"
        f"<td>{_e(kinds.get(e.get('kind') or '', e.get('kind') or unknown))}</td>"
        f"<td class=\"muted\">{_e(e.get('message', ''))}</td></tr>"
        for e in errors
    )  # fmt: skip
    return (f'<h3 id="errors">{label("report_errors_heading")}</h3><table><thead><tr>'
            f"<th>{label('file')}</th><th>{label('report_error_column')}</th>"
            f"<th>{label('report_detail')}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")  # fmt: skip


def _table(caption: str, head: tuple[str, str], rows, *, bars: bool = True) -> str:
    rows = list(rows)
    top = max((n for _, n in rows), default=0) or 1
    body = "".join(
        f"<tr><td>{_e(label)}</td><td class=\"n\">{vi_number(n)}</td>"
        + (f'<td><span class="bar" style="width:{round(120 * n / top)}px"></span></td>'
           if bars else "") + "</tr>"
        for label, n in rows
    ) or '<tr><td colspan="3" class="muted">—</td></tr>'  # fmt: skip
    extra = "<th></th>" if bars else ""
    return (f"<div><h3>{_e(caption)}</h3><table><thead><tr><th>{_e(head[0])}</th>"
            f"<th>{_e(head[1])}</th>{extra}</tr></thead><tbody>{body}</tbody></table></div>")


# -- documents -----------------------------------------------------------------------


def _title(name: str, doc: dict) -> str:
    info = doc.get("document") or {}
    return info.get("number") or name


def _document(index: int, name: str, doc: dict) -> str:
    info = doc.get("document") or {}
    source = doc.get("source") or {}
    meta = [name]
    if info.get("date"):
        meta.append(label("report_dated", date=vi_date(info["date"])))
    if info.get("issuing_body"):
        meta.append(info["issuing_body"].get("text", ""))
    meeting = info.get("meeting") or {}
    if meeting.get("title"):
        meta.append(meeting["title"].get("text", ""))
    if not doc.get("from_csv"):
        meta.append(label("report_chars", format=source.get("format", "?"),
                          n=vi_number(source.get("chars", 0))))  # fmt: skip
    directives = doc["directives"]
    prefix = f"d{index}-"
    if doc.get("text"):
        body = f'<div class="text">{highlight(doc["text"], directives, prefix)}</div>'
    elif directives:
        why = label("report_from_csv" if doc.get("from_csv") else "report_without_text")
        body = f'<p class="muted">{why}</p>' + _evidence_sentences(directives, prefix)
    else:
        body = f'<p class="muted">{label("report_no_text")}</p>'
    warnings = "".join(f"<li>{_e(w)}</li>" for w in doc.get("warnings") or [])
    return (
        f'<section class="box" id="doc-{index}"><h2>{index}. {_e(_title(name, doc))}</h2>'
        f'<p class="muted">{_e(" · ".join(m for m in meta if m))}</p>'
        + (f'<ul class="muted">{warnings}</ul>' if warnings else "")
        + f'<div class="doc-grid"><div>{body}</div>'
        f'<div class="fields">{_fields(directives, prefix)}</div></div></section>'
    )


def highlight(text: str, directives: list[dict], prefix: str, base: int = 0) -> str:
    """``text`` (which starts at offset ``base`` of the document) as HTML, with each
    directive's evidence and action marked; ``data-d`` names the directives of a mark."""
    spans = []
    for i, d in enumerate(directives):
        for kind in ("evidence", "action"):
            if d[kind].get("start") is None:  # a typed correction: no place in the text
                continue
            s, e = d[kind]["start"] - base, d[kind]["end"] - base
            s, e = max(s, 0), min(e, len(text))
            if s < e:
                spans.append((s, e, kind, f"{prefix}{i + 1}", d.get("confidence", 1)))
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        chunk = _e(text[a:b])
        cover = [sp for sp in spans if sp[0] <= a and b <= sp[1]]
        if not cover:
            out.append(chunk)
            continue
        acts = [sp for sp in cover if sp[2] == "action"]
        ids = list(dict.fromkeys(sp[3] for sp in (acts or cover)))
        cls = ["ev"]
        if acts:
            cls.append("act")
            if any(sp[4] < LOW_CONFIDENCE for sp in acts):
                cls.append("lowc")
        out.append(f'<mark class="{" ".join(cls)}" data-d="{" ".join(ids)}">{chunk}</mark>')
    return "".join(out)


def _evidence_sentences(directives: list[dict], prefix: str) -> str:
    seen: dict[tuple, str] = {}
    for n, d in enumerate(directives):
        ev = d["evidence"]
        # Read back from CSV, a sentence has no offsets: keep them apart, in order.
        key = (ev["start"], ev["end"]) if ev.get("start") is not None else (n, n)
        seen.setdefault(key, ev["text"])
    return "".join(
        f'<p class="evidence">{_evidence(text, directives, prefix, start, end)}</p>'
        for (start, end), text in sorted(seen.items())
    )


def _evidence(text: str, directives: list[dict], prefix: str, start: int, end: int) -> str:
    if start == end:  # no offsets: the sentence, its directive named
        return f'<mark class="ev" data-d="{prefix}{start + 1}">{_e(text)}</mark>'
    return highlight(text, directives, prefix, base=start)


def _fields(directives: list[dict], prefix: str) -> str:
    if not directives:
        return f'<p class="muted">{label("report_no_directive")}</p>'
    reviewed = any("review" in d for d in directives)
    head = ["#", *(label_vi(n) for n in ("issuer", "actor", "coactors", "action", "topic",
                                         "deadline", "modality")),
            column("confidence")] + ([label("report_review")] if reviewed else [])  # fmt: skip
    rows = []
    for i, d in enumerate(directives, 1):
        low = d.get("confidence", 1) < LOW_CONFIDENCE
        deadline = d.get("deadline") or {}
        when = deadline.get("text") or ""
        if deadline.get("date"):
            day = vi_date(deadline["date"])
            when = f"{when} ({day})" if when else day
        topic = (d.get("topic") or {}).get("text") or (d.get("purpose") or {}).get("text") or ""
        cells = [
            str(i),
            _entity(d.get("issuer")),
            _entity(d.get("actor")),
            "; ".join(_entity(c) for c in d.get("coactors") or []),
            _e(d["action"]["text"]),
            _e(topic),
            _e(when),
            _e(MODALITY_VI.get(d["modality"], d["modality"])),
            vi_number(d.get("confidence", 0), 2)
            + (f' <span class="flag">{label("report_low")}</span>' if low else ""),
        ]
        if reviewed:
            status = (d.get("review") or {}).get("status", "")
            cells.append(_e(STATUS_VI.get(status, status)))
        cls = "d low" if low else "d"
        rows.append(f'<tr class="{cls}" data-target="{prefix}{i}">'
                    + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")  # fmt: skip
    return ("<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head)
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")  # fmt: skip


def _entity(e: Optional[dict]) -> str:
    if not e:
        return ""
    name = (e.get("canonical") or {}).get("name")
    text = e.get("text") or name or ""
    if name and name.casefold() != text.casefold():
        return f'{_e(text)} <span class="canon">→ {_e(name)}</span>'
    return _e(text)


def _e(value) -> str:
    return html.escape(str(value), quote=True)
