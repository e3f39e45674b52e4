"""Stage 6: assembly of directives from blocks, sentences, cues, actors and deadlines.

Plain functions over a processed ``Doc`` (textacy's habit): the spaCy component
at the bottom only wraps :func:`assemble`. The reading of one clause is:

    [topic ,] [condition ,] [leader issuer-verb] [assign-cue] [actor]
    [chủ trì] [, phối hợp với coactors] [deadline] [modal / khẩn trương]
    ACTION [để PURPOSE] [, báo cáo RECIPIENT] [DEADLINE]

One directive per instructed action: a sentence is cut into clauses at ";"
and at commas that start a new action (a cue, a new actor, or a verb phrase
after a complete one), and a clause without an actor takes the one before it,
or the heading / lead-in that governs its list item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .extensions import text_of
from .normalize import fold
from .resources import Cue, cue_functions, cue_lexicon, function_words, leader_titles
from .rules import longest_spans

# A comma starts a new verb phrase only between two phrases this long (content tokens):
# shorter ones are lists inside one object ("phòng, chống dịch", "miễn, giảm lãi vay").
MIN_SPLIT_CHUNK = 7
PUNCT = {",", ";", ":", ".", "!", "?", "…", "...", "(", ")", "-", "–", "\"", "“", "”"}


@dataclass(frozen=True)
class _Table:
    """The cue-function table and the function words, as the assembler tests them."""

    split: frozenset  # cue functions that start a new clause after a comma
    strong: frozenset  # a directive wherever it stands
    weak: frozenset  # a directive inside a conclusion or task section
    frame: frozenset  # the frame around the action, not its first verb
    speaking: frozenset  # a leader speaks with it
    introduces_actor: frozenset  # the actor follows the cue
    instructs: frozenset  # names whom it instructs
    governs: dict  # function -> the modality it gives the clauses after it
    comma_and: frozenset  # "," and the conjunctions
    list_next: frozenset  # what can continue a factored list
    list_inner: frozenset  # separators inside a factored list
    coactor_sep: frozenset  # between coactors
    plural: frozenset
    new_action: frozenset
    leading_fillers: frozenset
    before_action: frozenset
    first_person: frozenset
    announce_last: frozenset
    announce_last_two: tuple


@cache
def table() -> _Table:
    """Built once from ``data/cue_functions.json`` and ``data/function_words.json``."""
    cf, w = cue_functions(), function_words()
    comma_and = frozenset((",", *w.conjunctions))
    return _Table(
        split=cf.with_flag("splits_clause"), strong=cf.gated("strong"), weak=cf.gated("weak"),
        frame=cf.with_flag("frame"), speaking=cf.with_flag("speaking"),
        introduces_actor=cf.with_flag("introduces_actor"), instructs=cf.with_flag("instructs"),
        governs={f.id: f.governs.value for f in cf.functions if f.governs is not None},
        comma_and=comma_and, list_next=comma_and | {":", "-", "–", "&"},
        list_inner=comma_and | {":"}, coactor_sep=comma_and | set(w.coactor_joiners),
        plural=frozenset(w.plural), new_action=frozenset(w.new_action),
        leading_fillers=frozenset(w.leading_fillers), before_action=frozenset(w.before_action),
        first_person=frozenset(w.first_person), announce_last=frozenset(w.list_announcers.last),
        announce_last_two=tuple(list(pair) for pair in w.list_announcers.last_two),
    )  # fmt: skip


@dataclass
class Ref:
    """A character span with the rule that produced it."""

    start: int
    end: int
    rule: str

    @classmethod
    def of(cls, span: Span, rule: str) -> Ref:
        return cls(span.start_char, span.end_char, rule)


@dataclass
class DirectiveRecord:
    evidence: Ref
    action: Ref
    modality: str
    actor: Optional[Ref] = None
    issuer: Optional[Ref] = None
    coactors: list[Ref] = field(default_factory=list)
    topic: Optional[Ref] = None
    purpose: Optional[Ref] = None
    report_to: Optional[Ref] = None
    deadline: Optional[Ref] = None
    urgent: Optional[Ref] = None
    confidence: float = 0.5
    rules: list[str] = field(default_factory=list)


@dataclass
class Frame:
    """What a heading or lead-in hands down to the list items under it."""

    level: int
    actor: Optional[Ref] = None
    topic: Optional[Ref] = None
    directive: bool = False
    modality: Optional[str] = None
    deadline: Optional[Ref] = None
    rule: str = ""


@dataclass
class Clause:
    tokens: list[Token]
    actor: Optional[Ref] = None
    issuer: Optional[Ref] = None
    coactors: list[Ref] = field(default_factory=list)
    topic: Optional[Ref] = None
    action: Optional[tuple[int, int]] = None  # indices into tokens, end exclusive
    purpose: Optional[tuple[int, int]] = None
    report_to: Optional[Ref] = None
    deadline: Optional[Ref] = None
    urgent: Optional[Ref] = None
    cues: list[Cue] = field(default_factory=list)
    past: bool = False
    non_directive: bool = False
    completion_only: bool = False


class DocIndex:
    """Cues, actors and deadlines of a Doc, indexed by the token they start at."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = text_of(doc)
        self._sentences: dict[tuple[int, int], tuple[list[Token], list[list[Token]]]] = {}
        self._leaders: dict[tuple[int, int], bool] = {}
        lex = cue_lexicon().by_id()
        self.cues: dict[int, list[tuple[Cue, Span]]] = {}
        for span in doc.spans.get("cues", []):
            cue = lex.get(span.id_)
            if cue is not None and _cue_applies(cue, span):
                self.cues.setdefault(span.start, []).append((cue, span))
        self.actors = {s.start: s for s in longest_spans(doc.spans.get("actors", []))}
        self._extend_lists()
        for start, actor in list(self.actors.items()):
            # "Ủy ban nhân dân các tỉnh có dự án đi qua": the qualifier is part of the actor.
            tail = self._tail_after(actor.end)
            while tail is not None and (more := self._tail_after(tail.end)) is not None:
                tail = more  # "có dự án" + "đi qua"
            if tail is not None:
                extended = doc[actor.start : tail.end]
                extended.id_ = actor.id_
                self.actors[start] = extended
        for start, entries in list(self.cues.items()):
            # An assigning cue counts only before an actor ("giao Bộ X", not "giao thông").
            entries = [(c, s) for c, s in entries if not c.actor_after or self._actor_after(s)]
            entries.sort(key=lambda e: -len(e[1]))
            self.cues[start] = entries
        self.deadlines = {s.start: s for s in longest_spans(doc.spans.get("deadlines", []))}
        self.frame_tokens = {
            i
            for entries in self.cues.values()
            for cue, span in entries
            if cue.function in table().frame
            for i in range(span.start, span.end)
        }
        self.leader_titles = leader_titles()

    def sentence(self, start: int, end: int) -> tuple[list[Token], list[list[Token]]]:
        """A sentence's tokens (outside skipped regions) and its clauses, made once and
        shared by the assembler and the model's sentence views."""
        if (start, end) not in self._sentences:
            tokens = _sentence_tokens(self.doc, start, end, self.doc._.skipped or [])
            self._sentences[start, end] = (tokens, split_clauses(tokens, self) if tokens else [])
        return self._sentences[start, end]

    def _extend_lists(self) -> None:
        """Grow "các Bộ Tài chính, Lao động - ..." over every item the gazetteer knows.

        Names hold "và" and commas, so the list is cut only where the gazetteer
        says a name ends: each extension must add a member.
        """
        from .gazetteer import get_gazetteer

        doc = self.doc
        members_of = get_gazetteer().member_count
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

    def _tail_after(self, i: int) -> Optional[Span]:
        while i < len(self.doc) and self.doc[i].is_space:
            i += 1
        for cue, span in self.cues.get(i, []):
            if cue.function == "actor_tail":
                return span
        return None

    def _actor_after(self, span: Span) -> bool:
        return self.actor_start_after(span.end) is not None

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
            elif tok.is_space or tok.lower_ in ("cho", ":", ","):
                i += 1
            else:
                return None
        if i >= len(doc):
            return None
        # "các đồng chí ở Sở Y tế": the body named after the audience is the actor.
        if self.actors[i].id_ == "actor.audience":
            j = self.actors[i].end
            while j < len(doc) and doc[j].is_space:
                j += 1
            if self.cue(j, {"honorific"}) is not None:
                inner = self.actor_start_after(j)
                if inner is not None:
                    return inner
        return i

    def cue(self, i: int, functions) -> Optional[tuple[Cue, Span]]:
        if i not in self.cues:  # most tokens start no cue
            return None
        for cue, span in self.cues[i]:
            if cue.function in functions:
                return cue, span
        return None

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


