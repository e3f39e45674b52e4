"""Readers: every format and encoding gives back the same text; bad inputs fail clearly.

All fixtures are built here in ``tmp_path``; no binary file is committed.
"""

from __future__ import annotations

import copy
import errno
import io
import os
import pickle
import unicodedata
import zipfile
from pathlib import Path

import pytest

from extractor.normalize import normalize_text
from extractor.readers import RawDocument, ReadError, legacy, read_bytes, read_document

# Our own sample notice (not taken from any real document). TCVN3 cannot store
# capital toned letters, so apart from the all-capitals title the capitals here are
# plain ones ("Uỷ", not "Ủy"), as TCVN3-era typists wrote them.
ORIGINAL = [
    "THÔNG BÁO",
    "Kết luận của Phó Thủ tướng Chính phủ tại cuộc họp về phát triển nhà ở xã hội",
    "Ngày 12 tháng 5 năm 2021, tại trụ sở Chính phủ, Phó Thủ tướng Chính phủ chủ trì cuộc "
    "họp với các bộ, ngành về tiến độ xây dựng nhà ở xã hội. Sau khi nghe báo cáo và ý kiến "
    "của các đại biểu, Phó Thủ tướng kết luận như sau:",
    "1. Giao Bộ Tài chính chủ trì, phối hợp với Bộ Xây dựng rà soát cơ chế ưu đãi thuế đối "
    "với các dự án nhà ở xã hội, báo cáo Thủ tướng Chính phủ trước ngày 30/6/2021.",
    "2. Uỷ ban nhân dân các tỉnh, thành phố trực thuộc Trung ương:",
    "a) Khẩn trương bố trí quỹ đất sạch cho các dự án đã được phê duyệt, hoàn thành trong "
    "quý III năm 2021;",
    "b) Định kỳ hằng quý gửi báo cáo tình hình thực hiện về Bộ Xây dựng để tổng hợp.",
    "3. Ngân hàng Nhà nước Việt Nam chỉ đạo các tổ chức tín dụng dành nguồn vốn ưu đãi phù "
    "hợp cho người mua nhà ở xã hội.",
    "4. Bộ Xây dựng theo dõi, đôn đốc việc thực hiện, định kỳ báo cáo Thủ tướng Chính phủ "
    "kết quả.",
    "Văn phòng Chính phủ thông báo để các cơ quan biết, thực hiện./.",
]
TABLE = [
    ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"),
    ("1", "Rà soát cơ chế ưu đãi thuế", "Bộ Tài chính", "30/6/2021"),
    ("2", "Bố trí quỹ đất sạch", "Uỷ ban nhân dân cấp tỉnh", "Quý III năm 2021"),
]
ORIGINAL_TEXT = "\n".join(ORIGINAL)
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
]


def paragraphs(text: str) -> list[str]:
    """Non-empty lines of the normalized text."""
    return [line for line in normalize_text(text).split("\n") if line.strip()]


EXPECTED = paragraphs(ORIGINAL_TEXT)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- legacy encoders for fixtures (inverse of the shipped tables) ------------------------

_TONES = "\u0300\u0301\u0303\u0309\u0323"


def encode_legacy(text: str, name: str) -> bytes:
    """Unicode -> TCVN3/VNI bytes, as a legacy font user would have typed it."""
    inverse = {uni: seq for seq, uni in legacy.table(name).pairs.items()}
    out = []
    for char in unicodedata.normalize("NFC", text):
        seq = inverse.get(char)
        if seq is None and name == legacy.TCVN3:
            seq = inverse.get(char.lower())  # no capital toned letters: the H font drew them
        out.append(seq if seq is not None else char)
    return "".join(out).encode("cp1252")


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 keeps ă â ê ô ơ ư đ whole and writes the tone as a combining mark."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


# --- legacy tables against hand-written pairs --------------------------------------------

