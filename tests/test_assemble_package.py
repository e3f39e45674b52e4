"""The assembler package: small functions, typed provenance instead of rule-id switches,
the gate table and the modality from the cue data."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from extractor.assemble import GATES, ClauseContext, Origin, Ref, table
from extractor.assemble.roles import urgent_deadline_rules
from extractor.pipeline import build

ROOT = Path(__file__).resolve().parent.parent / "extractor"
LIMITS = {"assemble": 40, "gazetteer": 60}


@pytest.mark.parametrize("package", sorted(LIMITS))
def test_no_long_function(package):
    long = []
    for path in sorted((ROOT / package).glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        long += [(path.name, f.name, f.end_lineno - f.lineno + 1) for f in ast.walk(tree)
                 if isinstance(f, ast.FunctionDef)
                 and f.end_lineno - f.lineno + 1 > LIMITS[package]]  # fmt: skip
    assert not long


def test_provenance_fields_do_not_change_equality():
    assert Ref(1, 2, "r", origin=Origin.heading, urgent=True) == Ref(1, 2, "r")


def test_urgency_comes_from_the_rule_kind_not_its_id():
    assert urgent_deadline_rules()  # "khẩn trương": kind urgent in deadline_patterns.json
    from extractor.deadlines import get_rules

    kinds = {r.id: r.kind.value for r in get_rules().data.rules}
    assert all(kinds[rule] == "urgent" for rule in urgent_deadline_rules())


def test_the_gates_are_a_table_in_order_of_confidence():
    confidences = [g.confidence for g in GATES]
    assert confidences == sorted(confidences, reverse=True)
    assert len({g.rule for g in GATES}) == len(GATES)


def test_the_cue_function_table_drives_the_sets():
    t = table()
    assert {"assign", "require", "request", "permit", "prohibit"} == t.strong
    assert t.instructs < t.introduces_actor
    assert t.governs["request"] == "recommendation"


def _doc(text: str):
    return build("rules")(text)


def test_inherited_actor_says_where_it_came_from():
    doc = _doc("Giao Bộ Tài chính rà soát các quy định; khẩn trương hướng dẫn các địa phương "
               "thực hiện.")  # fmt: skip
    records = doc._.vnx_directives
    assert len(records) == 2
    assert records[0].actor.origin == Origin.own
    assert records[1].actor.origin == Origin.previous_clause
    assert records[1].actor == records[0].actor


def test_heading_actor_is_marked_as_from_the_heading():
    doc = _doc("Kết luận:\n1. Bộ Y tế:\n- Rà soát các quy định về khám chữa bệnh.\n")
    (rec,) = doc._.vnx_directives
    assert rec.actor.origin == Origin.heading and rec.actor.rule == "actor.heading"


def test_clause_context_is_typed():
    doc = _doc("Giao Bộ Tài chính chủ trì rà soát các quy định.")
    contexts = list(doc._.vnx_clause_context.values())
    assert contexts and all(isinstance(c, ClauseContext) for c in contexts)
    assert contexts[0].actor is not None and isinstance(contexts[0].may_direct, bool)


def test_the_refiner_writes_what_the_index_reads():
    from extractor.assemble.index import ACTORS_KEY, CUES_KEY, IN_CONTEXT_KEY, doc_index

    doc = _doc("Bàn giao mặt bằng. Giao các Bộ: Tài chính, Xây dựng rà soát các quy định.")
    assert {IN_CONTEXT_KEY, CUES_KEY, ACTORS_KEY} <= set(doc.spans)
    # "Bàn giao": the cue's context word keeps it out; the list grows over both ministries.
    assert [s.text for s in doc.spans[IN_CONTEXT_KEY] if s.label_ == "assign"] == ["Giao"]
    actors = [s.text for s in doc.spans[ACTORS_KEY]]
    assert "các Bộ: Tài chính, Xây dựng" in actors
    ix = doc_index(doc)
    assert {s.text for s in ix.actors.values()} == set(actors)


def test_the_clause_splitter_writes_what_the_assembler_reads(monkeypatch):
    from extractor.assemble import clauses as clauses_module
    from extractor.assemble.clauses import SentenceClauses

    nlp = build("rules")
    upto = nlp.pipe_names.index("clause_splitter")
    doc = nlp.make_doc("Giao Bộ Tài chính rà soát các quy định; Bộ Xây dựng hướng dẫn các địa "
                       "phương. Ủy ban nhân dân tỉnh báo cáo kết quả.")
    for _name, pipe in nlp.pipeline[: upto + 1]:
        doc = pipe(doc)
    sentences = doc._.vnx_sentences
    assert len(sentences) == 2 and all(isinstance(v, SentenceClauses) for v in sentences.values())
    first = sentences[min(sentences)]
    assert [" ".join(t.text for t in c) for c in first.clauses] == [
        "Giao Bộ Tài chính rà soát các quy định", "Bộ Xây dựng hướng dẫn các địa phương ."]
    # The later stages read the clauses; they never cut a sentence again.
    monkeypatch.setattr(clauses_module, "split_clauses", _must_not_split)
    for _name, pipe in nlp.pipeline[upto + 1 :]:
        doc = pipe(doc)
    text = doc.text
    assert [text[d.action.start : d.action.end] for d in doc._.vnx_directives] == [
        "rà soát các quy định", "hướng dẫn các địa phương", "báo cáo kết quả"]


def _must_not_split(*args):
    raise AssertionError("a stage after clause_splitter cut a sentence again")


def test_list_growth_reads_the_document_date(monkeypatch):
    import datetime as dt

    from extractor.gazetteer import Gazetteer

    seen = []
    real = Gazetteer.member_count

    def spy(self, surface, on=None):
        seen.append(on)
        return real(self, surface, on)

    monkeypatch.setattr(Gazetteer, "member_count", spy)
    _doc("Hà Nội, ngày 15 tháng 3 năm 2024\nGiao các Bộ: Tài chính, Xây dựng rà soát quy định.")
    assert seen and set(seen) == {dt.date(2024, 3, 15)}
