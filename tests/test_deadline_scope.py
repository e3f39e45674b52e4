"""How far a deadline reaches: D5 trailing deadlines, completion tails, deadline lines
(guideline 6.9, D5, 12.8), on records built from the table in data/deadline_scope.json."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from extractor.assemble.deadline_scope import (
    close_previous,
    completion_tail,
    deadline_line,
    trailing_deadline,
)
from extractor.assemble.records import Clause, DirectiveRecord, Ref
from extractor.deadlines import find_deadlines

TABLE = json.loads((Path(__file__).parent / "data" / "deadline_scope.json").read_text("utf-8"))


def _ref(text: str, part: str, after: int = 0) -> Ref:
    start = text.index(part, after)
    return Ref(start, start + len(part), "test")


def _records(case: dict) -> list[DirectiveRecord]:
    text, out, pos = case["text"], [], 0
    for actor, action, deadline in case["directives"]:
        act = _ref(text, action, pos)
        pos = act.end
        dl = None
        if deadline is not None:
            dl = _ref(text, deadline, act.start if deadline != "khẩn trương" else 0)
            dl = Ref(dl.start, dl.end, "test", urgent=deadline == "khẩn trương")
        out.append(DirectiveRecord(evidence=Ref(0, len(text), "segment.sentence"), action=act,
                                   modality="obligation", actor=_ref(text, actor),
                                   deadline=dl))  # fmt: skip
    return out


def _deadlines(text: str, records: list[DirectiveRecord]) -> list:
    return [None if r.deadline is None else text[r.deadline.start : r.deadline.end]
            for r in records]  # fmt: skip


@pytest.mark.parametrize("case", TABLE["trailing"], ids=lambda c: c["text"][:40])
def test_a_trailing_deadline_reaches_the_same_actors_actions_in_its_segment(case):
    records = _records(case)
    trailing_deadline(case["text"], len(case["text"]), records)
    assert _deadlines(case["text"], records) == case["expected"]
    for rec, own in zip(records, case["directives"]):
        reached = rec.deadline is not None and own[2] != case["expected"][records.index(rec)]
        assert ("deadline.trailing" in rec.rules) == reached


@pytest.mark.parametrize("case", TABLE["completion_tail"], ids=lambda c: c["text"][:40])
def test_a_completion_tail_reaches_the_tasks_before_it_not_after_a_semicolon(case):
    text, records = case["text"], _records(case)
    tail = Clause(tokens=[], deadline=_ref(text, case["tail"]), completion_only=True)
    completion_tail(text, [tail], records)
    assert _deadlines(text, records) == case["expected"]


@pytest.mark.parametrize("case", TABLE["next_sentence"], ids=lambda c: c["text"][:40])
def test_a_deadline_line_is_found_by_its_label(case):
    # What deadline_line reads of the finder's spans: offsets and the rule id.
    spans = [SimpleNamespace(start_char=m.start, end_char=m.end, start=m.start, id_=m.rule)
             for m in find_deadlines(case["text"])]  # fmt: skip
    ref = deadline_line(case["text"], 0, len(case["text"]), spans)
    got = None if ref is None else case["text"][ref.start : ref.end]
    assert got == case["deadline"]
    if got is not None:
        assert ref.rule == find_deadlines(case["text"])[0].rule


def test_a_deadline_line_closes_only_the_open_directives_before_it():
    text = "Sở A rà soát hồ sơ. Sở B báo cáo khẩn trương. Sở C kiểm tra trước ngày 1/12/2025."
    records = _records({"text": text, "directives": [
        ["Sở A", "rà soát hồ sơ", None], ["Sở B", "báo cáo", "khẩn trương"],
        ["Sở C", "kiểm tra", "trước ngày 1/12/2025"]]})  # fmt: skip
    line = Ref(0, 5, "before.dmy_num")
    close_previous(records, line)
    assert [r.deadline.start if r.deadline else None for r in records][:2] == [0, 0]
    assert text[records[2].deadline.start : records[2].deadline.end] == "trước ngày 1/12/2025"
    assert [r.rules for r in records] == [["deadline.next_sentence"]] * 2 + [[]]
