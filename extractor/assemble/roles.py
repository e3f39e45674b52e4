"""Role reading: the roles of one clause, in the order of the module docstring of
:mod:`extractor.assemble`. Each function reads one part and moves a :class:`Cursor` on."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Optional

from spacy.tokens import Span, Token

from ..deadlines import get_rules
from ..schema import DeadlineKind
from .discourse import issuer_at, past_issuer_adverbs
from .index import DocIndex
from .records import Clause, Ref
from .table import PUNCT, table

_SPEAKS = frozenset({"issuer_verb", "non_directive", "conclusion"})
_SENTENCE_END = frozenset({".", "!", "?"})
_BETWEEN = frozenset({"modal", "lead"})


class Cursor:
    """A position in a clause's tokens, and the index to look cues up in."""

    def __init__(self, tokens: list[Token], ix: DocIndex):
        self.tokens, self.ix, self.n, self.p = tokens, ix, len(tokens), 0

    def at(self, functions) -> Optional[tuple]:
        """The cue of one of ``functions`` starting at the position, if any."""
        return self.ix.cue(self.tokens[self.p].i, functions) if self.p < self.n else None

    def skip(self, span: Span) -> int:
        """The position after ``span``."""
        q = self.p
        while q < self.n and self.tokens[q].i < span.end:
            q += 1
        return q

    def to_comma(self, q: int) -> int:
        while q < self.n and self.tokens[q].text != ",":
            q += 1
        return q


def read_clause(tokens: list[Token], ix: DocIndex, sentence_start: bool) -> Clause:
    """Roles of one clause (see the package docstring for the order)."""
    c = Clause(tokens)
    cur = Cursor(tokens, ix)
    _skip_opening(cur)
    if cur.p < cur.n and sentence_start:
        _read_topic(cur, c)
    _skip_condition(cur)
    if _read_leader(cur, c):
        return c
    _read_actor(cur, c)
    while cur.p < cur.n:
        step = _between(cur, c)
        if step == "done":
            return c
        if step == "stop":
            break
    _actor_inside_prohibition(cur, c)
    read_action(tokens, cur.p, ix, c)
    return c


def _skip_opening(cur: Cursor) -> None:
    """An inline enumeration marker, punctuation and fillers, a vocative."""
    tokens, n, t = cur.tokens, cur.n, table()
    if n > 3 and tokens[0].text == "(" and tokens[2].text == ")":
        cur.p = 3  # "(1) rà soát ...": an inline enumeration marker
    while cur.p < n and (tokens[cur.p].text in PUNCT
                         or tokens[cur.p].lower_ in t.leading_fillers
                         or cur.at({"filler"})):  # fmt: skip
        filler = cur.at({"filler"})  # "Một là": past every word of the filler
        cur.p = cur.skip(filler[1]) if filler else cur.p + 1
    if cur.p < n and (hit := cur.at({"vocative"})):
        q = cur.to_comma(cur.skip(hit[1]))
        cur.p = q + 1 if q < n else cur.p


def _read_topic(cur: Cursor, c: Clause) -> None:
    """"Về thị trường, giá cả: Sở X ...": the topic runs to the colon when there is one."""
    hit = cur.at({"topic"})
    if not hit:
        return
    tokens, n = cur.tokens, cur.n
    start = cur.skip(hit[1])
    colon = next((k for k in range(start, n) if tokens[k].text == ":"), None)
    q = colon if colon is not None else cur.to_comma(start)
    if q == n:  # "Thứ hai, về thu ngân sách.": a topic sentence or clause of its own (C57)
        q = n - 1 if tokens[-1].text in _SENTENCE_END else n
        c.topic = Ref(tokens[start].idx, end_of(tokens[q - 1]), hit[0].id) if q > start else None
        cur.p = n
        return
    if q < n and q > start:
        c.topic = Ref(tokens[start].idx, end_of(tokens[q - 1]), hit[0].id)
        cur.p = q + 1


def _skip_condition(cur: Cursor) -> None:
    if cur.p < cur.n and (hit := cur.at({"condition"})):
        q = cur.to_comma(cur.skip(hit[1]))
        if q < cur.n:
            cur.p = q + 1


def _read_leader(cur: Cursor, c: Clause) -> bool:
    """A leader and the verb by which they speak: the issuer, not the actor. True when the
    verb says the clause directs nothing (praise, a report)."""
    found = _speaking_leader(cur)
    if found is None:
        c.past = c.past or _leader_did(cur)
        return False
    c.issuer, cur.p, verb = found
    tokens, n = cur.tokens, cur.n
    if verb[0].function == "non_directive":
        c.non_directive = True
        return True
    if verb[0].function in ("issuer_verb", "conclusion"):
        c.cues.append(verb[0])
        cur.p = cur.skip(verb[1])
        if cur.p < n and tokens[cur.p].text in (":", ","):
            cur.p += 1
    return False


