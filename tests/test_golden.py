"""Golden tests: whole documents against directives a careful reader expects.

The expected files are written by hand from the text (not dumped from the
extractor): each lists every directive with its actor, action and modality,
and the other fields where the text gives them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor import MODES

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.stem for p in GOLDEN.glob("*.txt"))
OPTIONAL = ("issuer", "report_to", "purpose")


def _summary(d) -> dict:
    return {
        "actor": d.actor.text if d.actor else None,
        "action": d.action.text,
        "modality": d.modality.value,
        "deadline": d.deadline.text if d.deadline else None,
        "deadline_date": d.deadline.date if d.deadline else None,
        "coactors": [c.text for c in d.coactors],
        "issuer": d.issuer.text if d.issuer else None,
        "report_to": d.report_to.text if d.report_to else None,
        "purpose": d.purpose.text if d.purpose else None,
    }


# Where the trained model alone (--mode model) falls short of the hand-written readings;
# strict, so a fix shows up as a failure to take the entry off.
MODEL_ALONE_MISSES = {
    "press_repeated": "a deadline read as the bare 'khẩn trương' before the dated one",
    "provincial": "an action cut at the first comma of its object list",
    "vpcp_notice": "a coactor with its qualifier ('có dự án đi qua') not tagged",
    "transcript": "a speech's 'đề nghị' governing the items after it read as an obligation "
                  "by the model alone (the rules carry the recommendation over)",
}


def _cases():
    for name in CASES:
        for mode in MODES:
            marks = []
            if mode == "model" and name in MODEL_ALONE_MISSES:
                marks = [pytest.mark.xfail(reason=MODEL_ALONE_MISSES[name], strict=True)]
            yield pytest.param(name, mode, marks=marks, id=f"{name}-{mode}")


@pytest.mark.parametrize("name,mode", list(_cases()))
def test_golden_document(name, mode, extract):
    text = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((GOLDEN / f"{name}.expected.json").read_text(encoding="utf-8"))
    doc = extract(text, mode=mode)
    got = [_summary(d) for d in doc.directives]
    assert [(g["actor"], g["action"]) for g in got] == [
        (e["actor"], e["action"]) for e in expected["directives"]
    ]
    for g, e in zip(got, expected["directives"]):
        assert g["modality"] == e["modality"], e["action"]
        assert g["deadline"] == e.get("deadline"), e["action"]
        if "deadline_date" in e:
            assert g["deadline_date"] == e["deadline_date"], e["action"]
        assert g["coactors"] == e.get("coactors", []), e["action"]
        for key in OPTIONAL:
            if key in e:
                assert g[key] == e[key], (key, e["action"])
    for key in ("number", "date"):
        if key in expected:
            assert getattr(doc.document, key) == expected[key]
    text_n = extract(text, mode=mode, with_text=True).text
    for d in doc.directives:  # every span is grounded in the normalized text
        assert text_n[d.action.start : d.action.end] == d.action.text
        assert text_n[d.evidence.start : d.evidence.end] == d.evidence.text


SEED_DIRECTIVES = [
    ("Tổ công tác", "duy trì hoạt động tích cực hơn nữa, hiệu quả hơn nữa", "recommendation"),
    ("Các bộ, ngành, địa phương", "không được chủ quan với những kết quả đạt được", "prohibition"),
    ("Các bộ, ngành, địa phương", "chỉ đạo triển khai quyết liệt các nhiệm vụ", "obligation"),
    ("Các bộ, ngành, địa phương", "tăng cường kiểm tra đôn đốc thực hiện nhiệm vụ", "obligation"),
    ("Các bộ, ngành, địa phương",
     "tránh việc kiểm tra tiến độ mà không kiểm tra chất lượng công việc", "prohibition"),
    ("Các bộ, ngành, địa phương",
     "không để tình trạng chồng chéo, vướng mắc, nợ đọng nhiệm vụ", "prohibition"),
    ("Các bộ, ngành, địa phương",
     "không để ban hành sai thể chế kìm hãm sự phát triển", "prohibition"),
]  # fmt: skip


def test_seed_gives_the_seven_directives(seed_path, extract):
    doc = extract(path=seed_path)
    got = [(d.actor.text, d.action.text, d.modality.value) for d in doc.directives]
    assert got == SEED_DIRECTIVES
    assert {d.issuer.text for d in doc.directives} == {"Thủ tướng Chính phủ"}
    purpose = doc.directives[0].purpose.text
    assert purpose.startswith("để tham mưu cho Chính phủ, Thủ tướng Chính phủ")
    # Nothing from the praise, the minister's report or the province's account.
    assert all("biểu dương" not in d.evidence.text for d in doc.directives)
    # Each directive once, from the first copy of the article.
    assert len({d.id for d in doc.directives}) == 7
    second_copy = doc.source.chars // 2
    assert all(d.evidence.start < second_copy for d in doc.directives)
    meeting = doc.document.meeting
    assert meeting.chair.text == "Thủ tướng Chính phủ Nguyễn Xuân Phúc"
    assert meeting.title.text.startswith("Hội nghị trực tuyến tổng kết 5 năm hoạt động")


def test_seed_output_is_byte_identical(seed_path, extract):
    assert extract(path=seed_path).to_json() == extract(path=seed_path).to_json()
