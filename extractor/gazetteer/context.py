"""What a whole document says that bare mentions need: the only province it names, and
whether it names the PM's working group in full. Pure over (index, text, day)."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from ..schema import EntityKind
from .index import Index
from .keys import clean, key
from .records import DocumentContext
from .temporal import pick


def document_context(index: Index, doc_text: str, day: dt.date, on: Optional[dt.date],
                     normalized: bool = False) -> DocumentContext:  # fmt: skip
    """The context of a text read on ``day`` (the document date, or today), recording the
    document date ``on`` for the resolutions made in it. ``normalized=True`` says the text
    is already the pipeline's normalized text."""
    text = doc_text if normalized else clean(doc_text)
    folded = text.casefold()  # the working group's names hold no punctuation to key
    in_full = any(k in folded for k in index.working_group_keys)
    ids = set()
    for m in index.province_scan.finditer(text):
        hit = pick(index.names.get(key(m.group(0)), ()), day)
        if hit is not None and hit.entry.kind == EntityKind.province:
            ids.add(hit.entry.id)
    province = index.entries[ids.pop()] if len(ids) == 1 else None
    return DocumentContext(on, province, index.working_group if in_full else None)