def _speaking_leader(cur: Cursor) -> Optional[tuple[Optional[Ref], int, tuple]]:
    """The issuer, the position of its verb and the verb: at the clause start or after a
    short opener ending in a comma ("Chiều 5/9, ...", "Tại buổi làm việc, ...")."""
    tokens, n, ix = cur.tokens, cur.n, cur.ix
    for p in _issuer_starts(cur):
        hit = issuer_at(tokens, p, ix) or _staff_office_at(tokens, p, ix)
        if hit is None:
            continue
        issuer, q = hit  # past the person's name after a title
        q = past_issuer_adverbs(tokens, q, ix)  # "cũng", "đồng thời"
        # an assigning reading of the verb wins over a merely speaking one
        verb = (ix.cue(tokens[q].i, table().introduces_actor) or ix.cue(tokens[q].i, _SPEAKS)
                if q < n else None)  # fmt: skip
        if verb is not None and issuer is None and verb[0].after_leader:
            continue  # "Văn phòng UBND tỉnh chỉ đạo Trung tâm …": the office's own task
        if verb is not None:
            return issuer, q, verb
    return None


def _staff_office_at(tokens: list[Token], p: int, ix: DocIndex) -> Optional[tuple[None, int]]:
    """"Văn phòng UBND tỉnh đề nghị …": the office writes in its own name; it speaks, but
    it is no issuer (None) and no actor (C61)."""
    actor = ix.actors.get(tokens[p].i)
    if actor is None or not actor.text.lower().startswith(table().staff_offices):
        return None
    q = p
    while q < len(tokens) and tokens[q].i < actor.end:
        q += 1
    return None, q


def _leader_did(cur: Cursor) -> bool:
    """"Cách đây một tuần, Phó Thủ tướng cũng đã có ý kiến ...": a leader behind an
    opener, then a past marker: what was done before, reported (C39)."""
    tokens, ix = cur.tokens, cur.ix
    for p in _issuer_starts(cur):
        hit = issuer_at(tokens, p, ix) if p > cur.p else None
        if hit is not None:
            q = past_issuer_adverbs(tokens, hit[1], ix)
            return q < cur.n and ix.cue(tokens[q].i, {"past"}) is not None
    return False


MAX_OPENER = 30  # tokens of a circumstantial opener before the issuer


def _issuer_starts(cur: Cursor):
    """The clause start, then each position after a comma of an opener that directs
    nothing itself (no directive cue before the comma)."""
    if cur.p >= cur.n:
        return
    yield cur.p
    directive = table().strong | table().weak
    for k in range(cur.p + 1, min(cur.n, cur.p + MAX_OPENER)):
        if cur.ix.cue(cur.tokens[k - 1].i, directive):
            return
        if cur.tokens[k - 1].text == ",":
            yield k


def _read_actor(cur: Cursor, c: Clause) -> None:
    """An assigning cue with its actor after it ("Giao Bộ X ...", "đề nghị Tổ công tác
    ..."), or the clause's subject; then the person's name and the other bodies with it."""
    hit = cur.at(table().introduces_actor) if cur.p < cur.n else None
    if hit is not None and hit[0].after_leader and c.issuer is None:
        hit = None  # "Bộ X chỉ đạo ...": the verb is the action, not an assignment
    if hit is not None:
        c.cues.append(hit[0])
        cur.p = cur.skip(hit[1])
        cur.p = to_actor(cur.tokens, cur.p, cur.ix, c, f"actor.after_{hit[0].id}")
    elif cur.p < cur.n and (actor := cur.ix.actors.get(cur.tokens[cur.p].i)) is not None:
        actor = cur.ix.actors[cur.ix.past_audience(actor.start)]
        c.actor = Ref.of(actor, "actor.subject")
        c.own_subject = True
        cur.p = cur.skip(actor)
    if c.actor is not None:
        cur.p = skip_person_name(cur.tokens, cur.p, c.actor, cur.ix)
        cur.p = join_actors(cur.tokens, cur.p, cur.ix, c)


