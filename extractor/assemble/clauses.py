"""Clause splitting: a sentence's tokens cut at ";" and at commas that start a new
action (a cue, a new actor, or a verb phrase after a complete one).

The ``clause_splitter`` component (:func:`split_document`) cuts every sentence of a Doc
once and writes the result on ``doc._.vnx_sentences``; the assembler and the model read it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from spacy.tokens import Doc, Token

from ..clean import RegionIndex
from .table import PUNCT, table

if TYPE_CHECKING:
    from .index import DocIndex


class SentenceClauses(NamedTuple):
    """A sentence's tokens (outside skipped regions) and its clauses, each a token list."""

    tokens: list[Token]
    clauses: list[list[Token]]


Sentences = dict[tuple[int, int], SentenceClauses]


def split_document(ix: DocIndex) -> Sentences:
    """Every sentence of the Doc's blocks, by its (start, end) characters, with its clauses."""
    doc = ix.doc
    skipped = RegionIndex(doc._.vnx_skipped or [])  # by position: a scan per sentence was quadratic
    out: Sentences = {}
    for block in doc._.vnx_blocks or []:
        for start, end in block.sentences:
            tokens = sentence_tokens(doc, start, end, skipped)
            out[start, end] = SentenceClauses(tokens, split_clauses(tokens, ix) if tokens else [])
    return out


def sentence_tokens(doc: Doc, start: int, end: int, skipped) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    near = skipped.overlapping(start, span.end_char)
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


def _starts_new_action(tokens: list[Token], k: int, current: list[Token], ix: DocIndex) -> bool:
    tok = tokens[k]
    if _only_filler(current, ix):
        return False  # "Thứ nhất, về thu ngân sách.": the enumerator opens the clause
    if _fixed_pair(tokens, k, current):
        return False  # "công tác phòng, chống thiên tai": one term, cut by no verb or cue
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
    return _verb_chain_link(tokens, k, current, ix)


def _verb_chain_link(tokens: list[Token], k: int, current: list[Token], ix: DocIndex) -> bool:
    """", xây dựng Y" after "rà soát X": a verb with its own object after a verb phrase
    that has one; "kiểm tra, xử lý nghiêm X" (verbs sharing one object) stays one."""
    chain = table().verb_chain
    if tokens[k].pos_ != "VERB" or tokens[k].lower_ in chain.not_after_comma:
        return False
    if _opens_aside(current, ix):
        return False
    nxt = _content(tokens[k : k + _chunk_end(tokens, k)], ix)
    if len(_object_after_verb(nxt, ix)) < chain.min_next:
        return False
    if _lists_after_head([t for t in current if t.text == "," or t.text not in PUNCT], ix):
        return False
    if _relays_to_party(current, ix):
        return False
    last = _last_chunk(current)
    if last and (hit := ix.cue(last[0].i, {"qualifier"})) and hit[0].to_comma:
        return False  # "X, căn cứ ý kiến các sở, hoàn thiện hồ sơ": the qualifier ends here
    before = _content(last, ix)
    obj = _without_manner(_object_after_verb(before, ix))
    # "rà soát, cắt giảm X": a phrase ending in its verb shares the object after the comma.
    return len(obj) >= chain.min_object and before[-1].pos_ != "VERB"


def _relays_to_party(current: list[Token], ix: DocIndex) -> bool:
    """"chỉ đạo các tổ chức tín dụng cơ cấu lại nợ, giảm lãi suất": a relay verb with the
    party after it; the party's tasks that follow are one relayed action."""
    relay = table().verb_chain.relay_verbs
    for k, tok in enumerate(current[:-1]):
        if tok.lower_ in relay and ix.actors.get(current[k + 1].i) is not None:
            return not _leader_before(current[:k], ix)  # a leader's "chỉ đạo" assigns
    return False


def _leader_before(tokens: list[Token], ix: DocIndex) -> bool:
    return any((a := ix.actors.get(t.i)) is not None and ix.is_leader(a) for t in tokens)


def _words(tokens: list[Token]) -> str:
    return " ".join(t.lower_ for t in tokens)


