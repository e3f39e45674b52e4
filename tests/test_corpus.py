"""The gold corpus is valid: offsets match the normalized text, enums and splits hold."""

from __future__ import annotations

from extractor.corpus import CORPUS_DIR, check_corpus, iter_split, read_splits


def test_every_gold_file_is_valid():
    assert check_corpus() == []


def test_corpus_size_and_splits():
    splits = read_splits()
    assert len(splits["test"]) >= 20
    docs = list(iter_split("all"))
    assert len(docs) >= 80
    assert sum(len(d.gold.directives) for d in docs) >= 600
    assert sum(1 for d in docs if not d.gold.directives) >= 10


def test_guideline_documents_the_matching_rule():
    guideline = (CORPUS_DIR / "GUIDELINE.md").read_text(encoding="utf-8")
    assert "matching rule" in guideline.lower()
    assert "(written by the lead)" not in guideline
