"""The one registry of directive fields: the schema, the record, the model's labels and
the CSV columns agree with it."""

from __future__ import annotations

import dataclasses

from extractor.assemble import DirectiveRecord
from extractor.exports import csv_rows
from extractor.fields import csv_headers, fields, ner_labels, presentation
from extractor.schema import Directive, Modality


def test_every_field_is_in_the_schema_and_the_record():
    record = {f.name for f in dataclasses.fields(DirectiveRecord)}
    for f in fields():
        assert f.name in Directive.model_fields, f.name
        assert f.name in record, f.name


def test_the_model_labels_and_csv_columns_come_from_the_registry():
    assert ner_labels() == ("ACTOR", "COACTOR", "ACTION", "TOPIC", "PURPOSE", "DEADLINE",
                            "REPORT_TO", "ISSUER")  # fmt: skip
    from extractor.fields import registry

    assert len(csv_headers()) == len(registry().csv_order)
    columns = {f.name for f in fields() if f.csv_column}
    assert columns <= set(registry().csv_order)  # every field with a column is exported
    assert set(presentation().modality) == {m.value for m in Modality}


def test_a_csv_row_follows_the_columns():
    d = {"actor": {"text": "Bộ Tài chính", "canonical": {"name": "Bộ Tài chính"}},
         "coactors": [{"text": "Bộ Xây dựng"}], "action": {"text": "rà soát"},
         "purpose": {"text": "để hoàn thiện"}, "deadline": {"text": "trong tháng 6"},
         "modality": "recommendation", "evidence": {"text": "Đề nghị Bộ Tài chính rà soát."}}
    (row,) = csv_rows({"document": {"number": "12/TB"}, "source": {}, "directives": [d]})
    assert row[:9] == ["12/TB", "", "Bộ Tài chính", "Bộ Xây dựng", "rà soát", "để hoàn thiện",
                       "trong tháng 6", "Đề nghị", "Đề nghị Bộ Tài chính rà soát."]  # fmt: skip
    assert row[9:] == ["", "", "", "", "", ""]  # issuer … review status: none given


def test_gold_directives_and_the_registry_list_the_same_fields():
    from extractor.corpus import GOLD_ONLY, GoldDirective, unregistered_gold_fields

    assert unregistered_gold_fields() == set()
    assert set(GoldDirective.model_fields) - GOLD_ONLY == {f.name for f in fields()}


def test_a_gold_field_the_registry_does_not_list_fails_loudly(monkeypatch):
    from typing import Optional

    import pytest

    import extractor.corpus as corpus

    class Wider(corpus.GoldDirective):
        deadline_note: Optional[str] = None  # a field added to the gold only

    monkeypatch.setattr(corpus, "GoldDirective", Wider)
    corpus._check_registry.cache_clear()
    try:
        assert corpus.unregistered_gold_fields() == {"deadline_note"}
        gold = Wider(evidence={"text": "Bộ Y tế rà soát."}, action={"text": "rà soát"},
                     modality="obligation")  # fmt: skip
        with pytest.raises(RuntimeError, match="deadline_note"):
            list(corpus._fields(gold))
    finally:
        corpus._check_registry.cache_clear()


def test_evaluation_scores_every_field_but_the_evidence_in_registry_terms():
    from extractor.evaluate import EXACT_FIELDS, FIELDS, LIST_FIELDS, item_from
    from extractor.fields import registry

    assert FIELDS == registry().eval_order
    scored = {name.removesuffix("_date") for name in FIELDS}
    assert scored == {f.name for f in fields()} - {"evidence"}
    assert LIST_FIELDS == {"coactors"} and "deadline_date" in EXACT_FIELDS
    from extractor.corpus import GoldDirective

    item = item_from(GoldDirective.model_validate(
        {"evidence": {"text": "Bộ Y tế rà soát.", "start": 0, "end": 16},
         "action": {"text": "rà soát", "start": 7, "end": 14},
         "coactors": [{"text": "Bộ Tài chính"}], "modality": "obligation"}))  # fmt: skip
    assert set(item.fields) == set(FIELDS) - LIST_FIELDS
    assert item.fields["modality"] == "obligation" and item.fields["deadline_date"] is None
    assert item.coactors == ["Bộ Tài chính"] and item.fields["action"] == "rà soát"


def test_every_clerk_message_is_in_the_data_and_a_missing_one_fails_validation():
    import json
    from importlib import resources

    import pytest
    from pydantic import ValidationError

    from extractor.fields import say
    from extractor.resources import MessageKey, Presentation

    raw = json.loads(resources.files("extractor").joinpath("data/presentation.json").read_text(
        encoding="utf-8"))  # fmt: skip
    assert set(raw["messages"]) == set(MessageKey.__args__)
    assert say("no_document", doc_id="x1").endswith("x1.")
    del raw["messages"]["text_empty"]
    with pytest.raises(ValidationError, match="text_empty"):
        Presentation.model_validate(raw)