# -- clause splitting -----------------------------------------------------------------


def _sentence_tokens(doc: Doc, start: int, end: int, skipped) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    near = [r for r in skipped if r.start < span.end_char and start < r.end]
    if not near:  # the common case: no skipped region inside the sentence
        return [t for t in span if not t.is_space]
    return [
        t for t in span if not t.is_space and not any(r.start <= t.idx < r.end for r in near)
    ]


def split_clauses(tokens: list[Token], ix: DocIndex) -> list[list[Token]]:
    """Cut a sentence's tokens into clauses, one instructed action each."""
    clauses: list[list[Token]] = [[]]
    depth = 0
    in_purpose = False
    skip_until = -1
    for k, tok in enumerate(tokens):
        i = tok.i
        if i < skip_until:
            clauses[-1].append(tok)
            continue
        actor = ix.actors.get(i)
        if actor is not None:  # never cut inside an actor ("các bộ, ngành, địa phương")
            skip_until = actor.end
        text = tok.text
        if text == "(":
            depth += 1
        elif text == ")":
            depth = max(0, depth - 1)
        if text == ";" and depth == 0:
            clauses.append([])
            in_purpose = False
            continue
        if text == "," and depth == 0 and not in_purpose and k + 1 < len(tokens):
            if _starts_new_action(tokens, k + 1, clauses[-1], ix):
                clauses.append([])
                continue
        if ix.cue(i, _PURPOSE) and clauses[-1] and _has_verb(clauses[-1]):
            in_purpose = True
        clauses[-1].append(tok)
    return [c for c in clauses if any(t.text not in PUNCT for t in c)]


