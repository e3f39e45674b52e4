"""Discourse state across sentences: the section, the conclusion zone, the issuer, the
speaker of a transcript turn, and the frames (headings, lead-ins) that hand roles down
to the list items under them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Optional

from spacy.tokens import Doc, Token

from ..resources import actor_phrases
from ..schema import Modality
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
    # C17/C22: an instruction that names whom ("Phó Chủ tịch yêu cầu X ...", "Giao X ...")
    # opens a context where a bare "agency + verb" sentence directs and a subjectless one
    # takes the last actor; the first sentence that directs nothing (a report, praise)
    # closes it (C23).
    instructing: bool = False
    last_actor: Optional[Ref] = None
    # C22 inside one paragraph: "Sở X rà soát ... . Không để ..." - a subjectless sentence
    # continues the actor of the directive just before it on the same line.
    block_actor: Optional[Ref] = None
    # The last leader named as a sentence's subject: whom "ông" or "người đứng đầu Chính
    # phủ" stands for when no leader has spoken yet.
    last_leader: Optional[Ref] = None


def enter_block(block, state: WalkState, doc: Doc, ix: DocIndex) -> None:
    """Close the frames this block ends; open the one it starts (heading actor or topic)."""
    state.block_actor = None
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
        own = _trailing_actor(span, ix, heading_end)  # "Về thu ngân sách, Thuế thành phố:"
        t_end = ix.text.rfind(",", t_start, own.start) if own is not None else heading_end
        inherited = parent.actor.handed(parent.origin) if parent and parent.actor else None
        directs = own is not None or (parent is not None and parent.directive)
        state.frames.append(Frame(block.level, topic=Ref(t_start, t_end, topic[0].id),
                                  actor=own or inherited, directive=directs,
                                  rule="frame.topic_heading"))  # fmt: skip


def _trailing_actor(span, ix: DocIndex, heading_end: int) -> Optional[Ref]:
    """An actor closing a topic heading after a comma: the one the items below are for."""
    for tok in span[1:]:
        actor = ix.actors.get(tok.i)
        if actor is not None and actor.end_char >= heading_end and tok.nbor(-1).text == ",":
            return Ref.of(actor, "actor.heading")
    return None


def find_issuer(tokens: list[Token], ix: DocIndex) -> Optional[Ref]:
    """A leader speaking anywhere in the sentence: title, [name], [adverbs], verb.

    "Sau khi nghe ..., Phó Thủ tướng Chính phủ Trịnh Đình Dũng kết luận như sau:";
    "Ngoài ra, ông cũng yêu cầu ..." (a pronoun: :func:`speaker_for` names the leader).
    """
    speaking = table().speaking
    for k in range(len(tokens)):
        hit = issuer_at(tokens, k, ix)
        if hit is None:
            continue
        ref, q = hit
        q = past_issuer_adverbs(tokens, q, ix)
        if q < len(tokens) and ix.cue(tokens[q].i, speaking):
            return ref
        if _owner_speaks(tokens, k, q, ix):
            return ref
    return None


def _owner_speaks(tokens: list[Token], k: int, q: int, ix: DocIndex) -> bool:
    """"Phó Thủ tướng đã ký công điện của Thủ tướng Chính phủ, yêu cầu …": the leader whose
    document it is speaks through it, not the signer (C62)."""
    if not (1 < k and q + 1 < len(tokens) and tokens[q].text == ","
            and tokens[k - 1].lower_ in actor_phrases().possessives
            and ix.cue(tokens[q + 1].i, table().speaking) is not None):  # fmt: skip
        return False
    before = ix.text[max(0, tokens[k - 1].idx - 40) : tokens[k - 1].idx].lower().rstrip()
    return before.endswith(table().signed_for)  # "theo chỉ đạo của X, yêu cầu": not X


def issuer_at(tokens: list[Token], k: int, ix: DocIndex) -> Optional[tuple[Ref, int]]:
    """The issuer starting at ``tokens[k]`` and the position after it (and after the
    person's name): a leader's title, or a pronoun standing for one at a clause start."""
    if tokens[k].lower_ in table().title_prefixes and k + 1 < len(tokens):
        hit = _leader_at(tokens, k + 1, ix)  # "Phó | Chủ tịch UBND thành phố": one title
        if hit is not None:
            return replace(hit[0], start=tokens[k].idx), hit[1]
    hit = _leader_at(tokens, k, ix)
    if hit is not None:
        return hit
    if k > 0 and not _clause_opening(tokens[k - 1]):
        return None  # "cảm ơn ông ...": a pronoun in the middle of a clause is no speaker
    q = pronoun_end(tokens, k, ix)
    if q is None:
        return None
    return Ref(tokens[k].idx, tokens[q - 1].idx + len(tokens[q - 1].text), "issuer.pronoun"), q


def _leader_at(tokens: list[Token], k: int, ix: DocIndex) -> Optional[tuple[Ref, int]]:
    actor = ix.actors.get(tokens[k].i)
    if actor is not None and ix.is_leader(actor):
        q = k
        while q < len(tokens) and tokens[q].i < actor.end:
            q += 1
        names = 0
        while q < len(tokens) and names < 4 and tokens[q].is_title and not ix.cues.get(tokens[q].i):
            q, names = q + 1, names + 1
        return Ref.of(actor, "issuer.leader_verb"), q
    return None


def _clause_opening(prev: Token) -> bool:
    return prev.is_punct or prev.lower_ in table().leading_fillers


def pronoun_end(tokens: list[Token], k: int, ix: DocIndex) -> Optional[int]:
    """The position after an issuer pronoun or periphrasis ("ông", "người đứng đầu
    Chính phủ") starting at ``tokens[k]``, when it ends where a token ends."""
    start = tokens[k].idx
    low = ix.text[start : start + 60].lower()
    for phrase in table().issuer_pronouns:
        if not low.startswith(phrase):
            continue
        q = k
        while q < len(tokens) and tokens[q].idx < start + len(phrase):
            q += 1
        if tokens[q - 1].idx + len(tokens[q - 1].text) == start + len(phrase):
            return q
    return None


def past_issuer_adverbs(tokens: list[Token], q: int, ix: DocIndex) -> int:
    """Past a portfolio ("phụ trách khối kinh tế") and the adverbs ("cũng", "đồng thời")
    between the issuer and the cue."""
    q = _past_portfolio(tokens, _past_apposition(tokens, q, ix), ix)
    skipped = 0
    while q < len(tokens) and skipped < 3 and (
        tokens[q].lower_ in table().issuer_adverbs
        or (tokens[q].pos_ == "ADV" and not ix.cues.get(tokens[q].i))
    ):
        q, skipped = q + 1, skipped + 1
    return q


MAX_APPOSITION = 16  # tokens of ", Trưởng Ban Chỉ đạo phòng, chống thiên tai tỉnh,"


def _past_apposition(tokens: list[Token], q: int, ix: DocIndex) -> int:
    """", Trưởng Ban Chỉ đạo …, đề nghị": a second title in apposition, between commas,
    before the speaking cue (C47); the issuer is the first title."""
    if q + 1 >= len(tokens) or tokens[q].text != ",":
        return q
    if not _role_title_at(ix.text, tokens[q + 1].idx):
        return q
    speaking = table().speaking
    for k in range(q + 2, min(len(tokens) - 1, q + MAX_APPOSITION)):
        if tokens[k].text == "," and ix.cue(tokens[k + 1].i, speaking):
            return k + 1
    return q


def _role_title_at(text: str, at: int) -> bool:
    # The index's text: Doc.text rebuilds the whole document from its tokens at every call.
    text = text[at : at + 40].lower()
    return any(text.startswith(title.lower() + " ") for title in actor_phrases().role_titles)


MAX_PORTFOLIO = 8  # tokens of "phụ trách khối văn hóa - xã hội" before the cue


def _past_portfolio(tokens: list[Token], q: int, ix: DocIndex) -> int:
    if q >= len(tokens) or tokens[q].lower_ not in table().issuer_portfolio:
        return q
    speaking = table().speaking
    for k in range(q + 1, min(len(tokens), q + MAX_PORTFOLIO)):
        if ix.cue(tokens[k].i, speaking):
            return k
    return q


def speaker_for(ref: Ref, state: WalkState, ix: DocIndex) -> Ref:
    """'Tôi' in a transcript is the leader whose turn it is; 'ông', 'người đứng đầu Chính
    phủ' in press is the leader named before (guideline 12.3)."""
    if is_first_person(ref, ix):
        # A speech printed without turns: its headline or opening names the speaker first
        # (the last leader named may be one the speaker thanks or quotes).
        return state.speaker or _speech_leader(ix) or ref
    if is_issuer_pronoun(ref, ix):
        return state.issuer or state.last_leader or ref
    return ref


def _speech_leader(ix: DocIndex) -> Optional[Ref]:
    leader = ix.first_leader
    return Ref.of(leader, "issuer.speech_leader") if leader is not None else None


def is_issuer_pronoun(ref: Ref, ix: DocIndex) -> bool:
    return ix.text[ref.start : ref.end].lower() in table().issuer_pronouns


def is_first_person(ref: Ref, ix: DocIndex) -> bool:
    return ix.text[ref.start : ref.end].lower() in table().first_person


def track_instruction(state: WalkState, readings: list[Clause], records,
                      keeps: bool = False, announces: bool = False) -> None:  # fmt: skip
    """Open, keep or close the instruction context after a sentence, and the actor it
    hands on: none after a permission (its beneficiary is not told to do anything).
    A sentence that ``keeps`` the context (a topic opener, a deadline line) directs
    nothing and closes nothing; a speech's announcement of the tasks to come ("Chúng ta
    cần tập trung vào mấy việc sau đây.") opens it."""
    if not records:
        if announces:
            state.instructing = True
        elif not keeps:
            state.instructing, state.last_actor, state.block_actor = False, None, None
        return
    if any({q.function for q in c.cues} & table().instructs for c in readings):
        state.instructing = True
    last = records[-1]
    if last.modality == Modality.permission:
        # "Đồng ý cho Công an tỉnh ... . Hướng dẫn ...": the paragraph goes on with the
        # actor told before the permission, not with its beneficiary.
        state.last_actor = None
        return
    state.last_actor = last.actor
    state.block_actor = state.last_actor



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
    state.last_leader = _subject_leader(tokens, ix) or state.last_leader
    if found is not None:
        state.issuer = speaker_for(found, state, ix)
    if _ends_with_colon(ix.text, s_end) and readings:
        _open_lead_in(tokens, readings, ix, state, block, s_end)


def _subject_leader(tokens: list[Token], ix: DocIndex) -> Optional[Ref]:
    """The last leader standing at a clause start (a subject, not "báo cáo Thủ tướng")."""
    found = None
    for k, tok in enumerate(tokens):
        actor = ix.actors.get(tok.i)
        if actor is not None and ix.is_leader(actor) and (k == 0 or _clause_opening(tokens[k - 1])):
            found = Ref.of(actor, "issuer.leader_named")
    return found


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
