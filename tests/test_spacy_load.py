"""The pipeline as a spaCy library: saved with ``nlp.to_disk``, read back with
``spacy.load`` in a fresh process (the factories found through the package's entry
points), it gives byte-identical output; the directives are a span group."""

from __future__ import annotations

import configparser
import json
import os
import re
import subprocess
import sys
import warnings
from importlib import metadata
from pathlib import Path

import pytest
import spacy

from extractor.api import extract_text
from extractor.nlp import RuleDataMismatch, rule_data_pin
from extractor.pipeline import build, load_config

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = sorted((ROOT / "tests" / "golden").glob("*.txt"))

# Run in a fresh interpreter: nothing of extractor imported before spacy.load, the
# trained models folder out of reach (the weights must come from the saved pipeline).
LOAD_AND_EXTRACT = """
import json, sys
import spacy
assert not any(m == "extractor" or m.startswith("extractor.") for m in sys.modules)
nlp = spacy.load(sys.argv[1])
from extractor.api import extract_text
out = [extract_text(open(p, encoding="utf-8").read(), pipeline=nlp).to_json()
       for p in sys.argv[2:]]
print(json.dumps({"pipeline": nlp.pipe_names, "outputs": out}))
"""


def _entry_points(group: str) -> dict[str, str]:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = cfg["options.entry_points"][group].strip().splitlines()
    return dict(tuple(part.strip() for part in line.split("=", 1)) for line in lines)


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pipeline") / "vi_directives"
    build("hybrid").to_disk(path)
    return path


def test_every_factory_and_registered_function_has_an_entry_point():
    config = load_config()
    factories = {c["factory"] for c in config["components"].values()}
    declared = _entry_points("spacy_factories")
    assert factories == set(declared)
    assert set(_entry_points("spacy_tokenizers")) == {config["nlp"]["tokenizer"]["@tokenizers"]}
    misc = {v["patterns"]["@misc"] for v in config["initialize"]["components"].values()}
    assert misc <= set(_entry_points("spacy_misc"))
    # the trained model's own layers ("extractor.RuleFeatureEmbed.v1") load from the saved config
    model_cfg = (ROOT / "models" / "directives.cfg").read_text(encoding="utf-8")
    ours = set(re.findall(r'@architectures = "(extractor\.[^"]+)"', model_cfg))
    assert ours and ours <= set(_entry_points("spacy_architectures"))
    # each points at the function registered under that name
    for name, target in declared.items():
        module, attr = target.split(":")
        assert spacy.registry.factories.get(name) is getattr(__import__(module, fromlist=[attr]),
                                                              attr), name  # fmt: skip


def test_the_entry_points_are_installed():
    installed = {ep.name for ep in metadata.entry_points(group="spacy_factories")}
    missing = set(_entry_points("spacy_factories")) - installed
    assert not missing, f"run `pip install -e .` again to register {sorted(missing)}"


def test_the_saved_pipeline_carries_the_weights_and_the_rule_data_pin(saved):
    assert (saved / "directive_model" / "meta.json").is_file()
    assert (saved / "sector_classifier" / "model" / "meta.json").is_file()
    assert (saved / "cue_ruler" / "patterns").is_file()
    assert json.loads((saved / "tokenizer").read_text(encoding="utf-8")) == rule_data_pin()
    # no folder of this machine in the config
    assert str(ROOT) not in (saved / "config.cfg").read_text(encoding="utf-8")


def test_spacy_load_in_a_fresh_process_gives_byte_identical_output(saved, seed_path, tmp_path):
    texts = [*GOLDEN, seed_path]
    env = {**os.environ, "EXTRACTOR_MODELS": str(tmp_path / "no-models-here")}
    command = [sys.executable, "-c", LOAD_AND_EXTRACT, str(saved), *map(str, texts)]
    run = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=600)  # fmt: skip
    assert run.returncode == 0, run.stderr
    loaded = json.loads(run.stdout)
    assert loaded["pipeline"] == build("hybrid").pipe_names
    expected = [extract_text(p.read_text(encoding="utf-8")).to_json() for p in texts]
    assert loaded["outputs"] == expected
    seed = json.loads(loaded["outputs"][-1])
    assert len(seed["directives"]) == 7
    assert all(d["model_confidence"] is not None for d in seed["directives"])


def test_a_pipeline_saved_with_other_rule_data_warns_when_loaded(saved):
    pipeline = build("hybrid")
    other = {**rule_data_pin(), "rule_data_hash": "0" * 64}
    with pytest.warns(RuleDataMismatch, match="other rule data"):
        pipeline.tokenizer.from_bytes(json.dumps(other).encode("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuleDataMismatch)
        pipeline.tokenizer.from_disk(saved / "tokenizer")


def test_a_saved_rules_pipeline_loads_without_a_model(seed_path, tmp_path):
    build("rules").to_disk(tmp_path / "rules")
    assert not (tmp_path / "rules" / "directive_model").exists()
    assert not (tmp_path / "rules" / "sector_classifier" / "model").exists()
    nlp = spacy.load(tmp_path / "rules")
    text = seed_path.read_text(encoding="utf-8")
    loaded = extract_text(text, pipeline=nlp)
    assert loaded.options.mode == "rules"
    assert loaded.to_json() == extract_text(text, mode="rules").to_json()
