"""The windowed SpanRuler finds exactly what spaCy's SpanRuler finds."""

from __future__ import annotations

import pytest
import spacy
from spacy.pipeline import SpanRuler

from extractor.corpus import iter_split
from extractor.pipeline import build
from extractor.rules import WindowedSpanRuler

CAPITAL = {"TEXT": {"REGEX": "^[A-ZĐ]"}}

# (token patterns, text, whether they can run in windows)
CASES = [
    ([[{"LOWER": "các"}, {"LOWER": "bộ"}]], "Các bộ và các Bộ , các bộ", True),
    ([[{"LOWER": {"IN": ["sở", "ban"]}}, dict(CAPITAL, OP="+")]],
     "giao Sở Tài Chính Hà Nội và Ban Dân Tộc", True),
    ([[{"LOWER": "ubnd"}, {"LOWER": {"IN": ["tỉnh", "huyện"]}}, dict(CAPITAL, OP="+")],
      [{"LOWER": "ubnd"}, {"IS_DIGIT": True}]],
     "UBND tỉnh Lào Cai , UBND 12 và UBND huyện\nBa Vì", True),
    ([[{"LOWER": "các"}, {"LOWER": {"IN": ["bộ", "ngành"]}}, {"ORTH": ",", "OP": "?"},
       {"LOWER": {"IN": ["bộ", "ngành"]}, "OP": "*"}]],
     "các bộ , ngành ngành và các ngành bộ", True),
    ([[{"LOWER": "sở"}, {"POS": "PROPN"}]], "Sở Tư pháp", False),  # POS: not per word
    ([[{"LOWER": "sở"}, {}]], "Sở X Sở", False),  # a wildcard continues anything
    ([[{"LOWER": "sở"}, {"LOWER": "y", "OP": "!"}]], "Sở y Sở tế", False),  # negation
    ([[{"LOWER": "các", "OP": "?"}, {"LOWER": "bộ"}]], "các bộ và bộ", False),  # optional first
    ([], "chỉ có cụm từ", True),  # phrase patterns alone
]


def _rulers(token_patterns, phrases=("Bộ Tài Chính",)):
    nlp = spacy.blank("xx")
    patterns = [{"label": "X", "pattern": p, "id": f"p{k}"} for k, p in enumerate(token_patterns)]
    patterns += [{"label": "X", "pattern": p, "id": "phrase"} for p in phrases]
    plain = SpanRuler(nlp, "plain", spans_key="x", phrase_matcher_attr="LOWER")
    windowed = WindowedSpanRuler(nlp, "windowed", spans_key="x", phrase_matcher_attr="LOWER")
    plain.add_patterns(patterns)
    windowed.add_patterns(patterns)
    return nlp, plain, windowed


def _found(ruler, doc):
    return [(s.start, s.end, s.label_, s.id_) for s in ruler.match(doc)]


@pytest.mark.parametrize("token_patterns, text, windowed", CASES)
def test_same_spans_as_spacy(token_patterns, text, windowed):
    nlp, plain, ruler = _rulers(token_patterns)
    assert ruler._windowed is windowed
    doc = nlp.make_doc(text + " và Bộ Tài Chính")
    for tok in doc:  # a tagger's work, for the POS pattern
        tok.pos_ = "PROPN" if tok.text[:1].isupper() else "NOUN"
    assert _found(ruler, doc) == _found(plain, doc)
    assert _found(ruler, doc)  # each case matches something


def test_patterns_changed_after_use():
    nlp, plain, ruler = _rulers(CASES[0][0])
    doc = nlp.make_doc("các bộ và Sở Y Tế")
    ruler.match(doc)  # words judged with the first patterns
    more = [{"label": "X", "pattern": [{"LOWER": "sở"}, dict(CAPITAL, OP="+")], "id": "more"}]
    for r in (plain, ruler):
        r.add_patterns(more)
    assert _found(ruler, doc) == _found(plain, doc)
    assert "more" in {s[3] for s in _found(ruler, doc)}
    for r in (plain, ruler):
        r.remove_by_id("more")
    assert _found(ruler, doc) == _found(plain, doc)


def test_actor_patterns_on_the_dev_documents():
    """The shipped actor patterns run in windows and match what the Matcher finds over
    the whole Doc, document by document."""
    nlp = build("rules")
    ruler = nlp.get_pipe("actor_ruler")
    assert isinstance(ruler, WindowedSpanRuler) and ruler._windowed
    total = 0
    for cdoc in iter_split("dev"):
        doc = nlp.make_doc(cdoc.text)
        whole = sorted(ruler.matcher(doc))
        assert sorted(ruler._token_matches(doc)) == whole, cdoc.id
        total += len(whole)
    assert total > 50


def test_phrase_pattern_docs_are_the_tokenizers_alone():
    """The rulers make their phrase patterns' Docs with the tokenizer alone (spaCy runs the
    components before a ruler on them): those components change no word of a pattern."""
    nlp = build("rules")
    for name in ("cue_ruler", "actor_ruler"):
        ruler = nlp.get_pipe(name)
        earlier = nlp.pipe_names[: nlp.pipe_names.index(name)]
        texts = [p["pattern"] for p in ruler.patterns if isinstance(p["pattern"], str)]
        assert earlier and len(texts) > 50
        with nlp.select_pipes(enable=earlier):
            piped = [[t.lower_ for t in doc] for doc in nlp.pipe(texts)]
        assert piped == [[t.lower_ for t in nlp.make_doc(text)] for text in texts]
