"""Deadline expressions: the parse table, the finder on whole sentences, rule integrity."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path

import pytest
from conftest import read_table

from extractor.deadlines import (
    DeadlineRules,
    DeadlineRuleSet,
    find_deadlines,
    get_rules,
    parse_deadline,
)
from extractor.schema import DeadlineKind, Granularity

TABLE = Path(__file__).parent / "data" / "deadline_expressions.tsv"


ROWS = read_table(TABLE, 6)


def test_table_is_big_enough():
    assert len(ROWS) >= 100


@pytest.mark.parametrize("text,doc_date,date,granularity,kind,recurrence", ROWS)
def test_deadline_expression(text, doc_date, date, granularity, kind, recurrence):
    on = dt.date.fromisoformat(doc_date) if doc_date else None
    value = parse_deadline(text, on)
    assert (value.date or "") == date, value.rule
    assert value.granularity == (Granularity(granularity) if granularity else None), value.rule
    assert value.kind == DeadlineKind(kind), value.rule
    assert (value.recurrence or "") == recurrence, value.rule
    assert value.rule is not None
    if date == "" and kind in ("before", "within", "on") and granularity:
        assert value.warning, "a date that cannot be set must say why"
    # The whole expression is one match.
    assert [m.text for m in find_deadlines(text.strip())] == [text.strip()] or (
        text.startswith("hoàn thành")
    )


def test_missing_year_is_flagged():
    value = parse_deadline("trước ngày 30/6", dt.date(2021, 3, 16))
    assert value.year_inferred and value.date == "2021-06-30"
    assert not parse_deadline("trước ngày 30/6/2021", None).year_inferred
    value = parse_deadline("trước ngày 30/6", None)
    assert value.date is None and not value.year_inferred and "document date" in value.warning


def test_relative_without_document_date_warns_in_english():
    value = parse_deadline("trong 2 tuần", None)
    assert value.date is None
    assert value.warning == "A relative deadline needs the document date, which is unknown."


def test_extra_fields():
    value = parse_deadline("trước ngày 20 hằng tháng", None)
    assert value.day_rule == "20" and value.relation == "recurring"
    assert parse_deadline("trước Tết Nguyên đán", None).event == "Tết Nguyên đán"
    assert parse_deadline("nhiệm vụ thường xuyên", None).relation == "ongoing"
    assert parse_deadline("chậm nhất ngày 31/12/2025", None).relation == "by"
    assert parse_deadline("không có hạn nào", None).warning


SENTENCES = [
    # (sentence, expected deadline texts in order)
    ("Thực hiện Quyết định số 12/2021/QĐ-TTg ngày 5/3/2021 của Thủ tướng Chính phủ, "
     "Bộ Y tế tổng hợp, báo cáo trước ngày 30/6/2021.", ["trước ngày 30/6/2021"]),
    ("Từ năm 2016 đến 2020, tỉnh đã trồng mới 5.000 ha rừng; cuối năm 2020 đạt 95% kế hoạch.",
     []),
    ("Theo Nghị định số 06/2022/NĐ-CP ngày 07/01/2022, các bộ đã triển khai nhiều nhiệm vụ.", []),
    ("Giai đoạn 2021-2025, tỉnh phấn đấu tăng trưởng bình quân 8%.", []),
    ("Trong 2 tuần qua, Sở Y tế đã tiếp nhận 300 hồ sơ.", []),
    ("Trong tháng trước, các xã đã hoàn thành việc rà soát.", []),
    ("Bộ Tài chính chịu trách nhiệm trước Thủ tướng Chính phủ về số liệu báo cáo.", []),
    ("Tính khẩn trương của nhiệm vụ đòi hỏi sự phối hợp chặt chẽ.", []),
    # An event deadline (guideline D22): no date, up to the comma.
    ("Ngay sau khi Đề án được phê duyệt, Bộ Xây dựng hướng dẫn các địa phương.",
     ["Ngay sau khi Đề án được phê duyệt"]),
    ("Ngay sau buổi làm việc này, các sở rà soát lại số liệu.", ["Ngay sau buổi làm việc này"]),
    ("Tính đến ngày 30/9/2025, toàn tỉnh đã giải ngân 61% kế hoạch vốn.", []),
    ("Các chủ đầu tư phấn đấu đến hết năm 2025 giải ngân đạt 100% kế hoạch.", []),
    ("Sở Y tế gửi báo cáo trước 9h sáng thứ Hai hằng tuần.", ["trước 9h sáng thứ Hai hằng tuần"]),
    ("Các phường báo cáo tình hình vào chiều thứ Năm hằng tuần, trước 17h ngày 2-12 gửi "
     "số liệu tổng hợp.", ["vào chiều thứ Năm hằng tuần", "trước 17h ngày 2-12"]),
    ("Kết quả quý 1/2025 cho thấy thu ngân sách tăng 12%.", []),
    # Known limit: "hằng tháng" as a noun modifier is still found; the assembler keeps a
    # deadline only inside a directive.
    ("Người lao động được trả lương hằng tháng đúng hạn.", ["hằng tháng"]),
    ("Bộ Xây dựng khẩn trương hoàn thiện hồ sơ, trình Chính phủ trong tháng 7/2024.",
     ["khẩn trương", "trong tháng 7/2024"]),
    ("Giao Bộ Công an ban hành hướng dẫn, hoàn thành trước ngày 25 tháng 11 năm 2025; "
     "gửi kết quả về Bộ Công an trước ngày 10 tháng 12 năm 2025.",
     ["trước ngày 25 tháng 11 năm 2025", "trước ngày 10 tháng 12 năm 2025"]),
    ("Bộ Tài chính báo cáo Thủ tướng Chính phủ trước ngày 20 tháng 11 năm 2025 và hằng tháng.",
     ["trước ngày 20 tháng 11 năm 2025 và hằng tháng"]),
    ("Tiếp tục mở rộng Trung tâm dữ liệu quốc gia, nhiệm vụ thường xuyên; nghiên cứu đề xuất "
     "phương án mới, hoàn thành trước ngày 10 tháng 12 năm 2025.",
     ["nhiệm vụ thường xuyên", "trước ngày 10 tháng 12 năm 2025"]),
    ("Phải khánh thành nhà ga mới vào ngày 19 tháng 12 năm 2025.",
     ["vào ngày 19 tháng 12 năm 2025"]),
    ("Giao Phó Thủ tướng trước ngày 15 tháng 11 năm 2025 trực tiếp kiểm tra tiến độ.",
     ["trước ngày 15 tháng 11 năm 2025"]),
    ("Hoàn thiện báo cáo để trình trước Kỳ họp thứ 10 của Quốc hội khóa XV.",
     ["trước Kỳ họp thứ 10 của Quốc hội khóa XV"]),
    ("Sở Tài chính phải bố trí kinh phí ngay trong quý IV năm 2022.",
     ["ngay trong quý IV năm 2022"]),
    ("Các địa phương triển khai ngay, báo cáo kết quả định kỳ hằng tháng.",
     ["ngay", "định kỳ hằng tháng"]),
    ("Tỉnh tổ chức thực hiện từ nay đến hết năm 2025, hoàn thành năm 2026.",
     ["từ nay đến hết năm 2025", "năm 2026"]),
    ("Gửi ý kiến trong thời hạn 15 ngày làm việc kể từ ngày nhận được văn bản này.",
     ["trong thời hạn 15 ngày làm việc kể từ ngày nhận được văn bản này"]),
    ("Báo cáo trước 15/12 để tổng hợp, chậm nhất là ngày 31/12/2025 phải xong.",
     ["trước 15/12", "chậm nhất là ngày 31/12/2025"]),
    ("Số liệu tính đến ngày 07/11/2025; hạn hoàn thành 31/05/2025.", []),
]


@pytest.mark.parametrize("sentence,expected", SENTENCES, ids=[s[:40] for s, _ in SENTENCES])
def test_find_deadlines_in_sentences(sentence, expected):
    found = find_deadlines(sentence)
    assert [m.text for m in found] == expected
    for m in found:
        assert sentence[m.start : m.end] == m.text and m.rule


def test_a_deadline_never_spans_two_lines():
    text = "hoàn thành trước ngày 15/\n3/2025; báo cáo trước ngày 20/4/2025"
    found = find_deadlines(text)
    assert all("\n" not in m.text for m in found)
    assert [m.text for m in found][-1] == "trước ngày 20/4/2025"
    assert text[found[-1].start : found[-1].end] == found[-1].text


def test_matches_do_not_overlap_and_are_in_order():
    text = "trước ngày 30/6/2021 và trong tháng 7/2021, ngay trong quý III/2021, hằng tháng"
    found = find_deadlines(text)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    assert len(found) == 4


def test_table_cells_are_deadlines_only_alone_on_their_line():
    text = "STT | Nhiệm vụ\nRà soát quy hoạch\n31/05/2025\nquý 1/2025"
    assert [m.text for m in find_deadlines(text)] == ["31/05/2025", "quý 1/2025"]


def test_rule_file_is_valid():
    rules = get_rules()
    ids = [r.id for r in rules.data.rules]
    assert len(ids) == len(set(ids)) and len(ids) >= 30
    for rule, _ in rules.compiled:
        assert rule.id.split(".")[0] in (
            "before", "by", "on", "within", "immediate", "urgent", "recurring", "ongoing", "event"
        )


def test_broken_rules_fail_loudly():
    path = resources.files("extractor").joinpath("data", "deadline_patterns.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rules"][0]["pattern"] = "trước ({D}"
    with pytest.raises(ValueError):
        DeadlineRuleSet(DeadlineRules.model_validate(data))
    data["rules"][0]["pattern"] = "trước {NO_SUCH_MACRO}"
    with pytest.raises(ValueError):
        DeadlineRuleSet(DeadlineRules.model_validate(data))
    data["rules"][0]["pattern"] = "trước\\s+{D}"  # could reach over a line end
    with pytest.raises(ValueError, match="line end"):
        DeadlineRuleSet(DeadlineRules.model_validate(data))
    data["rules"][0]["kind"] = "someday"
    with pytest.raises(ValueError):
        DeadlineRules.model_validate(data)


def test_a_match_is_read_from_its_groups_by_its_rule():
    from extractor.deadlines import DeadlineMatch, read_match

    match = DeadlineMatch(0, 0, "", "before.dm_num", (("d", "30"), ("m", "6")))
    value = read_match(match, dt.date(2021, 3, 16))
    assert (value.date, value.rule, value.year_inferred) == ("2021-06-30", "before.dm_num", True)
    (found,) = find_deadlines("Hoàn thành trước ngày 15/7/2023.")
    assert read_match(found).date == "2023-07-15"