TCVN3_PAIRS = [
    ("Bé Tµi chÝnh", "Bộ Tài chính"),
    ("Ng©n hµng Nhµ n\xadíc", "Ngân hàng Nhà nước"),
    ("§Þnh kú h»ng quý", "Định kỳ hằng quý"),
    ("kh¾c phôc", "khắc phục"),
    ("tØnh, thµnh phè", "tỉnh, thành phố"),
    ("\xadu ®·i thuÕ", "ưu đãi thuế"),
    ("Uû ban", "Uỷ ban"),
    ("quü ®Êt", "quỹ đất"),
    ("h¬n, lùa chän", "hơn, lựa chọn"),
    ("thñ tôc, x©y dùng", "thủ tục, xây dựng"),
    ("nhµ n\u2212íc", "nhà nước"),  # a PDF text layer turns 0xAD into a minus sign
    ("TH¤NG B¸O KÕT LUËN", "THÔNG BÁO KẾT LUẬN"),
    ("Bé TµI CHÝNH", "BỘ TÀI CHÍNH"),
    ("Sè: 12/TB-VPCP", "Số: 12/TB-VPCP"),
]
VNI_PAIRS = [
    ("Boä Taøi chính", "Bộ Tài chính"),
    ("Ngaân haøng Nhaø nöôùc", "Ngân hàng Nhà nước"),
    ("Ñònh kyø haèng quyù", "Định kỳ hằng quý"),
    ("khaéc phuïc", "khắc phục"),
    ("tænh, thaønh phoá", "tỉnh, thành phố"),
    ("öu ñaõi thueá", "ưu đãi thuế"),
    ("UÛy ban", "Ủy ban"),
    ("quyõ ñaát", "quỹ đất"),
    ("COÄNG HOØA", "CỘNG HÒA"),
    ("ngöôøi, laãn nhau, thaúng, nghóa", "người, lẫn nhau, thẳng, nghĩa"),
]


@pytest.mark.parametrize(("legacy_text", "unicode_text"), TCVN3_PAIRS)
def test_tcvn3_pairs(legacy_text, unicode_text):
    assert legacy.convert(legacy_text, legacy.TCVN3) == unicode_text


@pytest.mark.parametrize(("legacy_text", "unicode_text"), VNI_PAIRS)
def test_vni_pairs(legacy_text, unicode_text):
    assert legacy.convert(legacy_text, legacy.VNI) == unicode_text


@pytest.mark.parametrize("name", [legacy.TCVN3, legacy.VNI])
def test_tables_are_valid(name):
    tab = legacy.table(name)
    for seq, uni in tab.pairs.items():
        assert uni == unicodedata.normalize("NFC", uni) and len(uni) == 1, seq
    assert len(set(tab.pairs.values())) == len(tab.pairs)  # one spelling per letter


def test_unicode_and_foreign_text_left_alone():
    assert legacy.fix(ORIGINAL_TEXT) == (ORIGINAL_TEXT, None)
    assert legacy.fix("Le café est très bon, merci à vous.") [1] is None


# --- every format gives back the original ------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "encode", "encoding"),
    [
        ("utf8.txt", lambda t: t.encode("utf-8"), "utf-8"),
        ("bom.txt", lambda t: t.encode("utf-8-sig"), "utf-8-sig"),
        ("utf16.txt", lambda t: t.encode("utf-16"), "utf-16"),
        ("utf16le-nobom.txt", lambda t: t.encode("utf-16-le"), "utf-16"),
        ("cp1258.txt", encode_cp1258, "cp1258"),
        ("tcvn3.txt", lambda t: encode_legacy(t, legacy.TCVN3), "tcvn3"),
        ("vni.txt", lambda t: encode_legacy(t, legacy.VNI), "vni"),
        ("crlf.txt", lambda t: t.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
        # legacy look-alikes pasted into a UTF-8 file
        ("tcvn3-in-utf8.txt", lambda t: encode_legacy(t, legacy.TCVN3).decode("cp1252")
         .encode("utf-8"), "tcvn3"),
    ],
)
def test_txt_encodings(tmp_path, filename, encode, encoding):
    raw = encode(ORIGINAL_TEXT)
    doc = read_document(write(tmp_path, filename, raw))
    assert isinstance(doc, RawDocument)
    assert (doc.format, doc.encoding) == ("txt", encoding)
    assert paragraphs(doc.text) == EXPECTED
    if encoding in ("tcvn3", "vni"):
        assert any(encoding.upper() in w for w in doc.warnings)
    assert len(doc.sha256) == 64


