"""The clerk's tables of directives: CSV, Excel workbook (.xlsx) and calendar (.ics).

One row per directive, the same columns in every format (:data:`COLUMNS`), from contract
or reviewed JSON. Where the clerk corrected a value (its ``source`` is ``review``), what
they typed is exported; otherwise an actor is shown by its canonical name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Callable, Iterable, Optional

from .fields import column, csv_headers, label, label_vi, presentation, registry
from .sector import sector_labels

# Shown for a modality and a review status (data/presentation.json).
MODALITY_VI = dict(presentation().modality)
STATUS_VI = dict(presentation().review_status)


# -- cell values -----------------------------------------------------------------------


def entity_name(entity: Optional[dict]) -> str:
    """What a table shows for an entity: the clerk's words, else the canonical name."""
    if not entity:
        return ""
    if (entity.get("source") or "").startswith("review"):
        return entity.get("text") or ""
    return (entity.get("canonical") or {}).get("name") or entity.get("text") or ""


def document_name(document: dict) -> str:
    """The số ký hiệu of a document, else its file name."""
    info = document.get("document") or {}
    return info.get("number") or Path((document.get("source") or {}).get("path") or "-").name


def deadline_date(directive: dict) -> Optional[dt.date]:
    """The deadline's last day, when it has one."""
    value = (directive.get("deadline") or {}).get("date")
    return dt.date.fromisoformat(value) if value else None


def _iso_date(value: Optional[str]) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def sector_label(value) -> str:
    """A sector as read by the classifier ({id, label, …}) or set by a clerk (its id)."""
    if isinstance(value, dict):
        return value.get("label") or sector_labels().get(value.get("id"), value.get("id")) or ""
    return sector_labels().get(value, value) if value else ""


def _field_cell(name: str, kind: str, fallback: Optional[str]) -> Callable[[dict, dict], object]:
    """The value function of a directive field's column, by the field's kind."""
    def span(doc: dict, d: dict) -> str:
        text = (d.get(name) or {}).get("text")
        if not text and fallback:
            text = (d.get(fallback) or {}).get("text")
        return text or ""

    cells: dict[str, Callable[[dict, dict], object]] = {
        "entity": lambda doc, d: entity_name(d.get(name)),
        "entities": lambda doc, d: "; ".join(entity_name(c) for c in d.get(name) or []),
        "deadline": lambda doc, d: deadline_date(d) or (d.get(name) or {}).get("text") or "",
        "label": lambda doc, d: MODALITY_VI.get(d[name], d[name]),
        "sector": lambda doc, d: sector_label(d.get(name)),
        "span": span,
    }
    return cells[kind]


def _confidence(doc: dict, d: dict):
    value = d.get("confidence")
    return "" if value is None else round(float(value), 2)


def _status(doc: dict, d: dict) -> str:
    status = (d.get("review") or {}).get("status")
    return STATUS_VI.get(status, status or "")


_DOCUMENT_CELLS: dict[str, Callable[[dict, dict], object]] = {
    "document": lambda doc, d: document_name(doc),
    "date": lambda doc, d: _iso_date((doc.get("document") or {}).get("date")),
    "confidence": _confidence,
    "id": lambda doc, d: d.get("id") or "",
    "review_status": _status,
}
# Column widths in the workbook, in characters.
_WIDTHS = {"document": 18, "date": 12, "actor": 28, "coactors": 28, "action": 60, "topic": 30,
           "deadline": 12, "modality": 12, "evidence": 60, "issuer": 24, "report_to": 24,
           "sector": 18, "confidence": 10, "id": 20, "review_status": 14}  # fmt: skip


def _columns() -> list[tuple[str, Callable[[dict, dict], object], int]]:
    """(header, value of a directive in its document, width), in the registry's csv_order."""
    reg = registry()
    by_name = reg.by_name()
    out = []
    for name, header in zip(reg.csv_order, csv_headers()):
        field = by_name.get(name)
        value = (_DOCUMENT_CELLS[name] if field is None
                 else _field_cell(name, field.kind, field.csv_fallback))  # fmt: skip
        out.append((header, value, _WIDTHS.get(name, 16)))
    return out


COLUMNS = _columns()
CSV_HEADERS = [header for header, _, _ in COLUMNS]


def rows(documents: Iterable[dict]) -> Iterable[list]:
    """One list of typed values (str, date, float) per directive, in :data:`COLUMNS` order."""
    for doc in documents:
        for d in doc["directives"]:
            yield [value(doc, d) for _, value, _ in COLUMNS]


def csv_rows(document: dict) -> list[list[str]]:
    """The clerk's CSV rows of one document: one row per directive, as text."""
    return [[_as_text(v) for v in row] for row in rows([document])]


