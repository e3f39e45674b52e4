"""The trained components: shipped, offline, current with the corpus, trainable in CI."""

from __future__ import annotations

import json

import pytest

from extractor.corpus import corpus_hash
from extractor.model import model_meta, models_dir


def test_shipped_model_is_small_and_names_its_corpus():
    location = models_dir() / "directives"
    size = sum(p.stat().st_size for p in location.rglob("*") if p.is_file())
    assert size < 30 * 1024 * 1024
    meta = model_meta()
    for key in ("corpus_hash", "seed", "dev_scores", "training"):
        assert key in meta


def test_shipped_model_was_trained_on_the_current_corpus():
    # Fails when corpus/ changes and nobody ran `extractor train` again.
    assert model_meta()["corpus_hash"] == corpus_hash(), "retrain: extractor train"


def test_hybrid_mode_loads_offline_and_reads_the_seed(seed_path, extract, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    doc = extract(path=seed_path, mode="hybrid")
    assert len(doc.directives) == 7
    assert all("model.scored" in d.rules for d in doc.directives)


def test_model_mode_returns_only_model_directives(extract):
    text = ("Thủ tướng Chính phủ kết luận như sau:\n"
            "1. Giao Bộ Tài chính chủ trì rà soát các khoản phí, báo cáo Thủ tướng Chính phủ.")
    doc = extract(text, mode="model")
    assert all(d.rules == ["model.proposed"] for d in doc.directives)


def test_confidence_is_calibrated_on_dev():
    from extractor.evaluate import evaluate

    report = evaluate("dev", "hybrid")
    rows = report.as_dict()["reliability"]
    high = [r for r in rows if r["confidence"].startswith(("[0.8", "[0.9"))]
    predicted = sum(r["predicted"] for r in high)
    correct = sum(r["correct"] for r in high)
    assert predicted > 0 and correct / predicted >= 0.9


def test_tiny_training_run(tmp_path):
    from extractor.train import default_config, train

    out = tmp_path / "tiny"
    meta = train(default_config(), out, limit=2, max_steps=4, seed=1, log=lambda _: None)
    assert (out / "meta.json").exists()
    assert json.loads((out / "meta.json").read_text())["corpus_hash"] == corpus_hash()
    assert meta["training"]["train"]["directives"] > 0
    import spacy

    import extractor.model  # noqa: F401  (registers the suggester)

    nlp = spacy.load(out)
    assert nlp.pipe_names == ["tok2vec", "spancat", "ner"]


@pytest.mark.parametrize("mode", ["rules", "model", "hybrid"])
def test_every_mode_is_deterministic(mode, extract):
    text = "Giao Bộ Y tế chủ trì rà soát danh mục thuốc, báo cáo Thủ tướng Chính phủ."
    assert extract(text, mode=mode).to_json() == extract(text, mode=mode).to_json()
