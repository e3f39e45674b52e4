"""Document metadata and canonical actors in whole documents."""

from __future__ import annotations

import datetime as dt

NOTICE = """VĂN PHÒNG CHÍNH PHỦ
Số: 142/TB-VPCP
Hà Nội, ngày 10 tháng 5 năm 2021
THÔNG BÁO
Kết luận của Phó Thủ tướng Chính phủ tại cuộc họp về vốn đầu tư công
Ngày 28 tháng 4 năm 2021, Phó Thủ tướng Chính phủ Lê Minh Khái đã chủ trì cuộc họp về tình hình giải ngân vốn đầu tư công.
Sau khi nghe báo cáo, Phó Thủ tướng Chính phủ kết luận như sau:
Giao Bộ Kế hoạch và Đầu tư chủ trì tổng hợp nhu cầu vốn, báo cáo Thủ tướng Chính phủ trước ngày 30/6.
"""  # noqa: E501


def test_notice_metadata(extract):
    doc = extract(NOTICE, mode="rules")
    info = doc.document
    assert info.number == "142/TB-VPCP"
    assert info.date == "2021-05-10"
    assert info.issuing_body.text == "VĂN PHÒNG CHÍNH PHỦ"
    assert info.meeting.date == "2021-04-28"
    assert info.meeting.chair.text == "Phó Thủ tướng Chính phủ Lê Minh Khái"
    assert info.meeting.chair.person == "Lê Minh Khái"
    assert info.meeting.title.text.startswith("cuộc họp về tình hình giải ngân")


def test_an_ended_ministry_keeps_its_name_and_names_its_successor(extract):
    (d,) = extract(NOTICE, mode="rules").directives
    assert d.actor.canonical.name == "Bộ Kế hoạch và Đầu tư"
    assert d.actor.canonical.successor == "Bộ Tài chính"
    assert d.deadline.date == "2021-06-30"  # the year comes from the document's date


def test_a_year_less_deadline_without_document_date_stays_null(extract):
    text = "Phó Thủ tướng kết luận như sau:\nGiao Bộ Y tế rà soát danh mục thuốc trước ngày 30/6."
    (d,) = extract(text, mode="rules").directives
    assert d.deadline.text == "trước ngày 30/6"
    assert d.deadline.date is None
    doc = extract(text, mode="rules", doc_date=dt.date(2024, 7, 15))
    assert doc.directives[0].deadline.date == "2025-06-30"  # already past in 2024: next year


def test_seed_meeting_and_canonical_actors(seed_path, extract):
    doc = extract(path=seed_path)
    meeting = doc.document.meeting
    assert meeting.date_text.text == "16/3"
    assert meeting.date is None  # no year is written: left null, and said so
    assert any("16/3" in w and "no year" in w for w in doc.warnings)
    first, second = doc.directives[0], doc.directives[1]
    assert first.actor.canonical.id == "wg:to_cong_tac_ttg"
    assert second.actor.kind.value == "collective"
    assert first.issuer.canonical.id == "role:thu_tuong"