_PURPOSE = frozenset({"purpose"})


def _has_verb(tokens: list[Token]) -> bool:
    return any(t.pos_ == "VERB" for t in tokens)


def _chunk_len(tokens: list[Token], k: int, ix: DocIndex) -> int:
    """Content tokens up to the next comma: no punctuation, no deadline."""
    n, in_deadline = 0, -1
    while k < len(tokens) and tokens[k].text not in {",", ";"}:
        tok = tokens[k]
        if tok.i in ix.deadlines:
            in_deadline = ix.deadlines[tok.i].end
        if tok.text not in PUNCT and tok.i >= in_deadline:
            n += 1
        k += 1
    return n


def _starts_new_action(tokens: list[Token], k: int, current: list[Token], ix: DocIndex) -> bool:
    tok = tokens[k]
    if ix.cue(tok.i, {"coordinate", "report", "purpose", "attached"}):
        return False
    if ix.cue(tok.i, table().split | {"completion"}):
        return True
    if tok.lower_ in table().new_action:
        return True
    actor = ix.actors.get(tok.i)
    if actor is not None and _only_actors(current, ix):
        return False  # "Bộ Công an, Bộ Tài chính chuẩn bị ...": one actor span
    if actor is not None and _in_coactor_list(current, ix):
        return False  # "phối hợp với Bộ Tài chính, Bộ Tư pháp hoàn thiện ..."
    if actor is not None:
        after = [t for t in tokens[k:] if t.i >= actor.end][:1]
        return bool(after) and (after[0].pos_ == "VERB" or bool(ix.cues.get(after[0].i)))
    if tok.pos_ != "VERB" or _chunk_len(tokens, k, ix) < MIN_SPLIT_CHUNK:
        return False
    if any(ix.cue(t.i, {"prohibit"}) for t in current[:3]):
        return False  # "không để A, B, C": a list of things not to let happen
    # The verb that opened the current action: not the cue or the actor before it.
    verbs = [j for j, t in enumerate(current) if t.pos_ == "VERB" and not _is_frame_token(t, ix)]
    return bool(verbs) and len(current) - verbs[0] >= MIN_SPLIT_CHUNK


def _in_coactor_list(current: list[Token], ix: DocIndex) -> bool:
    """True when the clause so far ends in "phối hợp với A, B" (the list goes on)."""
    for k in range(len(current) - 1, -1, -1):
        hit = ix.cue(current[k].i, {"coordinate"})
        if hit is not None:
            rest = [t for t in current[k:] if t.i >= hit[1].end]
            return _only_actors(rest, ix)
    return False


def _only_actors(current: list[Token], ix: DocIndex) -> bool:
    """True when the clause so far is actors and separators ("Bộ A, Bộ B")."""
    if not current:
        return False
    k = 0
    while k < len(current):
        actor = ix.actors.get(current[k].i)
        if actor is not None:
            while k < len(current) and current[k].i < actor.end:
                k += 1
        elif current[k].lower_ in table().comma_and:
            k += 1
        else:
            return False
    return True


def _is_frame_token(tok: Token, ix: DocIndex) -> bool:
    return tok.i in ix.frame_tokens


# -- reading one clause -----------------------------------------------------------------

