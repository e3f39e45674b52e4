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
