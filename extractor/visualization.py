"""Self-contained HTML of a document's directives, like displaCy's span renderer.

One card per directive: its sentence (the evidence) with each field read inside it
highlighted in its role's colour (nested where one field lies in another: a deadline
inside the action), the fields read elsewhere (a heading's actor, a lead-in's topic)
listed under it, and a legend. Hovering a field shows its source (rule id or model) and
origin; hovering a card's head its rules. Colours and words come from
``data/presentation.json``, field labels from ``data/fields.json``. Every piece of text
is escaped: the document is untrusted.

>>> from extractor import extract, visualize
>>> html = visualize(extract("Giao Bộ Tài chính chủ trì rà soát các quy định."))
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field, replace
from html import escape
from typing import Any, Iterator

from .fields import fields, presentation
from .schema import Directive, Document, Span

CSS = """
.vnx-viz{font-family:system-ui,sans-serif;line-height:2.1;max-width:60em}
.vnx-legend{margin:0 0 1em;line-height:1.6}
.vnx-chip{display:inline-block;padding:0 .5em;margin:0 .3em .3em 0;border-radius:.3em}
.vnx-directive{border:1px solid #ccc;border-radius:.4em;padding:.3em .8em;margin:0 0 .8em}
.vnx-head{font-size:.85em;color:#444;line-height:1.6}
.vnx-evidence{margin:.2em 0}
.vnx-role{padding:.15em .1em;border-radius:.25em;box-decoration-break:clone;
-webkit-box-decoration-break:clone;border-bottom:2px solid rgba(0,0,0,.25);color:#000}
.vnx-role .vnx-role{padding:.05em .1em}
.vnx-outside{font-size:.9em;margin:.2em 0;padding-left:1.2em;line-height:1.8}
"""


@dataclass(order=True)
class Mark:
    """A field's stretch of a sentence, as offsets into the sentence, and what it nests."""

    start: int
    end: int
    role: str = field(compare=False)
    title: str = field(compare=False)
    children: list[Mark] = field(default_factory=list, compare=False)

    def clip(self, start: int, end: int) -> Mark:
        return replace(self, start=start, end=end, children=[])


def visualize(doc_or_result: Any, *, page: bool = False) -> str:
    """HTML showing every directive of ``doc_or_result`` (the :class:`Document` that
    :func:`extractor.extract` returns, its JSON as a dict, or a spaCy ``Doc`` the
    pipeline processed). ``page=True`` wraps it in a whole HTML page."""
    document = _as_document(doc_or_result)
    words = presentation().visualize
    cards = [_card(n, d) for n, d in enumerate(document.directives, 1)]
    body = "".join(cards) or f'<p class="vnx-none">{escape(words.none)}</p>'
    html = f'<div class="vnx-viz"><style>{CSS}</style>{_legend()}{body}</div>'
    if not page:
        return html
    return ('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>'
            f"{escape(words.directive)}</title></head><body>{html}</body></html>")  # fmt: skip


def _as_document(value: Any) -> Document:
    if isinstance(value, Document):
        return value
    if isinstance(value, dict):
        return Document.model_validate(value)
    if hasattr(value, "_") and hasattr(value._, "vnx_directives"):  # a spaCy Doc
        from .api import document_of

        return document_of(value)
    raise TypeError(f"visualize takes an extractor Document or a processed spaCy Doc, "
                    f"not {type(value).__name__}")  # fmt: skip


def _labels() -> dict[str, str]:
    return {f.name: f.label_vi for f in fields()}


def _legend() -> str:
    labels, words = _labels(), presentation().visualize
    chips = "".join(
        f'<span class="vnx-chip" data-role="{escape(role)}" style="background:{escape(colour)}">'
        f"{escape(labels.get(role, role))}</span>"
        for role, colour in presentation().role_colours.items()
    )
    return f'<div class="vnx-legend"><b>{escape(words.legend)}:</b> {chips}</div>'


def role_spans(directive: Directive) -> Iterator[tuple[str, Span]]:
    """(field name, span) of every coloured field the directive has, in legend order."""
    for role in presentation().role_colours:
        value = getattr(directive, role, None)
        for span in value if isinstance(value, list) else [value]:
            if isinstance(span, Span):
                yield role, span


def _title(role: str, span: Span) -> str:
    """The hover text of a field: its label, its source and where it came from."""
    words = presentation().visualize
    parts = [_labels().get(role, role), f"{words.source}: {span.source or '-'}"]
    if span.origin is not None:
        parts.append(span.origin.value)
    canonical = getattr(span, "canonical", None)  # an entity's resolved name
    if canonical is not None:
        parts.append(canonical.name)
    date = getattr(span, "date", None)  # a deadline's date
    if date:
        parts.append(str(date))
    return " · ".join(parts)


def _card(number: int, d: Directive) -> str:
    words = presentation().visualize
    ev = d.evidence
    inside: list[Mark] = []
    outside: list[tuple[str, Span]] = []
    for role, span in role_spans(d):
        if ev.start <= span.start and span.end <= ev.end and span.start < span.end:
            inside.append(Mark(span.start - ev.start, span.end - ev.start, role,
                               _title(role, span)))  # fmt: skip
        else:
            outside.append((role, span))
    modality = presentation().modality.get(d.modality.value, d.modality.value)
    head = (f"{escape(words.directive)} {number} · {escape(modality)} · "
            f"{escape(words.confidence)} {d.confidence:.2f}"
            + (f" · {escape(d.sector.label)}" if d.sector else ""))  # fmt: skip
    rules = f"{words.rules}: {', '.join(d.rules)}"
    sentence = _render(ev.text, nest(inside), 0, len(ev.text))
    return (f'<div class="vnx-directive" data-id="{escape(d.id)}">'
            f'<div class="vnx-head" title="{escape(rules)}">{head}</div>'
            f'<p class="vnx-evidence">{sentence}</p>{_outside(outside)}</div>')  # fmt: skip


def _outside(found: list[tuple[str, Span]]) -> str:
    if not found:
        return ""
    labels, words = _labels(), presentation().visualize
    items = "; ".join(
        f"{escape(labels.get(role, role))}: "
        + _mark_html(role, _title(role, span), escape(span.text))
        for role, span in found
    )
    return f'<div class="vnx-outside">{escape(words.outside)} — {items}</div>'


def nest(marks: list[Mark]) -> list[Mark]:
    """The marks as a forest: each inside the innermost one containing it. A mark that
    crosses the end of another is cut there (both pieces keep its role and title)."""
    counter = itertools.count()
    heap = [(m.start, -m.end, next(counter), m) for m in marks if m.start < m.end]
    heapq.heapify(heap)
    roots: list[Mark] = []
    stack: list[Mark] = []
    while heap:
        _, _, _, mark = heapq.heappop(heap)
        mark = mark.clip(mark.start, mark.end)
        while stack and stack[-1].end <= mark.start:
            stack.pop()
        if stack and mark.end > stack[-1].end:
            cut = stack[-1].end
            heapq.heappush(heap, (cut, -mark.end, next(counter), mark.clip(cut, mark.end)))
            mark = mark.clip(mark.start, cut)
        (stack[-1].children if stack else roots).append(mark)
        stack.append(mark)
    return roots


def _render(text: str, marks: list[Mark], start: int, end: int) -> str:
    out, pos = [], start
    for m in marks:
        out.append(escape(text[pos : m.start]))
        out.append(_mark_html(m.role, m.title, _render(text, m.children, m.start, m.end)))
        pos = m.end
    out.append(escape(text[pos:end]))
    return "".join(out)


def _mark_html(role: str, title: str, inner: str) -> str:
    colour = presentation().role_colours.get(role, "#dddddd")
    return (f'<mark class="vnx-role" data-role="{escape(role)}" title="{escape(title)}" '
            f'style="background:{escape(colour)}">{inner}</mark>')  # fmt: skip


__all__ = ["Mark", "nest", "role_spans", "visualize"]
