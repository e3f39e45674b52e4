"""spaCy component: a topic for every directive that names what it is about.

A directive takes the innermost "Về …"/"Đối với …" opener that governs it: the one the
assembler handed down, or one :mod:`extractor.topic_scope` finds nearer (rule ids
``topic.lead_in`` and ``topic.heading``); else the object of its action
(:func:`extractor.topic.object_topic`, rule id ``topic.object``). Runs after the model,
whose tagged topic spans it leaves in place."""

from __future__ import annotations

from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc

from ..assemble.records import DirectiveRecord, Origin, Ref
from ..topic import RULE, actor_ends, object_topic
from ..topic_scope import Opener, governing_all, openers


def _nearer(opener: Optional[Opener], rec: DirectiveRecord) -> bool:
    """Whether the opener beats the record's topic: there is none, or it is a heading's
    or lead-in's (not the model's, not read in the clause itself) further up the text,
    or the same one read longer ("2. Về thu ngân sách, Thuế thành phố:")."""
    if opener is None:
        return False
    topic = rec.topic
    if topic is None:
        return True
    if topic.origin in (Origin.model, Origin.own) or topic.end > rec.action.start:
        return False
    return opener.start > topic.start or (opener.start == topic.start and opener.end < topic.end)


class TopicReader:
    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        records = doc._.vnx_directives or []
        if not records:
            return doc
        ends = actor_ends(doc)
        governed = governing_all(openers(doc), [rec.action.start for rec in records])
        for rec in records:
            opener = governed[rec.action.start]
            if _nearer(opener, rec):
                rec.topic = Ref(opener.start, opener.end, opener.rule, origin=opener.origin)
            elif rec.topic is None:
                span = object_topic(doc, rec.action.start, rec.action.end, ends)
                if span is not None:
                    rec.topic = Ref(span[0], span[1], RULE)
        return doc


@Language.factory("topic_reader", assigns=["doc._.vnx_directives"],
                  requires=["doc._.vnx_directives", "token.tag"])  # fmt: skip
def create_topic_reader(nlp: Language, name: str) -> TopicReader:
    return TopicReader(name)