def _between(cur: Cursor, c: Clause) -> str:
    """One thing between the actor and the action: an urgency, a deadline, a past marker,
    a modal or governing cue, a filler, an emphasis, the coactors. "next" to go on,
    "stop" at the action, "done" when the clause directs nothing."""
    tokens, ix, tok = cur.tokens, cur.ix, cur.tokens[cur.p]
    if hit := cur.at({"urgency"}):
        c.cues.append(hit[0])
        c.urgent = Ref.of(hit[1], hit[0].id, urgent=True)
        cur.p = cur.skip(hit[1])
    elif (dl := ix.deadlines.get(tok.i)) is not None:
        set_deadline(c, dl)
        cur.p = cur.skip(dl)
    elif hit := cur.at({"past"}):
        c.past = True
        cur.p = cur.skip(hit[1])
    elif hit := cur.at({"non_directive"}):
        c.non_directive = True
        return "done"
    elif (hit := cur.at(_BETWEEN | table().instructs)) and not (
        hit[0].after_leader and c.issuer is None
    ):
        c.cues.append(hit[0])
        cur.p = cur.skip(hit[1])
        if hit[0].function in table().instructs and c.actor is None:
            cur.p = to_actor(tokens, cur.p, ix, c, f"actor.after_{hit[0].id}")
        elif hit[0].function in table().introduces_actor and c.own_subject and c.issuer is None:
            cur.p = _issuing_body(cur, c, hit[0])
    elif (hit := cur.at({"filler", "qualifier"})) and _qualifier_closes(cur, hit):
        cur.p = cur.skip(hit[1])
        if hit[0].to_comma:
            cur.p = cur.to_comma(cur.p)
        if cur.p < cur.n and tokens[cur.p].text == ",":
            cur.p += 1
    else:
        return _between_tail(cur, c, tok)
    return "next"


def _qualifier_closes(cur: Cursor, hit: tuple) -> bool:
    """A qualifier up to a comma ("căn cứ …,") needs the comma and a verb after it."""
    if not hit[0].to_comma:
        return True
    q = cur.to_comma(cur.skip(hit[1]))
    return q + 1 < cur.n and verb_follows(cur.tokens, q + 1, cur.ix)


def _issuing_body(cur: Cursor, c: Clause, cue) -> int:
    """"UBND tỉnh yêu cầu các sở, ngành ...": a body that instructs another is the issuer,
    the body after its cue the actor (guideline 6.2); with no actor after the cue the
    subject stays the actor, and so it does in a proposal to a higher level ("Thành phố
    kiến nghị Chính phủ ...", C41: reported, not directed)."""
    subject = c.actor
    c.actor = None
    p = to_actor(cur.tokens, cur.p, cur.ix, c, f"actor.after_{cue.id}")
    if c.actor is None or cue.upward and _higher_level(c.actor, cur.ix):
        c.actor = subject
        return cur.p
    c.issuer = replace(subject, rule="issuer.instructing_body")
    c.own_subject = False
    return join_actors(cur.tokens, p, cur.ix, c)


def _higher_level(actor: Ref, ix: DocIndex) -> bool:
    text = ix.text[actor.start : actor.end].lower()
    return any(text.startswith(level) for level in table().higher_levels)


def _between_tail(cur: Cursor, c: Clause, tok: Token) -> str:
    if (hit := cur.at({"emphasis"})) and verb_follows(cur.tokens, cur.skip(hit[1]), cur.ix):
        c.cues.append(hit[0])  # "chủ động bố trí ...": the adverb is not the action
        cur.p = cur.skip(hit[1])
    elif hit := cur.at({"coordinate"}):
        c.cues.append(hit[0])
        cur.p = read_coactors(cur.tokens, cur.skip(hit[1]), cur.ix, c)
    elif tok.text == "," or tok.lower_ in table().before_action or _colon_after_cue(tok, c):
        cur.p += 1
    else:
        return "stop"
    return "next"


def _colon_after_cue(tok: Token, c: Clause) -> bool:
    """"Yêu cầu các địa phương: kiểm tra ...": the colon after an instructed actor (C19)."""
    return tok.text == ":" and any(q.function in table().instructs for q in c.cues)


def _actor_inside_prohibition(cur: Cursor, c: Clause) -> None:
    """"Nghiêm cấm các đơn vị ...": the party after the cue is the actor."""
    if c.actor is None and (hit := cur.at({"prohibit"})) is not None and hit[0].actor_inside:
        q = cur.skip(hit[1])
        if q < cur.n and (party := cur.ix.actors.get(cur.tokens[q].i)) is not None:
            c.actor = Ref.of(party, f"actor.after_{hit[0].id}")


