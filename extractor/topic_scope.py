"""The "Về …" / "Đối với …" opener that governs a directive (``corpus/GUIDELINE.md`` 6.6,
12.2 rule 1, 12.6): the topic of every directive under it, before the action's object.

The assembler reads an opener that starts the directive's own clause and a "2. Về …:"
heading line; this module finds the ones it leaves: an opener at the start of the
sentence or of a ";" clause whose directives come later in the sentence ("Về đầu tư
công, Thủ tướng yêu cầu các bộ phấn đấu …; kiên quyết điều chuyển …"), an ordinal
heading sentence ("Thứ hai, về thu, chi ngân sách. Cục Thuế …") and a numbered lead-in
("3. Về trật tự xây dựng, Chủ tịch UBND tỉnh yêu cầu UBND thành phố:") over the lines
below it. The innermost opener wins. An opener naming the addressee ("Về phía UBND
tỉnh, …", "Đối với các bộ, ngành, …": an actor) is not a topic (12.2 rule 4).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Optional, Sequence

from spacy.tokens import Doc, Token

from .assemble.records import Origin
from .extensions import text_of
from .topic import TopicWords, _Tokens, topic_words

RULE_LEAD_IN = "topic.lead_in"  # an opener earlier in the directive's own sentence
RULE_HEADING = "topic.heading"  # an opener sentence or line above the directive
SHORT_OPENER = 10  # tokens: an opener sentence this short with commas is one topic


_Context = tuple[TopicWords, set[int], dict[int, int]]  # words, actor starts, actor ends


@dataclass(frozen=True)
class Opener:
    """A governing topic: its span, the characters it governs, and how it governs."""

    start: int
    end: int
    scope_start: int
    scope_end: int
    origin: Origin
    rule: str


def _clause_starts(tokens: Sequence[Token]) -> list[int]:
    """The sentence start and every token after a ";"."""
    return [0] + [k + 1 for k, t in enumerate(tokens[:-1]) if t.text == ";"]


def _skip_punct(tokens: Sequence[Token], k: int) -> int:
    while k < len(tokens) and tokens[k].is_punct:
        k += 1
    return k


def _opener_start(tw: _Tokens, k: int, words: TopicWords) -> Optional[int]:
    """The first token of X after "[Thứ hai,] về|đối với" at ``k``, or None."""
    k = _skip_punct(tw.tokens, k)
    n = tw.match(k, words.ordinal_leads)
    if n:
        k = _skip_punct(tw.tokens, k + n)
    n = tw.match(k, words.heading_cues)
    if not n or tw.match(k + n, words.addressee_heads):
        return None
    return k + n if k + n < len(tw) else None


def _opener_end(tw: _Tokens, start: int, stop: int, actor_starts: set[int],
                whole: bool = False) -> int:  # fmt: skip
    """Where X ends: a colon, or a comma before the actor ("Về X, Bộ Y …"); a short
    opener sentence, or a ``whole`` heading line, is all topic ("Thứ hai, về thu, chi
    ngân sách."); else the first comma."""
    low = tw.low
    for j in range(start, stop):
        if low[j] == ":" or (low[j] == "," and j + 1 < stop
                             and tw.tokens[j + 1].i in actor_starts):  # fmt: skip
            return j
    comma = next((j for j in range(start, stop) if low[j] == ","), None)
    if comma is None or whole or stop - start <= SHORT_OPENER:
        return stop
    return comma


def _trim(tokens: Sequence[Token], start: int, end: int) -> int:
    """Without trailing punctuation, but with the bracket that closes one inside X
    ("dự án Luật Quản lý thuế (sửa đổi)")."""
    while end > start and tokens[end - 1].is_punct:
        if tokens[end - 1].text == ")" and any(t.text == "(" for t in tokens[start:end - 1]):
            break
        end -= 1
    return end


def _heading_line(doc: Doc, block, sent: tuple[int, int]) -> bool:
    """A numbered line that is one sentence without a final full stop or colon, "1. Về
    tình hình kinh tế - xã hội tháng 8; việc triển khai Nghị quyết số 01": a title, all
    of it the topic, its ";" inside it."""
    if block.marker is None or len(block.sentences) != 1:
        return False
    return not text_of(doc)[sent[0]:sent[1]].rstrip().endswith((".", ":", ";"))


def _is_addressee(tokens: Sequence[Token], start: int, end: int,
                  actor_ends: dict[int, int]) -> bool:  # fmt: skip
    """X is a body told to act ("Đối với các bộ, ngành"): an actor span covers it."""
    first = tokens[start].i
    return actor_ends.get(first, -1) >= tokens[end - 1].i + 1


def _blocks_below(blocks: list, index: int) -> int:
    """The end of the lines a heading line governs: unmarked lines under a marked heading,
    and deeper list items, until the next line at its level."""
    head = blocks[index]
    end = head.end
    for block in blocks[index + 1:]:
        under = (block.marker is None and head.marker is not None) or block.level > head.level
        if not under or block.is_heading:
            break
        end = block.end
    return end


def _sentence_openers(doc: Doc, blocks: list, bi: int, sent: tuple[int, int],
                      ctx: _Context) -> list[Opener]:  # fmt: skip
    words, actor_starts, actor_ends = ctx
    span = doc.char_span(sent[0], sent[1], alignment_mode="expand")
    if span is None or not len(span):
        return []
    tokens = [t for t in span if t.idx >= blocks[bi].body_start]
    tw, out = _Tokens(tokens), []
    first = bool(blocks[bi].sentences) and blocks[bi].sentences[0][0] == sent[0]
    whole = first and _heading_line(doc, blocks[bi], sent)
    for clause in [0] if whole else _clause_starts(tokens):
        stop = len(tokens) if whole else next(
            (j for j in range(clause, len(tokens)) if tokens[j].text == ";"), len(tokens))
        start = _opener_start(tw, clause, words)
        if start is None:
            continue
        cut = _opener_end(tw, start, _trim(tokens, start, stop), actor_starts, whole)
        end = _trim(tokens, start, cut)
        if end <= start or _is_addressee(tokens, start, end, actor_ends):
            continue
        colon = cut < len(tokens) and tokens[cut].text == ":"
        out.append(_scoped(doc, blocks, bi, sent, (tokens[start], tokens[end - 1]),
                           (first and clause == 0, colon)))  # fmt: skip
    return out


def _scoped(doc: Doc, blocks: list, bi: int, sent: tuple[int, int],
            x: tuple[Token, Token], shape: tuple[bool, bool]) -> Opener:  # fmt: skip
    """The opener X with what it governs. A heading (the sentence is the opener alone, a
    lead-in ending with ":", or a line opening with "Về X:") governs the rest of its line
    and the lines under it; any other opener the rest of its sentence (not the next
    sentence: "Thứ nhất, về X, Bộ Y …. Không để …" is left to the second sentence's
    object, which scored better on field-dev)."""
    opens_line, colon = shape
    x_start, x_end = x[0].idx, x[1].idx + len(x[1].text)
    text = text_of(doc)  # Doc.text rebuilds the whole text on every call
    rest = text[x_end:sent[1]].strip(" .:;,")
    block = blocks[bi]
    lead_in = text[sent[0]:sent[1]].rstrip().endswith(":")
    if not rest or lead_in or (opens_line and colon):
        last = bool(block.sentences) and block.sentences[-1][0] == sent[0]
        end = _blocks_below(blocks, bi) if last or opens_line else block.end
        return Opener(x_start, x_end, x_end, end, Origin.heading, RULE_HEADING)
    return Opener(x_start, x_end, x_end, sent[1], Origin.lead_in, RULE_LEAD_IN)


def openers(doc: Doc) -> list[Opener]:
    """Every governing opener of the Doc, in text order (Roman section headings never
    govern: D8)."""
    blocks = doc._.vnx_blocks or []
    actor_ends: dict[int, int] = {}
    for s in doc.spans.get("actors", []):
        actor_ends[s.start] = max(actor_ends.get(s.start, 0), s.end)
    ctx = (topic_words(), set(actor_ends), actor_ends)
    out: list[Opener] = []
    for bi, block in enumerate(blocks):
        if block.is_heading:  # Roman-numbered or capitalised section headings
            continue
        for sent in block.sentences:
            out += _sentence_openers(doc, blocks, bi, sent, ctx)
    return out


def governing_all(found: list[Opener], starts: Sequence[int]) -> dict[int, Optional[Opener]]:
    """The innermost opener that governs each action start, in one sweep (asking every
    opener for every action was quadratic in a long text): openers enter as their scope
    begins and leave, lazily, once it has ended; the innermost is the one that starts
    last (the first in text order among equals)."""
    order = sorted(range(len(found)), key=lambda k: found[k].scope_start)
    live: list[tuple[int, int]] = []  # (-start, index): a max-heap on start
    out: dict[int, Optional[Opener]] = {}
    k = 0
    for start in sorted(set(starts)):
        while k < len(order) and found[order[k]].scope_start <= start:
            heapq.heappush(live, (-found[order[k]].start, order[k]))
            k += 1
        while live and found[live[0][1]].scope_end <= start:
            heapq.heappop(live)
        out[start] = found[live[0][1]] if live else None
    return out
