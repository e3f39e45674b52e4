"""The trained components: shipped, offline, current with the corpus, trainable in CI."""

from __future__ import annotations

import json
from pathlib import Path

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


def test_shipped_model_was_trained_on_the_current_rule_data():
    # Fails when extractor/data/ changes and nobody ran `extractor train` again. Models
    # trained before train.py recorded the hash have none: nothing to compare yet.
    from extractor.resources import rule_data_hash

    recorded = model_meta().get("rule_data_hash")
    if recorded is None:
        pytest.skip("models/directives/meta.json has no rule_data_hash yet: retrain to add it")
    assert recorded == rule_data_hash(), "retrain: extractor train"


def test_hybrid_mode_loads_offline_and_reads_the_seed(seed_path, extract, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    doc = extract(path=seed_path, mode="hybrid")
    assert len(doc.directives) == 7
    assert all("model.scored" in d.rules for d in doc.directives)


def test_model_mode_returns_only_model_directives(extract):
    # The text this test used ("1. Giao Bộ Tài chính chủ trì rà soát các khoản phí, báo cáo
    # ...") gets no ACTION span from the tagger, so the model proposed nothing and the test
    # passed on an empty output; it must now find the two directives.
    text = ("Thủ tướng Chính phủ kết luận như sau:\n"
            "1. Giao Bộ Tài chính rà soát các khoản phí, lệ phí trong tháng 6/2024.\n"
            "2. Bộ Xây dựng khẩn trương hoàn thiện dự thảo Nghị định.")
    doc = extract(text, mode="model")
    assert [(d.actor.text, d.action.text) for d in doc.directives] == [
        ("Bộ Tài chính", "rà soát các khoản phí, lệ phí"),
        ("Bộ Xây dựng", "hoàn thiện dự thảo Nghị định"),
    ]
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
    from extractor.resources import rule_data_hash

    assert json.loads((out / "meta.json").read_text())["rule_data_hash"] == rule_data_hash()
    assert meta["training"]["train"]["directives"] > 0
    import spacy

    import extractor.model  # noqa: F401  (registers the suggester)

    nlp = spacy.load(out)
    assert nlp.pipe_names == ["tok2vec", "spancat", "ner"]
    # The same seed writes the same pipeline: every file but meta.json (its commit) alike.
    again = tmp_path / "again"
    train(default_config(), again, limit=2, max_steps=4, seed=1, log=lambda _: None)
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    differ = [f for f in files if (out / f).read_bytes() != (again / f).read_bytes()]
    assert differ == [Path("meta.json")] or differ == []


@pytest.mark.parametrize("mode", ["rules", "model", "hybrid"])
def test_every_mode_is_deterministic(mode, extract):
    text = "Giao Bộ Y tế chủ trì rà soát danh mục thuốc, báo cáo Thủ tướng Chính phủ."
    assert extract(text, mode=mode).to_json() == extract(text, mode=mode).to_json()


# The vote on role spans, one row per case: the sentence, the rules' actor and action,
# the tagger's spans (label, text), and the actor/action the vote keeps.
ROLE_VOTE_CASES = [
    # The rules began the action inside a name they did not know: the tagger's boundary wins.
    ("Đề nghị Công an huyện phối hợp với UBND các xã hỗ trợ lực lượng cưỡng chế.",
     None, "Công an huyện phối hợp với UBND các xã hỗ trợ lực lượng cưỡng chế",
     [("ACTOR", "Công an huyện"), ("COACTOR", "UBND các xã"),
      ("ACTION", "hỗ trợ lực lượng cưỡng chế")],
     "Công an huyện", "hỗ trợ lực lượng cưỡng chế"),
    ("UBND các xã, thị trấn tăng cường kiểm tra việc tách thửa.",
     "UBND các xã", "thị trấn tăng cường kiểm tra việc tách thửa",
     [("ACTOR", "UBND các xã, thị trấn"), ("ACTION", "tăng cường kiểm tra việc tách thửa")],
     "UBND các xã, thị trấn", "tăng cường kiểm tra việc tách thửa"),
    # No tagged action after the tagged actor: the rules' reading stays.
    ("Đề nghị Công an huyện phối hợp kiểm tra.",
     None, "Công an huyện phối hợp kiểm tra", [("ACTOR", "Công an huyện")],
     None, "Công an huyện phối hợp kiểm tra"),
    # The tagger's span holds the rule's and a few lower-case words more.
    ("Các chủ cơ sở kinh doanh tự trang bị bình chữa cháy.",
     "Các chủ cơ sở", "tự trang bị bình chữa cháy",
     [("ACTOR", "Các chủ cơ sở kinh doanh"), ("ACTION", "tự trang bị bình chữa cháy")],
     "Các chủ cơ sở kinh doanh", "tự trang bị bình chữa cháy"),
    # A person's name after the title is not part of the actor.
    ("Bộ trưởng Bộ Y tế Đào Hồng Lan chỉ đạo rà soát giá thuốc.",
     "Bộ trưởng Bộ Y tế", "chỉ đạo rà soát giá thuốc",
     [("ACTOR", "Bộ trưởng Bộ Y tế Đào Hồng Lan"), ("ACTION", "chỉ đạo rà soát giá thuốc")],
     "Bộ trưởng Bộ Y tế", "chỉ đạo rà soát giá thuốc"),
    # A tagged span that swallowed a clause does not replace the rule's actor.
    ("Các Bộ: Tài chính, Y tế là các Bộ có nhiều thủ tục hành chính, phải hoàn thành việc sửa đổi.",
     "Các Bộ: Tài chính, Y tế", "hoàn thành việc sửa đổi",
     [("ACTOR", "Các Bộ: Tài chính, Y tế là các Bộ có nhiều thủ tục hành chính, phải"),
      ("ACTION", "hoàn thành việc sửa đổi")],
     "Các Bộ: Tài chính, Y tế", "hoàn thành việc sửa đổi"),
]  # fmt: skip


@pytest.mark.parametrize("text,actor,action,tagged,want_actor,want_action", ROLE_VOTE_CASES)
def test_role_spans_vote(text, actor, action, tagged, want_actor, want_action):
    from extractor.assemble import DirectiveRecord, Ref
    from extractor.model import ClauseScore, SentencePrediction, combine

    def ref(surface, rule="rule"):
        start = text.index(surface)
        return Ref(start, start + len(surface), rule)

    rec = DirectiveRecord(evidence=Ref(0, len(text), "segment.sentence"), action=ref(action),
                          modality="obligation", actor=ref(actor) if actor else None,
                          confidence=0.8)  # fmt: skip
    roles = [(label, ref(s).start, ref(s).end) for label, s in tagged]
    pred = SentencePrediction(0, len(text), [ClauseScore(0, len(text), 0.9, "obligation")], roles)
    (out,) = combine([rec], [pred], text, "hybrid")
    got_actor = text[out.actor.start : out.actor.end] if out.actor else None
    assert (got_actor, text[out.action.start : out.action.end]) == (want_actor, want_action)



def test_a_sentence_reads_the_same_alone_or_in_a_batch():
    # What makes the prediction cache safe: one sentence's reading never depends on the
    # other sentences it is batched with.
    from extractor.corpus import iter_split
    from extractor.model import DirectiveModel, _reading, sentence_views
    from extractor.pipeline import build

    model = DirectiveModel("directive_model", "hybrid", "").trained
    rules = build("rules")
    views = [v.doc for d in list(iter_split("dev"))[:3] for v in sentence_views(rules(d.text),
                                                                                 model.vocab)]
    batched = [_reading(s) for s in model.pipe(views, batch_size=256)]
    alone = [_reading(s) for s in model.pipe(views, batch_size=1)]
    assert len(views) > 20 and batched == alone


def test_shipped_sector_classifier_was_trained_on_the_current_corpus_and_rules():
    from extractor.resources import rule_data_hash, trained_path

    meta = json.loads((trained_path("sectors") / "training.json").read_text(encoding="utf-8"))
    assert meta["corpus_hash"] == corpus_hash(), "retrain: extractor train"
    assert meta["rule_data_hash"] == rule_data_hash(), "retrain: extractor train"
    assert meta["dev_accuracy"] > 0.5
