"""Clause splitting: a sentence's tokens cut at ";" and at commas that start a new
action (a cue, a new actor, or a verb phrase after a complete one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from .table import MIN_SPLIT_CHUNK, PUNCT, table

if TYPE_CHECKING:
    from .index import DocIndex


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

