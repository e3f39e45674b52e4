"""Properties over any input (hypothesis): the readers raise nothing but ``ReadError``,
normalization is stable, and the whole extraction raises nothing, grounds every span in
the normalized text and gives the same JSON twice."""

from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from extractor.normalize import normalize_text  # noqa: E402
from extractor.readers import ReadError, read_bytes  # noqa: E402

NAMES = st.sampled_from(["x.txt", "x.docx", "x.pdf", "x.html", "x", "x.doc", "x.csv"])
# Words of the genre, so that generated texts reach the rules and the model, not only the
# tokenizer; mixed with arbitrary characters (controls, combining marks, surrogates aside).
WORDS = ["Giao", "Bộ Tài chính", "chủ trì", "phối hợp với", "Sở Y tế", "rà soát", "khẩn trương",
         "báo cáo", "Thủ tướng Chính phủ", "trước ngày", "30/6/2025", "Đề nghị", "UBND tỉnh",
         "không để", "cho phép", "các xã, phường", "1.", "a)", "-", ":", ";", ".", ",", "\n",
         "Về", "đối với", "Nơi nhận:", "Ảnh:", "yêu cầu", "hoànthành", "\u00a0", "–", "Hoà",
         "Uỷ ban"]  # fmt: skip
TEXT = st.lists(st.one_of(st.sampled_from(WORDS),
                          st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)),
                max_size=60).map(" ".join)  # fmt: skip
FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FAST
@given(data=st.binary(max_size=4096), name=NAMES)
def test_readers_raise_only_read_errors(data, name):
    try:
        doc = read_bytes(data, name=name)
    except ReadError as exc:
        assert str(exc).startswith(name) and "\n" not in str(exc)
    else:
        assert isinstance(doc.text, str) and doc.text.strip()


@FAST
@given(text=TEXT)
def test_normalization_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


def _spans(document: dict):
    for d in document["directives"]:
        for key in ("evidence", "issuer", "actor", "action", "topic", "purpose", "report_to",
                    "deadline"):  # fmt: skip
            if d.get(key):
                yield d[key]
        yield from d.get("coactors", [])
    yield from document.get("skipped", [])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT, mode=st.sampled_from(["rules", "hybrid"]))
def test_extraction_grounds_every_span_and_is_deterministic(text, mode):
    from extractor.api import extract_text

    if not text.strip():
        return
    first = extract_text(text, mode=mode, with_text=True)
    again = extract_text(text, mode=mode, with_text=True)
    assert first.to_json() == again.to_json()
    document = first.model_dump(mode="json")
    normalized = document["text"]
    assert normalized == normalize_text(text)
    for span in _spans(document):
        assert normalized[span["start"]:span["end"]] == span["text"], span
