"""Discourse state across sentences: the section, the conclusion zone, the issuer, the
speaker of a transcript turn, and the frames (headings, lead-ins) that hand roles down
to the list items under them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Doc, Token

from .index import DocIndex
from .records import Clause, ClauseContext, Frame, Origin, Ref
from .table import table


@dataclass
class WalkState:
    frames: list[Frame] = field(default_factory=list)
    section: Optional[str] = None
    conclusion_seen: bool = False
    issuer: Optional[Ref] = None
    # What every clause would inherit, directive or not (the model's proposals use it),
    # by the clause's first character.
    clause_context: dict[int, ClauseContext] = field(default_factory=dict)
    speaker: Optional[Ref] = None  # the leader speaking in a transcript turn


def enter_block(block, state: WalkState, doc: Doc, ix: DocIndex) -> None:
    """Close the frames this block ends; open the one it starts (heading actor or topic)."""
    if block.speaker is not None:
        state.speaker = _speaker_of_turn(block.speaker, ix)
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
    _open_heading_frame(block, state, doc, ix)


def _speaker_of_turn(turn: tuple[int, int], ix: DocIndex) -> Optional[Ref]:
    s0, s1 = turn
    for actor in ix.actors.values():
        if s0 <= actor.start_char and actor.end_char <= s1 and ix.is_leader(actor):
            return Ref.of(actor, "issuer.speaker_turn")
    return None


def _open_heading_frame(block, state: WalkState, doc: Doc, ix: DocIndex) -> None:
    """An actor heading ("Sở Y tế:") or a topic heading ("Về giáo dục:")."""
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
                                  actor=parent.actor.handed(parent.origin)
                                  if parent and parent.actor else None,
                                  directive=parent.directive if parent else False,
                                  rule="frame.topic_heading"))  # fmt: skip


def find_issuer(tokens: list[Token], ix: DocIndex) -> Optional[Ref]:
    """A leader speaking anywhere in the sentence: title, [name], [adverbs], verb.

    "Sau khi nghe ..., Phó Thủ tướng Chính phủ Trịnh Đình Dũng kết luận như sau:".
    """
    speaking = table().speaking
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
        if q < len(tokens) and ix.cue(tokens[q].i, speaking):
            return Ref.of(actor, "issuer.leader_verb")
    return None


def speaker_for(ref: Ref, state: WalkState, ix: DocIndex) -> Ref:
    """'Tôi' in a transcript is the leader whose turn it is."""
    if state.speaker is not None and is_first_person(ref, ix):
        return state.speaker
    return ref


def is_first_person(ref: Ref, ix: DocIndex) -> bool:
    return ix.text[ref.start : ref.end].lower() in table().first_person


def after_sentence(tokens, readings: list[Clause], found: Optional[Ref], ix: DocIndex,
                   state: WalkState, block, s_end: int) -> None:  # fmt: skip
    """Update what later sentences inherit: the zone, the issuer, a lead-in frame.
    ``found`` is the sentence's speaking leader (:func:`find_issuer`, read once)."""
    for tok in tokens:
        for cue, _span in ix.cues.get(tok.i, []):
            if cue.function == "conclusion":
                state.conclusion_seen = True
    for c in readings:
        if c.issuer is not None:
            state.issuer = c.issuer
    if found is not None:
        state.issuer = speaker_for(found, state, ix)
    if _ends_with_colon(ix.text, s_end) and readings:
        _open_lead_in(tokens, readings, ix, state, block, s_end)


def _blank_end(text: str, end: int) -> int:
    """``len(text[:end].rstrip())`` without copying the text before ``end`` (a copy per
    sentence was quadratic in a long text)."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _ends_with_colon(text: str, end: int) -> bool:
    """``text[:end].rstrip().endswith(":")``, without the copy."""
    blank_end = _blank_end(text, end)
    return blank_end > 0 and text[blank_end - 1] == ":"


def _colon_before(text: str, end: int) -> int:
    """``text[:end].rstrip().rfind(":")``, without the copy."""
    return text.rfind(":", 0, _blank_end(text, end))


def _open_lead_in(tokens, readings: list[Clause], ix: DocIndex, state: WalkState, block,
                  s_end: int) -> None:  # fmt: skip
    """A sentence ending in ":" governs the list after it."""
    t = table()
    actor = ix.actors.get(tokens[0].i)
    if actor is not None and actor.end_char >= _colon_before(ix.text, s_end):
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
                                  rule="frame.lead_in", origin=Origin.lead_in))  # fmt: skip