def read_clause(tokens: list[Token], ix: DocIndex, sentence_start: bool) -> Clause:
    """Roles of one clause (see the module docstring for the order)."""
    c = Clause(tokens)
    n = len(tokens)
    p = 0
    t = table()

    def at(functions):
        return ix.cue(tokens[p].i, functions) if p < n else None

    def skip(span: Span) -> int:
        q = p
        while q < n and tokens[q].i < span.end:
            q += 1
        return q

    def to_comma(q: int) -> int:
        while q < n and tokens[q].text != ",":
            q += 1
        return q

    if n > 3 and tokens[0].text == "(" and tokens[2].text == ")":
        p = 3  # "(1) rà soát ...": an inline enumeration marker
    while p < n and (tokens[p].text in PUNCT or tokens[p].lower_ in t.leading_fillers
                     or at({"filler"})):  # fmt: skip
        p += 1
    if p < n and (hit := at({"vocative"})):
        q = to_comma(skip(hit[1]))
        p = q + 1 if q < n else p
    if p < n and sentence_start and (hit := at({"topic"})):
        # "Về thị trường, giá cả: Sở X ...": the topic runs to the colon when there is one.
        colon = next((k for k in range(skip(hit[1]), n) if tokens[k].text == ":"), None)
        q = colon if colon is not None else to_comma(skip(hit[1]))
        if q < n and q > skip(hit[1]):
            c.topic = Ref(tokens[skip(hit[1])].idx, _end(tokens[q - 1]), hit[0].id)
            p = q + 1
    if p < n and (hit := at({"condition"})):
        q = to_comma(skip(hit[1]))
        if q < n:
            p = q + 1
    # A leader and the verb by which they speak: the issuer, not the actor.
    actor = ix.actors.get(tokens[p].i) if p < n else None
    if actor is not None and ix.is_leader(actor):
        q = skip(actor)
        while q < n and q - skip(actor) < 4 and tokens[q].is_title and not ix.cues.get(tokens[q].i):
            q += 1  # the person's name after the title
        verb = None
        if q < n:  # an assigning reading of the verb wins over a merely speaking one
            verb = ix.cue(tokens[q].i, t.introduces_actor) or ix.cue(
                tokens[q].i, {"issuer_verb", "non_directive", "conclusion"}
            )
        if verb is not None:
            c.issuer = Ref.of(actor, "issuer.leader_verb")
            p = q
            if verb[0].function == "non_directive":
                c.non_directive = True
                return c
            if verb[0].function in ("issuer_verb", "conclusion"):
                c.cues.append(verb[0])
                p = skip(verb[1])
                if p < n and tokens[p].text in (":", ","):
                    p += 1
    # Assigning cue with its actor after it: "Giao Bộ X ...", "đề nghị Tổ công tác ..."
    hit = at(t.introduces_actor) if p < n else None
    if hit is not None and hit[0].after_leader and c.issuer is None:
        hit = None  # "Bộ X chỉ đạo ...": the verb is the action, not an assignment
    if hit is not None:
        c.cues.append(hit[0])
        p = skip(hit[1])
        p = _to_actor(tokens, p, ix, c, f"actor.after_{hit[0].id}")
    elif p < n and (actor := ix.actors.get(tokens[p].i)) is not None:
        c.actor = Ref.of(actor, "actor.subject")
        p = skip(actor)
    if c.actor is not None:
        p = _skip_person_name(tokens, p, c.actor, ix)
        p = _join_actors(tokens, p, ix, c)
    # Between the actor and the action: roles, modals, a deadline, a past marker.
    while p < n:
        tok = tokens[p]
        if hit := at({"urgency"}):
            c.cues.append(hit[0])
            c.urgent = Ref.of(hit[1], hit[0].id)
            p = skip(hit[1])
        elif (dl := ix.deadlines.get(tok.i)) is not None:
            _set_deadline(c, dl)
            p = skip(dl)
        elif hit := at({"past"}):
            c.past = True
            p = skip(hit[1])
        elif hit := at({"non_directive"}):
            c.non_directive = True
            return c
        elif (hit := at({"modal", "lead", "require", "request", "assign"})) and not (
            hit[0].after_leader and c.issuer is None
        ):
            c.cues.append(hit[0])
            p = skip(hit[1])
            if hit[0].function in ("require", "request", "assign") and c.actor is None:
                p = _to_actor(tokens, p, ix, c, f"actor.after_{hit[0].id}")
        elif hit := at({"filler", "qualifier"}):
            p = skip(hit[1])
            if p < n and tokens[p].text == ",":
                p += 1
        elif (hit := at({"emphasis"})) and _verb_follows(tokens, skip(hit[1]), ix):
            c.cues.append(hit[0])  # "chủ động bố trí ...": the adverb is not the action
            p = skip(hit[1])
        elif hit := at({"coordinate"}):
            c.cues.append(hit[0])
            p = _read_coactors(tokens, skip(hit[1]), ix, c)
        elif tok.text == "," or tok.lower_ in t.before_action:
            p += 1
        else:
            break
    if c.actor is None and (hit := at({"prohibit"})) is not None and hit[0].actor_inside:
        q = skip(hit[1])
        if q < n and (party := ix.actors.get(tokens[q].i)) is not None:
            c.actor = Ref.of(party, f"actor.after_{hit[0].id}")
    _read_action(tokens, p, ix, c)
    return c


def _join_actors(tokens: list[Token], p: int, ix: DocIndex, c: Clause) -> int:
    """Several bodies in the actor's place are one actor: "Bộ Công an, Bộ Tài chính"."""
    n = len(tokens)
    while p + 1 < n and tokens[p].lower_ in table().comma_and:
        nxt = ix.actors.get(tokens[p + 1].i)
        if nxt is None:
            break
        c.actor = Ref(c.actor.start, nxt.end_char, c.actor.rule)
        p += 1
        while p < n and tokens[p].i < nxt.end:
            p += 1
    return p


