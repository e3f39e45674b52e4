"""``extractor report``: one self-contained HTML file over a batch's JSON outputs."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.schema import Deadline, Directive, Document, DocumentInfo, Entity, Source, Span
from extractor.web.report import load_documents, render_report, write_report

TEXT = ("Giao Bộ Tài chính rà soát quy định <thuế> trước ngày 30/6/2021. "
        "Bộ Công Thương không được chậm trễ {{documents}}.")  # fmt: skip


def _span(text: str, part: str, cls=Span, **extra):
    start = text.index(part)
    return cls(text=part, start=start, end=start + len(part), source="test", **extra)


def _document(with_text: bool, name: str = "a.txt") -> Document:
    first = TEXT[: TEXT.index(".") + 1]
    second = TEXT[len(first) + 1 :]
    directives = [
        Directive(
            id="d-1", actor=_span(TEXT, "Bộ Tài chính", Entity, kind="ministry"),
            action=_span(TEXT, "rà soát quy định <thuế>"),
            deadline=_span(TEXT, "trước ngày 30/6/2021", Deadline, date="2021-06-30"),
            modality="obligation", evidence=_span(TEXT, first), confidence=0.9,
        ),
        Directive(
            id="d-2", actor=_span(TEXT, "Bộ Công Thương", Entity, kind="ministry"),
            action=_span(TEXT, "chậm trễ {{documents}}"), modality="prohibition",
            evidence=_span(TEXT, second), confidence=0.4,
        ),
    ]  # fmt: skip
    return Document(
        extractor_version="test",
        source=Source(path=name, sha256="0" * 64, format="txt", chars=len(TEXT)),
        document=DocumentInfo(number="12/TB-VPCP", date="2021-03-20"),
        directives=directives,
        text=TEXT if with_text else None,
    )


def _batch(tmp_path):
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "a.json").write_text(_document(True).to_json(), encoding="utf-8")
    (out / "sub" / "b.json").write_text(_document(False, "b.txt").to_json(), encoding="utf-8")
    (out / "errors.jsonl").write_text('{"path": "c.txt", "kind": "binary"}\n', encoding="utf-8")
    (out / "notes.json").write_text('{"hello": 1}', encoding="utf-8")
    (out / "broken.json").write_text("{", encoding="utf-8")
    return out


def test_report_over_a_batch(tmp_path):
    out = _batch(tmp_path)
    target = tmp_path / "report.html"
    assert write_report(out, target) == 2
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    # Self-contained: inline CSS/JS only, nothing fetched.
    assert "http://" not in page and "https://" not in page
    assert "<link" not in page and not re.search(r"<(script|img|iframe)[^>]+src=", page)
    # Document with text: the text, its directives highlighted (actions and evidence).
    assert page.count('class="ev act" data-d="d1-1"') == 1
    assert 'class="ev act lowc" data-d="d1-2"' in page  # low confidence stands out
    # Document without text: its evidence sentences instead.
    assert "các câu gốc" in page
    assert page.count('<p class="evidence">') == 2
    assert 'data-d="d2-1"' in page
    # Field list, escaped.
    assert "rà soát quy định &lt;thuế&gt;" in page and "<thuế>" not in page
    assert "chậm trễ {{documents}}" in page  # a document's text is not a template slot
    assert "30/06/2021" in page and "2021-06-30" not in page and "Nghiêm cấm" in page
    assert "0,90" in page and "0,40" in page  # Vietnamese decimals
    # The failed file of errors.jsonl is listed, in Vietnamese.
    assert "Tệp lỗi" in page and "c.txt" in page and "tệp không phải văn bản" in page


def test_report_summary_tables(tmp_path):
    docs, skipped = load_documents(_batch(tmp_path))
    assert [name for name, _ in docs] == ["a.json", "sub/b.json"]
    assert sorted(skipped) == ["broken.json: không đọc được (JSONDecodeError)",
                               "notes.json: không phải đầu ra của bộ trích xuất"]  # fmt: skip
    page = render_report(docs, title="Báo cáo", skipped=skipped)
    summary = page[page.index('id="summary"') : page.index('id="doc-1"')]
    rows = dict(re.findall(r"<tr><td>([^<]+)</td><td class=\"n\">(\d+)</td>", summary))
    assert rows["Văn bản"] == "2" and rows["Chỉ đạo"] == "4"
    assert rows["Bắt buộc"] == "2" and rows["Nghiêm cấm"] == "2"
    assert rows["Bộ Tài chính"] == "2" and rows["Bộ Công Thương"] == "2"
    assert rows["06/2021"] == "2" and rows["Không có thời hạn"] == "2"
    assert rows["Tệp bỏ qua"] == "2"
    assert "notes.json" in summary


def test_report_command(tmp_path):
    out = _batch(tmp_path)
    target = tmp_path / "r" / "report.html"
    result = CliRunner().invoke(main, ["report", str(out), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "2 documents" in result.output
    assert target.exists()


def test_report_of_an_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    target = tmp_path / "report.html"
    assert write_report(tmp_path / "empty", target) == 0
    assert "Văn bản</td><td class=\"n\">0" in target.read_text(encoding="utf-8")


def test_report_over_real_extractor_output(tmp_path, extract):
    text = ("1. Giao Bộ Tài chính chủ trì rà soát các quy định về thuế, báo cáo Thủ tướng "
            "Chính phủ trước ngày 30/6/2021.\n2. Bộ Công Thương khẩn trương xây dựng đề án "
            "phát triển thị trường trong nước.\n")  # fmt: skip
    doc = extract(text, with_text=True)
    out = tmp_path / "out"
    out.mkdir()
    (out / "x.json").write_text(doc.to_json(), encoding="utf-8")
    (out / "list.json").write_text(json.dumps([json.loads(doc.to_json())] * 2), encoding="utf-8")
    assert write_report(out, tmp_path / "r.html") == 3
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    marked = set(re.findall(r'class="ev act[^"]*" data-d="(d1-\d+)', page))
    assert len(marked) == len(doc.directives)


def _summary_rows(page: str) -> dict:
    summary = page[page.index('id="summary"') : page.index("</section>")]
    return dict(re.findall(r"<tr><td>([^<]+)</td><td class=\"n\">([\d.]+)</td>", summary))


def test_report_reads_jsonl_and_csv_outputs(tmp_path):
    from extractor.exports import to_csv

    out = tmp_path / "out"
    out.mkdir()
    docs = [json.loads(_document(True).to_json()), json.loads(_document(False, "b.txt").to_json())]
    (out / "documents.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs),
                                         encoding="utf-8")  # fmt: skip
    (out / "directives.csv").write_text(to_csv(docs[:1]), encoding="utf-8")
    (out / "out.csv.errors.jsonl").write_text('{"path": "x.pdf", "kind": "scanned_pdf"}\n',
                                              encoding="utf-8")  # fmt: skip
    loaded, skipped = load_documents(out)
    assert [name for name, _ in loaded] == ["directives.csv", "documents.jsonl#1",
                                            "documents.jsonl#2"]  # fmt: skip
    assert not skipped
    from_csv = loaded[0][1]
    assert [d["action"]["text"] for d in from_csv["directives"]] == [
        "rà soát quy định <thuế>", "chậm trễ {{documents}}"]
    assert from_csv["directives"][0]["deadline"]["date"] == "2021-06-30"
    assert from_csv["directives"][1]["modality"] == "prohibition"
    target = tmp_path / "r.html"
    assert write_report(out, target) == 3
    page = target.read_text(encoding="utf-8")
    assert _summary_rows(page)["Chỉ đạo"] == "6" and _summary_rows(page)["Tệp lỗi"] == "1"
    assert "x.pdf" in page and "PDF là ảnh quét" in page and "Đọc từ CSV" in page


def test_actors_are_counted_by_canonical_id():
    def directive(n, text, canonical_id, name):
        return {"id": f"d-{n}", "modality": "obligation", "confidence": 0.9,
                "actor": {"text": text, "canonical": {"id": canonical_id, "name": name}}}

    from extractor.web.report import actor_counts

    directives = [directive(1, "Bộ TC", "ministry:tai_chinh", "Bộ Tài chính"),
                  directive(2, "Bộ Tài chính", "ministry:tai_chinh", "Bộ Tài chính"),
                  directive(3, "Sở Y tế", "department:y_te", "Sở Y tế"),
                  {"id": "d-4", "modality": "obligation", "actor": None}]  # fmt: skip
    assert actor_counts(directives) == [("Bộ Tài chính", 2), ("(không rõ cơ quan)", 1),
                                        ("Sở Y tế", 1)]  # fmt: skip


# (value, digits, in Vietnamese)
NUMBERS = [(1234, 0, "1.234"), (1234567, 0, "1.234.567"), (0.95, 2, "0,95"), (12, 0, "12")]


@pytest.mark.parametrize("value, digits, expected", NUMBERS)
def test_vietnamese_numbers(value, digits, expected):
    from extractor.web.report import vi_number

    assert vi_number(value, digits) == expected
