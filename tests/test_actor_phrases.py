"""Actor phrases of field texts, table-driven (tests/data/actor_phrases.tsv): the actor of
the first directive as written, the rule that found its span, the coactors apart, and the
members the resolver reads from a list. A literal "\\n" in a sentence is a line break."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import read_table
from pydantic import ValidationError

from extractor.resources import ActorPhrases

ROWS = read_table(Path(__file__).parent / "data" / "actor_phrases.tsv", 6)
LEAD = "Thủ tướng Chính phủ kết luận như sau:\n"


@pytest.mark.parametrize("construction,sentence,actor,detector,coactors,members", ROWS)
def test_actor_phrase(construction, sentence, actor, detector, coactors, members, extract):
    doc = extract(LEAD + sentence.replace("\\n", "\n"), mode="rules")  # a line break
    assert doc.directives, construction
    first = doc.directives[0]
    got = first.actor
    assert (got.text if got else "-") == actor, construction
    if got is not None:
        assert got.detector == detector, construction
        assert got.source  # the rule that read it stays on the span
    want = [] if coactors == "-" else coactors.split("|")
    assert [c.text for c in first.coactors] == want, construction
    if members != "-":
        assert len(got.members) == int(members), construction


def test_table_covers_the_actor_constructions():
    seen = {row.values[0] for row in ROWS}
    assert {"C04", "C07", "C08", "C09", "C10", "C11", "C12", "C13", "C14", "C15", "C16",
            "C27"} <= seen  # fmt: skip


def test_an_issuer_is_never_the_actor_of_its_own_directive(extract):
    for row in ROWS:
        sentence = row.values[1]
        for d in extract(LEAD + sentence, mode="rules").directives:
            if d.actor is not None and d.issuer is not None:
                assert d.actor.text != d.issuer.text, sentence


def test_actor_phrase_words_are_validated():
    with pytest.raises(ValidationError):
        ActorPhrases(list_nouns=(" ",), role_titles=("Giám đốc",))
    with pytest.raises(ValidationError):
        ActorPhrases(list_nouns=("xã",), role_titles=("Giám đốc",),
                     qualifier_stop_functions=("not_a_function",))  # fmt: skip
