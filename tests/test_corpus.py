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


def test_field_split_and_part_f_views():
    from extractor.corpus import is_field

    field_test = list(iter_split("field-test"))
    assert len(field_test) >= 25 and all(d.id.startswith("ft_") for d in field_test)
    assert sum(len(d.gold.directives) for d in field_test) >= 250
    dev = {d.id for d in iter_split("dev")}
    field_dev = {d.id for d in iter_split("field-dev")}
    assert field_dev and field_dev <= dev and all(is_field(i) for i in field_dev)
    part_f = [d for d in iter_split("all") if is_field(d.id)]
    assert len(part_f) >= 60
    assert sum(len(d.gold.directives) for d in part_f) >= 600
    assert all(x.sector for d in part_f for x in d.gold.directives)
    assert sum(x.modality.value == "permission" for d in part_f for x in d.gold.directives) >= 15


def test_construction_catalogue_counts_come_from_the_studied_passages():
    from extractor.corpus import catalogue_counts, passage_counts

    catalogue = catalogue_counts()
    counts = passage_counts()
    assert len(catalogue) >= 30
    assert set(counts) <= set(catalogue), "a passage cites a construction not in the catalogue"
    assert {cid: counts.get(cid, 0) for cid in catalogue} == catalogue, (
        "run: python -m extractor.corpus constructions")
    lines = [ln for ln in (CORPUS_DIR / "field_sources.txt").read_text(encoding="utf-8")
             .splitlines() if ln.strip() and not ln.startswith("#")]  # fmt: skip
    assert len({ln.split("\t")[0] for ln in lines}) >= 80
    assert all(ln.split("\t")[0].startswith(("http://", "https://")) for ln in lines)


def test_gold_sectors_are_known_and_required_in_part_f():
    from extractor.corpus import GoldDocument, validate

    gold = GoldDocument.model_validate({"id": "f_99", "genre": "press", "directives": [
        {"evidence": {"text": "A.", "start": 0, "end": 2}, "action": {"text": "A", "start": 0,
         "end": 1}, "modality": "obligation"},
        {"evidence": {"text": "A.", "start": 0, "end": 2}, "action": {"text": "A", "start": 0,
         "end": 1}, "modality": "obligation", "sector": "no_such_field"}]})  # fmt: skip
    problems = validate(gold, "A.")
    assert any("needs a sector" in p for p in problems)
    assert any("unknown sector 'no_such_field'" in p for p in problems)
