"""Provenance pinned: which rule produced each field (``source``), which pattern found an
entity's span (``detector``), which rules fired (``rules``). A renamed rule id or a
changed rule path shows up here."""

from __future__ import annotations

import pytest

CASES = [
    # text, expected actor source, expected actor detector, expected rules
    ("Giao Ủy ban nhân dân huyện Bảo Lâm rà soát các quy định.",
     "actor.after_assign.giao", "pattern.district_pc",
     ["directive.strong_cue", "assign.giao"]),
    ("Đề nghị Tổng công ty Sông Đà bảo đảm tiến độ thi công.",
     "actor.after_request.de_nghi", "actor.organization_head",
     ["directive.strong_cue", "request.de_nghi"]),
    ("Đề nghị Tập đoàn Điện lực Việt Nam bảo đảm cung ứng điện.",
     "actor.after_request.de_nghi+gazetteer:enterprise:evn", "gazetteer:enterprise:evn",
     ["directive.strong_cue", "request.de_nghi"]),
    ("Đề nghị Bộ Quốc phòng, Bộ Công an hỗ trợ sơ tán dân.",
     "actor.after_request.de_nghi", "actor.list_join",
     ["directive.strong_cue", "request.de_nghi"]),
    ("Các bộ, ngành, địa phương khẩn trương rà soát các quy định trước ngày 30/6/2024.",
     "actor.subject+gazetteer:collective:bo_nganh_dia_phuong",
     "gazetteer:collective:bo_nganh_dia_phuong",
     ["directive.weak_cue_in_conclusion", "urgency.khan_truong"]),
    ("Giao các Bộ: Tài chính, Xây dựng rà soát các quy định.",
     "actor.after_assign.giao", "pattern.ministry_list",
     ["directive.strong_cue", "assign.giao"]),
    ("Giao Bộ Tài chính chủ trì rà soát các quy định, báo cáo Thủ tướng Chính phủ.",
     "actor.after_assign.giao+gazetteer:ministry:tai_chinh", "gazetteer:ministry:tai_chinh",
     ["directive.strong_cue", "assign.giao", "lead.chu_tri"]),
]  # fmt: skip


@pytest.mark.parametrize("text,source,detector,rules", CASES)
def test_actor_source_detector_and_rules(extract, text, source, detector, rules):
    (d,) = extract(text, mode="rules").directives
    assert (d.actor.source, d.actor.detector) == (source, detector)
    assert d.rules == rules


def test_every_role_names_its_rule_and_detector(extract):
    text = ("Giao Bộ Tài chính chủ trì, phối hợp với Ủy ban nhân dân các tỉnh rà soát các quy "
            "định, báo cáo Thủ tướng Chính phủ.")  # fmt: skip
    (d,) = extract(text, mode="rules").directives
    assert [(c.source, c.detector) for c in d.coactors] == [
        ("coactor.after_phoi_hop+gazetteer:collective:ubnd_tinh_tp",
         "gazetteer:collective:ubnd_tinh_tp")]
    assert (d.report_to.source, d.report_to.detector) == (
        "report_to.tail+gazetteer:role:thu_tuong", "gazetteer:role:thu_tuong")
    assert d.action.source == "action.clause" and d.evidence.source == "segment.sentence"


DEADLINES = [
    # text, deadline text, source (the rule that computed the date), date
    ("Bộ Xây dựng khẩn trương hoàn thiện dự thảo Nghị định.",
     "khẩn trương", "urgent.khan_truong", None),
    ("Các bộ, ngành, địa phương khẩn trương rà soát các quy định trước ngày 30/6/2024.",
     "trước ngày 30/6/2024", "before.dmy_num", "2024-06-30"),
    # Found by within.after_completion ("hoàn thành" is its lead) and read by it too: the
    # surface alone would be read by within.table_cell, which did not find it.
    ("Kết luận:\n1. Bộ Thông tin và Truyền thông:\n(2) hướng dẫn các bộ, ngành, địa phương "
     "đánh giá mức độ chuyển đổi số, hoàn thành 6 tháng đầu năm 2022;\n",
     "6 tháng đầu năm 2022", "within.after_completion", "2022-06-30"),
]  # fmt: skip


@pytest.mark.parametrize("text,surface,source,date", DEADLINES)
def test_a_deadline_names_the_rule_that_computed_its_date(extract, text, surface, source,
                                                          date):  # fmt: skip
    from extractor.deadlines import find_deadlines, read_match

    deadline = extract(text, mode="rules").directives[-1].deadline
    assert (deadline.text, deadline.source, deadline.date) == (surface, source, date)
    found = [m for m in find_deadlines(text) if m.text == surface]
    assert [m.rule for m in found] == [source], "the rule that found it computed the date"
    assert read_match(found[0]).date == date


ORIGINS = [
    # text, (actor origin, topic origin) of each directive, in order
    ("Giao Bộ Tài chính rà soát các quy định; khẩn trương hướng dẫn các địa phương thực hiện.",
     [(None, None), ("previous_clause", None)]),
    ("Kết luận:\n1. Bộ Y tế:\n- Rà soát các quy định về khám chữa bệnh.\n",
     [("heading", None)]),
    ("Kết luận:\n1. Về giáo dục:\n- Bộ Giáo dục và Đào tạo rà soát chương trình.\n",
     [(None, "heading")]),
    ("Thủ tướng Chính phủ kết luận như sau:\nĐề nghị Ủy ban nhân dân tỉnh lưu ý một số nội "
     "dung sau:\n- Rà soát quy hoạch sử dụng đất.\n",
     [("lead_in", None)]),
]  # fmt: skip


@pytest.mark.parametrize("text,origins", ORIGINS)
def test_inherited_fields_say_where_they_came_from(extract, text, origins):
    doc = extract(text, mode="rules")
    got = [(d.actor.origin.value if d.actor and d.actor.origin else None,
            d.topic.origin.value if d.topic and d.topic.origin else None)
           for d in doc.directives]  # fmt: skip
    assert got == origins
    assert all(d.action.origin is None and d.evidence.origin is None for d in doc.directives)


def test_model_spans_say_they_are_the_model_s(extract):
    text = ("Thủ tướng Chính phủ kết luận như sau:\n"
            "1. Giao Bộ Tài chính rà soát các khoản phí, lệ phí trong tháng 6/2024.\n")
    (d,) = extract(text, mode="model").directives
    assert d.action.origin.value == "model"


VOTE_TEXT = ("Thủ tướng Chính phủ kết luận như sau:\n"
             "1. Giao Bộ Tài chính rà soát các khoản phí, lệ phí trong tháng 6/2024.\n"
             "2. Bộ Xây dựng khẩn trương hoàn thiện dự thảo Nghị định.\n")


def test_each_mode_keeps_the_scores_it_combined(extract):
    from extractor.model import RULE_WEIGHT

    rules = extract(VOTE_TEXT, mode="rules").directives
    assert rules and all(d.rule_confidence == d.confidence and d.model_confidence is None
                         for d in rules)  # fmt: skip
    hybrid = extract(VOTE_TEXT, mode="hybrid").directives
    assert hybrid
    for d in hybrid:
        assert "model.scored" in d.rules
        combined = RULE_WEIGHT * d.rule_confidence + (1 - RULE_WEIGHT) * d.model_confidence
        assert abs(combined - d.confidence) < 0.006
    model = extract(VOTE_TEXT, mode="model").directives
    assert model and all(d.rule_confidence is None and d.model_confidence is not None
                         and abs(d.model_confidence * 0.9 - d.confidence) < 0.006
                         for d in model)  # fmt: skip
