"""The read-only index of a rule-processed Doc: cues (filtered by their context), actors
(lists grown, tails attached), deadlines, each by the token it starts at. Built once per
Doc and kept on it; the model stage reads sentences through it too."""

from __future__ import annotations

from functools import cached_property
from typing import Optional

from spacy.tokens import Doc, Span

from ..clean import RegionIndex
from ..extensions import text_of
from ..resources import Cue, cue_lexicon, discourse_actors, leader_titles
from ..rules import longest_spans
from .clauses import SentenceClauses, Sentences, split_document
from .phrases import grow_actor_phrases
from .table import table

IN_CONTEXT_KEY = "cues.in_context"  # the cues their neighbouring words allow (cue_filter)
CUES_KEY = "cues.kept"  # the cues that count, by the actor refiner
ACTORS_KEY = "actors.refined"  # the actors, lists grown and tails attached


class SpanIndex:
    """Cues and actors by the token they start at, and the questions asked of them."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = text_of(doc)
        self.audience_ids = audience_groups()
        self.cues: dict[int, list[tuple[Cue, Span]]] = {}
        self.actors: dict[int, Span] = {}

    def actor_start_after(self, i: int) -> Optional[int]:
        """Start of the actor right after token i, past 'cho', honorifics and fillers."""
        doc = self.doc
        while i < len(doc):
            tok = doc[i]
            hit = self.cue(i, {"honorific", "filler"}) if i in self.cues else None
            if hit is not None and (i not in self.actors or len(hit[1]) > len(self.actors[i])):
                i = hit[1].end  # "các đồng chí ở Sở Y tế": past the honorific
            elif i in self.actors:
                break
            elif tok.is_space or tok.lower_ in table().before_actor:
                i += 1
            else:
                return None
        if i >= len(doc):
            return None
        # "các đồng chí ở Sở Y tế": the body named after the audience is the actor.
        if self.actors[i].id_ in self.audience_ids:
            j = self.actors[i].end
            while j < len(doc) and doc[j].is_space:
                j += 1
            if self.cue(j, {"honorific"}) is not None:
                inner = self.actor_start_after(j)
                if inner is not None:
                    return inner
        return self.past_audience(i)

    def past_audience(self, i: int) -> int:
        """"các đồng chí Chủ tịch UBND các xã": the body named right after the audience
        words is the actor; ``i`` itself otherwise."""
        if i in self.actors and self.actors[i].id_ in self.audience_ids:
            j = self.actors[i].end
            if j in self.actors and j < len(self.doc) and not self.doc[j].is_punct:
                return j
        return i

    def cue(self, i: int, functions) -> Optional[tuple[Cue, Span]]:
        if i not in self.cues:  # most tokens start no cue
            return None
        for cue, span in self.cues[i]:
            if cue.function in functions:
                return cue, span
        return None



class ActorRefiner(SpanIndex):
    """The rule work on the rulers' spans (run by the ``actor_refiner`` component): cues
    in context (``not_after``/``not_before``), the longest actors, factored lists grown
    over the items the gazetteer knows, qualifying tails attached, then the assigning cues
    that have no actor after them dropped."""

    def __init__(self, doc: Doc):
        super().__init__(doc)
        lex = cue_lexicon().by_id()
        if IN_CONTEXT_KEY not in doc.spans:
            doc.spans[IN_CONTEXT_KEY] = cues_in_context(doc)
        for span in doc.spans[IN_CONTEXT_KEY]:
            self.cues.setdefault(span.start, []).append((lex[span.id_], span))
        self.actors = {s.start: s for s in longest_spans(doc.spans.get("actors", []))}
        self._extend_lists()
        self._attach_tails()
        grow_actor_phrases(self)  # titles, level words, lists (assemble/phrases.py)
        self._attach_tails()
        for start, entries in list(self.cues.items()):
            # An assigning cue counts only before an actor ("giao Bộ X", not "giao thông").
            entries = [(c, s) for c, s in entries if not c.actor_after or self._actor_after(s)]
            entries.sort(key=lambda e: -len(e[1]))
            self.cues[start] = entries

    def _attach_tails(self) -> None:
        """"Ủy ban nhân dân các tỉnh có dự án đi qua": the qualifier is part of the actor."""
        for start, actor in list(self.actors.items()):
            tail = self._tail_after(actor.end)
            while tail is not None and (more := self._tail_after(tail.end)) is not None:
                tail = more  # "có dự án" + "đi qua"
            if tail is not None:
                extended = self.doc[actor.start : tail.end]
                extended.id_ = actor.id_
                self.actors[start] = extended

    def write(self) -> None:
        """The refined spans as span groups (the starts of the cue lists kept too: a token
        whose cues were all dropped still starts one)."""
        doc = self.doc
        doc.spans[ACTORS_KEY] = list(self.actors.values())
        doc.spans[CUES_KEY] = [s for entries in self.cues.values() for _, s in entries]
        doc.spans[CUES_KEY].attrs["starts"] = list(self.cues)

    def _extend_lists(self) -> None:
        """Grow "các Bộ Tài chính, Lao động - ..." over every item the gazetteer knows.

        Names hold "và" and commas, so the list is cut only where the gazetteer
        says a name ends: each extension must add a member.
        """
        doc = self.doc
        members_of = self._members_counter()
        t = table()
        for start, actor in list(self.actors.items()):
            if t.plural.isdisjoint(actor.text.lower().split()[:3]) and ":" not in actor.text:
                continue
            nxt = actor.end
            if nxt >= len(doc) or doc[nxt].text not in t.list_next:
                if ":" not in actor.text:
                    continue  # nothing follows that could continue the list
            members = members_of(actor.text)
            best, end = actor.end, actor.end
            while end < len(doc) and end - actor.end < 40:
                tok = doc[end]
                if tok.text in (";", ".") or "\n" in tok.text:
                    break
                if tok.pos_ == "VERB" and tok.i in self.cues:
                    break
                end += 1
                if end < len(doc) and doc[end].text not in t.list_inner:
                    text = self.text[actor.start_char : doc[end - 1].idx + len(doc[end - 1].text)]
                    if doc[end - 1].text not in t.list_inner:
                        grown = members_of(text)
                        if grown > members:
                            members, best = grown, end
            if best > actor.end:
                span = doc[actor.start : best]
                span.id_ = actor.id_ or "actor.factored_list"
                for i in range(actor.end, best):
                    self.actors.pop(i, None)
                self.actors[start] = span

    def _members_counter(self):
        """How many bodies a list mention names, read on the document date (the metadata
        stage ran before; today without one)."""
        from ..gazetteer import get_gazetteer

        meta = self.doc._.vnx_metadata
        on = meta.date if meta is not None else None
        gazetteer = get_gazetteer()
        return lambda text: gazetteer.member_count(text, on)

    def _tail_after(self, i: int) -> Optional[Span]:
        while i < len(self.doc) and self.doc[i].is_space:
            i += 1
        for cue, span in self.cues.get(i, []):
            if cue.function == "actor_tail":
                return span
        return None

    def _actor_after(self, span: Span) -> bool:
        return self.actor_start_after(span.end) is not None



class DocIndex(SpanIndex):
    """Cues, actors and deadlines of a rule-processed Doc, indexed by the token they start
    at: read from the span groups the actor refiner wrote, no rule work done here."""

    def __init__(self, doc: Doc):
        super().__init__(doc)
        self._leaders: dict[tuple[int, int], bool] = {}
        self._inside: dict[str, RegionIndex] = {}
        if CUES_KEY not in doc.spans:  # a Doc the refiner did not see (a test's)
            ActorRefiner(doc).write()
        lex = cue_lexicon().by_id()
        group = doc.spans[CUES_KEY]
        self.cues = {start: [] for start in group.attrs.get("starts", [])}
        for span in group:
            self.cues.setdefault(span.start, []).append((lex[span.id_], span))
        self.actors = {s.start: s for s in doc.spans[ACTORS_KEY]}
        self.deadlines = {s.start: s for s in longest_spans(doc.spans.get("deadlines", []))}
        self.frame_tokens = {
            i
            for entries in self.cues.values()
            for cue, span in entries
            if cue.function in table().frame
            for i in range(span.start, span.end)
        }
        self.leader_titles = leader_titles()

    def sentence(self, start: int, end: int) -> SentenceClauses:
        """A sentence's tokens (outside skipped regions) and its clauses, as the
        ``clause_splitter`` component wrote them on ``doc._.vnx_sentences``."""
        return self.sentences()[start, end]

    def sentences(self) -> Sentences:
        """Every sentence of the Doc: (start, end) -> (its tokens, its clauses); cut here
        only for a Doc the ``clause_splitter`` did not see (a test's)."""
        if self.doc._.vnx_sentences is None:
            self.doc._.vnx_sentences = split_document(self)
        return self.doc._.vnx_sentences

    def inside_cue(self, i: int, function: str) -> bool:
        """Whether token i lies strictly inside a cue of this function (found by position:
        a scan of every cue per question was quadratic in a long text)."""
        if function not in self._inside:
            self._inside[function] = RegionIndex(
                span for entries in self.cues.values() for cue, span in entries
                if cue.function == function)  # fmt: skip
        return bool(self._inside[function].overlapping(i, i))

    @cached_property
    def first_leader(self) -> Optional[Span]:
        """The first leader the text names: in a speech without turn markers, the headline
        or the opening names the speaker ("Chủ tịch UBND tỉnh phát biểu kết luận")."""
        return next((a for _, a in sorted(self.actors.items()) if self.is_leader(a)), None)

    def is_leader(self, span: Span) -> bool:
        key = (span.start, span.end)
        if key not in self._leaders:  # asked for the same actor in every clause
            low = self.text[span.start_char : span.end_char].lower()
            self._leaders[key] = any(low.startswith(t) for t in self.leader_titles)
        return self._leaders[key]


def _prev_words(span: Span, n: int = 2) -> list[str]:
    doc, out, i = span.doc, [], span.start - 1
    while i >= 0 and len(out) < n:
        if not doc[i].is_space:
            out.append(doc[i].lower_)
        i -= 1
    return out


def _next_word(span: Span) -> str:
    doc, i = span.doc, span.end
    while i < len(doc) and doc[i].is_space:
        i += 1
    return doc[i].lower_ if i < len(doc) else ""


def _cue_applies(cue: Cue, span: Span) -> bool:
    prev = _prev_words(span)
    if prev and (prev[0] in cue.not_after or " ".join(reversed(prev)) in cue.not_after):
        return False
    return _next_word(span) not in cue.not_before


def cues_in_context(doc: Doc) -> list[Span]:
    """The rulers' cues whose neighbouring words allow them (``not_after``/``not_before``:
    "giao" not in "bàn giao", "được giao")."""
    lex = cue_lexicon().by_id()
    return [span for span in doc.spans.get("cues", [])
            if (cue := lex.get(span.id_)) is not None and _cue_applies(cue, span)]  # fmt: skip


def audience_groups() -> frozenset:
    """Ids of the actor patterns that name the audience ("các đồng chí")."""
    return frozenset(g.id for g in discourse_actors().groups if g.audience)


def doc_index(doc: Doc) -> DocIndex:
    """The Doc's index, built once and kept on the Doc (the model stage reuses it)."""
    ix = doc.user_data.get(_INDEX_KEY)
    if ix is None or ix.doc is not doc:
        ix = doc.user_data[_INDEX_KEY] = DocIndex(doc)
    return ix


_INDEX_KEY = ("extractor", "doc_index")