def join_actors(tokens: list[Token], p: int, ix: DocIndex, c: Clause) -> int:
    """Several bodies in the actor's place are one actor: "Bộ Công an, Bộ Tài chính"."""
    n = len(tokens)
    while p + 1 < n and tokens[p].lower_ in table().comma_and:
        nxt = ix.actors.get(tokens[p + 1].i)
        if nxt is None:
            break
        c.actor = replace(c.actor, end=nxt.end_char)  # the first body's detector stays
        p += 1
        while p < n and tokens[p].i < nxt.end:
            p += 1
    return p


def skip_person_name(tokens: list[Token], p: int, actor: Ref, ix: DocIndex) -> int:
    """Past the name after a title ("Phó Thủ tướng Chính phủ Trần Hồng Hà")."""
    span = ix.actors.get(ix.doc.char_span(actor.start, actor.end, alignment_mode="expand").start)
    if span is None or not ix.is_leader(span):
        return p
    q = p
    while q < len(tokens) and q - p < 4 and tokens[q].is_title and tokens[q].i not in ix.cues \
            and tokens[q].i not in ix.actors and tokens[q].i not in ix.deadlines:  # fmt: skip
        q += 1
    return q


def to_actor(tokens: list[Token], p: int, ix: DocIndex, c: Clause, rule: str) -> int:
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


def verb_follows(tokens: list[Token], p: int, ix: DocIndex) -> bool:
    return p < len(tokens) and (tokens[p].pos_ == "VERB" or bool(ix.cues.get(tokens[p].i)))


def set_deadline(c: Clause, span: Span) -> None:
    """Keep the first deadline, but a dated one replaces a bare 'khẩn trương'."""
    new = Ref.of(span, span.id_ or "deadline", urgent=span.id_ in urgent_deadline_rules())
    if c.deadline is None or (c.deadline.urgent and not new.urgent):
        c.deadline = new


@cache
def urgent_deadline_rules() -> frozenset:
    """Ids of the deadline rules that read an urgency without a date (kind ``urgent``)."""
    return frozenset(r.id for r in get_rules().data.rules if r.kind == DeadlineKind.urgent)


def end_of(tok: Token) -> int:
    return tok.idx + len(tok.text)


def read_coactors(tokens: list[Token], p: int, ix: DocIndex, c: Clause) -> int:
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
            c.coactors.append(Ref(tokens[p].idx, end_of(tokens[q - 1]), "coactor.noun_phrase"))
            p = q
    return p


def read_action(tokens: list[Token], p: int, ix: DocIndex, c: Clause) -> None:
    """The action from ``p``: up to a deadline, a report or completion tail, or a purpose;
    then the purpose and what the action's first word says (report, completion)."""
    end, purpose_at = _action_end(tokens, p, ix, c)
    while end > p and tokens[end - 1].text in PUNCT:
        end -= 1
    if end > p:
        c.action = (p, end)
        _read_action_head(tokens, p, end, ix, c)
    if purpose_at is not None:
        _read_purpose(tokens, purpose_at, ix, c)


def _action_end(tokens: list[Token], p: int, ix: DocIndex, c: Clause):
    """Where the action ends, and where a purpose ("để ...") starts, if one does."""
    n, end, purpose_at, t = len(tokens), len(tokens), None, table()
    for q in range(p + 1, n):
        tok = tokens[q]
        if (dl := ix.deadlines.get(tok.i)) is not None and purpose_at is None:
            set_deadline(c, dl)
            if not _object_after_deadline(tokens, p, q, dl):
                return min(end, q), purpose_at
        if (tok.text in t.comma_and and q + 1 < n and ix.cue(tokens[q + 1].i, {"report"})
                and not _submits_for(tokens, p, q, ix)):  # fmt: skip
            _read_report_tail(tokens, q, ix, c)
            tail_deadline(tokens, q + 1, ix, c)
            return min(end, q), purpose_at
        if tok.text == "," and q + 1 < n and ix.cue(tokens[q + 1].i, {"completion"}):
            tail_deadline(tokens, q + 1, ix, c)
            return min(end, q), purpose_at
        if purpose_at is None and ix.cue(tok.i, {"purpose"}) and not _inside_cue(tok, ix):
            purpose_at = q
            end = min(end, q)
    return end, purpose_at