def _skip_person_name(tokens: list[Token], p: int, actor: Ref, ix: DocIndex) -> int:
    """Past the name after a title ("Phó Thủ tướng Chính phủ Trần Hồng Hà")."""
    span = ix.actors.get(ix.doc.char_span(actor.start, actor.end, alignment_mode="expand").start)
    if span is None or not ix.is_leader(span):
        return p
    q = p
    while q < len(tokens) and q - p < 4 and tokens[q].is_title and tokens[q].i not in ix.cues \
            and tokens[q].i not in ix.actors and tokens[q].i not in ix.deadlines:  # fmt: skip
        q += 1
    return q


def _to_actor(tokens: list[Token], p: int, ix: DocIndex, c: Clause, rule: str) -> int:
    """Read the actor after an assigning cue, past 'cho', honorifics and fillers."""
    if p >= len(tokens):
        return p
    start = ix.actor_start_after(tokens[p].i)
    if start is None:
        return p
    actor = ix.actors[start]
    c.actor = Ref.of(actor, rule)
    while p < len(tokens) and tokens[p].i < actor.end:
        p += 1
    return p


def _verb_follows(tokens: list[Token], p: int, ix: DocIndex) -> bool:
    return p < len(tokens) and (tokens[p].pos_ == "VERB" or bool(ix.cues.get(tokens[p].i)))


def _set_deadline(c: Clause, span: Span) -> None:
    """Keep the first deadline, but a dated one replaces a bare 'khẩn trương'."""
    new = Ref.of(span, span.id_ or "deadline")
    if c.deadline is None or (_is_urgent(c.deadline) and not _is_urgent(new)):
        c.deadline = new


def _is_urgent(ref: Ref) -> bool:
    """A 'khẩn trương' with no date, from the deadline rules or the cue lexicon."""
    return ref.rule.startswith(("urgent", "urgency"))


def _end(tok: Token) -> int:
    return tok.idx + len(tok.text)


def _read_coactors(tokens: list[Token], p: int, ix: DocIndex, c: Clause) -> int:
    n = len(tokens)
    while p < n:
        actor = ix.actors.get(tokens[p].i)
        if actor is not None:
            c.coactors.append(Ref.of(actor, "coactor.after_phoi_hop"))
            while p < n and tokens[p].i < actor.end:
                p += 1
        elif tokens[p].lower_ in table().coactor_sep and c.coactors:
            p += 1
        else:
            break
    if not c.coactors:  # an unknown body: the noun phrase up to the first verb
        q = p
        while q < n and tokens[q].pos_ not in ("VERB",) and tokens[q].text not in (",", ";"):
            q += 1
        if q > p:
            c.coactors.append(Ref(tokens[p].idx, _end(tokens[q - 1]), "coactor.noun_phrase"))
            p = q
    return p


def _read_action(tokens: list[Token], p: int, ix: DocIndex, c: Clause) -> None:
    n = len(tokens)
    end = n
    purpose_at = None
    q = p + 1
    while q < n:
        tok = tokens[q]
        if (dl := ix.deadlines.get(tok.i)) is not None and purpose_at is None:
            _set_deadline(c, dl)
            end = min(end, q)
            break
        if tok.text in table().comma_and and q + 1 < n and ix.cue(tokens[q + 1].i, {"report"}):
            report = tokens[q + 1]
            r = q + 2
            while r < n and tokens[r].i < report.i + 1:
                r += 1
            actor = ix.actors.get(tokens[r].i) if r < n else None
            if actor is not None:
                c.report_to = Ref.of(actor, "report_to.tail")
            end = min(end, q)
            _tail_deadline(tokens, q + 1, ix, c)
            break
        if tok.text == "," and q + 1 < n and ix.cue(tokens[q + 1].i, {"completion"}):
            end = min(end, q)
            _tail_deadline(tokens, q + 1, ix, c)
            break
        if purpose_at is None and ix.cue(tok.i, {"purpose"}) and not _inside_cue(tok, ix):
            purpose_at = q
            end = min(end, q)
        q += 1
    while end > p and tokens[end - 1].text in PUNCT:
        end -= 1
    if end > p:
        c.action = (p, end)
        first = tokens[p]
        if ix.cue(first.i, {"report"}) and c.report_to is None:
            # "báo cáo Thủ tướng ...", "báo cáo kết quả về Sở X": the first body named.
            for t in tokens[p + 1 : min(end, p + 6)]:
                if (actor := ix.actors.get(t.i)) is not None:
                    c.report_to = Ref.of(actor, "report_to.action")
                    break
        if ix.cue(first.i, {"completion"}) and c.deadline is not None and end - p <= 2:
            c.completion_only = True
    if purpose_at is not None:
        pend = n
        for r in range(purpose_at + 1, n):
            if ix.deadlines.get(tokens[r].i) is not None:
                _set_deadline(c, ix.deadlines[tokens[r].i])
                pend = r
                break
        while pend > purpose_at and tokens[pend - 1].text in PUNCT:
            pend -= 1
        if pend > purpose_at + 1:
            c.purpose = (purpose_at, pend)


