"""The JSON contract as `extractor schema` prints it: identified, versioned, closed
vocabularies as enums, dates as dates, and real outputs valid against it; outputs of the
previous version still read where the code reads them (report, batch rerun)."""

from __future__ import annotations

import json
from typing import get_args

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from extractor import MODES
from extractor.cli import main
from extractor.resources import read_json
from extractor.schema import (
    READABLE_SCHEMA_VERSIONS,
    SCHEMA_ID,
    SCHEMA_VERSION,
    Document,
    Mode,
    Recurrence,
    SkipReason,
    SourceFormat,
)

NOTICE = """VĂN PHÒNG CHÍNH PHỦ
Số: 12/TB-VPCP
Hà Nội, ngày 20 tháng 3 năm 2021
THÔNG BÁO
Kết luận của Phó Thủ tướng Chính phủ tại cuộc họp về giải ngân vốn đầu tư công
Phó Thủ tướng Chính phủ kết luận như sau:
1. Giao Bộ Tài chính chủ trì rà soát định mức, báo cáo Thủ tướng Chính phủ trước ngày 30/6.
2. Bộ Kế hoạch và Đầu tư định kỳ hằng tháng báo cáo tiến độ giải ngân.
"""


@pytest.fixture(scope="module")
def schema() -> dict:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def output(extract) -> dict:
    return json.loads(extract(NOTICE, with_text=True).to_json())


def _prop(schema: dict, model: str, field: str) -> dict:
    props = schema["properties"] if model == "Document" else schema["$defs"][model]["properties"]
    return props[field]


def _types(prop: dict) -> list[dict]:
    return prop.get("anyOf", [prop])


def test_the_schema_names_its_dialect_and_itself(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID and SCHEMA_ID.endswith(":" + SCHEMA_VERSION)
    Draft202012Validator.check_schema(schema)


def test_schema_version_is_required_and_fixed(schema):
    assert "schema_version" in schema["required"]
    assert _prop(schema, "Document", "schema_version")["const"] == SCHEMA_VERSION
    assert get_args(Document.model_fields["schema_version"].annotation) == (SCHEMA_VERSION,)
    assert READABLE_SCHEMA_VERSIONS[-1] == SCHEMA_VERSION


@pytest.mark.parametrize("model,field", [
    ("Deadline", "date"), ("Meeting", "date"), ("DocumentInfo", "date"),
    ("Options", "doc_date"), ("Canonical", "valid_from"), ("Canonical", "valid_to"),
])  # fmt: skip
def test_dates_are_marked_as_dates(schema, model, field):
    strings = [t for t in _types(_prop(schema, model, field)) if t.get("type") == "string"]
    assert strings and all(t["format"] == "date" for t in strings)


def _enum(schema: dict, model: str, field: str) -> set:
    return {v for t in _types(_prop(schema, model, field)) for v in t.get("enum", ())}


def test_closed_vocabularies_are_enums(schema):
    assert _enum(schema, "Options", "mode") == set(MODES) == set(get_args(Mode))
    vocab = read_json("deadline_patterns.json")["vocabulary"]
    recurrences = {*vocab["frequency"].values(), *vocab["every_months"].values()}
    assert recurrences <= _enum(schema, "Deadline", "recurrence") == set(get_args(Recurrence))
    labels = {r["label"] for r in read_json("boilerplate.json")["rules"]}
    assert labels | {"duplicate"} == _enum(schema, "SkippedRegion", "reason")
    assert set(get_args(SkipReason)) == _enum(schema, "SkippedRegion", "reason")
    from extractor.readers.detect import _EXTENSIONS

    assert {*_EXTENSIONS.values(), "text"} == set(get_args(SourceFormat))
    assert _enum(schema, "Source", "format") == set(get_args(SourceFormat))
    for model, field in [("Deadline", "kind"), ("Deadline", "granularity"),
                         ("Directive", "modality"), ("Entity", "kind")]:  # fmt: skip
        prop = _prop(schema, model, field)
        refs = [t["$ref"] for t in _types(prop) if "$ref" in t] or [prop.get("$ref")]
        assert all(schema["$defs"][r.rsplit("/", 1)[1]]["enum"] for r in refs), (model, field)


def test_the_meaning_of_a_deadline_date_is_stated(schema, output):
    text = _prop(schema, "Deadline", "date")["description"]
    assert "inclusive" in text and "trước ngày 30/6/2021" in text and "2021-06-30" in text
    # And it is what the extractor does: "trước ngày 30/6" in a notice of 20/3/2021.
    first = output["directives"][0]["deadline"]
    assert (first["text"], first["date"], first["kind"]) == ("trước ngày 30/6", "2021-06-30",
                                                             "before")  # fmt: skip


def test_real_outputs_are_valid_against_the_printed_schema(schema, output, extract):
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert output["schema_version"] == SCHEMA_VERSION
    assert any(d["deadline"] and d["deadline"]["recurrence"] == "monthly"
               for d in output["directives"])  # fmt: skip
    validator.validate(output)
    from pathlib import Path

    golden = Path(__file__).parent / "golden"
    for path in sorted(golden.glob("*.txt")):
        validator.validate(json.loads(extract(path=path).to_json()))
    bad = {**output, "options": {**output["options"], "mode": "fast"}}
    assert not validator.is_valid(bad)
    assert not validator.is_valid({**output, "schema_version": "0.9"})


def test_an_output_of_the_previous_version_is_still_read(output):
    old = {**output, "schema_version": "1.0"}
    assert Document.read(old).schema_version == SCHEMA_VERSION
    with pytest.raises(ValidationError):
        Document.read({**output, "schema_version": "2.0"})
    with pytest.raises(ValidationError):
        Document.read({k: v for k, v in output.items() if k != "schema_version"})
    with pytest.raises(ValidationError):  # the current version is strict on its own outputs
        Document.model_validate(old)


def test_the_report_reads_outputs_of_the_previous_version(tmp_path, output):
    from extractor.web.report import load_documents

    (tmp_path / "old.json").write_text(json.dumps({**output, "schema_version": "1.0"}),
                                       encoding="utf-8")  # fmt: skip
    (tmp_path / "new.json").write_text(json.dumps(output), encoding="utf-8")
    docs, skipped = load_documents(tmp_path)
    assert len(docs) == 2 and not skipped


def test_a_batch_rerun_redoes_an_output_of_the_previous_version(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(NOTICE, encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["extract", str(src), "-o", str(out), "--workers", "1"]
                         ).exit_code == 0  # fmt: skip
    again = runner.invoke(main, ["extract", str(src), "-o", str(out), "--workers", "1"])
    assert "0 done, 1 up to date" in again.output
    target = out / "a.json"
    target.write_text(target.read_text(encoding="utf-8").replace(
        f'"schema_version": "{SCHEMA_VERSION}"', '"schema_version": "1.0"'), encoding="utf-8")
    redone = runner.invoke(main, ["extract", str(src), "-o", str(out), "--workers", "1"])
    assert redone.exit_code == 0 and "1 done, 0 up to date" in redone.output
    assert json.loads(target.read_text(encoding="utf-8"))["schema_version"] == SCHEMA_VERSION
