"""The clerk's tables: CSV, xlsx (read back by openpyxl), ics (read back by icalendar)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from extractor.exports import CSV_HEADERS, to_csv, to_ics, to_xlsx

openpyxl = pytest.importorskip("openpyxl")
icalendar = pytest.importorskip("icalendar")


def _entity(text, canonical=None, source="rule"):
    return {"text": text, "start": 0, "end": len(text), "source": source, "kind": "ministry",
            "canonical": {"name": canonical, "kind": "ministry"} if canonical else None}


def _directive(n, actor, deadline=None, **extra):
    return {"id": f"d-{n}", "actor": actor, "coactors": extra.pop("coactors", []),
            "action": {"text": f"nhiệm vụ {n}", "start": 0, "end": 1},
            "deadline": deadline, "modality": "obligation", "confidence": 0.87,
            "evidence": {"text": f"Câu {n}.", "start": 0, "end": 1}, **extra}  # fmt: skip


DOCS = [
    {"document": {"number": "12/TB-VPCP", "date": "2021-03-20",
                  "issuing_body": _entity("Văn phòng Chính phủ")},
     "source": {"path": "a.txt", "sha256": "a" * 64}, "warnings": [],
     "directives": [
         _directive(1, _entity("BTC", "Bộ Tài chính"),
                    {"text": "trước ngày 30/6", "date": "2021-06-30"},
                    coactors=[_entity("Bộ Tư pháp")], issuer=_entity("Phó Thủ tướng"),
                    report_to=_entity("Thủ tướng Chính phủ"), sector="y_te",
                    topic={"text": "thuế"}, review={"status": "accepted"}),
         _directive(2, _entity("Bộ KHĐT", "Bộ Kế hoạch và Đầu tư", source="review"),
                    {"text": "trong tháng 9", "date": None}),
     ]},
    {"document": {"number": None, "date": None}, "source": {"path": "b.txt", "sha256": "b" * 64},
     "warnings": ["deadline 'x': no year"],
     "directives": [_directive(3, None, {"text": "", "date": "2021-12-31", "start": None})]},
]  # fmt: skip


def test_csv_has_every_column_and_the_clerks_wording():
    rows = list(csv.DictReader(io.StringIO(to_csv(DOCS).lstrip("\ufeff"))))
    assert list(rows[0]) == CSV_HEADERS
    first, second, third = rows
    assert first["Cơ quan chủ trì"] == "Bộ Tài chính"  # the canonical name of a found actor
    assert second["Cơ quan chủ trì"] == "Bộ KHĐT"  # what the clerk typed
    assert first["Người chỉ đạo"] == "Phó Thủ tướng"
    assert first["Báo cáo cho"] == "Thủ tướng Chính phủ"
    assert first["Nội dung"] == "thuế" and first["Lĩnh vực"] == "Y tế"
    assert first["Độ tin cậy"] == "0.87" and first["Mã chỉ đạo"] == "d-1"
    assert first["Trạng thái duyệt"] == "Đã chấp nhận" and second["Trạng thái duyệt"] == ""
    assert third["Văn bản"] == "b.txt" and third["Thời hạn"] == "2021-12-31"


def test_xlsx_reads_back_with_real_dates_frozen_headers_and_two_sheets():
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(DOCS)))
    assert book.sheetnames == ["Chỉ đạo", "Văn bản"]
    sheet = book["Chỉ đạo"]
    assert [c.value for c in sheet[1]] == CSV_HEADERS
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert all(c.font.bold for c in sheet[1])
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 3
    col = {h: i for i, h in enumerate(CSV_HEADERS)}
    assert rows[0][col["Thời hạn"]] == dt.datetime(2021, 6, 30)
    assert sheet.cell(2, col["Thời hạn"] + 1).number_format == "DD/MM/YYYY"
    assert rows[0][col["Ngày"]] == dt.datetime(2021, 3, 20)
    assert rows[1][col["Thời hạn"]] == "trong tháng 9"  # no date: the words
    assert rows[0][col["Độ tin cậy"]] == 0.87
    assert sheet.column_dimensions["E"].width == 60
    docs = [[c.value for c in row] for row in book["Văn bản"].iter_rows()]
    assert docs[0][:5] == ["Văn bản", "Ngày", "Cơ quan ban hành", "Tệp", "Số chỉ đạo"]
    assert docs[1][:5] == ["12/TB-VPCP", dt.datetime(2021, 3, 20), "Văn phòng Chính phủ",
                           "a.txt", 2]  # fmt: skip
    assert docs[2][5] == "deadline 'x': no year"


def test_xlsx_text_is_never_a_formula():
    doc = {**DOCS[1], "directives": [_directive(9, _entity("=HYPERLINK(\"x\")"))]}
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx([doc])))["Chỉ đạo"]
    assert sheet.cell(2, 3).value == "'=HYPERLINK(\"x\")" and sheet.cell(2, 3).data_type == "s"


def test_ics_has_one_all_day_event_per_dated_deadline():
    stamp = dt.datetime(2021, 4, 1, 8, 0, tzinfo=dt.timezone.utc)
    cal = icalendar.Calendar.from_ical(to_ics(DOCS, now=stamp))
    events = cal.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == ["d-1@" + "a" * 16, "d-3@" + "b" * 16]
    first = events[0]
    assert first.decoded("dtstart") == dt.date(2021, 6, 30)
    assert first.decoded("dtend") == dt.date(2021, 7, 1)
    assert str(first["summary"]) == "Bộ Tài chính: nhiệm vụ 1"
    description = str(first["description"])
    assert "Phối hợp: Bộ Tư pháp" in description and "Văn bản: 12/TB-VPCP" in description
    assert str(events[1]["summary"]).startswith("(không rõ cơ quan): ")
    assert to_ics([]).startswith(b"BEGIN:VCALENDAR")
