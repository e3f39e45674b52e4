"""The rules' readings the trained model reads beside the words (extractor.model_features)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy
import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from extractor import model_features as mf
from extractor.model_features import COLUMNS, FEATURES_KEY, attach, document_features

CASES = json.loads((Path(__file__).parent / "data" / "model_feature_cases.json")
                   .read_text(encoding="utf-8"))["cases"]  # fmt: skip
ROWS = [pytest.param(c["text"], token, column, value, id=f"{c['id']}:{token}:{column}")
        for c in CASES for token, column, value in c["expect"]]  # fmt: skip


@pytest.fixture(scope="module")
def readings():
    from extractor.pipeline import build

    nlp = build("rules")
    memo: dict = {}

    def read(text: str) -> dict[str, dict[str, str]]:
        if text not in memo:
            doc = nlp(text)
            rows = document_features(doc).rows
            memo[text] = {}
            for token, row in zip(doc, rows):  # a token's first occurrence
                memo[text].setdefault(token.text, dict(zip(COLUMNS, row)))
        return memo[text]

    return read


@pytest.mark.parametrize("text,token,column,value", ROWS)
def test_a_token_reads_what_the_rules_found(readings, text, token, column, value):
    found = readings(text)
    assert token in found, f"no token {token!r}: {sorted(found)}"
    assert found[token][column] == value


def test_every_token_has_one_value_per_column(readings):
    from extractor.pipeline import build

    doc = build("rules")(CASES[0]["text"])
    rows = document_features(doc).rows
    assert len(rows) == len(doc) and {len(r) for r in rows} == {len(COLUMNS)}


def _sentence(words, rows=None) -> Doc:
    doc = Doc(Vocab(), words=words)
    attach(doc, rows)
    return doc


def test_feature_ids_hash_each_column_apart():
    rows = (("V", "B-assign", "-", "B-P:-:0", "B-DAI"),
            ("N", "-", "B-ministry", "I-P:-:0", "I-DAI"))
    ids = mf.feature_ids(_sentence(["Giao", "Bộ Y tế"], rows))
    assert ids.shape == (2, len(COLUMNS)) and ids.dtype == numpy.uint64
    # "-" in the actor column of the first word and in the cue column of the second: the
    # same value in two columns hashes apart.
    assert ids[0, 2] != ids[1, 1]
    assert len({int(x) for x in ids.ravel()}) == ids.size
    # the same readings hash the same, whatever the words
    assert (mf.feature_ids(_sentence(["a", "b"], rows)) == ids).all()


def test_a_doc_without_readings_hashes_the_empty_value():
    plain = mf.feature_ids(_sentence(["Giao", "Bộ Y tế"]))
    empty = mf.feature_ids(_sentence(["x", "y"], (("-",) * len(COLUMNS),) * 2))
    assert (plain == empty).all()


def test_feature_ids_keep_the_columns_asked_for():
    rows = (("V", "B-assign", "-", "B-P:-:0", "B-DAI"),)
    full = mf.feature_ids(_sentence(["Giao"], rows))
    some = mf.feature_ids(_sentence(["Giao"], rows), ("cue", "context"))
    assert (some == full[:, [1, 4]]).all()


def test_the_embedding_reads_the_rule_features():
    # Same words, different readings: different vectors.
    model = mf.rule_feature_embed(8, ["NORM", "SHAPE"], [50, 50], list(COLUMNS), 50, 4)
    a = _sentence(["Giao", "Bộ"], (("V", "B-assign", "-", "-", "-"),
                                   ("N", "-", "B-ministry", "-", "-")))
    b = _sentence(["Giao", "Bộ"], (("V", "B-past", "-", "-", "-"), ("N", "-", "-", "-", "-")))
    model.initialize(X=[a, b])
    va, vb = model.predict([a, b])
    assert va.shape == (2, 8) and not numpy.allclose(va, vb)


def test_unknown_columns_are_refused():
    with pytest.raises(ValueError, match="unknown rule feature"):
        mf.rule_feature_embed(8, ["NORM"], [50], ["pos", "lemma"], 50, 4)


def test_the_sentence_doc_carries_its_words_readings():
    from extractor.model import sentence_views
    from extractor.pipeline import build

    doc = build("rules")(CASES[0]["text"])
    views = sentence_views(doc)
    assert views and all(len(v.features) == len(v.words) for v in views)
    assert views[-1].doc.user_data[FEATURES_KEY] == [list(r) for r in views[-1].features]
