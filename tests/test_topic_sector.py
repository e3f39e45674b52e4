"""Topic from the action's object, and the sector from keywords and the classifier: tables
of made-up directives, and the fields' provenance pinned."""

from __future__ import annotations

import pytest

from extractor.sector import by_rules, combine, label_of
from extractor.topic import RULE, object_topic

TOPICS = [
    # (sentence, action as the assembler cuts it, expected topic or None)
    ("Giao Sở Tư pháp rà soát quy định về đấu thầu qua mạng.",
     "rà soát quy định về đấu thầu qua mạng", "quy định về đấu thầu qua mạng"),
    ("Các xã tăng cường công tác phòng cháy, chữa cháy tại các chợ.",
     "tăng cường công tác phòng cháy, chữa cháy tại các chợ", "phòng cháy, chữa cháy tại các chợ"),
    ("Sở Xây dựng khẩn trương hoàn thiện hồ sơ dự án đường ven biển.",
     "hoàn thiện hồ sơ dự án đường ven biển", "hồ sơ dự án đường ven biển"),
    ("Các địa phương không để xảy ra tình trạng ách tắc hàng hóa tại cửa khẩu.",
     "không để xảy ra tình trạng ách tắc hàng hóa tại cửa khẩu",
     "tình trạng ách tắc hàng hóa tại cửa khẩu"),
    ("Sở Tài chính bố trí đủ vốn cho các dự án chuyển tiếp.",
     "bố trí đủ vốn cho các dự án chuyển tiếp", "vốn cho các dự án chuyển tiếp"),
    ("Sở Nông nghiệp và Môi trường hướng dẫn người dân chuyển đổi cơ cấu cây trồng.",
     "hướng dẫn người dân chuyển đổi cơ cấu cây trồng", "cơ cấu cây trồng"),
    ("Sở Y tế kiểm tra chặt chẽ điều kiện an toàn thực phẩm, bảo đảm không để xảy ra ngộ độc.",
     "kiểm tra chặt chẽ điều kiện an toàn thực phẩm, bảo đảm không để xảy ra ngộ độc",
     "điều kiện an toàn thực phẩm"),
    ("Công an tỉnh tiếp tục thực hiện.", "tiếp tục thực hiện", None),
]  # fmt: skip


@pytest.mark.parametrize("sentence,action,expected", TOPICS)
def test_topic_is_the_object_of_the_action(sentence, action, expected):
    from extractor.pipeline import build

    doc = build("rules")(sentence)
    start = sentence.index(action)
    found = object_topic(doc, start, start + len(action))
    assert (sentence[found[0]:found[1]] if found else None) == expected


def test_extracted_topics_say_which_rule_read_them(extract):
    doc = extract("1. Về giải phóng mặt bằng:\na) Giao Sở Xây dựng rà soát hồ sơ bồi thường "
                  "của các hộ dân.\n2. Giao Sở Tài chính bố trí đủ vốn cho dự án cầu Mỹ Lợi.",
                  mode="rules")  # fmt: skip
    topics = [(d.topic.text, d.topic.source) for d in doc.directives]
    assert topics[0][0] == "giải phóng mặt bằng" and topics[0][1] != RULE  # the heading
    assert topics[-1] == ("vốn cho dự án cầu Mỹ Lợi", RULE)


SECTORS = [
    ({"topic": "điểm sạt lở trên quốc lộ", "action": "khắc phục các điểm sạt lở trên quốc lộ",
      "actor": "Sở Xây dựng"}, "thien_tai"),
    ({"topic": "vắc-xin cho trẻ em", "action": "tiêm vắc-xin cho trẻ em", "actor": "Sở Y tế"},
     "y_te"),
    ({"topic": "tiến độ giải ngân vốn đầu tư công", "action": "đẩy nhanh tiến độ giải ngân vốn "
      "đầu tư công", "actor": "các chủ đầu tư"}, "dau_tu_cong"),
    ({"topic": "thủ tục hành chính", "action": "rút ngắn thời gian giải quyết thủ tục hành chính",
      "actor": "các sở, ngành"}, "hanh_chinh"),
    ({"topic": None, "action": "tiếp tục thực hiện", "actor": None}, None),
]  # fmt: skip


@pytest.mark.parametrize("fields,expected", SECTORS)
def test_sector_by_keywords(fields, expected):
    reading = by_rules(fields)
    assert (reading.id if reading else None) == expected
    if reading:
        assert reading.source.startswith("sector.rules:") and reading.label == label_of(expected)


def test_sector_combines_the_model_and_the_rules_and_says_so():
    fields = {"topic": "vắc-xin", "action": "tiêm vắc-xin", "actor": "Sở Y tế"}
    model = {"y_te": 0.4, "giao_duc": 0.6}  # the rules tip a close call
    assert (combine(fields, model).id, combine(fields, model).source) == (
        "y_te", "sector.rules:vắc-xin+model")
    sure = {"y_te": 0.02, "giao_duc": 0.98}
    assert combine(fields, sure).id == "giao_duc" and combine(fields, sure).source == "model"
    nothing = combine({"action": "tiếp tục thực hiện"}, None)
    assert (nothing.id, nothing.source) == ("khac", "sector.default")


def test_every_directive_gets_a_sector_with_its_source(extract):
    doc = extract("Giao Sở Giáo dục và Đào tạo rà soát đội ngũ giáo viên mầm non, báo cáo "
                  "UBND tỉnh trước ngày 30/6/2025.", mode="rules")  # fmt: skip
    (d,) = doc.directives
    assert d.sector.id == "giao_duc" and d.sector.source.startswith("sector.rules:")
    assert 0.0 <= d.sector.confidence <= 1.0