def _tail_deadline(tokens: list[Token], q: int, ix: DocIndex, c: Clause) -> None:
    for tok in tokens[q:]:
        dl = ix.deadlines.get(tok.i)
        if dl is not None:
            _set_deadline(c, dl)
            return


def _inside_cue(tok: Token, ix: DocIndex) -> bool:
    """True for 'để' inside 'không để' (a prohibition, not a purpose)."""
    for entries in ix.cues.values():
        for cue, span in entries:
            if cue.function == "prohibit" and span.start < tok.i < span.end:
                return True
    return False


# -- the document walk ----------------------------------------------------------------


@dataclass
class WalkState:
    frames: list[Frame] = field(default_factory=list)
    section: Optional[str] = None
    conclusion_seen: bool = False
    issuer: Optional[Ref] = None
    # What every clause would inherit, directive or not (the model's proposals use it).
    clause_context: dict = field(default_factory=dict)
    speaker: Optional[Ref] = None  # the leader speaking in a transcript turn


def _modality(c: Clause, governing: Optional[str], ix: DocIndex) -> str:
    if c.action is not None:
        head = c.tokens[c.action[0] : c.action[0] + 2]
        for cue_fn, modality in (("prohibit", "prohibition"), ("permit", "permission")):
            if any(ix.cue(t.i, {cue_fn}) for t in head):
                return modality
    for cue in c.cues:
        if cue.function == "permit":
            return "permission"
        if cue.function == "request" or (
            cue.function == "modal" and cue.modality == "recommendation"
        ):
            return "recommendation"
    return governing or "obligation"


def doc_index(doc: Doc) -> DocIndex:
    """The Doc's index, built once and kept on the Doc (the model stage reuses it)."""
    ix = doc.user_data.get(_INDEX_KEY)
    if ix is None or ix.doc is not doc:
        ix = doc.user_data[_INDEX_KEY] = DocIndex(doc)
    return ix


_INDEX_KEY = ("extractor", "doc_index")


def assemble(doc: Doc) -> list[DirectiveRecord]:
    """All directives of a processed Doc, in text order, each once."""
    ix = doc_index(doc)
    text = ix.text
    skipped = doc._.skipped or []
    blocks = doc._.blocks or []
    state = WalkState()
    has_conclusion = any(
        cue.function == "conclusion" and not any(r.start <= s.start_char < r.end for r in skipped)
        for entries in ix.cues.values()
        for cue, s in entries
    )
    records: list[DirectiveRecord] = []
    seen: set[tuple[str, str]] = set()
    for block in blocks:
        _enter_block(block, state, doc, ix)
        for s_start, s_end in block.sentences:
            # A lead-in earlier in the same line governs the sentences after it.
            frame = state.frames[-1] if state.frames else None
            tokens, clauses = ix.sentence(s_start, s_end)
            if not tokens:
                continue
            evidence = Ref(s_start, s_end, "segment.sentence")
            lead_in = text[s_start:s_end].rstrip().endswith(":")
            sentence_records, readings = _read_sentence(
                tokens, clauses, ix, state, frame, has_conclusion, evidence, lead_in
            )
            for rec in sentence_records:
                key = (fold(text[rec.actor.start : rec.actor.end]) if rec.actor else "",
                       fold(text[rec.action.start : rec.action.end]))  # fmt: skip
                if key in seen:
                    continue
                seen.add(key)
                records.append(rec)
            _after_sentence(doc, tokens, readings, ix, state, block, s_end)
    doc._.clause_context = state.clause_context
    return records


def _enter_block(block, state: WalkState, doc: Doc, ix: DocIndex) -> None:
    """Close the frames this block ends; open the one it starts (heading actor or topic)."""
    if block.speaker is not None:
        s0, s1 = block.speaker
        state.speaker = None
        for actor in ix.actors.values():
            if s0 <= actor.start_char and actor.end_char <= s1 and ix.is_leader(actor):
                state.speaker = Ref.of(actor, "issuer.speaker_turn")
                break
    if block.is_heading:
        state.frames.clear()
        if block.section_kind:
            state.section = block.section_kind
        return
    if block.level > 0:
        while state.frames and state.frames[-1].level >= block.level:
            state.frames.pop()
    else:
        state.frames = [f for f in state.frames if f.level > 0 or f.directive]
    body = ix.text[block.body_start : block.end].rstrip()
    heading_text = body[:-1].rstrip() if body.endswith(":") else body
    heading_end = block.body_start + len(heading_text)
    span = doc.char_span(block.body_start, heading_end, alignment_mode="expand")
    if span is None or not heading_text:
        return
    actor = ix.actors.get(span[0].i) if len(span) else None
    if actor is not None and actor.end_char >= block.body_start + len(heading_text):
        state.frames.append(Frame(block.level, actor=Ref.of(actor, "actor.heading"),
                                  directive=True, rule="frame.actor_heading"))  # fmt: skip
        return
    topic = ix.cue(span[0].i, {"topic"})
    if topic is not None and body.endswith(":"):
        t_start = topic[1].end_char
        while t_start < len(ix.text) and ix.text[t_start] == " ":
            t_start += 1
        parent = state.frames[-1] if state.frames else None
        state.frames.append(Frame(block.level, topic=Ref(t_start, heading_end, topic[0].id),
                                  actor=parent.actor if parent else None,
                                  directive=parent.directive if parent else False,
                                  rule="frame.topic_heading"))  # fmt: skip