def test_legacy_bytes_differ_from_unicode():
    # guard against a fixture that silently wrote UTF-8
    assert "Bé Tµi chÝnh".encode("cp1252") in encode_legacy(ORIGINAL_TEXT, legacy.TCVN3)
    assert "Boä Taøi chính".encode("cp1252") in encode_legacy(ORIGINAL_TEXT, legacy.VNI)


def _add_numbering(document) -> tuple[str, str]:
    """Add a two-level list (1. / a)) to numbering.xml; return two numIds (second restarts)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="%2)"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        '<w:lvlText w:val="\uf0b7"/></w:lvl>'
        "</w:abstractNum>"
    )
    first_num = [n for n in numbering if n.tag.endswith("}num")][0]
    first_num.addprevious(abstract)  # abstractNum elements come before num elements
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'
    ))  # fmt: skip
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="90"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    ))  # fmt: skip
    return "90", "91"


def _numbered(document, text: str, num_id: str, level: int):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    ))  # fmt: skip
    return paragraph


def make_docx(path: Path, extra=None) -> None:
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "VĂN PHÒNG CHÍNH PHỦ (đầu trang, phải bỏ qua)"
    section.footer.paragraphs[0].text = "Trang 1 (chân trang, phải bỏ qua)"
    num_id, _ = _add_numbering(document)
    for line in ORIGINAL:
        head, _, rest = line.partition(" ")
        if head[:-1].isdigit() and head.endswith("."):
            _numbered(document, rest, num_id, 0)
        elif len(head) == 2 and head.endswith(")"):
            _numbered(document, rest, num_id, 1)
        else:
            document.add_paragraph(line)
        if line.startswith("b) "):
            table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
            for r, row in enumerate(TABLE):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    if extra:
        extra(document)
    document.save(path)


def test_docx(tmp_path):
    path = tmp_path / "notice.docx"
    make_docx(path)
    doc = read_document(path)
    assert doc.format == "docx" and doc.encoding is None
    table_lines = [" | ".join(row) for row in TABLE]
    at = ORIGINAL.index(next(x for x in ORIGINAL if x.startswith("b) "))) + 1
    expected = paragraphs("\n".join(ORIGINAL[:at] + table_lines + ORIGINAL[at:]))
    assert paragraphs(doc.text) == expected
    assert "đầu trang" not in doc.text and "chân trang" not in doc.text


def test_docx_numbering_restart_and_bullets(tmp_path):
    import docx

    document = docx.Document()
    first, restarted = _add_numbering(document)
    _numbered(document, "Một", first, 0)
    _numbered(document, "Hai", first, 0)
    _numbered(document, "Hai a", first, 1)
    _numbered(document, "Gạch đầu dòng", first, 2)
    _numbered(document, "Ba", first, 0)
    _numbered(document, "Ba a", first, 1)  # sub-level restarts under a new item
    _numbered(document, "Lại một", restarted, 0)  # startOverride begins a new list
    document.add_paragraph("Theo kiểu", style="List Number")  # numbering from the style
    path = tmp_path / "lists.docx"
    document.save(path)
    lines = read_document(path).text.split("\n")
    assert lines == ["1. Một", "2. Hai", "a) Hai a", "- Gạch đầu dòng", "3. Ba", "a) Ba a",
                     "1. Lại một", "1. Theo kiểu"]  # fmt: skip


def test_docx_legacy_font_runs(tmp_path):
    import docx

    document = docx.Document()
    run = document.add_paragraph().add_run("Bé Tµi chÝnh chñ tr×")
    run.font.name = ".VnTime"
    heading = document.add_paragraph().add_run("th«ng b¸o")
    heading.font.name = ".VnTimeH"
    document.add_paragraph("Đoạn đã là Unicode.")
    path = tmp_path / "legacy.docx"
    document.save(path)
    doc = read_document(path)
    assert doc.text.split("\n") == ["Bộ Tài chính chủ trì", "THÔNG BÁO", "Đoạn đã là Unicode."]
    assert doc.encoding == "tcvn3"


def test_docx_revisions_fields_and_links(tmp_path):
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    paragraph = document.add_paragraph("Giao Bộ ")
    for xml in (
        '<w:del w:id="1" w:author="A"><w:r><w:delText>Xây dựng</w:delText></w:r></w:del>',
        '<w:ins w:id="2" w:author="A"><w:r><w:t>Tài chính</w:t></w:r></w:ins>',
        '<w:r><w:t xml:space="preserve"> (xem </w:t></w:r>',
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText> PAGEREF _Toc1 </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>trang 2</w:t></w:r>',
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        '<w:hyperlink r:id="rId99"><w:r><w:t>, phụ lục</w:t></w:r></w:hyperlink>',
        "<w:r><w:t>)</w:t></w:r>",
    ):
        wrapper = parse_xml(f'<w:p {nsdecls("w", "r")}>{xml}</w:p>')
        paragraph._p.extend(list(wrapper))
    path = tmp_path / "revisions.docx"
    document.save(path)
    assert read_document(path).text == "Giao Bộ Tài chính (xem trang 2, phụ lục)"


def _font() -> str:
    for candidate in FONT_CANDIDATES:
        if os.path.exists(candidate):
            return candidate
    try:  # the test extra installs font-roboto, whose Roboto has Vietnamese glyphs
        import font_roboto

        folder = os.path.dirname(font_roboto.__file__)
        candidate = os.path.join(folder, "files", "Roboto-Regular.ttf")
        if os.path.exists(candidate):
            return candidate
    except ImportError:
        pass
    pytest.skip("no TTF font with Vietnamese glyphs for fpdf2: pip install font-roboto, "
                "or apt-get install -y fonts-dejavu-core")


def make_pdf(path: Path) -> None:
    from fpdf import FPDF

    font = _font()

    class Notice(FPDF):
        def header(self):
            self.set_font("dejavu", size=9)
            self.cell(0, 6, "VĂN PHÒNG CHÍNH PHỦ - Thông báo số 145/TB-VPCP", align="C")
            self.ln(10)

        def footer(self):
            self.set_y(-15)
            self.set_font("dejavu", size=9)
            self.cell(0, 10, f"Trang {self.page_no()}/{{nb}}", align="C")

    pdf = Notice(format="A4")
    pdf.add_font("dejavu", fname=font)
    pdf.add_page()
    pdf.set_font("dejavu", size=12)
    for line in ORIGINAL:
        if line.startswith("3. "):
            pdf.add_page()  # the list continues on page 2, below the running header
        align = "C" if line in ORIGINAL[:2] else "J"
        pdf.multi_cell(0, 7, line, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))


def test_pdf(tmp_path):
    path = tmp_path / "notice.pdf"
    make_pdf(path)
    doc = read_document(path)
    assert doc.format == "pdf"
    assert paragraphs(doc.text) == EXPECTED
    assert "Trang" not in doc.text and "145/TB-VPCP" not in doc.text


HTML_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Thông báo kết luận - Cổng thông tin</title>
<meta property="article:published_time" content="2021-05-14T08:30:00+07:00">
</head><body>
<header><nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/tin">Tin tức</a></li>
<li><a href="/vb">Văn bản chỉ đạo</a></li></ul></nav></header>
<div class="container"><main><article class="post">
{body}
</article></main>
<aside class="sidebar"><h3>Tin liên quan</h3><ul><li><a href="/a">Hội nghị trực tuyến về
chuyển đổi số</a></li><li><a href="/b">Lịch tiếp công dân tháng 6</a></li></ul></aside>
<section id="comments" class="comments"><h3>Ý kiến bạn đọc</h3>
<div class="comment"><p>Nguyễn Văn A: Mong các bộ sớm triển khai, người dân chờ lâu rồi.</p>
</div></section></div>
<footer><p>Bản quyền thuộc Cổng thông tin điện tử. Ghi rõ nguồn khi phát hành lại.</p></footer>
</body></html>
"""


