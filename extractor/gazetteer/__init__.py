"""Actor gazetteer: resolves an actor mention to the body it names.

The data lives in ``extractor/data/gazetteer/`` (see its README): central bodies with
their validity dates and successors, the 63 provinces before and the 34 after
2025-07-01, collectives, provincial departments, the words the resolver reads around
names (``grammar.json``) and the spaCy SpanRuler patterns (``span_patterns.jsonl``). Their
models live in the rule-data layer (:mod:`extractor.resources`). This package holds no
Vietnamese words.

- :mod:`.keys`: comparison keys (pure string functions)
- :mod:`.records`: the frozen records (entries, hits, resolutions, queries)
- :mod:`.index`: the read-only name index, built once from the files
- :mod:`.temporal`: which body a date means (pure, the date required)
- :mod:`.context`: what a whole document says that bare mentions need
- :mod:`.resolver`: the ordered registry of named resolution steps
- :mod:`.lists`: factored lists and coordinations
- :mod:`.memo`: the one bounded LRU memo

Every :class:`Resolution` names the entry or pattern that decided it in ``rule`` and the
step that found it in ``step``. A mention that matches nothing keeps ``canonical=None``.

>>> gaz = get_gazetteer()
>>> gaz.resolve("Bộ KH&ĐT").canonical.successor
'Bộ Tài chính'
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Optional, Union

from ..resources import CentralEntry, CentralFile, RuleError, SpanPattern, gazetteer_lines
from ..schema import Canonical, EntityKind
from .context import document_context as _context_of
from .index import Index, build_index, surface_forms
from .keys import clean, key
from .memo import MEMO_SIZE, Memo
from .records import ENDED, NOT_YET, PROPOSED_NAME, DocumentContext, Query, Resolution
from .resolver import Resolver, guess

__all__ = [
    "ENDED", "MEMO_SIZE", "NOT_YET", "PROPOSED_NAME", "CentralEntry", "CentralFile",
    "DocumentContext", "Gazetteer", "GazetteerError", "Resolution", "clean",
    "get_gazetteer", "key", "load_span_patterns",
]  # fmt: skip

# The rule data's one error class; the old name stays for callers.
GazetteerError = RuleError


def load_span_patterns() -> list[SpanPattern]:
    """The SpanRuler patterns of ``span_patterns.jsonl``, validated."""
    return gazetteer_lines(SpanPattern, "span_patterns.jsonl")


class Gazetteer:
    """The public face: the index, the resolver and the document contexts."""

    def __init__(self, index: Optional[Index] = None) -> None:
        self.index = index if index is not None else build_index()
        self.memo = Memo(MEMO_SIZE)
        self.resolver = Resolver(self.index, self.memo)
        self.entries = self.index.entries
        self.grammar = self.index.grammar

    def surface_forms(self, acronyms: bool = True) -> list[str]:
        """Every literal name and alias (normalized), longest first.

        Short names ("Tài chính") and bare province names ("Lào Cai") are left
        out: they name a body only inside a factored list. ``acronyms=False``
        also leaves out one-word capital codes ("VPCP", "NHNN"), which occur
        inside document numbers ("Số: 12/VPCP-NN").
        """
        return surface_forms(self.index, acronyms)

    def pattern_id(self, form: str) -> str:
        """The SpanRuler id of a listed name: ``gazetteer:<entry id>`` when the name
        belongs to one entry, ``gazetteer`` when it is shared (an old and a new province)
        or names no entry (a department, a bare provincial head)."""
        ids = {h.entry.id for h in self.index.names.get(key(form), ())}
        return f"gazetteer:{ids.pop()}" if len(ids) == 1 else "gazetteer"

    def span_patterns(self) -> list[dict]:
        """SpanRuler patterns for generic actor forms (``span_patterns.jsonl``)."""
        return [{"label": p.label, "id": p.id, "pattern": p.pattern}
                for p in self.index.patterns]  # fmt: skip

    def entry(self, entry_id: str) -> Optional[Canonical]:
        """The canonical record of an entry id, or None."""
        e = self.index.entries.get(entry_id)
        return e.canonical() if e else None

    def working_group_alias(self, doc_text: str) -> Optional[Canonical]:
        """The PM's working group when ``doc_text`` names it in full, else None.

        A bare "Tổ công tác" is ambiguous; it means the PM's working group only
        in a document that says "Tổ công tác của Thủ tướng (Chính phủ)".
        """
        ctx = self.document_context(doc_text)
        return ctx.working_group.canonical() if ctx.working_group else None

    def document_aliases(self, doc_text: str,
                         on: Optional[dt.date] = None) -> dict[str, Resolution]:  # fmt: skip
        """Bare forms that this document lets resolve, keyed by form.

        "Tổ công tác" → the PM's working group (when named in full);
        "Tỉnh", "Ủy ban nhân dân tỉnh" … → the only province the text names.
        """
        ctx = self.document_context(doc_text, on)
        out, g, r = {}, self.index.grammar, self.resolver
        if ctx.working_group is not None:
            for form in g.bare_working_group:
                out[form] = r.from_entry(ctx.working_group, "context.working_group")
        if ctx.province is not None:
            for form in g.bare_province:
                out[form] = r.from_entry(ctx.province, "context.province")
            for form in g.bare_province_chair:
                out[form] = r.from_entry(ctx.province, "context.province",
                                         EntityKind.person_role)  # fmt: skip
        return out

    def document_context(self, doc_text: str, on: Optional[dt.date] = None,
                         normalized: bool = False) -> DocumentContext:  # fmt: skip
        """The document-level facts bare mentions need (cached per text and day).

        ``normalized=True`` says ``doc_text`` is already the pipeline's normalized text,
        which saves normalizing a whole document again.
        """
        return _document_context(self, doc_text, on or dt.date.today(), on, normalized)

    def resolve(self, surface: str, on: Optional[dt.date] = None,
                context: Union[str, DocumentContext, None] = None) -> Resolution:  # fmt: skip
        """Resolve one actor mention.

        ``on`` is the document date: it chooses between bodies that share a
        name (an old and a new province) and flags bodies that had ended or
        not yet begun. Without it names are read as of today. ``context`` (the
        whole normalized document text, or a :class:`DocumentContext`) lets
        bare mentions ("Tỉnh", "Tổ công tác", "Sở Y tế") resolve.
        """
        text = clean(surface)
        if isinstance(context, str):
            context = self.document_context(context, on)
        if not text:
            return Resolution(None, EntityKind.other, "unknown.empty", step="empty")
        q = Query(day=on or dt.date.today(), on=on, ctx=context)
        res = self.resolver.resolve_piece(text, q, allow_list=True)
        return res if res is not None else guess(self.resolver, text)

    def member_count(self, surface: str, on: Optional[dt.date] = None) -> int:
        """How many bodies a list mention names, read on ``on`` (today without a
        document date): what growing a list over its items asks, again and again."""
        day = on or dt.date.today()
        key_ = ("member_count", surface, self.resolver.era(day), self.resolver.era(on))
        return self.memo.get(key_, lambda: len(self.resolve(surface, on).members))


@lru_cache(maxsize=64)
def _document_context(gaz: Gazetteer, doc_text: str, day: dt.date, on: Optional[dt.date],
                      normalized: bool) -> DocumentContext:  # fmt: skip
    return _context_of(gaz.index, doc_text, day, on, normalized)


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The gazetteer, loaded and validated once per process."""
    return Gazetteer()