def _read_sentence(tokens, clauses, ix: DocIndex, state: WalkState, frame: Optional[Frame],
                   has_conclusion: bool, evidence: Ref, lead_in: bool = False):  # fmt: skip
    """Directives of one sentence, and the clause readings (for what follows)."""
    readings: list[Clause] = []
    for k, toks in enumerate(clauses):
        readings.append(read_clause(toks, ix, sentence_start=(k == 0)))
    # Sentence-level gates: praise or a report before any strong cue.
    sentence_nd = any(c.non_directive for c in readings)
    # Before "kết luận như sau" / "Kết luận hội nghị" only a leader's own words direct.
    found = find_issuer(tokens, ix)
    leader_speaks = found is not None or any(c.issuer is not None for c in readings)
    past = False
    records: list[DirectiveRecord] = []
    prev_actor: Optional[Ref] = None
    governing: Optional[str] = frame.modality if frame is not None else None
    strong_seen = False
    tb = table()
    issuer = _speaker_for(found, state, ix) if found is not None else state.issuer
    for c in readings:
        if c.issuer is not None and state.speaker is not None and _is_first_person(c.issuer, ix):
            c.issuer = state.speaker
        if c.issuer is not None:
            issuer = c.issuer
        functions = {cue.function for cue in c.cues}
        action_cues: set[str] = set()
        action_ids: list[str] = []
        if c.action is not None:
            for tok in c.tokens[c.action[0] : c.action[0] + 2]:
                for cue, _ in ix.cues.get(tok.i, []):
                    if cue.function in tb.strong | tb.weak:
                        action_cues.add(cue.function)
                        action_ids.append(cue.id)
        governed = {tb.governs[f] for f in functions if f in tb.governs}
        if "recommendation" in governed:  # "đề nghị" wins over an obligation before it
            governing = "recommendation"
        elif "obligation" in governed and governing is None:
            governing = "obligation"
        strong = bool((functions | action_cues) & tb.strong) or strong_seen
        strong_seen = strong_seen or bool(functions & tb.instructs)
        weak = bool((functions | action_cues) & tb.weak)
        own_actor = c.actor is not None and c.actor.rule == "actor.subject"
        if c.actor is None:
            c.actor = prev_actor
            if c.actor is None and frame is not None and frame.actor is not None:
                c.actor = frame.actor
        prev_actor = c.actor
        if c.topic is None and frame is not None:
            c.topic = frame.topic
        if c.deadline is None and frame is not None:
            c.deadline = frame.deadline
        past = c.past or (past and not functions & tb.strong)
        # May the model propose here? Where the rules would listen to a weak cue.
        may_direct = (
            (state.conclusion_seen or leader_speaks or (frame is not None and frame.directive))
            and state.section != "assessment"
            and not (c.non_directive or past or sentence_nd)
        )
        state.clause_context[c.tokens[0].idx] = (c.actor, c.issuer or issuer, may_direct)
        if c.action is None or c.non_directive or past or sentence_nd and not strong:
            continue
        in_frame = frame is not None and frame.directive
        zone_open = (not has_conclusion) or state.conclusion_seen or leader_speaks or in_frame
        if not zone_open:
            continue
        assessment = state.section == "assessment"
        head = c.tokens[c.action[0]]
        imperative = in_frame and head.pos_ == "VERB"
        if strong and not (assessment and not functions & tb.instructs):
            confidence, rule = 0.9, "directive.strong_cue"
        elif weak and zone_open and not assessment:
            confidence, rule = 0.8, "directive.weak_cue_in_conclusion"
        elif imperative and not assessment:
            confidence, rule = 0.75, "directive.list_item_under_lead"
        elif (own_actor and head.pos_ == "VERB" and not assessment
              and (state.conclusion_seen or in_frame)):  # fmt: skip
            confidence, rule = 0.7, "directive.actor_then_verb_in_conclusion"
        else:
            continue
        if lead_in and _announces_list(c, ix):
            continue  # "... một số nội dung sau:": the items below are the directives
        if c.actor is None:
            confidence -= 0.15
        if c.completion_only:
            continue
        records.append(_record(c, evidence, issuer, _modality(c, governing, ix), confidence,
                               [rule, *(cue.id for cue in c.cues), *action_ids]))  # fmt: skip
    # "..., hoàn thành trước X": the tail deadline reaches every task before it.
    tail = next((c for c in reversed(readings) if c.completion_only), None)
    if tail is not None:
        for rec in records:
            if rec.deadline is None or _is_urgent(rec.deadline):
                rec.deadline = tail.deadline
                rec.rules.append("deadline.completion_tail")
    return records, readings


