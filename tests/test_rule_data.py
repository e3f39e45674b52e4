"""The rule-data layer: one loader, one error, every file validated, a user rules folder
overlaid on the shipped one, required ids checked at load, and no Vietnamese words left
in the code that reads them."""

from __future__ import annotations

import ast
import json
from importlib import resources
from pathlib import Path

import pytest

import extractor
from extractor import resources as rd
from extractor.resources import RuleError

PACKAGE = Path(extractor.__file__).parent
VIETNAMESE = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")
# Modules that still hold Vietnamese strings, and why. Everything else reads its words
# from extractor/data/.
STILL_IN_CODE = {
    "readers/legacy.py": "letter classes that recognise the script, not words",
    "readers/pdf.py": "page-number lines ('trang 2 của 5') removed from the text layer",
    "schema.py": "a field's description in the JSON Schema",
    "web/screenshots.py": "the sample document of the README screenshots",
}

LOADERS = [
    rd.cue_lexicon, rd.cue_functions, rd.function_words, rd.discourse_actors, rd.leader_titles,
    rd.sections, rd.organizations, rd.actor_phrases,
    lambda: rd.load(rd.FieldRegistry, "fields.json"),
    lambda: rd.load(rd.Presentation, "presentation.json"),
    lambda: rd.load(rd.Presentation, "presentation.json").messages["text_empty"],
    lambda: rd.regex_rules("boilerplate.json"), lambda: rd.regex_rules("structure.json"),
    lambda: rd.regex_rules("metadata.json"), rd.topic_file, rd.sectors_file,
]  # fmt: skip


def _literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr)
    }  # fmt: skip
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]  # fmt: skip


RUNTIME_MODULES = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("module", RUNTIME_MODULES)
def test_no_vietnamese_literal_in_code(module):
    """Words live in the data files: no Vietnamese string literal in a runtime module."""
    found = [s for s in _literals(PACKAGE / module) if VIETNAMESE & set(s.lower())]
    if module in STILL_IN_CODE:
        assert found, f"{module} is clean now: take it off STILL_IN_CODE"
    else:
        assert not found, f"{module}: move {found[:3]} to extractor/data/"


@pytest.mark.parametrize("loader", LOADERS)
def test_every_rule_file_validates(loader):
    assert loader()


def test_every_cue_function_is_in_the_table():
    table = rd.cue_functions()
    assert {f.id for f in table.functions} == set(rd.CueFunction.__args__)
    assert table.with_flag("instructs") <= table.with_flag("introduces_actor")
    assert {c.function for c in rd.cue_lexicon().cues} <= {f.id for f in table.functions}


def test_the_gazetteer_and_deadline_files_validate_through_the_same_loader():
    from extractor.deadlines import DeadlineRuleError, get_rules
    from extractor.gazetteer import GazetteerError, get_gazetteer

    assert DeadlineRuleError is RuleError and GazetteerError is RuleError
    assert get_rules().compiled and get_gazetteer().entries


def _user_folder(tmp_path, monkeypatch, name: str, data) -> Path:
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    target.write_text(text, encoding="utf-8")
    monkeypatch.setenv(rd.USER_RULES_ENV, str(tmp_path))
    return target


def test_a_user_rules_file_replaces_the_shipped_one(tmp_path, monkeypatch):
    _user_folder(tmp_path, monkeypatch, "leaders.json", {"titles": ["Chủ tịch"]})
    assert rd.data_path("leaders.json") == tmp_path / "leaders.json"
    assert rd.load(rd.Leaders, "leaders.json").titles == ("Chủ tịch",)
    # A file the user folder does not hold is still the shipped one.
    shipped = resources.files("extractor").joinpath("data", "sections.json")
    assert rd.data_path("sections.json") == shipped


def test_a_broken_user_file_fails_loudly_with_the_file_named(tmp_path, monkeypatch):
    _user_folder(tmp_path, monkeypatch, "organizations.json", {"heads": ["Tập đoàn"]})
    with pytest.raises(RuleError, match=r"organizations\.json: collective_heads"):
        rd.load(rd.Organizations, "organizations.json")
    _user_folder(tmp_path, monkeypatch, "sections.json", "{not json")
    with pytest.raises(RuleError, match=r"sections\.json: invalid JSON"):
        rd.load(rd.Sections, "sections.json")
    _user_folder(tmp_path, monkeypatch, "gazetteer/span_patterns.jsonl",
                 '{"label": "ACTOR", "id": "pattern.x", "pattern": [{"TEXT": {"REGEX": "("}}]}')
    with pytest.raises(RuleError, match=r"span_patterns\.jsonl:1: .*does not compile"):
        rd.gazetteer_lines(rd.SpanPattern, "span_patterns.jsonl")


def test_a_missing_required_rule_id_fails_at_load():
    with pytest.raises(RuleError, match="required rule ids missing: speaker.turn"):
        rd.require_ids(["marker.roman"], ["marker.roman", "speaker.turn"], "structure.json")


def test_a_section_of_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        rd.Section(id="section.x", kind="praise", keywords=("biểu dương",))


def test_the_rule_data_hash_is_stable_and_covers_the_files():
    assert rd.rule_data_hash() == rd.rule_data_hash()
    assert len(rd.rule_data_hash()) == 64
