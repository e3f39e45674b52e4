"""Hostile and careless inputs, built in code: each is refused (or read) with its error kind,
within a bound on time and on peak memory.

Each reader call runs in a child process under ``RLIMIT_AS``, so a bomb that got past a
limit would fail the test by running out of memory rather than take the machine down.
The time bounds are loose (a slow CI machine must pass); what they catch is a reader that
parses what it should have refused.
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from extractor.readers import ReadError, read_bytes
from extractor.readers.base import MAX_PDF_PAGES, MAX_XML_PART, MAX_ZIP_ENTRIES

ADDRESS_SPACE = 3 * 1024**3  # the child's whole address space: interpreter, lxml, pdfminer

_CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PARAGRAPH = f'<w:p xmlns:w="{_W}"><w:r><w:t>Giao Sở Tài chính rà soát định mức.</w:t></w:r></w:p>'


def _docx(document_xml: bytes | None = None, *, paragraphs_mb: int = 0,
          extra_entries: int = 0) -> bytes:  # fmt: skip
    """A .docx whose document.xml is given, or inflates to ``paragraphs_mb`` MB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        with z.open("word/document.xml", "w") as f:
            if document_xml is not None:
                f.write(document_xml)
            else:
                f.write(f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body>'.encode())
                chunk = (_PARAGRAPH * 2000).encode()
                for _ in range(paragraphs_mb * 1024 * 1024 // len(chunk) + 1):
                    f.write(chunk)
                f.write(b"</w:body></w:document>")
        for i in range(extra_entries):
            z.writestr(f"customXml/item{i}.xml", "<a/>")
    return buf.getvalue()


def _body(xml: str, doctype: str = "") -> bytes:
    return (f'<?xml version="1.0"?>{doctype}<w:document xmlns:w="{_W}"><w:body>{xml}'
            "</w:body></w:document>").encode()  # fmt: skip


BILLION_LAUGHS = _body(
    "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>",
    "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
              for i in range(1, 10))  # fmt: skip
    + "]>",
)
XXE = _body(
    "<w:p><w:r><w:t>Giao Sở Y tế &xxe; kiểm tra.</w:t></w:r></w:p>",
    '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
)


def _read_in_child(path: Path, tmp_path: Path) -> dict:
    """Read ``path`` in a child process under RLIMIT_AS: kind, seconds, peak RSS (MB)."""
    script = textwrap.dedent(f"""
        import json, resource, time
        from extractor.readers import ReadError, read_document
        t = time.perf_counter()
        try:
            doc = read_document({str(path)!r})
            out = {{"kind": None, "chars": len(doc.text), "text": doc.text[:2000],
                   "warnings": list(doc.warnings)}}
        except ReadError as exc:
            out = {{"kind": exc.kind, "message": str(exc)}}
        out["seconds"] = time.perf_counter() - t
        out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(out))
    """)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, preexec_fn=limit, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _html_nested(depth: int) -> bytes:
    return (b"<html><body>" + b"<div>" * depth + "Giao Sở Y tế kiểm tra.".encode()
            + b"</div>" * depth + b"</body></html>")  # fmt: skip


def _pdf_pages(n: int) -> bytes:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.set_font("helvetica", size=12)
    for i in range(n):
        pdf.add_page()
        pdf.cell(text=f"Page {i}")
    return bytes(pdf.output())


# (name, builder, expected kind or None for read, max seconds, max peak RSS MB)
HOSTILE = [
    ("bomb-expansion.docx", lambda: _docx(paragraphs_mb=300), "too_large", 10, 400),
    ("bomb-one-part.docx", lambda: _docx(paragraphs_mb=MAX_XML_PART // 2**20 + 4),
     "too_large", 10, 400),
    ("bomb-entries.docx", lambda: _docx(_body(""), extra_entries=MAX_ZIP_ENTRIES + 1),
     "too_large", 20, 400),
    # libxml2 refuses the entity amplification itself: a corrupt file, in well under a second
    ("billion-laughs.docx", lambda: _docx(BILLION_LAUGHS), "corrupt", 20, 400),
    ("xxe.docx", lambda: _docx(XXE), None, 20, 400),
    # libxml2 keeps 256 levels; the text below them is lost, and said so
    ("nested.html", lambda: _html_nested(100_000), "empty", 60, 1200),
    ("nested-some.html", lambda: _html_nested(200), None, 60, 800),
    ("pages.pdf", lambda: _pdf_pages(MAX_PDF_PAGES + 1), "too_large", 60, 800),
    ("under-limit.docx", lambda: _docx(paragraphs_mb=2), None, 60, 800),
]  # fmt: skip


@pytest.mark.parametrize("name,build,kind,seconds,rss", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_file_is_refused_or_read_within_bounds(tmp_path, name, build, kind, seconds,
                                                       rss):  # fmt: skip
    result = _read_in_child(_write(tmp_path, name, build()), tmp_path)
    assert result["kind"] == kind, result
    assert result["seconds"] < seconds, result
    assert result["rss_mb"] < rss, result
    if kind == "too_large":
        assert name in result["message"] and "limit" in result["message"]


def test_docx_external_entities_are_not_fetched(tmp_path):
    xxe = _read_in_child(_write(tmp_path, "x.docx", _docx(XXE)), tmp_path)
    assert "root:" not in xxe["text"]


def test_files_over_the_size_limit_are_refused_before_reading(tmp_path):
    from extractor.readers import read_document

    path = tmp_path / "big.txt"
    with open(path, "wb") as fh:
        fh.truncate(21 * 1024 * 1024)  # sparse: nothing is written
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert err.value.kind == "too_large" and "20.0 MB" in str(err.value)


def test_a_fifo_is_not_opened(tmp_path):
    from extractor.readers import read_document

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ReadError) as err:
        read_document(fifo)  # would block forever if opened
    assert err.value.kind == "unsupported"


VALID = "Giao Sở Tài chính rà soát định mức chi phí, báo cáo trước ngày 30/6/2025.\n" * 30


LINE = len(VALID.encode("utf-8")) // 30  # bytes per line: damage at line starts


@pytest.mark.parametrize("damage,count", [
    (lambda b: b[:2 * LINE] + b"\xff" + b[2 * LINE:], 1),  # one stray byte
    (lambda b: b[:-3] + b"\xe1\xbb", 1),  # a character cut at the end
    (lambda b: b[:LINE] + b"\x80" + b[LINE:9 * LINE] + b"\xfe" + b[9 * LINE:], 2),
])  # fmt: skip
def test_a_few_stray_bytes_are_replaced_with_a_warning(damage, count):
    doc = read_bytes(damage(VALID.encode("utf-8")), name="notice.txt")
    assert doc.encoding == "utf-8"
    assert doc.text.count("\ufffd") == count
    (warning,) = doc.warnings
    assert f"{count} invalid UTF-8 byte sequence" in warning and "at byte" in warning


def test_text_in_another_encoding_is_not_taken_for_damaged_utf8():
    from test_readers import encode_cp1258

    doc = read_bytes(encode_cp1258(VALID), name="n.txt")
    assert doc.encoding == "cp1258" and "\ufffd" not in doc.text
    assert "Giao Sở Tài chính" in doc.text


# -- batch runs and the command line ---------------------------------------------------

NOTICE = ("Sau khi nghe báo cáo, Phó Thủ tướng Chính phủ kết luận như sau:\n"
          "1. Giao Bộ Tài chính chủ trì rà soát định mức, báo cáo Thủ tướng Chính phủ "
          "trước ngày 30/6/2021.\n")  # fmt: skip


def _cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extractor", *args], capture_output=True,
                          text=True, timeout=300, **kwargs)  # fmt: skip


def test_a_folder_walk_does_not_follow_links_out_of_the_tree(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    for i in range(3):
        (outside / f"secret{i}.txt").write_text(NOTICE, encoding="utf-8")
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(NOTICE, encoding="utf-8")
    (root / "sub" / "up").symlink_to(outside, target_is_directory=True)
    (root / "link.txt").symlink_to(outside / "secret0.txt")
    (root / "inside.txt").symlink_to(root / "a.txt")  # a link within the tree is fine
    done = _cli("extract", str(root), "-o", str(tmp_path / "out"), "--mode", "rules")
    out = tmp_path / "out"
    outputs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json"))
    assert outputs == ["a.json", "inside.json"], done.stderr
    assert done.returncode == 1
    assert done.stderr.count("outside") >= 2 and "not followed" in done.stderr


def test_a_rerun_does_not_hang_on_a_file_replaced_by_a_fifo(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text(NOTICE, encoding="utf-8")
    (root / "b.txt").write_text(NOTICE, encoding="utf-8")
    out = tmp_path / "out"
    assert _cli("extract", str(root), "-o", str(out), "--mode", "rules").returncode == 0
    (root / "a.txt").unlink()
    os.mkfifo(root / "a.txt")
    done = _cli("extract", str(root), "-o", str(out), "--mode", "rules")  # a hang: timeout
    assert done.returncode == 1
    assert "not a regular file" in done.stderr and "1 up to date" in done.stderr


def test_a_newline_in_a_file_name_does_not_split_the_error_line(tmp_path):
    bad = tmp_path / "a\nb.txt"
    bad.write_bytes(b"")
    done = _cli("extract", str(bad), "--mode", "rules")
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "a\\nb.txt" in errors[0] and "empty" in errors[0]


def test_ctrl_c_exits_130_and_says_what_was_done(tmp_path):
    import signal
    import time

    root = tmp_path / "in"
    root.mkdir()
    for i in range(400):
        (root / f"n{i:03}.txt").write_text(NOTICE.replace("30/6", f"{1 + i % 28}/6"),
                                           encoding="utf-8")  # fmt: skip
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "extractor", "extract", str(root), "-o",
                             str(out), "--workers", "2", "--mode", "rules"],
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(out.rglob("n*.json")):
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    (line,) = [ln for ln in stderr.splitlines() if ln.startswith("interrupted:")]
    assert "files done" in line and str(out) in line
    kept = list(out.rglob("n*.json"))
    assert kept and all(json.loads(p.read_text(encoding="utf-8"))["directives"] for p in kept)


def test_csv_cells_that_would_run_as_formulas_are_neutralised():
    from extractor.batch import spreadsheet_cell, to_csv

    doc = {"document": {"number": "=cmd|' /C calc'!A0", "date": None},
           "source": {"path": "x.txt"},
           "directives": [{"actor": {"text": "@SUM(A1)"}, "coactors": [{"text": "+Bộ Y tế"}],
                           "action": {"text": '=HYPERLINK("http://x.example","bấm")'},
                           "topic": {"text": "-1+1"}, "deadline": None,
                           "modality": "obligation",
                           "evidence": {"text": "\tGiao …"}}]}  # fmt: skip
    import csv as csv_module

    rows = list(csv_module.reader(io.StringIO(to_csv([doc]).lstrip("\ufeff"))))
    cells = rows[1]
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert cells[0] == "'=cmd|' /C calc'!A0" and cells[4].startswith("'=HYPERLINK")
    assert spreadsheet_cell("Bộ Tài chính") == "Bộ Tài chính"


def test_report_lists_a_malformed_json_as_skipped(tmp_path):
    from extractor.api import extract_text

    out = tmp_path / "out"
    out.mkdir()
    good = extract_text(NOTICE, mode="rules")
    (out / "good.json").write_text(good.to_json(), encoding="utf-8")
    (out / "broken.json").write_text('{"directives": [', encoding="utf-8")
    (out / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (out / "wrong.json").write_text(json.dumps({"directives": [1], "source": {}}),
                                    encoding="utf-8")  # fmt: skip
    done = _cli("report", str(out), "-o", str(tmp_path / "r.html"))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    for name in ("broken.json", "deep.json", "wrong.json"):
        assert name in html


# -- the text itself --------------------------------------------------------------------


def test_a_text_over_a_million_characters_is_extracted_not_an_internal_error():
    from extractor.api import extract_text

    report = ("Năm {i}, tổng thu ngân sách trên địa bàn đạt {i} tỷ đồng, tăng so với cùng kỳ; "
              "nhiều công trình hạ tầng đã hoàn thành và đưa vào sử dụng.")  # fmt: skip
    lines = [report.format(i=i) if i % 60 else
             f"Giao Sở Tài chính số {i} rà soát định mức chi phí của dự án {i}."
             for i in range(8_000)]  # fmt: skip
    block = "\n".join(lines)
    assert len(block) > 1_000_000  # spaCy's own max_length
    doc = extract_text(block, mode="rules")
    assert len(doc.directives) >= 130


def test_a_text_over_the_character_limit_is_refused_clearly():
    from extractor.api import extract_text
    from extractor.readers.base import MAX_TEXT_CHARS

    with pytest.raises(ReadError) as err:
        extract_text("a" * (MAX_TEXT_CHARS + 1), mode="rules")
    assert err.value.kind == "too_large" and "characters" in str(err.value)


def test_two_notices_in_one_file_are_both_read():
    from extractor.api import extract_text

    notice = ("VĂN PHÒNG CHÍNH PHỦ\nSố: {n}/TB-VPCP\nHà Nội, ngày 5 tháng 3 năm 2021\nTHÔNG BÁO\n"
              "Sau khi nghe báo cáo, Phó Thủ tướng Chính phủ kết luận như sau:\n"
              "1. Giao {actor} chủ trì {task}, báo cáo Thủ tướng Chính phủ trước ngày 30/6/2021.\n"
              "Nơi nhận:\n- {actor};\n- Lưu: VT.\nKT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\n"
              "Nguyễn Văn A\n")  # fmt: skip
    text = (notice.format(n=101, actor="Bộ Tài chính", task="rà soát định mức chi phí")
            + "\n" + notice.format(n=102, actor="Bộ Xây dựng", task="sửa đổi quy chuẩn nhà ở"))
    doc = extract_text(text, mode="rules")
    assert [d.actor.text for d in doc.directives] == ["Bộ Tài chính", "Bộ Xây dựng"]


@pytest.mark.parametrize("text", [
    "The Ministry of Finance shall review the cost norms and report before 30 June. " * 4,
    "财政部负责审查成本定额，并于六月三十日前向总理报告。" * 5,
    "Giao So Tai chinh ra soat dinh muc chi phi, bao cao UBND tinh truoc ngay 30/6. " * 4,
])  # fmt: skip
def test_a_text_that_is_not_vietnamese_gets_a_warning(text):
    from extractor.api import extract_text

    doc = extract_text(text, mode="rules")
    assert any("does not look like Vietnamese" in w for w in doc.warnings)


def test_vietnamese_text_gets_no_language_warning():
    from extractor.api import extract_text

    doc = extract_text("Giao Sở Tài chính rà soát định mức chi phí, báo cáo Ủy ban nhân dân tỉnh "
                       "trước ngày 30/6/2025. " * 4, mode="rules")  # fmt: skip
    assert not any("Vietnamese" in w for w in doc.warnings)