def find_issuer(tokens: list[Token], ix: DocIndex) -> Optional[Ref]:
    """A leader speaking anywhere in the sentence: title, [name], [adverbs], verb.

    "Sau khi nghe ..., Phó Thủ tướng Chính phủ Trịnh Đình Dũng kết luận như sau:".
    """
    for k, tok in enumerate(tokens):
        actor = ix.actors.get(tok.i)
        if actor is None or not ix.is_leader(actor):
            continue
        q = k
        while q < len(tokens) and tokens[q].i < actor.end:
            q += 1
        names = 0
        while q < len(tokens) and names < 4 and tokens[q].is_title and not ix.cues.get(tokens[q].i):
            q, names = q + 1, names + 1
        adverbs = 0
        while q < len(tokens) and adverbs < 2 and tokens[q].pos_ == "ADV" \
                and not ix.cues.get(tokens[q].i):  # fmt: skip
            q, adverbs = q + 1, adverbs + 1
        if q < len(tokens) and ix.cue(tokens[q].i, table().speaking):
            return Ref.of(actor, "issuer.leader_verb")
    return None


def _speaker_for(ref: Ref, state: WalkState, ix: DocIndex) -> Ref:
    """'Tôi' in a transcript is the leader whose turn it is."""
    if state.speaker is not None and _is_first_person(ref, ix):
        return state.speaker
    return ref


def _announces_list(c: Clause, ix: DocIndex) -> bool:
    """A lead-in clause whose only object is the list below ("... các nội dung sau:")."""
    a0, a1 = c.action
    t = table()
    words = [w.lower_ for w in c.tokens[a0:a1]]
    return bool(words) and (words[-1] in t.announce_last or words[-2:] in t.announce_last_two)


def _is_first_person(ref: Ref, ix: DocIndex) -> bool:
    return ix.text[ref.start : ref.end].lower() in table().first_person


def _record(c: Clause, evidence: Ref, issuer, modality: str, confidence: float,
            rules: list[str]) -> DirectiveRecord:  # fmt: skip
    a0, a1 = c.action
    action = Ref(c.tokens[a0].idx, _end(c.tokens[a1 - 1]), "action.clause")
    purpose = None
    if c.purpose is not None:
        p0, p1 = c.purpose
        purpose = Ref(c.tokens[p0].idx, _end(c.tokens[p1 - 1]), "purpose.de_clause")
    return DirectiveRecord(
        evidence=evidence, action=action, modality=modality, actor=c.actor, issuer=issuer,
        coactors=c.coactors, topic=c.topic, purpose=purpose, report_to=c.report_to,
        deadline=c.deadline or c.urgent, confidence=round(max(0.05, min(confidence, 0.99)), 2),
        rules=rules,
    )


def _after_sentence(doc: Doc, tokens, readings, ix: DocIndex, state: WalkState, block,
                    s_end: int) -> None:  # fmt: skip
    """Update what later sentences inherit: the zone, the issuer, a lead-in frame."""
    t = table()
    for tok in tokens:
        for cue, _span in ix.cues.get(tok.i, []):
            if cue.function == "conclusion":
                state.conclusion_seen = True
    for c in readings:
        if c.issuer is not None:
            state.issuer = c.issuer
    found = find_issuer(tokens, ix)
    if found is not None:
        state.issuer = _speaker_for(found, state, ix)
    if ix.text[:s_end].rstrip().endswith(":") and readings:
        first = tokens[0]
        actor = ix.actors.get(first.i)
        if actor is not None and actor.end_char >= ix.text[:s_end].rstrip().rfind(":"):
            # "Sở Y tế: (1) ...; (2) ...": an actor heading inside the line.
            state.frames.append(Frame(block.level, actor=Ref.of(actor, "actor.heading"),
                                      directive=True, rule="frame.inline_heading"))  # fmt: skip
            return
        functions = {cue.function for c in readings for cue in c.cues}
        # "..., đề nghị Tỉnh lưu ý một số nội dung sau:": the clause that names whom.
        lead = next((c for c in reversed(readings) if c.actor is not None
                     and {q.function for q in c.cues} & t.instructs),
                    next((c for c in reversed(readings) if c.actor is not None), readings[-1]))
        if functions & (t.strong | t.weak | {"conclusion", "issuer_verb"}):
            governed = {t.governs[f] for f in functions if f in t.governs}
            modality = "recommendation" if "recommendation" in governed else None
            state.frames.append(Frame(block.level, actor=lead.actor, directive=True,
                                      modality=modality, deadline=lead.deadline,
                                      rule="frame.lead_in"))  # fmt: skip


class DirectiveAssembler:
    """spaCy component: ``doc._.directives`` from :func:`assemble`."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.directives = assemble(doc)
        return doc


@Language.factory("directive_assembler", assigns=["doc._.directives"])
def create_assembler(nlp: Language, name: str) -> DirectiveAssembler:
    return DirectiveAssembler(name)