def test_html(tmp_path):
    body = f"<h1>{ORIGINAL[0]}</h1>\n" + "\n".join(f"<p>{line}</p>" for line in ORIGINAL[1:])
    path = write(tmp_path, "notice.html", HTML_PAGE.format(body=body).encode("utf-8"))
    doc = read_document(path)
    assert doc.format == "html" and doc.published == "2021-05-14"
    assert paragraphs(doc.text) == EXPECTED


def test_html_without_date_or_article(tmp_path):
    path = write(tmp_path, "bare.htm", "<html><body><p>Chỉ một dòng.</p></body></html>".encode())
    doc = read_document(path)
    assert doc.published is None and "Chỉ một dòng." in doc.text


# --- format chosen by content --------------------------------------------------------


def test_content_beats_extension(tmp_path):
    docx_path = tmp_path / "really.docx"
    make_docx(docx_path)
    doc = read_document(write(tmp_path, "looks-like.txt", docx_path.read_bytes()))
    assert doc.format == "docx" and any("DOCX" in w for w in doc.warnings)

    pdf_path = tmp_path / "really.pdf"
    make_pdf(pdf_path)
    assert read_document(write(tmp_path, "scan.doc", pdf_path.read_bytes())).format == "pdf"

    page = HTML_PAGE.format(body="<p>" + ORIGINAL[3] + "</p>").encode()
    assert read_document(write(tmp_path, "saved.txt", page)).format == "html"


