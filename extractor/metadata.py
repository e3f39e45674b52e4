"""Document metadata: số ký hiệu, date, issuing body and the meeting.

Patterns live in ``data/metadata.json``. A date without a year is never
completed by guessing: it stays null and a warning says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import Optional

from spacy.tokens import Doc

from .extensions import text_of
from .resources import function_words, regex_rules


@dataclass
class Found:
    start: int
    end: int
    rule: str
    value: Optional[str] = None


@dataclass
class Metadata:
    number: Optional[Found] = None
    date: Optional[dt.date] = None
    date_found: Optional[Found] = None
    issuing_body: Optional[Found] = None
    meeting_title: Optional[Found] = None
    meeting_date: Optional[dt.date] = None
    meeting_date_found: Optional[Found] = None
    chair: Optional[Found] = None
    warnings: list[str] = field(default_factory=list)


@cache
def _rules() -> dict:
    return {r.id: p for r, p in regex_rules("metadata.json").compiled()}


def _date(day: str, month: str, year: str) -> Optional[dt.date]:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _outside(regions, start: int) -> bool:
    return not any(r.start <= start < r.end for r in regions)


def _issuing_body(text: str) -> Optional[Found]:
    """The capitalised agency name heading the document (one or two lines)."""
    lines, pos = [], 0
    words = function_words()
    for line in text.split("\n")[:8]:
        stripped = line.strip()
        if stripped and stripped.upper() == stripped and any(c.isalpha() for c in stripped):
            if any(w in stripped for w in words.header_contains) \
                    or stripped.startswith(words.header_starts):  # fmt: skip
                break
            lines.append((pos, pos + len(line)))
        elif lines:
            break
        pos += len(line) + 1
    if not lines:
        return None
    return Found(lines[0][0], lines[-1][1], "meta.issuing_body_caps")


def read_metadata(doc: Doc, doc_date: Optional[dt.date] = None,
                  published: Optional[dt.date] = None) -> Metadata:  # fmt: skip
    """Metadata of a processed Doc; ``doc_date`` (from the user) wins over the text, and
    ``published`` (an HTML page's own date) is used when neither gives one."""
    text = text_of(doc)
    skipped = doc._.vnx_skipped or []
    rules = _rules()
    meta = Metadata()
    if m := rules["meta.number"].search(text):
        meta.number = Found(m.start("value"), m.end("value"), "meta.number", m.group("value"))
    if m := rules["meta.date_line"].search(text):
        meta.date = _date(m.group("day"), m.group("month"), m.group("year"))
        meta.date_found = Found(m.start(), m.end(), "meta.date_line")
    meta.issuing_body = _issuing_body(text)
    for m in rules["meta.meeting_title"].finditer(text):
        if not _outside(skipped, m.start()):
            continue
        value = m.group("value").rstrip(" ,;:")
        meta.meeting_title = Found(m.start("value"), m.start("value") + len(value),
                                   "meta.meeting_title", value)  # fmt: skip
        meta.chair = _chair(doc, m.start())
        _meeting_date(meta, text, m.start(), doc_date)
        break
    if doc_date is not None:
        meta.date = doc_date
    elif meta.date is None and meta.meeting_date is not None:
        meta.date = meta.meeting_date
    elif meta.date is None and published is not None:
        meta.date = published
    return meta


def _chair(doc: Doc, before: int) -> Optional[Found]:
    """The last actor before 'chủ trì' in the same sentence, with the person's name."""
    text = text_of(doc)
    sent_start = max(text.rfind(".", 0, before), text.rfind("\n", 0, before)) + 1
    best = None
    for span in doc.spans.get("actors", []):
        if sent_start <= span.start_char < before and (best is None or span.start > best.start):
            best = span
    if best is None:
        return None
    end = best.end
    while end < len(doc) and doc[end].is_title and doc[end].idx < before:
        end += 1
    return Found(best.start_char, doc[end - 1].idx + len(doc[end - 1].text), "meta.chair")


def _meeting_date(meta: Metadata, text: str, title_at: int, doc_date) -> None:
    sent_start = max(text.rfind(".", 0, title_at), text.rfind("\n", 0, title_at)) + 1
    window = text[sent_start:title_at]
    rules = _rules()
    if m := rules["meta.opening_date_full"].search(window):
        meta.meeting_date = _date(m.group("day"), m.group("month"), m.group("year"))
        meta.meeting_date_found = Found(sent_start + m.start("day"), sent_start + m.end("year"),
                                        "meta.opening_date_full")  # fmt: skip
    elif m := rules["meta.opening_date_short"].search(window):
        found = Found(sent_start + m.start("day"), sent_start + m.end("month"),
                      "meta.opening_date_short")  # fmt: skip
        meta.meeting_date_found = found
        year = (doc_date or meta.date).year if (doc_date or meta.date) else None
        if year is not None:
            meta.meeting_date = _date(m.group("day"), m.group("month"), str(year))
        else:
            meta.warnings.append(
                f"meeting date {text[found.start:found.end]!r} has no year and the document "
                "gives no date: left null"
            )