def _object_after_deadline(tokens: list[Token], p: int, q: int, dl: Span) -> bool:
    """"hoàn thiện ngay trong quý I các nghị định ...", "rà soát, cắt giảm ngay các thủ
    tục ...": verbs alone before the deadline, their object after it; or a bare urgency
    before the verb of whom the action mobilizes. The action goes on."""
    after = next((t for t in tokens[q:] if t.i >= dl.end), None)
    if after is None or after.text in PUNCT:
        return False
    if dl.id_ in urgent_deadline_rules() and after.pos_ == "VERB":
        return True  # "huy động các đơn vị khẩn trương khắc phục ...": whom it mobilizes acts
    return _verbs_only(tokens[p:q]) and after.pos_ in _OBJECT_POS


_OBJECT_POS = frozenset({"NOUN", "PROPN", "DET", "NUM"})


def _submits_for(tokens: list[Token], p: int, q: int, ix: DocIndex) -> bool:
    """"hoàn thiện, trình Chính phủ (ban hành) Nghị định ...": a bare verb, then a report
    verb whose object follows its recipient: one action, not a report tail ("tổng hợp,
    báo cáo Chủ tịch UBND tỉnh vào thứ Hai" keeps the tail)."""
    if not _verbs_only(tokens[p:q]):
        return False
    k = q + 2
    while k < len(tokens) and tokens[k].i < tokens[q + 1].i + 1:
        k += 1
    recipient = ix.actors.get(tokens[k].i) if k < len(tokens) else None
    if recipient is None:
        return False
    rest = [t for t in tokens[k:] if t.i >= recipient.end]
    if rest and rest[0].text == "(":  # "(qua Bộ Kế hoạch và Đầu tư)": the intermediary
        close = next((j for j, t in enumerate(rest) if t.text == ")"), len(rest) - 1)
        rest = rest[close + 1 :]
    after = rest[0] if rest else None
    return (after is not None and after.i not in ix.deadlines
            and after.pos_ in _OBJECT_POS | {"VERB"})  # fmt: skip


def _verbs_only(words: list[Token]) -> bool:
    """Verbs with no object yet ("rà soát, cắt giảm")."""
    return all(t.pos_ == "VERB" or t.text in table().comma_and for t in words)


def _read_report_tail(tokens: list[Token], q: int, ix: DocIndex, c: Clause) -> None:
    """", báo cáo Thủ tướng ...": the recipient after the report cue."""
    n = len(tokens)
    hit = ix.cue(tokens[q + 1].i, {"report"})
    cue_end = hit[1].end if hit is not None else tokens[q + 1].i + 1
    r = q + 2  # past the whole cue: "gửi kết quả về Sở X"
    while r < n and tokens[r].i < cue_end:
        r += 1
    actor = ix.actors.get(tokens[r].i) if r < n else None
    if actor is not None:
        c.report_to = Ref.of(actor, "report_to.tail")


def _read_action_head(tokens: list[Token], p: int, end: int, ix: DocIndex, c: Clause) -> None:
    first = tokens[p]
    if ix.cue(first.i, {"report"}) and c.report_to is None:
        # "báo cáo Thủ tướng ...", "báo cáo kết quả về Sở X": the first body named.
        for tok in tokens[p + 1 : min(end, p + 6)]:
            if (actor := ix.actors.get(tok.i)) is not None:
                c.report_to = Ref.of(actor, "report_to.action")
                break
    if ix.cue(first.i, {"completion"}) and c.deadline is not None and end - p <= 2:
        c.completion_only = True


def _read_purpose(tokens: list[Token], purpose_at: int, ix: DocIndex, c: Clause) -> None:
    n, t = len(tokens), table()
    pend = n
    for r in range(purpose_at + 1, n):
        if ix.deadlines.get(tokens[r].i) is not None:
            set_deadline(c, ix.deadlines[tokens[r].i])
            pend = r
            break
        if tokens[r].text in t.comma_and and r + 1 < n and ix.cue(tokens[r + 1].i, {"report"}):
            _read_report_tail(tokens, r, ix, c)  # "để mua sắm X, trình UBND tỉnh"
            tail_deadline(tokens, r + 1, ix, c)
            pend = r
            break
    while pend > purpose_at and tokens[pend - 1].text in PUNCT:
        pend -= 1
    if pend > purpose_at + 1:
        c.purpose = (purpose_at, pend)


def tail_deadline(tokens: list[Token], q: int, ix: DocIndex, c: Clause) -> None:
    for tok in tokens[q:]:
        dl = ix.deadlines.get(tok.i)
        if dl is not None:
            set_deadline(c, dl)
            return


def _inside_cue(tok: Token, ix: DocIndex) -> bool:
    """True for 'để' inside 'không để' (a prohibition, not a purpose)."""
    return ix.inside_cue(tok.i, "prohibit")


# -- the document walk ----------------------------------------------------------------