def test_read_bytes_for_stdin():
    doc = read_bytes(encode_legacy(ORIGINAL_TEXT, legacy.VNI))
    assert doc.encoding == "vni" and paragraphs(doc.text) == EXPECTED
    with pytest.raises(ReadError) as info:
        read_bytes(b"")
    assert info.value.kind == "empty" and "<stdin>" in str(info.value)


# --- bad inputs ----------------------------------------------------------------------------


def _zero_text_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60)
    pdf.output(str(path))


def _truncated_docx(path: Path) -> None:
    full = path.with_name("full.docx")
    make_docx(full)
    data = full.read_bytes()
    path.write_bytes(data[: len(data) // 2])


BAD_INPUTS = {
    "empty": ("empty.txt", lambda p: p.write_bytes(b"")),
    "whitespace": ("blank.txt", lambda p: p.write_bytes(b"  \n\t\r\n   \n")),
    "zero_text_pdf": ("drawing.pdf", _zero_text_pdf),
    "truncated_docx": ("broken.docx", _truncated_docx),
    "binary_txt": ("data.txt", lambda p: p.write_bytes(bytes(range(256)) * 8)),
    "ole_doc": ("old.doc", lambda p: p.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)),
    "corrupt_pdf": ("cut.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type")),
}
BAD_KINDS = {
    "empty": "empty", "whitespace": "empty", "zero_text_pdf": "scanned_pdf",
    "truncated_docx": "corrupt", "binary_txt": "binary", "ole_doc": "unsupported",
    "corrupt_pdf": "corrupt",
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_inputs(tmp_path, case):
    filename, build = BAD_INPUTS[case]
    path = tmp_path / filename
    build(path)
    with pytest.raises(ReadError) as info:
        read_document(path)
    error = info.value
    assert error.kind == BAD_KINDS[case], str(error)
    assert filename in str(error) and "\n" not in str(error)
    if case == "ole_doc":
        assert "old Word .doc" in str(error) and ".docx" in str(error)
    if case == "zero_text_pdf":
        assert "no text layer" in str(error) and "OCR" in str(error)


def test_too_large(tmp_path):
    path = write(tmp_path, "big.txt", ORIGINAL_TEXT.encode() * 40)
    with pytest.raises(ReadError) as info:
        read_document(path, max_bytes=10_000)
    assert info.value.kind == "too_large"
    assert "big.txt" in str(info.value) and "MB" in str(info.value)
    with pytest.raises(ReadError) as info:
        read_bytes(path.read_bytes(), name="upload.txt", max_bytes=10_000)
    assert info.value.kind == "too_large"


def test_no_permission(tmp_path):
    path = write(tmp_path, "secret.txt", ORIGINAL_TEXT.encode())
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop reading")
        with pytest.raises(ReadError) as info:
            read_document(path)
        assert info.value.kind == "permission" and "secret.txt" in str(info.value)
    finally:
        path.chmod(0o644)


def test_permission_error_mapping(tmp_path, monkeypatch):
    # Runs as root too: the OS refusal is simulated, the mapping to a ReadError is real.
    import extractor.readers as readers

    path = write(tmp_path, "locked.txt", ORIGINAL_TEXT.encode())

    def refuse(name, mode="r", *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", name)

    monkeypatch.setattr(readers, "open", refuse, raising=False)
    with pytest.raises(ReadError) as info:
        read_document(path)
    assert info.value.kind == "permission" and "locked.txt" in str(info.value)


def test_symlink_loop(tmp_path):
    a, b = tmp_path / "loop-a.txt", tmp_path / "loop-b.txt"
    try:
        a.symlink_to(b)
        b.symlink_to(a)
    except OSError as exc:
        pytest.skip(f"cannot make symlinks here: {errno.errorcode.get(exc.errno)}")
    with pytest.raises(ReadError) as info:
        read_document(a)
    assert info.value.kind == "symlink_loop" and "loop-a.txt" in str(info.value)


def test_directory_and_missing(tmp_path):
    with pytest.raises(ReadError) as info:
        read_document(tmp_path)
    assert info.value.kind == "is_directory" and str(tmp_path) in str(info.value)
    with pytest.raises(ReadError) as info:
        read_document(tmp_path / "nowhere.docx")
    assert info.value.kind == "not_found" and "nowhere.docx" in str(info.value)


def test_other_unsupported(tmp_path):
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    cases = {
        "sheet.xlsx": xlsx.getvalue(),
        "notice.rtf": b"{\\rtf1\\ansi Th\\'f4ng b\\'e1o}",
        "scan.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
    }
    for filename, data in cases.items():
        with pytest.raises(ReadError) as info:
            read_document(write(tmp_path, filename, data))
        assert info.value.kind == "unsupported" and filename in str(info.value)


def test_read_error_kinds_are_checked():
    with pytest.raises(ValueError):
        ReadError("nonsense", "x.txt", "detail")
    error = pickle.loads(pickle.dumps(copy.copy(ReadError("empty", "x.txt", "two\nlines"))))
    assert (str(error), error.kind, error.path) == ("x.txt: two lines", "empty", "x.txt")


def test_html_publication_date_is_the_document_date_when_the_text_gives_none(tmp_path):
    from extractor.api import extract_texts, read_file

    body = ("<h1>Kết luận của Bộ trưởng</h1>\n<p>Giao Vụ Pháp chế rà soát các quy định, "
            "hoàn thành trước ngày 30/6.</p>")  # fmt: skip
    path = write(tmp_path, "news.html", HTML_PAGE.format(body=body).encode("utf-8"))
    (doc,) = extract_texts([read_file(path)], mode="rules")
    assert doc.document.date == "2021-05-14"
    assert [d.deadline.date for d in doc.directives] == ["2021-06-30"]
    assert "_published" not in doc.source.model_dump_json()
