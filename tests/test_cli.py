"""The ``extractor`` command: options, outputs, exit codes, and batch runs over folders.

Most tests call the command in this process through click's ``CliRunner`` (the pipeline is
built once per process); a few run ``python -m extractor`` in a real subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import __version__
from extractor import batch as batch_module
from extractor.batch import CSV_HEADERS
from extractor.cli import main

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

SENTENCE = (
    "Giao Bộ Tài chính chủ trì, phối hợp với Bộ Xây dựng rà soát định mức, "
    "báo cáo Thủ tướng Chính phủ trước ngày 30/6/2021."
)
NOTICE = """VĂN PHÒNG CHÍNH PHỦ
Số: {number}/TB-VPCP
Hà Nội, ngày {day} tháng 3 năm 2021
THÔNG BÁO
Kết luận của Phó Thủ tướng Chính phủ tại cuộc họp về giải ngân vốn đầu tư công
Sau khi nghe báo cáo, Phó Thủ tướng Chính phủ kết luận như sau:
1. Giao Bộ Tài chính chủ trì, phối hợp với Bộ Xây dựng rà soát định mức, báo cáo Thủ tướng \
Chính phủ trước ngày 30/6/2021.
2. Bộ Kế hoạch và Đầu tư khẩn trương hoàn thiện dự thảo Nghị định về quản lý dự án, trình \
Chính phủ trong tháng {month} năm 2021.
3. Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương đẩy nhanh tiến độ giải phóng \
mặt bằng các dự án giao thông trọng điểm.
"""
PROVINCIAL = """ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI
Số: {number}/TB-UBND
Quảng Ngãi, ngày {day} tháng 4 năm 2021
THÔNG BÁO
Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại buổi làm việc với các sở, ngành
Chủ tịch Ủy ban nhân dân tỉnh kết luận như sau:
1. Giao Sở Giao thông vận tải chủ trì, phối hợp với Sở Tài chính rà soát kế hoạch bảo trì \
đường bộ, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/5/2021.
2. Các sở, ngành không được để xảy ra tình trạng nợ đọng xây dựng cơ bản.
"""


def notice(i: int = 1) -> str:
    return NOTICE.format(number=100 + i, day=1 + i % 27, month=7 + i % 5)


def provincial(i: int = 1) -> str:
    return PROVINCIAL.format(number=200 + i, day=1 + i % 27)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(*args: str, input: bytes | str | None = None, catch: bool = True):
    """Invoke the command in this process; stdout and stderr are kept apart."""
    return CliRunner().invoke(main, [str(a) for a in args], input=input,
                              catch_exceptions=catch)  # fmt: skip


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too), by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """IN/ with documents at three depths, one of them a .md (for --glob)."""
    src = tmp_path / "IN"
    write(src / "a.txt", notice(1))
    write(src / "b.txt", provincial(2))
    write(src / "sub" / "c.txt", notice(3))
    write(src / "sub" / "folder" / "x.txt", provincial(4))
    write(src / "sub" / "folder" / "y.txt", notice(5))
    write(src / "notes.md", SENTENCE + "\n")
    return src


# --- options, help, schema ----------------------------------------------------------------


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout and "extractor" in result.stdout


@pytest.mark.parametrize("command", [[], ["extract"], ["eval"], ["serve"], ["report"], ["schema"]])
def test_help_of_each_command(command):
    for flag in ("--help", "-h"):
        result = run(*command, flag)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("Usage: ")
    if command == ["extract"]:
        for option in ("--output", "--format", "--glob", "--workers", "--force", "--doc-date"):
            assert option in result.stdout


def test_schema_prints_a_json_schema():
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["type"] == "object" and schema["title"] == "Document"
    assert {"source", "document", "directives", "extractor_version"} <= set(schema["properties"])
    assert "Directive" in schema["$defs"] and "Span" in schema["$defs"]


def test_python_dash_m_extractor_subprocess():
    version = subprocess.run([PYTHON, "-m", "extractor", "--version"], capture_output=True,
                             text=True, cwd=ROOT, timeout=60)  # fmt: skip
    assert version.returncode == 0 and __version__ in version.stdout
    usage = subprocess.run([PYTHON, "-m", "extractor", "extract"], capture_output=True,
                           text=True, cwd=ROOT, timeout=60)  # fmt: skip
    assert usage.returncode == 2 and "Missing argument" in usage.stderr and not usage.stdout


def test_extract_file_subprocess(tmp_path):
    """``python -m extractor extract FILE``: the JSON on stdout, nothing else there."""
    src = write(tmp_path / "one.txt", SENTENCE + "\n")
    proc = subprocess.run([PYTHON, "-m", "extractor", "extract", str(src)],
                          capture_output=True, cwd=ROOT, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout.decode("utf-8"))
    assert doc["source"]["path"] == str(src)
    assert doc["directives"][0]["actor"]["text"] == "Bộ Tài chính"
    assert proc.stderr.decode("utf-8").strip() == f"{src}: 1 directives"


# --- extract to stdout ---------------------------------------------------------------------


def test_extract_file_to_stdout(tmp_path):
    src = write(tmp_path / "notice.txt", notice())
    result = run("extract", src, "--workers", "1")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["extractor_version"] == __version__
    assert doc["source"]["path"] == str(src) and doc["source"]["format"] == "txt"
    assert [d["actor"]["text"] for d in doc["directives"]] == [
        "Bộ Tài chính", "Bộ Kế hoạch và Đầu tư",
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
    ]  # fmt: skip
    first = doc["directives"][0]
    assert first["actor"]["text"] == "Bộ Tài chính"
    assert first["deadline"]["date"] == "2021-06-30"
    assert "directives" in result.stderr  # the progress line goes to stderr, not stdout


def test_extract_stdin():
    result = run("extract", "-", input=SENTENCE.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["source"]["path"] == "-"
    assert [d["actor"]["text"] for d in doc["directives"]] == ["Bộ Tài chính"]


def test_extract_empty_stdin_fails():
    result = run("extract", "-", input=b"")
    assert result.exit_code == 1 and not result.stdout
    assert result.stderr.strip() == "error: <stdin>: the file is empty (0 bytes)"


def test_doc_date_resolves_a_deadline_without_a_year():
    text = "Giao Bộ Tài chính chủ trì rà soát định mức, báo cáo Thủ tướng trước ngày 30/6."
    result = run("extract", "-", "--doc-date", "2021-03-20", input=text.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["directives"][0]["deadline"]["date"] == "2021-06-30"


def test_several_files_to_stdout(tmp_path):
    paths = [write(tmp_path / "one.txt", notice(1)), write(tmp_path / "two.txt", provincial(2))]
    result = run("extract", *paths, "--workers", "1")
    assert result.exit_code == 0, result.stderr
    docs = json.loads(result.stdout)
    assert [d["source"]["path"] for d in docs] == [str(p) for p in paths]  # input order
    assert all(d["directives"] for d in docs)


def test_jsonl_and_csv_to_stdout(tmp_path):
    paths = [write(tmp_path / "one.txt", notice(1)), write(tmp_path / "two.txt", provincial(2))]
    jsonl = run("extract", *paths, "--format", "jsonl", "--workers", "1")
    assert jsonl.exit_code == 0
    docs = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert [d["source"]["path"] for d in docs] == [str(p) for p in paths]
    table = run("extract", *paths, "--format", "csv", "--workers", "1")
    assert table.exit_code == 0
    assert table.stdout_bytes.startswith(b"\xef\xbb\xbf")
    rows = _read_csv(table.stdout_bytes)
    assert rows[0] == CSV_HEADERS
    assert len(rows) - 1 == sum(len(d["directives"]) for d in docs)


# --- exit codes -----------------------------------------------------------------------------


def test_exit_codes(tmp_path):
    good = write(tmp_path / "good.txt", SENTENCE)
    assert run("extract", good, "--workers", "1").exit_code == 0
    missing = run("extract", good, tmp_path / "missing.txt", "--workers", "1")
    assert missing.exit_code == 1
    assert f"error: {tmp_path / 'missing.txt'}: no such file" in missing.stderr
    assert json.loads(missing.stdout)[0]["source"]["path"] == str(good)  # the rest is done
    for usage in (
        ["extract", good, "--doc-date", "30/6/2021"],
        ["extract", good, "--doc-date", "2021-02-30"],
        ["extract"],
        ["extract", good, "--format", "xml"],
        ["extract", good, "--workers", "0"],
        ["extract", good, "--no-such-option"],
        ["no-such-command"],
    ):
        result = run(*usage)
        assert result.exit_code == 2, usage
        assert "Error" in result.stderr and not result.stdout
    bad_date = run("extract", good, "--doc-date", "30/6/2021")
    assert "'30/6/2021' is not a date in the form YYYY-MM-DD" in bad_date.stderr


# --- folders, outputs -----------------------------------------------------------------------


def test_folder_is_walked_and_mirrored(tree, tmp_path):
    out = tmp_path / "OUT"
    result = run("extract", tree, "-o", out, "--workers", "1")
    assert result.exit_code == 0, result.stderr
    assert sorted(files_under(out)) == [
        "a.json", "b.json", "notes.json", "sub/c.json", "sub/folder/x.json", "sub/folder/y.json",
    ]  # fmt: skip
    doc = json.loads((out / "sub" / "folder" / "x.json").read_text(encoding="utf-8"))
    assert doc["source"]["path"] == str(tree / "sub" / "folder" / "x.txt")
    assert doc["directives"][0]["actor"]["text"] == "Sở Giao thông vận tải"
    assert "6 files: 6 done, 0 up to date, 0 failed" in result.stderr
    assert not (out / "errors.jsonl").exists()


def test_files_named_directly_and_clashing_names(tmp_path):
    one = write(tmp_path / "p" / "x.txt", notice(1))
    two = write(tmp_path / "q" / "x.txt", notice(2))
    three = write(tmp_path / "p" / "y.txt", notice(3))
    out = tmp_path / "OUT"
    result = run("extract", one, two, three, one, "-o", out, "--workers", "1")
    assert result.exit_code == 0, result.stderr
    outputs = files_under(out)
    assert sorted(outputs) == ["x.txt.json", "x.txt~2.json", "y.json"]  # nothing overwritten
    assert json.loads(outputs["x.txt~2.json"])["source"]["path"] == str(two)


def test_glob(tree, tmp_path):
    out = tmp_path / "OUT"
    result = run("extract", tree, "-o", out, "--glob", "*.md", "--workers", "1")
    assert result.exit_code == 0, result.stderr
    assert sorted(files_under(out)) == ["notes.json"]
    result = run("extract", tree, "-o", out, "--glob", "[xy].txt", "--workers", "1")
    assert sorted(files_under(out)) == ["notes.json", "sub/folder/x.json", "sub/folder/y.json"]


def test_jsonl_output(tree, tmp_path):
    out = tmp_path / "OUT"
    result = run("extract", tree, "-o", out, "--format", "jsonl", "--workers", "1")
    assert result.exit_code == 0, result.stderr
    assert sorted(files_under(out)) == ["documents.jsonl"]
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    paths = [json.loads(line)["source"]["path"] for line in lines]
    assert paths == [str(tree / n) for n in ("a.txt", "b.txt", "notes.md", "sub/c.txt",
                                             "sub/folder/x.txt", "sub/folder/y.txt")]  # fmt: skip


def _read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_output(tree, tmp_path):
    out_json, out_csv = tmp_path / "JSON", tmp_path / "CSV"
    assert run("extract", tree, "-o", out_json, "--workers", "1").exit_code == 0
    result = run("extract", tree, "-o", out_csv, "--format", "csv", "--workers", "1")
    assert result.exit_code == 0, result.stderr
    assert sorted(files_under(out_csv)) == ["directives.csv"]
    rows = _read_csv((out_csv / "directives.csv").read_bytes())
    assert rows[0] == ["Văn bản", "Ngày", "Cơ quan chủ trì", "Cơ quan phối hợp", "Nhiệm vụ",
                       "Nội dung", "Thời hạn", "Loại chỉ đạo", "Câu gốc", "Người chỉ đạo",
                       "Báo cáo cho", "Lĩnh vực", "Độ tin cậy", "Mã chỉ đạo",
                       "Trạng thái duyệt"]  # fmt: skip
    docs = [json.loads(data) for data in files_under(out_json).values()]
    directives = [(doc, d) for doc in sorted(docs, key=lambda x: x["source"]["path"])
                  for d in doc["directives"]]  # fmt: skip
    assert len(rows) - 1 == len(directives) >= 10  # one row per directive
    assert all(len(row) == len(CSV_HEADERS) for row in rows)
    first = dict(zip(rows[0], rows[1]))
    assert first["Văn bản"] == "101/TB-VPCP" and first["Ngày"] == "2021-03-02"
    assert first["Cơ quan chủ trì"] == "Bộ Tài chính"
    assert first["Thời hạn"] == "2021-06-30" and first["Loại chỉ đạo"] == "Bắt buộc"
    assert "Bộ Xây dựng" in first["Cơ quan phối hợp"]
    for row, (_, d) in zip(rows[1:], directives):
        assert row[8] == d["evidence"]["text"] and row[4] == d["action"]["text"]
    assert {"Bắt buộc", "Nghiêm cấm"} <= {row[7] for row in rows[1:]}


# --- resumable, deterministic, atomic -----------------------------------------------------------


def test_resumable(tree, tmp_path):
    out = tmp_path / "OUT"
    first = run("extract", tree, "-o", out, "--workers", "1")
    assert first.exit_code == 0
    before = {p: (out / p).stat().st_mtime_ns for p in files_under(out)}
    again = run("extract", tree, "-o", out, "--workers", "1")
    assert again.exit_code == 0
    assert "6 files: 0 done, 6 up to date, 0 failed" in again.stderr
    assert f"{tree / 'a.txt'}: up to date" in again.stderr
    assert {p: (out / p).stat().st_mtime_ns for p in files_under(out)} == before

    write(tree / "sub" / "c.txt", notice(30))  # a changed file is redone
    changed = run("extract", tree, "-o", out, "--workers", "1")
    assert "6 files: 1 done, 5 up to date, 0 failed" in changed.stderr
    assert json.loads((out / "sub" / "c.json").read_text(encoding="utf-8"))["document"][
        "number"] == "130/TB-VPCP"  # fmt: skip

    old = json.loads((out / "a.json").read_text(encoding="utf-8"))  # another extractor version
    old["extractor_version"] = "0.0.0-old"
    write(out / "a.json", json.dumps(old))
    (out / "b.json").write_text("{ half", encoding="utf-8")  # a damaged output
    redo = run("extract", tree, "-o", out, "--workers", "1")
    assert "6 files: 2 done, 4 up to date, 0 failed" in redo.stderr
    assert json.loads((out / "b.json").read_text(encoding="utf-8"))["directives"]

    forced = run("extract", tree, "-o", out, "--workers", "1", "--force")
    assert "6 files: 6 done, 0 up to date, 0 failed" in forced.stderr
    with_text = run("extract", tree, "-o", out, "--workers", "1", "--with-text")
    assert "6 files: 6 done, 0 up to date" in with_text.stderr  # other options, other output
    assert json.loads((out / "a.json").read_text(encoding="utf-8"))["text"].startswith("VĂN")


def test_workers_give_byte_identical_outputs(tree, tmp_path):
    for i in range(6, 12):  # enough files for both workers to take several
        write(tree / "more" / f"n{i:02d}.txt", notice(i) if i % 2 else provincial(i))
    write(tree / "more" / "empty.txt", b"")  # errors.jsonl is compared too
    outputs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"OUT{workers}"
        result = run("extract", tree, "-o", out, "--workers", workers)
        assert result.exit_code == 1  # the empty file
        outputs[workers] = files_under(out)
    assert len(outputs["1"]) == 13 and "errors.jsonl" in outputs["1"]
    assert outputs["1"].keys() == outputs["2"].keys()
    for name, data in outputs["1"].items():
        assert outputs["2"][name] == data, name
    for fmt, name in (("jsonl", "documents.jsonl"), ("csv", "directives.csv")):
        one, two = tmp_path / f"{fmt}1", tmp_path / f"{fmt}2"
        run("extract", tree, "-o", one, "--format", fmt, "--workers", "1")
        run("extract", tree, "-o", two, "--format", fmt, "--workers", "2")
        assert (one / name).read_bytes() == (two / name).read_bytes()


def test_directive_ids_are_stable(tree, tmp_path):
    def ids(out: Path) -> list[str]:
        return [d["id"] for data in files_under(out).values()
                for d in json.loads(data)["directives"]]  # fmt: skip

    run("extract", tree, "-o", tmp_path / "r1", "--workers", "1")
    run("extract", tree, "-o", tmp_path / "r2", "--workers", "1", "--force")
    first, second = ids(tmp_path / "r1"), ids(tmp_path / "r2")
    assert first == second and len(set(first)) == len(first) >= 10
    copy = write(tmp_path / "elsewhere" / "copy.txt", (tree / "a.txt").read_bytes())
    moved = json.loads(run("extract", copy, "--workers", "1").stdout)  # same text, same ids
    assert [d["id"] for d in moved["directives"]] == [
        d["id"] for d in json.loads((tmp_path / "r1" / "a.json").read_bytes())["directives"]
    ]


def _no_temporary_files(out: Path) -> None:
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_crash_mid_run_leaves_finished_files_and_no_partial_file(tree, tmp_path, monkeypatch):
    reference = tmp_path / "REF"
    assert run("extract", tree, "-o", reference, "--workers", "1").exit_code == 0
    expected = files_under(reference)
    out = tmp_path / "OUT"
    real_process = batch_module.process_chunk
    calls = []

    def crashing(jobs, options=None):
        assert len(jobs) == 1  # a handful of files: one per chunk, so a crash loses one
        calls.append(jobs[0].path)
        if len(calls) == 3:
            raise RuntimeError("simulated crash in the worker")
        return real_process(jobs, options)

    monkeypatch.setattr(batch_module, "process_chunk", crashing)
    result = run("extract", tree, "-o", out, "--workers", "1")
    assert isinstance(result.exception, RuntimeError)
    done = files_under(out)
    assert sorted(done) == ["a.json", "b.json"]  # written as they finished, in input order
    assert all(done[name] == expected[name] for name in done)  # and complete
    _no_temporary_files(out)

    # A crash while a file is being written: the target is not created, no temporary is left.
    monkeypatch.setattr(batch_module, "process_chunk", real_process)
    real_fsync, writes = os.fsync, []

    def failing_fsync(fd):
        writes.append(fd)
        if len(writes) == 2:
            raise OSError(28, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(batch_module.os, "fsync", failing_fsync)
    result = run("extract", tree, "-o", out, "--workers", "1")
    assert isinstance(result.exception, OSError)
    assert sorted(files_under(out)) == ["a.json", "b.json", "notes.json"]
    _no_temporary_files(out)
    monkeypatch.setattr(batch_module.os, "fsync", real_fsync)

    resumed = run("extract", tree, "-o", out, "--workers", "1")  # the next run finishes the job
    assert resumed.exit_code == 0
    assert "6 files: 3 done, 3 up to date, 0 failed" in resumed.stderr
    assert files_under(out) == expected


# --- bad inputs in one batch ------------------------------------------------------------------

_MB = 1024 * 1024


def _zero_text_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60)  # a drawing, no text
    pdf.output(str(path))


def _truncated_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(SENTENCE)
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    path.write_bytes(data[: len(data) // 2])


def _bad_batch(root: Path) -> dict[str, str]:
    """Good and bad files in one folder; returns the expected error kind per bad input."""
    write(root / "good1.txt", notice(1))
    write(root / "sub" / "good2.txt", provincial(2))
    expected = {
        "empty.txt": "empty",
        "scan.pdf": "scanned_pdf",
        "broken.docx": "corrupt",
        "binary.txt": "binary",
        "huge.txt": "too_large",
        "old.doc": "unsupported",
        "loop.txt": "symlink_loop",
        "loopdir/self": "symlink_loop",
    }
    write(root / "empty.txt", b"")
    _zero_text_pdf(root / "scan.pdf")
    _truncated_docx(root / "broken.docx")
    write(root / "binary.txt", bytes(range(256)) * 64)
    line = (SENTENCE + "\n").encode("utf-8")
    with open(root / "huge.txt", "wb") as fh:
        fh.write(line * (50 * _MB // len(line) + 1))  # 50 MB of text
    write(root / "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    os.symlink("loop.txt", root / "loop.txt")  # a file link to itself
    (root / "loopdir").mkdir()
    os.symlink("../loopdir", root / "loopdir" / "self")  # a folder linked into itself
    locked = write(root / "locked.txt", notice(9))
    locked.chmod(0)
    if not os.access(locked, os.R_OK):  # root reads it anyway: chmod has no effect
        expected["locked.txt"] = "permission"
    else:
        locked.chmod(0o644)
    return expected


@pytest.fixture
def bad_batch(tmp_path):
    root = tmp_path / "IN"
    expected = _bad_batch(root)
    yield root, expected
    (root / "locked.txt").chmod(0o644)


def test_bad_inputs_in_one_batch(bad_batch, tmp_path):
    root, expected = bad_batch
    out = tmp_path / "OUT"
    result = run("extract", root, "-o", out, "--workers", "1")
    assert result.exit_code == 1
    errors = [json.loads(line) for line in
              (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]  # fmt: skip
    assert {e["path"]: e["kind"] for e in errors} == {str(root / n): k for n, k in expected.items()}
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(error_lines) == len(expected)
    for record in errors:
        assert set(record) == {"path", "kind", "message"}
        assert record["message"].startswith(f"{record['path']}: ")  # names the file
        assert "\n" not in record["message"]
        assert f"error: {record['message']}" in error_lines  # the same one line on stderr
    messages = {Path(e["path"]).relative_to(root).as_posix(): e["message"] for e in errors}
    assert "50.0 MB" in messages["huge.txt"] and "20.0 MB" in messages["huge.txt"]
    assert "limit" in messages["huge.txt"]
    assert "empty" in messages["empty.txt"]
    assert "OCR" in messages["scan.pdf"]
    assert ".docx" in messages["old.doc"]
    assert "loop" in messages["loop.txt"] and "loop" in messages["loopdir/self"]
    # The rest of the batch is unharmed.
    outputs = files_under(out)
    good = {"good1.json", "sub/good2.json"} | ({"locked.json"} if "locked.txt" not in expected
                                               else set())  # fmt: skip
    assert set(outputs) == good | {"errors.jsonl"}
    assert json.loads(outputs["good1.json"])["directives"]
    summary = result.stderr.strip().splitlines()[-1]
    assert f"{len(expected)} failed" in summary and "errors.jsonl" in summary


def test_a_chunk_gives_each_file_the_outcome_it_gets_alone(bad_batch, monkeypatch):
    """Workers run a few files through the pipeline together: every outcome (document,
    read error) is the one the file gets alone, and a document that breaks the stream
    fails alone while the others of its chunk succeed."""
    from extractor import api

    root, expected = bad_batch
    for i in range(3, 9):
        write(root / "more" / f"n{i}.txt", notice(i) if i % 2 else provincial(i))
    jobs, _ = batch_module.collect_jobs([str(root)])
    jobs = [job for job in jobs if not job.relative.startswith("huge")]  # keep the test quick
    options = {"mode": "hybrid", "doc_date": None, "with_text": False}

    def outcomes(found):
        return [(o.job, o.document_json, o.directives, o.error_kind, o.error) for o in found]

    alone = outcomes(batch_module.process(job, options) for job in jobs)
    assert outcomes(batch_module.process_chunk(jobs, options)) == alone
    assert sum(o[1] is not None for o in alone) >= 8 and sum(o[3] is not None for o in alone) >= 5

    real_document = api._document

    def breaking(doc, *args, **kwargs):
        if "Số: 105/TB-VPCP" in doc.text:  # notice(5)
            raise RuntimeError("simulated extractor bug")
        return real_document(doc, *args, **kwargs)

    monkeypatch.setattr(api, "_document", breaking)
    broken = outcomes(batch_module.process_chunk(jobs, options))
    [k] = [k for k, job in enumerate(jobs) if job.path.endswith("n5.txt")]
    assert broken[k][3] == "internal" and "simulated extractor bug" in broken[k][4]
    assert broken[:k] + broken[k + 1 :] == alone[:k] + alone[k + 1 :]


def test_bad_inputs_subprocess_two_workers(bad_batch, tmp_path):
    """The same batch through ``python -m extractor`` with a worker pool."""
    root, expected = bad_batch
    out = tmp_path / "OUT"
    proc = subprocess.run(
        [PYTHON, "-m", "extractor", "extract", str(root), "-o", str(out), "--workers", "2"],
        capture_output=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    stderr = proc.stderr.decode("utf-8")
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr
    for name in expected:
        lines = [line for line in stderr.splitlines() if line.startswith(f"error: {root / name}:")]
        assert len(lines) == 1, name
    kinds = [json.loads(line)["kind"] for line in (out / "errors.jsonl").read_text().splitlines()]
    assert sorted(kinds) == sorted(expected.values())
    assert (out / "good1.json").exists() and (out / "sub" / "good2.json").exists()
    assert not proc.stdout


def test_pipeline_that_fails_to_load_is_reported_per_file(tree, tmp_path, monkeypatch):
    """No traceback and no hang (a failing Pool initializer is restarted forever)."""
    import extractor.pipeline

    def broken(mode="rules"):
        raise RuntimeError("model file missing")

    monkeypatch.setattr(extractor.pipeline, "build", broken)
    records = {}
    for workers in ("1", "2"):
        out = tmp_path / f"OUT{workers}"
        result = run("extract", tree / "sub", "-o", out, "--workers", workers, catch=False)
        assert result.exit_code == 1
        assert result.stderr.count("the pipeline failed to load: RuntimeError") == 3
        records[workers] = (out / "errors.jsonl").read_bytes()
    assert records["1"] == records["2"]


def test_output_folder_inside_the_input_folder(tree):
    """The outputs of a previous run are not read back as inputs."""
    out = tree / "OUT"
    first = run("extract", tree, "-o", out, "--workers", "1")
    again = run("extract", tree, "-o", out, "--workers", "1")
    assert first.exit_code == again.exit_code == 0
    assert "6 files: 0 done, 6 up to date, 0 failed" in again.stderr
    assert not (out / "OUT").exists()


# --- reruns, stdin into OUT, stale outputs, clutter ---------------------------------------------


@pytest.mark.parametrize("first, second, redone", [
    ([], [], False),
    ([], ["--mode", "rules"], True),
    (["--mode", "rules"], ["--mode", "rules"], False),
    (["--mode", "rules"], ["--mode", "model"], True),
    ([], ["--doc-date", "2021-03-20"], True),
    (["--doc-date", "2021-03-20"], ["--doc-date", "2021-03-21"], True),
    (["--doc-date", "2021-03-20"], ["--doc-date", "2021-03-20"], False),
    (["--doc-date", "2021-03-20"], [], True),
    ([], ["--with-text"], True),
])  # fmt: skip
def test_rerun_with_other_options_redoes_the_files(tmp_path, first, second, redone):
    src = write(tmp_path / "IN" / "a.txt", notice(1))
    out = tmp_path / "OUT"
    assert run("extract", src.parent, "-o", out, "--workers", "1", *first).exit_code == 0
    again = run("extract", src.parent, "-o", out, "--workers", "1", *second)
    assert again.exit_code == 0, again.stderr
    expected = "1 done, 0 up to date" if redone else "0 done, 1 up to date"
    assert f"1 files: {expected}, 0 failed" in again.stderr
    options = json.loads((out / "a.json").read_text(encoding="utf-8"))["options"]
    last = second if redone else first
    assert options == {
        "mode": last[last.index("--mode") + 1] if "--mode" in last else "hybrid",
        "doc_date": last[last.index("--doc-date") + 1] if "--doc-date" in last else None,
        "with_text": "--with-text" in last,
    }


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_stdin_into_an_output_folder_follows_the_format(tmp_path, fmt):
    src = write(tmp_path / "IN" / "a.txt", notice(1))
    out = tmp_path / "OUT"
    result = run("extract", "-", src, "-o", out, "--format", fmt, "--workers", "1",
                 input=SENTENCE.encode("utf-8"))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "2 files: 2 done, 0 up to date, 0 failed; 4 directives" in result.stderr
    outputs = files_under(out)
    if fmt == "json":
        assert sorted(outputs) == ["a.json", "stdin.json"]
        docs = [json.loads(outputs["stdin.json"]), json.loads(outputs["a.json"])]
    elif fmt == "jsonl":
        assert sorted(outputs) == ["documents.jsonl"]
        docs = [json.loads(line) for line in outputs["documents.jsonl"].decode().splitlines()]
    else:
        assert sorted(outputs) == ["directives.csv"]
        rows = _read_csv(outputs["directives.csv"])
        assert [row[0] for row in rows[1:]] == ["-", *["101/TB-VPCP"] * 3]  # stdin first
        return
    assert [d["source"]["path"] for d in docs] == ["-", str(src)]
    assert docs[0]["directives"][0]["actor"]["text"] == "Bộ Tài chính"


def test_stdin_into_an_output_folder_fails_and_clashes_like_a_file(tmp_path):
    src = write(tmp_path / "IN" / "stdin.txt", notice(1))  # would also be written as stdin.json
    out = tmp_path / "OUT"
    ok = run("extract", "-", src, "-o", out, "--workers", "1", input=SENTENCE.encode("utf-8"))
    assert ok.exit_code == 0, ok.stderr
    assert sorted(files_under(out)) == ["stdin.json", "stdin.txt.json"]
    assert json.loads((out / "stdin.json").read_bytes())["source"]["path"] == "-"
    failed = run("extract", "-", src, "-o", out, "--workers", "1", input=b"")
    assert failed.exit_code == 1
    assert "2 files: 0 done, 1 up to date, 1 failed" in failed.stderr
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [(e["path"], e["kind"]) for e in errors] == [("<stdin>", "empty")]
    assert sorted(files_under(out)) == ["errors.jsonl", "stdin.txt.json"]  # no stale stdin.json


@pytest.mark.parametrize("breaks", [
    lambda path: path.write_bytes(b""),
    lambda path: path.write_bytes(bytes(range(256)) * 64),
    lambda path: path.unlink(),
], ids=["empty", "binary", "deleted"])  # fmt: skip
def test_a_file_that_fails_on_a_rerun_loses_its_old_output(tmp_path, breaks):
    src = tmp_path / "IN"
    a = write(src / "a.txt", notice(1))
    write(src / "b.txt", notice(2))
    (src / "loop").mkdir()
    write(src / "loop" / "self.txt", notice(3))
    os.symlink("../loop", src / "loop" / "self")  # a walk problem named like loop/self.txt
    out = tmp_path / "OUT"
    first = run("extract", src, a, "-o", out, "--workers", "1")
    assert sorted(files_under(out)) == ["a.json", "b.json", "errors.jsonl", "loop/self.json"]
    kept = {n: data for n, data in files_under(out).items() if n != "a.json"}
    assert first.exit_code == 1  # the loop
    breaks(a)
    again = run("extract", src, a, "-o", out, "--workers", "1")
    assert again.exit_code == 1
    assert not (out / "a.json").exists()  # no result that no longer matches the input
    after = files_under(out)
    assert {n: after[n] for n in ("b.json", "loop/self.json")} == {
        n: kept[n] for n in ("b.json", "loop/self.json")}  # fmt: skip
    errors = [json.loads(line) for line in after["errors.jsonl"].decode().splitlines()]
    assert {e["path"] for e in errors} == {str(a), str(src / "loop" / "self")}
    _no_temporary_files(out)


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
CLUTTER = [  # (name, content, processed without error when named on the command line)
    ("~$notice.docx", b"\x00\x01lock", False),
    (".DS_Store", b"\x00\x00\x00\x01Bud1", False),
    (".git/config", "[core]\n\tbare = false\n", True),
    (".hidden/notice.txt", notice(7), True),
    ("Thumbs.db", _OLE, False),
    ("sub/THUMBS.DB", _OLE, False),
    ("sub/desktop.ini", "[.ShellClassInfo]\r\nIconResource=x\r\n", True),
]


@pytest.mark.parametrize("name, data, named_ok", CLUTTER, ids=[row[0] for row in CLUTTER])
def test_walk_skips_lock_files_dotfiles_and_os_clutter(tree, tmp_path, name, data, named_ok):
    clutter = write(tree / name, data)
    out = tmp_path / "OUT"
    walked = run("extract", tree, "-o", out, "--workers", "1", "--mode", "rules")
    assert walked.exit_code == 0, walked.stderr
    assert "6 files: 6 done, 0 up to date, 0 failed" in walked.stderr
    assert len(files_under(out)) == 6 and not (out / "errors.jsonl").exists()
    named = run("extract", clutter, "-o", tmp_path / "NAMED", "--workers", "1", "--mode", "rules")
    assert named.exit_code == (0 if named_ok else 1), named.stderr  # named: still read
    assert "1 files: " in named.stderr


def test_chunks_keep_order_and_hold_few_large_files(tmp_path, monkeypatch):
    small = [write(tmp_path / f"s{i:02d}.txt", notice(i)) for i in range(40)]
    big = [write(tmp_path / f"b{i}.txt", "x" * 600_000) for i in range(3)]
    jobs = [batch_module.Job(str(p), p.stem) for p in [*small[:20], *big, *small[20:]]]
    jobs.append(batch_module.Job(str(tmp_path / "missing.txt"), "missing"))
    for workers in (1, 2):
        chunks = batch_module._chunks(jobs, workers)
        assert [job for chunk in chunks for job in chunk] == jobs  # input order, each once
        assert all(1 <= len(chunk) <= batch_module.CHUNK for chunk in chunks)
        assert len(chunks) >= 4 * workers  # every worker gets several
        for chunk in chunks:
            held = sum(os.path.getsize(j.path) for j in chunk if os.path.exists(j.path))
            assert len(chunk) == 1 or held <= batch_module.CHUNK_BYTES
    monkeypatch.setattr(batch_module, "CHUNK_BYTES", 10**9)
    assert max(map(len, batch_module._chunks(jobs, 1))) == batch_module.CHUNK


# --- one output file, stdout, the table ------------------------------------------------------


def _two_notices(tmp_path) -> list[Path]:
    return [write(tmp_path / "in" / "one.txt", notice(1)),
            write(tmp_path / "in" / "two.txt", provincial(2))]  # fmt: skip


# (the -o value, how the written file is read back into rows of directives)
def _csv_file(path: Path) -> list:
    return _read_csv(path.read_bytes())[1:]


def _jsonl_file(path: Path) -> list:
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [d for doc in docs for d in doc["directives"]]


def _xlsx_file(path: Path) -> list:
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(path)["Chỉ đạo"]
    assert [c.value for c in sheet[1]] == CSV_HEADERS
    return list(sheet.iter_rows(min_row=2, values_only=True))


def _ics_file(path: Path) -> list:
    icalendar = pytest.importorskip("icalendar")
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    return [(str(e["summary"]), e.decoded("dtstart")) for e in events]


OUTPUT_FILES = [("out.csv", _csv_file, 5, 3), ("out.jsonl", _jsonl_file, 5, 3),
                ("out.xlsx", _xlsx_file, 5, 3),
                ("out.ics", _ics_file, 3, 2)]  # the dated deadlines only  # fmt: skip


@pytest.mark.parametrize("name, read_back, both, first", OUTPUT_FILES)
def test_an_output_file_takes_its_format_from_the_extension(tmp_path, name, read_back, both,
                                                            first):  # fmt: skip
    paths = _two_notices(tmp_path)
    target = tmp_path / "ra" / name
    result = run("extract", *paths, "-o", target, "--workers", "1")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in target.parent.iterdir()) == [name]
    rows = read_back(target)
    assert len(rows) == both  # 3 + 2 directives (or their dated deadlines)
    assert f"-> {target}" in result.stderr
    # A second run never replaces it silently.
    again = run("extract", *paths, "-o", target, "--workers", "1")
    assert again.exit_code == 2 and "exists" in again.stderr and "--force" in again.stderr
    assert read_back(target) == rows
    forced = run("extract", paths[0], "-o", target, "--force", "--workers", "1")
    assert forced.exit_code == 0 and len(read_back(target)) == first
    appended = run("extract", paths[1], "-o", target, "--append", "--workers", "1")
    if name.endswith((".xlsx", ".ics")):
        assert appended.exit_code == 2 and "--append works for .csv and .jsonl" in appended.stderr
    else:
        assert appended.exit_code == 0, appended.stderr
        assert len(read_back(target)) == both  # the header once, then both runs' rows


def test_an_output_file_keeps_the_errors_beside_it(tmp_path):
    good = write(tmp_path / "one.txt", notice(1))
    bad = write(tmp_path / "rong.txt", b"")
    target = tmp_path / "out.csv"
    result = run("extract", good, bad, "-o", target, "--workers", "1")
    assert result.exit_code == 1
    errors = (tmp_path / "out.csv.errors.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(e)["kind"] for e in errors] == ["empty"]
    assert len(_csv_file(target)) == 3


# (arguments, the usage error's words)
USAGE_ERRORS = [
    (["-o", "out.jsonl", "--format", "csv"], "does not match"),
    (["-o", "out.csv", "--force", "--append"], "choose one"),
    (["--append"], "--append needs an output file"),
    (["-o", "OUT", "--format", "table"], "for the terminal"),
]


@pytest.mark.parametrize("args, words", USAGE_ERRORS)
def test_output_usage_errors(tmp_path, args, words):
    src = write(tmp_path / "one.txt", notice(1))
    result = run("extract", src, *[str(tmp_path / a) if a.startswith(("out.", "OUT")) else a
                                   for a in args])  # fmt: skip
    assert result.exit_code == 2 and words in result.stderr


def test_dash_means_stdout(tmp_path):
    src = write(tmp_path / "one.txt", notice(1))
    result = run("extract", src, "-o", "-", "--workers", "1")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["source"]["path"] == str(src)
    assert not (Path.cwd() / "-").exists()


# (inputs, what stdout holds)
STDOUT_JSON = [
    (["one.txt"], dict),
    (["one.txt", "two.txt"], list),
    (["in"], list),  # a folder: an array even of one
    (["empty"], list),
]


@pytest.mark.parametrize("inputs, kind", STDOUT_JSON)
def test_stdout_json_is_one_document_per_input(tmp_path, inputs, kind):
    write(tmp_path / "one.txt", notice(1))
    write(tmp_path / "two.txt", provincial(2))
    write(tmp_path / "in" / "three.txt", notice(3))
    (tmp_path / "empty").mkdir()
    result = run("extract", *[tmp_path / i for i in inputs], "--workers", "1")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert isinstance(found, kind)
    if inputs == ["empty"]:
        assert found == [] and "warning:" in result.stderr and "no files" in result.stderr


def test_a_glob_that_matches_nothing_warns(tmp_path):
    write(tmp_path / "in" / "one.txt", notice(1))
    result = run("extract", tmp_path / "in", "--glob", "*.docx", "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert "no file matches --glob '*.docx'" in result.stderr


def test_the_table_for_a_person(tmp_path):
    src = write(tmp_path / "one.txt", notice(1))
    result = run("extract", src, "--format", "table", "--workers", "1")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "101/TB-VPCP — 3 chỉ đạo"
    assert lines[1].split()[:3] == ["#", "Cơ", "quan"]
    assert "Bộ Tài chính" in lines[2] and "30/06/2021" in lines[2] and "Bắt buộc" in lines[2]
    assert all(len(line) <= 100 for line in lines)


def test_the_table_is_the_default_on_a_terminal(tmp_path):
    import pty

    src = write(tmp_path / "one.txt", notice(1))
    master, slave = pty.openpty()
    proc = subprocess.run([PYTHON, "-m", "extractor", "extract", str(src), "--workers", "1"],
                          stdout=slave, stderr=subprocess.PIPE, cwd=ROOT, timeout=300)  # fmt: skip
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert proc.returncode == 0, proc.stderr
    text = shown.decode("utf-8")
    assert "101/TB-VPCP — 3 chỉ đạo" in text and "30/06/2021" in text
    assert not text.lstrip().startswith("{")