def _as_text(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    return "" if value is None else str(value)


# -- CSV -------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula (OWASP CSV
    injection: ``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading ``'``. A lone
    such character (the ``-`` of standard input) is no formula and stays as it is."""
    return "'" + value if len(value) > 1 and value.startswith(_FORMULA_START) else value


def to_csv(documents: list[dict], *, header: bool = True) -> str:
    """The clerk's CSV of ``documents`` (UTF-8 with BOM), every cell safe to open in Excel."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if header:
        writer.writerow(CSV_HEADERS)
    for doc in documents:
        writer.writerows([spreadsheet_cell(c) for c in row] for row in csv_rows(doc))
    return ("\ufeff" if header else "") + buf.getvalue()  # BOM: Excel then reads UTF-8


# -- Excel -----------------------------------------------------------------------------

DOCUMENT_COLUMNS: list[tuple[str, Callable[[dict], object], int]] = [
    (column("document"), document_name, 18),
    (column("date"), lambda doc: _iso_date((doc.get("document") or {}).get("date")), 12),
    (label("issuing_body"),
     lambda doc: entity_name((doc.get("document") or {}).get("issuing_body")), 30),
    (label("file"), lambda doc: (doc.get("source") or {}).get("path") or "", 30),
    (label("directive_count"), lambda doc: len(doc["directives"]), 10),
    (label("warnings"), lambda doc: "; ".join(doc.get("warnings") or []), 60),
]  # fmt: skip


def to_xlsx(documents: list[dict]) -> bytes:
    """A workbook: sheet "Chỉ đạo" (one row per directive), sheet "Văn bản" (one per file).

    Vietnamese headers, the header row frozen and filterable, dates as real dates
    (dd/mm/yyyy), column widths set; text cells are never read as formulas.
    """
    from openpyxl import Workbook

    book = Workbook()
    directives = book.active
    directives.title = label("directives_sheet")
    _sheet(directives, COLUMNS, rows(documents))
    sheet = book.create_sheet(column("document"))
    _sheet(sheet, DOCUMENT_COLUMNS,
           ([value(doc) for _, value, _ in DOCUMENT_COLUMNS] for doc in documents))  # fmt: skip
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _sheet(sheet, columns, values: Iterable[list]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.append([header for header, *_ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in values:
        sheet.append([spreadsheet_cell(v) if isinstance(v, str) else v for v in row])
    for n, (_, _, width) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


# -- calendar --------------------------------------------------------------------------


def to_ics(documents: list[dict], *, now: Optional[dt.datetime] = None) -> bytes:
    """An iCalendar file: one all-day event per directive with a dated deadline."""
    from icalendar import Calendar, Event

    stamp = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//vn-directive-extractor//chi-dao//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", label("calendar_name"))
    for doc in documents:
        for d in doc["directives"]:
            day = deadline_date(d)
            if day is None:
                continue
            event = Event()
            event.add("uid", f"{d['id']}@{(doc.get('source') or {}).get('sha256', '')[:16]}")
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            event.add("dtend", day + dt.timedelta(days=1))
            event.add("summary", _event_summary(d))
            event.add("description", _event_description(doc, d))
            event.add("categories", [MODALITY_VI.get(d["modality"], d["modality"])])
            cal.add_component(event)
    return cal.to_ical()


def _event_summary(d: dict) -> str:
    actor = entity_name(d.get("actor")) or label("unknown_actor")
    action = d["action"]["text"]
    return f"{actor}: {action[:120]}{'…' if len(action) > 120 else ''}"


def _event_description(doc: dict, d: dict) -> str:
    lines = [f"{column('document')}: {document_name(doc)}",
             f"{label_vi('actor')}: {entity_name(d.get('actor'))}",
             f"{label_vi('action')}: {d['action']['text']}"]  # fmt: skip
    coactors = "; ".join(entity_name(c) for c in d.get("coactors") or [])
    if coactors:
        lines.append(f"{label_vi('coactors')}: {coactors}")
    if (d.get("deadline") or {}).get("text"):
        lines.append(f"{label_vi('deadline')}: {d['deadline']['text']}")
    lines.append(f"{label_vi('evidence')}: {d['evidence']['text']}")
    return "\n".join(lines)


# -- a terminal table ------------------------------------------------------------------


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _day(directive: dict) -> str:
    day = deadline_date(directive)
    if day is not None:
        return day.strftime("%d/%m/%Y")
    return label("no_date") if directive.get("deadline") else "—"


def to_table(documents: list[dict], width: int = 100) -> str:
    """A summary for a person at a terminal: per document, one line per directive
    (actor, action cut to the width, deadline dd/mm/yyyy, modality in Vietnamese)."""
    actor_w, day_w, kind_w = 26, 12, 10
    action_w = max(width - (4 + actor_w + day_w + kind_w + 4), 20)
    lines = []
    for doc in documents:
        directives = doc["directives"]
        lines.append(f"{document_name(doc)} — {label('directive_total', n=len(directives))}")
        if not directives:
            continue
        head = [("actor", actor_w), ("action", action_w), ("deadline", day_w),
                ("modality", kind_w)]  # fmt: skip
        lines.append(f"{'#':>3} " + " ".join(f"{label_vi(n):<{w}}" for n, w in head).rstrip())
        for n, d in enumerate(directives, 1):
            actor = _cut(entity_name(d.get("actor")) or "—", actor_w)
            kind = MODALITY_VI.get(d["modality"], d["modality"])
            action = _cut(d["action"]["text"], action_w)
            day = _day(d)
            lines.append(f"{n:>3} {actor:<{actor_w}} {action:<{action_w}} {day:<{day_w}} {kind}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
