"""The evaluation's matching rule and scores on small hand-made cases."""

from __future__ import annotations

import pytest

from extractor.corpus import CorpusDocument, GoldDocument, anchor
from extractor.evaluate import (
    Item,
    Report,
    dice,
    evaluate_document,
    item_from_gold,
    match,
)

TEXT = (
    "Giao Bộ Tài chính chủ trì, phối hợp với Bộ Xây dựng rà soát định mức chi phí, "
    "báo cáo Thủ tướng Chính phủ trước ngày 30/6/2021. "
    "Các địa phương không được chậm trễ trong giải ngân."
)
GOLD = {
    "id": "x",
    "genre": "vpcp_notice",
    "doc_date": "2021-05-01",
    "directives": [
        {
            "evidence": {"text": TEXT.split(". ")[0] + "."},
            "actor": {"text": "Bộ Tài chính"},
            "coactors": [{"text": "Bộ Xây dựng"}],
            "action": {"text": "rà soát định mức chi phí"},
            "report_to": {"text": "Thủ tướng Chính phủ"},
            "deadline": {"text": "trước ngày 30/6/2021", "date": "2021-06-30",
                         "granularity": "day", "kind": "before"},
            "modality": "obligation",
        },
        {
            "evidence": {"text": "Các địa phương không được chậm trễ trong giải ngân."},
            "actor": {"text": "Các địa phương"},
            "action": {"text": "không được chậm trễ trong giải ngân"},
            "modality": "prohibition",
        },
    ],
}  # fmt: skip


def _doc() -> CorpusDocument:
    gold = GoldDocument.model_validate(GOLD)
    assert anchor(gold, TEXT) == []
    return CorpusDocument("x", "test", TEXT, TEXT, gold, None)


def _report(predict) -> Report:
    report = Report("test", "unit")
    report.add(evaluate_document(_doc(), predict))
    return report


def test_perfect_prediction_scores_one_everywhere():
    report = _report(lambda d: [item_from_gold(g) for g in d.gold.directives])
    assert report.detection.f1 == 1.0
    for key, counts in report.fields.items():
        if counts.tp + counts.fn:  # fields the gold has at all
            assert counts.f1 == 1.0, key
    assert report.fields["topic"].fp == 0


def test_empty_prediction_has_zero_recall():
    report = _report(lambda d: [])
    assert report.detection.recall == 0.0
    assert report.detection.fn == 2
    assert report.detection.f1 == 0.0


def test_wrong_actor_is_a_field_error_not_a_missed_directive():
    def predict(d):
        items = [item_from_gold(g) for g in d.gold.directives]
        items[0].fields["actor"] = "Bộ Xây dựng"
        return items

    report = _report(predict)
    assert report.detection.f1 == 1.0
    assert (report.fields["actor"].tp, report.fields["actor"].fp, report.fields["actor"].fn) == (
        1, 1, 1,
    )  # fmt: skip


def test_action_overlap_threshold():
    gold = item_from_gold(_doc().gold.directives[0])
    short = Item(gold.evidence, (gold.action[0], gold.action[0] + 4), {}, [])
    assert dice(short.action, gold.action) < 0.5
    assert match([short], [gold]) == []
    close = Item(gold.evidence, (gold.action[0], gold.action[1] - 3), {}, [])
    assert match([close], [gold]) == [(0, 0, pytest.approx(dice(close.action, gold.action)))]


def test_no_match_across_sentences():
    a, b = (item_from_gold(g) for g in _doc().gold.directives)
    moved = Item(b.evidence, a.action, {}, [])
    assert match([moved], [a]) == []


def test_each_gold_directive_matches_once():
    gold = item_from_gold(_doc().gold.directives[0])
    twice = [Item(gold.evidence, gold.action, {}, []), Item(gold.evidence, gold.action, {}, [])]
    assert len(match(twice, [gold])) == 1


def test_actor_accuracy_and_found_with_the_right_actor():
    def predict(d):
        items = [item_from_gold(g) for g in d.gold.directives[:1]]  # the second is missed
        return items

    report = _report(predict)
    assert report.actor_accuracy == 1.0  # one matched, actor right
    assert report.found_with_actor == 0.5  # of two gold directives
    wrong = _report(lambda d: [_with_actor(item_from_gold(g), "Bộ Xây dựng")
                               for g in d.gold.directives])  # fmt: skip
    assert wrong.actor_accuracy == 0.0 and wrong.found_with_actor == 0.0


def _with_actor(item: Item, actor):
    item.fields["actor"] = actor
    return item


HEADLINE = "Yêu cầu rà soát định mức chi phí\n"


def _restated_doc() -> CorpusDocument:
    data = {**GOLD, "directives": [dict(GOLD["directives"][0],
                                        restatements=[{"text": HEADLINE.strip()}])]}  # fmt: skip
    gold = GoldDocument.model_validate(data)
    text = HEADLINE + TEXT
    assert anchor(gold, text) == []
    return CorpusDocument("x", "test", text, text, gold, None)


def test_a_reading_of_the_headline_matches_the_directive_it_restates():
    doc = _restated_doc()
    start = len("Yêu cầu ")
    headline = Item((0, len(HEADLINE) - 1), (start, len(HEADLINE) - 1), {"actor": None}, [])
    body = item_from_gold(doc.gold.directives[0])
    body.restatements = []
    alone = Report("test", "unit")
    alone.add(evaluate_document(doc, lambda d: [headline]))
    assert (alone.detection.tp, alone.detection.fp, alone.detection.fn) == (1, 0, 0)
    both = Report("test", "unit")
    both.add(evaluate_document(doc, lambda d: [headline, body]))
    # found twice: the body reading matches, the headline reading is a second directive
    assert (both.detection.tp, both.detection.fp, both.detection.fn) == (1, 1, 0)


def test_sector_accuracy_counts_matched_directives_with_a_gold_sector():
    data = {**GOLD, "directives": [dict(g, sector="tai_chinh") for g in GOLD["directives"]]}
    gold = GoldDocument.model_validate(data)
    assert anchor(gold, TEXT) == []
    doc = CorpusDocument("x", "test", TEXT, TEXT, gold, None)

    def predict(d):
        items = [item_from_gold(g) for g in d.gold.directives]
        items[1].fields["sector"] = "giao_thong"
        return items

    report = Report("test", "unit")
    report.add(evaluate_document(doc, predict))
    assert report.sector_accuracy == 0.5
    assert _report(lambda d: [item_from_gold(g) for g in d.gold.directives]).sector_accuracy is None


def test_reports_by_genre_add_up_to_the_whole():
    report = Report("test", "unit")
    for genre in ("press", "vpcp_notice", "press"):
        doc = _doc()
        doc.gold.genre = genre
        report.add(evaluate_document(doc, lambda d: [item_from_gold(d.gold.directives[0])]))
    parts = report.by_genre()
    assert [(r.genre, r.documents) for r in parts] == [("press", 2), ("vpcp_notice", 1)]
    assert sum(r.detection.tp for r in parts) == report.detection.tp == 3
