"""spaCy component: a topic for every directive that names what it is about.

The assembler hands down the "Về …:" heading or lead-in topic; a directive still without
one gets the object of its action (:func:`extractor.topic.object_topic`), with the rule id
``topic.object``. Runs after the model, whose tagged topic spans it leaves in place."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..assemble.records import Ref
from ..topic import RULE, actor_ends, object_topic


class TopicReader:
    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ends = actor_ends(doc)
        for rec in doc._.vnx_directives or []:
            if rec.topic is None:
                found = object_topic(doc, rec.action.start, rec.action.end, ends)
                if found is not None:
                    rec.topic = Ref(found[0], found[1], RULE)
        return doc


@Language.factory("topic_reader", assigns=["doc._.vnx_directives"],
                  requires=["doc._.vnx_directives", "token.tag"])  # fmt: skip
def create_topic_reader(nlp: Language, name: str) -> TopicReader:
    return TopicReader(name)
