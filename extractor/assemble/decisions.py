"""Decisions: which clauses of a sentence are directives, how sure the rules are, and
their modality. The gates are a table (:data:`GATES`); the modality comes from the cue
data (each cue's ``modality``, required by the cue-function table where it matters)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from spacy.tokens import Token

from ..normalize import fold
from ..schema import Modality
from .deadline_scope import completion_tail, trailing_deadline
from .discourse import WalkState, is_issuer_pronoun, speaker_for
from .index import DocIndex
from .records import Clause, ClauseContext, DirectiveRecord, Frame, Origin, Ref
from .roles import end_of, read_clause
from .table import PUNCT, table


@dataclass
class SentenceState:
    """What the clauses of one sentence hand on to the next clause."""

    frame: Optional[Frame]
    leader_speaks: bool
    non_directive: bool  # praise or a report somewhere in the sentence
    issuer: Optional[Ref]
    governing: Optional[str]
    prev_actor: Optional[Ref] = None
    prev_coactors: list[Ref] = field(default_factory=list)
    carried: Optional[Ref] = None  # the last actor of the instruction context (C22)
    # The actor of the last directive in this paragraph or list item: "b) Bộ Tài chính
    # tăng cường ... . Đẩy nhanh ...": the item's own actor, before its lead-in's.
    in_block: Optional[Ref] = None
    strong_seen: bool = False
    past: bool = False
    directed: bool = False  # the clause before in the sentence was a directive


@dataclass
class ClauseCues:
    """The cue functions of a clause, and those at the head of its action."""

    functions: set[str]
    action_cues: set[str] = field(default_factory=set)
    action_ids: list[str] = field(default_factory=list)
    strong: bool = False
    weak: bool = False


@dataclass(frozen=True)
class Gate:
    """One way a clause becomes a directive, tried in order; the first that holds wins."""

    rule: str
    confidence: float
    holds: Callable[..., bool]


GATES = (
    Gate("directive.strong_cue", 0.9,
         lambda g: g.cues.strong and not (g.assessment and not g.cues.functions & g.instructs)),
    Gate("directive.weak_cue_in_conclusion", 0.8,
         lambda g: g.cues.weak and g.zone_open and not g.assessment),
    Gate("directive.list_item_under_lead", 0.75,
         lambda g: g.in_frame and g.head.pos_ == "VERB" and not g.assessment),
    Gate("directive.actor_then_verb_in_conclusion", 0.7,
         lambda g: g.own_actor and g.head.pos_ == "VERB" and not g.assessment
         and (g.conclusion_seen or g.in_frame)),
    Gate("directive.actor_then_verb_after_instruction", 0.7,
         lambda g: g.instructing and g.own_actor and g.head.pos_ == "VERB" and not g.assessment
         and not g.leader_acts),
    Gate("directive.follow_up_after_instruction", 0.65,
         lambda g: g.instructing and g.head.pos_ == "VERB" and not g.assessment
         and not g.leader_acts),
    # C42: "Bộ X phối hợp ... xử lý A, thông báo B": the next verb phrase of the same
    # sentence, with no subject of its own, continues the directive before it.
    Gate("directive.continues_clause_before", 0.65,
         lambda g: g.continues and g.head.pos_ == "VERB" and not g.assessment),
)  # fmt: skip
NO_ACTOR_PENALTY = 0.15  # a directive whose actor nobody names is less sure


@dataclass(frozen=True)
class GateInput:
    cues: ClauseCues
    head: Token
    own_actor: bool
    in_frame: bool
    zone_open: bool
    assessment: bool
    conclusion_seen: bool
    instructs: frozenset
    instructing: bool = False  # after a leader's instruction (C17, C22)
    leader_acts: bool = False  # the issuer as the subject: narrative ("Thủ tướng làm việc")
    continues: bool = False  # no subject of its own, right after a directive clause


def read_sentence(tokens, clauses, ix: DocIndex, state: WalkState, frame: Optional[Frame],
                  has_conclusion: bool, evidence: Ref, found: Optional[Ref],
                  lead_in: bool = False):  # fmt: skip
    """Directives of one sentence, and the clause readings (for what follows). ``found``
    is the leader speaking in the sentence (read once by the caller)."""
    readings = [read_clause(toks, ix, sentence_start=(k == 0)) for k, toks in enumerate(clauses)]
    s = SentenceState(
        frame=frame, non_directive=any(c.non_directive for c in readings),
        # Before "kết luận như sau" / "Kết luận hội nghị" only a leader's own words direct.
        leader_speaks=found is not None or any(c.issuer is not None for c in readings),
        issuer=speaker_for(found, state, ix) if found is not None else state.issuer,
        governing=frame.modality if frame is not None else None,
        carried=state.last_actor if state.instructing else state.block_actor,
        in_block=state.block_actor,
    )  # fmt: skip
    records: list[DirectiveRecord] = []
    aphorism = _mirrored(readings, ix)
    for i, c in enumerate(readings):
        if _opens_for_issuer(readings, i) or i in aphorism:
            continue
        rec = _read_clause_decision(c, s, ix, state, has_conclusion, evidence, lead_in)
        s.directed = rec is not None
        if rec is not None:
            records.append(rec)
    completion_tail(ix.text, readings, records)
    trailing_deadline(ix.text, evidence.end, records)
    return records, readings


def _mirrored(readings: list[Clause], ix: DocIndex) -> set[int]:
    """Two clauses with the same words swapped ("vốn phải chờ dự án, không để dự án chờ
    vốn"): an aphorism, which directs no one (C63)."""
    words = [_plain_words(c, ix) for c in readings]
    for i in range(len(readings) - 1):
        a, b = words[i], words[i + 1]
        if len(a) >= 3 and sorted(a) == sorted(b) and a != b:
            return {i, i + 1}
    return set()


def _plain_words(c: Clause, ix: DocIndex) -> list[str]:
    """The action's words outside cues and punctuation."""
    if c.action is None:
        return []
    inside = {i for t in c.tokens for _, span in ix.cues.get(t.i, [])
              for i in range(span.start, span.end)}  # fmt: skip
    a0, a1 = c.action
    return [t.lower_ for t in c.tokens[a0:a1] if t.text not in PUNCT and t.i not in inside]


def _opens_for_issuer(readings: list[Clause], i: int) -> bool:
    """"Kiểm tra đê tại xã A, Chủ tịch UBND tỉnh yêu cầu ...": a bare verb phrase before a
    leader who speaks is the scene of the instruction, not a task carried on from before."""
    c = readings[i]
    if i + 1 == len(readings) or c.actor is not None or c.issuer is not None or c.cues:
        return False
    nxt = readings[i + 1]  # a quotation's speaker after it ("…", X nhấn mạnh) instructs nothing
    return nxt.issuer is not None and any(cue.function in table().instructs for cue in nxt.cues)


def _proposed_upward(c: Clause, ix: DocIndex) -> bool:
    """A periphrasis ("lãnh đạo tỉnh") asking a higher level: reported, not directed. A
    conclusion's own "Kiến nghị Bộ Chính trị ..." (no speaker in the clause) still directs."""
    if c.actor is None or c.issuer is None or not is_issuer_pronoun(c.issuer, ix):
        return False
    if not any(cue.upward for cue in c.cues):
        return False
    actor = ix.text[c.actor.start : c.actor.end].lower()
    return any(actor.startswith(level) for level in table().higher_levels)


def _is_issuer(actor: Ref, issuer: Optional[Ref], ix: DocIndex) -> bool:
    """The issuer is never the actor of what it directs (guideline 12.3)."""
    if issuer is None:
        return False
    return fold(ix.text[actor.start : actor.end]) == fold(ix.text[issuer.start : issuer.end])


def _read_clause_decision(c: Clause, s: SentenceState, ix: DocIndex, state: WalkState,
                          has_conclusion: bool, evidence: Ref,
                          lead_in: bool) -> Optional[DirectiveRecord]:  # fmt: skip
    proposal = _proposed_upward(c, ix)  # read before "lãnh đạo tỉnh" becomes a title
    if c.issuer is not None:  # "tôi" in a turn, "ông" in press: the leader named before
        c.issuer = speaker_for(c.issuer, state, ix)
    if c.issuer is not None:
        s.issuer = c.issuer
    cues = _clause_cues(c, s, ix)
    own_actor = c.actor is not None and c.own_subject
    _inherit(c, s)
    s.past = c.past or (s.past and not cues.functions & table().strong)
    frame = s.frame
    in_frame = frame is not None and frame.directive
    # May the model propose here? Where the rules would listen to a weak cue.
    may_direct = ((state.conclusion_seen or s.leader_speaks or in_frame or state.instructing)
                  and state.section != "assessment"
                  and not (c.non_directive or s.past or s.non_directive))  # fmt: skip
    state.clause_context[c.tokens[0].idx] = ClauseContext(c.actor, c.issuer or s.issuer,
                                                          may_direct)  # fmt: skip
    if c.action is None or c.non_directive or s.past or s.non_directive and not cues.strong:
        return None
    if proposal:
        return None  # "Lãnh đạo tỉnh kiến nghị Chính phủ ...": a locality's proposal
    zone_open = ((not has_conclusion) or state.conclusion_seen or s.leader_speaks or in_frame
                 or state.instructing)
    if not zone_open:
        return None
    g = GateInput(cues, c.tokens[c.action[0]], own_actor, in_frame, zone_open,
                  state.section == "assessment", state.conclusion_seen, table().instructs,
                  state.instructing, own_actor and _is_issuer(c.actor, s.issuer, ix),
                  s.directed and not own_actor)
    gate = next((gate for gate in GATES if gate.holds(g)), None)
    if gate is None or announces_list(c, lead_in) or c.completion_only or sets_no_task(c):
        return None  # "... một số nội dung sau:": the items below are the directives
    confidence = gate.confidence - (NO_ACTOR_PENALTY if c.actor is None else 0)
    return record(c, evidence, _issuer_of(c, s, state), modality(c, s.governing, ix),
                  confidence, [gate.rule, *(cue.id for cue in c.cues), *cues.action_ids])


def _issuer_of(c: Clause, s: SentenceState, state: WalkState) -> Optional[Ref]:
    """The sentence's issuer; for "X được giao …" with none, the leader named before (C46)."""
    if s.issuer is None and any(cue.passive for cue in c.cues):
        return state.last_leader
    return s.issuer


def _clause_cues(c: Clause, s: SentenceState, ix: DocIndex) -> ClauseCues:
    """The clause's cue functions and the directive cues at its action's head; the
    governing modality and the strong cue seen so far move on."""
    tb = table()
    cues = ClauseCues({cue.function for cue in c.cues})
    if c.action is not None:
        for tok in c.tokens[c.action[0] : c.action[0] + 2]:
            for cue, _ in ix.cues.get(tok.i, []):
                if cue.function in tb.strong | tb.weak:
                    cues.action_cues.add(cue.function)
                    cues.action_ids.append(cue.id)
    governed = {tb.governs[f] for f in cues.functions if f in tb.governs}
    if "recommendation" in governed:  # "đề nghị" wins over an obligation before it
        s.governing = "recommendation"
    elif "obligation" in governed and s.governing is None:
        s.governing = "obligation"
    cues.strong = bool((cues.functions | cues.action_cues) & tb.strong) or s.strong_seen
    s.strong_seen = s.strong_seen or bool(cues.functions & tb.instructs)
    cues.weak = bool((cues.functions | cues.action_cues) & tb.weak)
    return cues


def _inherit(c: Clause, s: SentenceState) -> None:
    """A clause without an actor takes the one before it (in its sentence, else in its
    paragraph), or its frame's; a frame's topic
    and deadline reach the clauses under it. Inherited spans say where they came from."""
    frame = s.frame
    if c.actor is None:
        c.actor = _handed(s.prev_actor or s.in_block, Origin.previous_clause)
        if s.prev_actor is not None and c.actor is not None and not c.coactors:
            # "X phối hợp với Y làm A, làm B": Y in B too
            c.coactors = [ref.handed(Origin.previous_clause) for ref in s.prev_coactors]
        if c.actor is None and frame is not None and frame.actor is not None:
            c.actor = _handed(frame.actor, frame.origin)
        if c.actor is None:  # "Đồng thời, khẩn trương ...": the last actor told (C22)
            c.actor = _handed(s.carried, Origin.previous_clause)
    s.prev_actor, s.prev_coactors = c.actor, c.coactors
    if c.topic is None and frame is not None:
        c.topic = _handed(frame.topic, frame.origin)
    if c.deadline is None and frame is not None:
        c.deadline = _handed(frame.deadline, frame.origin)


def _handed(ref: Optional[Ref], origin: Origin) -> Optional[Ref]:
    return None if ref is None else ref.handed(origin)


def announces_list(c: Clause, lead_in: bool) -> bool:
    """A lead-in clause whose only object is the list below ("... các nội dung sau:"), or
    a speech's announcement ending in a full stop ("... tập trung vào mấy việc sau đây."),
    where only the two-word announcers count (a bare "sau" may be "tuần sau")."""
    if c.action is None:
        return False
    a0, a1 = c.action
    t = table()
    words = [w.lower_ for w in c.tokens[a0:a1]]
    if not words:
        return False
    return words[-2:] in t.announce_last_two or (lead_in and words[-1] in t.announce_last)


def sets_no_task(c: Clause) -> bool:
    """An action made only of words that set no task ("nghiêm túc triển khai thực hiện",
    "luôn gương mẫu, trách nhiệm"): a closing formula or an attitude (C52, C55)."""
    a0, a1 = c.action
    rest = " " + " ".join(t.lower_ for t in c.tokens[a0:a1] if t.text not in PUNCT) + " "
    before = ""
    while rest != before:  # until stable: a phrase may stand next to itself
        before = rest
        for phrase in table().no_task:
            rest = rest.replace(f" {phrase} ", " ")
    return not rest.strip()


def modality(c: Clause, governing: Optional[str], ix: DocIndex) -> str:
    """A prohibition or permission at the action's head, else the first cue of the clause
    that recommends or permits, else the governing modality, else an obligation."""
    if c.action is not None:
        head = c.tokens[c.action[0] : c.action[0] + 2]
        for wanted in (Modality.prohibition, Modality.permission):
            if any(cue.modality == wanted for t in head for cue, _ in ix.cues.get(t.i, [])):
                return wanted.value
    for cue in c.cues:
        if cue.modality in (Modality.permission, Modality.recommendation):
            return cue.modality.value
    return governing or "obligation"


def record(c: Clause, evidence: Ref, issuer, modality: str, confidence: float,
           rules: list[str]) -> DirectiveRecord:  # fmt: skip
    a0, a1 = c.action
    action = Ref(c.tokens[a0].idx, end_of(c.tokens[a1 - 1]), "action.clause")
    purpose = None
    if c.purpose is not None:
        p0, p1 = c.purpose
        purpose = Ref(c.tokens[p0].idx, end_of(c.tokens[p1 - 1]), "purpose.de_clause")
    confidence = round(max(0.05, min(confidence, 0.99)), 2)
    return DirectiveRecord(
        evidence=evidence, action=action, modality=modality, actor=c.actor, issuer=issuer,
        coactors=c.coactors, topic=c.topic, purpose=purpose, report_to=c.report_to,
        deadline=c.deadline or c.urgent, confidence=confidence, rules=rules,
        rule_confidence=confidence,
    )
