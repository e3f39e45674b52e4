"""spaCy components between the rulers and the assembler: cue filtering (a cue counts only
where its neighbouring words allow it) and actor refinement (the longest actors, factored
lists grown over the items the gazetteer knows, qualifying tails attached, the detector's
rule id kept on each span; then the assigning cues with no actor after them dropped).
They write span groups; the assembler's index only reads them."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..assemble.index import IN_CONTEXT_KEY, ActorRefiner, cues_in_context


class CueFilter:
    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[IN_CONTEXT_KEY] = cues_in_context(doc)
        return doc


class ActorRefinement:
    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ActorRefiner(doc).write()
        return doc


@Language.factory("cue_filter", assigns=["doc.spans"], requires=["doc.spans"])
def create_cue_filter(nlp: Language, name: str) -> CueFilter:
    return CueFilter(name)


@Language.factory("actor_refiner", assigns=["doc.spans"], requires=["doc.spans", "token.pos"])
def create_actor_refiner(nlp: Language, name: str) -> ActorRefinement:
    return ActorRefinement(name)