def _fixed_pair(tokens: list[Token], k: int, current: list[Token]) -> bool:
    """The comma joins the halves of a fixed compound ("khám bệnh, chữa bệnh")."""
    before = " " + _words(current[-4:])
    after = _words(tokens[k : k + 4]) + " "
    for pair in table().verb_chain.pairs:
        left, right = pair.split(", ")
        if before.endswith(" " + left) and after.startswith(right + " "):
            return True
    return False


def _without_manner(obj: list[Token]) -> list[Token]:
    """The object less its trailing manner words ("xử lý nghiêm": no object)."""
    manner = table().verb_chain.manner
    changed = True
    while obj and changed:
        changed = False
        for phrase in manner:
            n = phrase.count(" ") + 1
            if len(obj) >= n and _words(obj[-n:]) == phrase:
                obj, changed = obj[:-n], True
                break
    return obj


def _lists_after_head(words: list[Token], ix: DocIndex) -> bool:
    """A list head ("các hành vi", "các trường hợp") after the clause's verb, with its first
    item after it: the commas list the head's items ("hành vi phá rừng, lấn chiếm đất
    rừng"), not new actions; "hướng dẫn thủ tục, kiểm tra X" (no item) still cuts."""
    first = next((j for j, t in enumerate(words)
                  if t.pos_ == "VERB" and not _is_frame_token(t, ix)), None)  # fmt: skip
    if first is None:
        return False
    tail = " " + _words(words[first + 1 :]) + " ,"
    return any(re.search(rf" {re.escape(head)} [^,]", tail)
               for head in table().verb_chain.list_heads)  # fmt: skip


def _opens_aside(current: list[Token], ix: DocIndex) -> bool:
    """The clause so far opens a purpose ("Để ...") or a prohibition ("không để A, B"), or
    has a quotation still open: its commas list things inside it."""
    if any(ix.cue(t.i, {"prohibit"}) for t in current[:3]):
        return True
    if current and ix.cue(current[0].i, _PURPOSE):
        return True
    return sum(1 for t in current[1:] if t.text in _QUOTES) % 2 == 1


_QUOTES = frozenset({'"', "“", "”"})


def _chunk_end(tokens: list[Token], k: int) -> int:
    """How many tokens from k up to the next comma or semicolon."""
    n = k
    while n < len(tokens) and tokens[n].text not in {",", ";"}:
        n += 1
    return n - k


def _content(chunk: list[Token], ix: DocIndex) -> list[Token]:
    """The chunk's words: no punctuation, no conjunction, no actor, no deadline."""
    inside = set()
    for t in chunk:
        for span in (ix.actors.get(t.i), ix.deadlines.get(t.i)):
            if span is not None:
                inside.update(range(span.start, span.end))
    return [t for t in chunk if t.text not in PUNCT and t.i not in inside
            and t.lower_ not in table().comma_and]  # fmt: skip


def _object_after_verb(words: list[Token], ix: DocIndex) -> list[Token]:
    """The words after the phrase's first verb (not a cue of the frame) that are not verbs;
    a phrase without a verb is all object ("thiết bị trên công trường")."""
    first = next((j for j, t in enumerate(words)
                  if t.pos_ == "VERB" and not _is_frame_token(t, ix)), None)  # fmt: skip
    if first is None:
        return [] if any(t.pos_ == "VERB" for t in words) else words
    return [t for t in words[first + 1 :] if t.pos_ != "VERB"]


def _last_chunk(current: list[Token]) -> list[Token]:
    """The clause so far after its last comma: the phrase right before the cut."""
    commas = [j for j, t in enumerate(current) if t.text == ","]
    return current[commas[-1] + 1 :] if commas else current


def _only_filler(current: list[Token], ix: DocIndex) -> bool:
    """True when the clause so far is a spoken enumerator or filler ("Thứ nhất", "Một là")."""
    seen, end = False, -1
    for t in current:
        if t.i < end or t.text in PUNCT:
            continue
        hit = ix.cue(t.i, {"filler"})
        if hit is None:
            return False
        seen, end = True, hit[1].end
    return seen


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

