"""The Python API: files by Path or path=, a path given as text warns, doc_date as a date
or an ISO string, and extract_texts as the batch API over any iterable of texts."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pytest

from extractor.api import extract_text, extract_texts, read_file

TEXT = ("Giao Bộ Tài chính chủ trì rà soát định mức, "
        "báo cáo Thủ tướng Chính phủ trước ngày 30/6.")  # fmt: skip
OTHER = "Đề nghị Ủy ban nhân dân tỉnh Quảng Ngãi đẩy nhanh tiến độ giải phóng mặt bằng."


@pytest.fixture()
def notice(tmp_path) -> Path:
    path = tmp_path / "notice.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_a_path_object_and_path_keyword_read_the_file(extract, notice):
    by_path = extract(notice)
    assert by_path.source.path == str(notice) and len(by_path.directives) == 1
    same = {extract(path=notice).to_json(), extract(path=str(notice)).to_json()}
    assert same == {by_path.to_json()}


def test_a_string_naming_a_file_is_read_as_text_with_a_warning(extract, notice):
    with pytest.warns(UserWarning, match=r"read the string as text.*path=") as caught:
        doc = extract(str(notice))
    assert caught[0].filename == __file__  # the warning points at the caller
    assert doc.directives == [] and doc.source.format == "text"


def test_a_text_gives_no_warning(extract):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(extract(TEXT).directives) == 1
        extract("/no/such/file.txt")  # not an existing path: just a (short) text


@pytest.mark.parametrize("doc_date", [dt.date(2021, 3, 20), "2021-03-20",
                                      dt.datetime(2021, 3, 20, 9, 30)])  # fmt: skip
def test_doc_date_is_a_date_or_an_iso_string(extract, doc_date):
    doc = extract(TEXT, doc_date=doc_date)
    assert doc.directives[0].deadline.date == "2021-06-30"
    assert doc.options.doc_date == "2021-03-20"
    assert doc.to_json() == extract(TEXT, doc_date=dt.date(2021, 3, 20)).to_json()


@pytest.mark.parametrize("bad", ["20/3/2021", "", "2021-13-01"])
def test_a_bad_doc_date_is_refused_with_its_value(extract, bad):
    with pytest.raises(ValueError, match="doc_date must be a date or an ISO date string"):
        extract(TEXT, doc_date=bad)


def test_text_or_path_exactly_once(extract, notice):
    with pytest.raises(TypeError):
        extract()
    with pytest.raises(TypeError):
        extract(TEXT, path=notice)
    with pytest.raises(TypeError, match="must be a str"):
        extract(b"bytes")


def test_extract_texts_takes_plain_texts_as_a_column_gives_them(notice):
    column = iter([TEXT, OTHER, TEXT])  # what iterating a pandas Series of str yields
    docs = list(extract_texts(column, doc_date="2021-03-20", batch_size=2))
    one_by_one = [extract_text(t, doc_date=dt.date(2021, 3, 20)) for t in (TEXT, OTHER, TEXT)]
    assert [d.to_json() for d in docs] == [d.to_json() for d in one_by_one]
    mixed = list(extract_texts([read_file(notice), OTHER]))
    assert mixed[0].source.path == str(notice) and mixed[1].source.path is None
    with pytest.raises(TypeError, match="extract_texts takes texts"):
        list(extract_texts([42]))


def test_the_batch_api_is_documented_with_a_pandas_example():
    doc = extract_texts.__doc__ or ""
    assert "batch API" in doc and 'df["text"]' in doc
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "extract_texts(df[" in readme
