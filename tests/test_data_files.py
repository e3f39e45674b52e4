"""Every data file shipped in the package loads and validates; broken rules fail loudly."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from pydantic import ValidationError

from extractor.resources import (
    Cue,
    RegexRule,
    RuleError,
    cue_lexicon,
    discourse_actors,
    regex_rules,
)


def _data_files():
    root = resources.files("extractor") / "data"
    out = []

    def walk(node, prefix=""):
        for child in node.iterdir():
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            else:
                out.append(f"{prefix}{child.name}")

    walk(root)
    return sorted(out)


@pytest.mark.parametrize("name", [n for n in _data_files() if n.endswith(".json")])
def test_every_json_file_parses(name):
    text = (resources.files("extractor") / "data" / name).read_text(encoding="utf-8")
    assert json.loads(text)


@pytest.mark.parametrize("name", [n for n in _data_files() if n.endswith(".jsonl")])
def test_every_jsonl_file_parses(name):
    text = (resources.files("extractor") / "data" / name).read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert rows


def test_cue_lexicon_is_valid():
    lex = cue_lexicon()
    ids = [c.id for c in lex.cues]
    assert len(ids) == len(set(ids))
    functions = {c.function for c in lex.cues}
    assert {"assign", "request", "modal", "prohibit", "non_directive", "permit"} <= functions


@pytest.mark.parametrize("name", ["boilerplate.json", "structure.json", "metadata.json"])
def test_regex_rule_files_compile(name):
    assert regex_rules(name).compiled()


def test_discourse_actors_are_valid():
    assert discourse_actors().groups


def test_a_broken_cue_fails_with_its_field_named():
    with pytest.raises(ValidationError, match="function"):
        Cue(id="x.y", phrase="giao", function="not_a_function")
    with pytest.raises(ValidationError, match="extra"):
        Cue(id="x.y", phrase="giao", function="assign", colour="red")


def test_a_regex_that_does_not_compile_is_refused():
    with pytest.raises(ValidationError, match="does not compile"):
        RegexRule(id="bad.rule", pattern="(unclosed")


def test_duplicate_ids_are_refused():
    from extractor.resources import check_unique_ids

    with pytest.raises(RuleError, match="duplicate"):
        check_unique_ids(["a", "b", "a"], "x.json")


def test_pipeline_config_names_registered_components():
    from extractor.pipeline import load_config

    config = load_config()
    for name in config["nlp"]["pipeline"]:
        assert name in config["components"]


def test_the_stage_order_is_the_config_and_flows_one_way():
    from extractor.pipeline import MODEL_STAGE, build, load_config

    order = load_config()["nlp"]["pipeline"]
    assert order.index("boilerplate_cleaner") < order.index("cue_ruler")  # cleaner first
    assert order.index("metadata_reader") < order.index("directive_assembler")
    # The rule work on the rulers' spans is done before the assembler, which only reads it.
    assert order.index("cue_filter") < order.index("actor_refiner") < order.index(
        "directive_assembler")
    # Clauses are cut once, by their own stage, for the assembler and the model.
    assert order.index("actor_refiner") < order.index("clause_splitter") < order.index(
        "directive_assembler")
    assert order[-6:] == [MODEL_STAGE, "topic_reader", "sector_classifier", "entity_resolver",
                          "deadline_reader", "directive_spans"]  # fmt: skip
    assert build("rules").pipe_names == [name for name in order if name != MODEL_STAGE]
    model_cfg = load_config()["components"][MODEL_STAGE]
    assert {"mode", "rule_weight", "veto", "veto_unless_rule", "propose"} <= set(model_cfg)


def test_word_lists_compared_to_lowercase_tokens_are_lowercase():
    """The assembler compares these lists to ``Token.lower_`` (or lowered text)."""
    from extractor.deadlines import get_rules
    from extractor.resources import cue_functions, function_words

    chain, words = cue_functions().verb_chain, function_words()
    lists = [chain.not_after_comma, chain.manner, chain.pairs, chain.list_heads,
             words.no_task, words.staff_offices, words.signed_for,
             get_rules().data.object_markers]  # fmt: skip
    for entries in lists:
        assert entries and all(w == w.lower() and w.strip() == w for w in entries), entries
