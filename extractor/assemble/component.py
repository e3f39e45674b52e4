"""The spaCy component: ``doc._.vnx_directives`` (and ``doc._.vnx_clause_context``) from
:func:`assemble`, a walk over the Doc's blocks and sentences."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..normalize import fold
from .deadline_scope import close_previous, deadline_line
from .decisions import announces_list, read_sentence
from .discourse import WalkState, after_sentence, enter_block, find_issuer, track_instruction
from .index import DocIndex, doc_index
from .records import DirectiveRecord, Ref


def assemble(doc: Doc) -> list[DirectiveRecord]:
    """All directives of a processed Doc, in text order, each once."""
    ix = doc_index(doc)
    state = WalkState()
    has_conclusion = _has_conclusion(doc, ix)
    records: list[DirectiveRecord] = []
    seen: set[tuple[str, str]] = set()
    previous: list[DirectiveRecord] = []  # the directives of the sentence before
    for block in doc._.vnx_blocks or []:
        enter_block(block, state, doc, ix)
        for s_start, s_end in block.sentences:
            found = _sentence(ix, state, block, s_start, s_end, has_conclusion)
            if not found and (dl := deadline_line(ix.text, s_start, s_end,
                                                  ix.deadlines.values())) is not None:
                close_previous(previous, dl)
            previous = found
            for rec in found:
                key = _dedup_key(ix.text, rec)
                if key not in seen:
                    seen.add(key)
                    records.append(rec)
    doc._.vnx_clause_context = state.clause_context
    return drop_lead_restatements(records, ix.text)


def _sentence(ix: DocIndex, state: WalkState, block, s_start: int, s_end: int,
              has_conclusion: bool) -> list[DirectiveRecord]:  # fmt: skip
    """One sentence's directives; what it hands on is recorded in ``state``."""
    # A lead-in earlier in the same line governs the sentences after it.
    frame = state.frames[-1] if state.frames else None
    tokens, clauses = ix.sentence(s_start, s_end)
    if not tokens:
        return []
    evidence = Ref(s_start, s_end, "segment.sentence")
    lead_in = ix.text[s_start:s_end].rstrip().endswith(":")
    found = find_issuer(tokens, ix)  # the leader speaking: read once per sentence
    records, readings = read_sentence(tokens, clauses, ix, state, frame, has_conclusion,
                                      evidence, found, lead_in)  # fmt: skip
    after_sentence(tokens, readings, found, ix, state, block, s_end)
    announced = any(announces_list(c, False) for c in readings)
    track_instruction(state, readings, records,
                      announced or _keeps_context(ix, readings, s_start, s_end), announced)
    return records


def _keeps_context(ix: DocIndex, readings, s_start: int, s_end: int) -> bool:
    """A sentence that directs nothing but leaves the instruction open: an ordinal topic
    opener ("Thứ hai, về thu ngân sách.", C57) or a deadline line ("Thời gian hoàn thành
    trước ngày 30/9.", C30)."""
    if any(c.past or c.non_directive for c in readings):
        return False
    if all(_topic_only(c) for c in readings):
        return True
    return deadline_line(ix.text, s_start, s_end, ix.deadlines.values()) is not None


def _topic_only(c) -> bool:
    """A clause that names a topic and nothing that acts (an actor handed on is no
    actor of its own)."""
    return c.topic is not None and not c.own_subject and not c.cues and (
        c.action is None or c.tokens[c.action[0]].pos_ != "VERB")


def _has_conclusion(doc: Doc, ix: DocIndex) -> bool:
    """A conclusion cue ("kết luận như sau"); the rulers found none in skipped regions."""
    return any(cue.function == "conclusion" for entries in ix.cues.values() for cue, _ in entries)


def _dedup_key(text: str, rec: DirectiveRecord) -> tuple[str, str]:
    return (fold(text[rec.actor.start : rec.actor.end]) if rec.actor else "",
            fold(text[rec.action.start : rec.action.end]))  # fmt: skip


LEAD_LINES = 3  # a press page's headline, date line and sapo
RESTATES = 0.25  # share of a lead action's word pairs found again in one body action


def drop_lead_restatements(records: list[DirectiveRecord], text: str) -> list[DirectiveRecord]:
    """A directive read from the headline or sapo that the body gives again is one
    directive, annotated at the body (guideline 12.9): the lead reading is dropped."""
    lead_end = _lead_end(text)
    body = [_pairs(text, rec) for rec in records if rec.evidence.start >= lead_end]
    return [rec for rec in records
            if rec.evidence.start >= lead_end
            or not _restated(_pairs(text, rec), body)]  # fmt: skip


def _lead_end(text: str) -> int:
    end = 0
    for _ in range(LEAD_LINES):
        while end < len(text) and text[end] == "\n":
            end += 1
        nl = text.find("\n", end)
        if nl < 0:
            return len(text)
        end = nl
    return end


def _pairs(text: str, rec: DirectiveRecord) -> set[tuple[str, str]]:
    words = fold(text[rec.action.start : rec.action.end]).lower().split()
    return set(zip(words, words[1:]))


def _restated(pairs: set, body: list[set]) -> bool:
    return bool(pairs) and any(len(pairs & other) >= RESTATES * len(pairs) for other in body)


class DirectiveAssembler:
    """spaCy component: ``doc._.vnx_directives`` from :func:`assemble`."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.vnx_directives = assemble(doc)
        return doc


@Language.factory("directive_assembler", assigns=["doc._.vnx_directives"])
def create_assembler(nlp: Language, name: str) -> DirectiveAssembler:
    return DirectiveAssembler(name)
