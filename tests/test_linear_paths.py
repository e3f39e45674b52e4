"""The position indexes that replaced scans (quadratic in a long text) answer as the scans
did, and a short run imports neither spaCy's command line nor underthesea's extras."""

from __future__ import annotations

import random
import subprocess
import sys
from dataclasses import dataclass

import pytest

from extractor.clean import Region, RegionIndex
from extractor.segment import _clip, _clip_near


@dataclass(frozen=True)
class Piece:
    start: int
    end: int


def _regions(rng: random.Random, n: int, width: int) -> list[Region]:
    out = []
    for i in range(n):
        start = rng.randrange(0, 300)
        out.append(Region(start, start + rng.randrange(0, width), "r", f"rule{i}"))
    return out


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("width", [3, 40, 400])  # apart, overlapping, one holding many
def test_region_index_answers_as_a_scan(seed, width):
    rng = random.Random(seed)
    regions = _regions(rng, rng.randrange(0, 25), width)
    index = RegionIndex(regions)
    for _ in range(60):
        a = rng.randrange(-5, 320)
        b = a + rng.randrange(0, 30)
        assert index.overlapping(a, b) == [r for r in regions if r.start < b and r.end > a]
        assert index.holds(a) == any(r.start <= a < r.end for r in regions)
        assert index.within_one(a, b) == any(r.start <= a and b <= r.end for r in regions)
        assert _clip_near((a, b), index) == _clip((a, b), regions)


def test_region_index_takes_any_start_end_objects():
    index = RegionIndex([Piece(5, 9), Piece(0, 2)])
    assert index.overlapping(1, 6) == [Piece(5, 9), Piece(0, 2)]  # in the given order
    assert index.overlapping(6, 6) == [Piece(5, 9)]  # strictly inside
    assert not index.overlapping(9, 9)
    assert not RegionIndex([]).holds(0)


def test_the_vote_finds_sentences_clauses_and_tagged_actors_as_the_scans_did():
    from extractor.assemble import Origin, Ref
    from extractor.model import ClauseScore, SentencePrediction, _clause_of, _Lookup, _sentence_of

    rng = random.Random(7)
    preds, pos = [], 0
    for _ in range(30):
        start = pos + rng.randrange(0, 3)
        cut = start + rng.randrange(1, 10)
        end = cut + rng.randrange(1, 10)
        clauses = [ClauseScore(start, cut, 0.5, "obligation"), ClauseScore(cut, end, 0.5, "x")]
        preds.append(SentencePrediction(start, end, clauses, []))
        pos = end
    tagged = tuple(Ref(p.start, p.start + 2, "model.ner", Origin.model) for p in preds)
    # Readings can overlap: a sentence read twice, a clause past its sentence's end.
    preds += [SentencePrediction(3, 12, [ClauseScore(3, 20, 0.4, "x")], []), preds[4]]
    tagged += (Ref(3, 12, "model.ner", Origin.model),)
    lookup = _Lookup(preds, tagged)
    for q in range(-2, pos + 3):
        assert lookup.sentence(q) is _sentence_of(preds, q)
        assert lookup.clause(q) is _clause_of(preds, q)
        for width in (0, 1, 2):  # the tagged spans holding an actor [q, q + width), in order
            holding = [t for t in tagged if t.start <= q and q + width <= t.end]
            candidates = list(lookup.holding(q))
            assert [c for c in candidates if c.start <= q and q + width <= c.end] == holding




def test_a_short_run_imports_neither_spacy_cli_nor_underthesea_extras():
    code = ("import sys, extractor.batch, extractor.pipeline\n"
            "print(sorted(m for m in ('spacy.cli', 'typer', 'underthesea.pipeline.classification',"
            " 'underthesea.pipeline.translate') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_deferred_libraries_still_whole():
    code = ("import extractor.pipeline, spacy, underthesea\n"
            "print(underthesea.word_tokenize('Bộ Tài chính'), callable(spacy.info))\n"
            "import spacy.cli\nprint(hasattr(spacy.cli, 'train'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["['Bộ', 'Tài chính'] True", "True"]


def test_governing_openers_in_one_sweep_are_those_of_the_scan():
    import random

    from extractor.assemble.records import Origin
    from extractor.topic_scope import Opener, governing_all

    rng = random.Random(7)
    found = []
    for _ in range(300):
        start = rng.randrange(0, 5000)
        scope_start = start + rng.randrange(1, 40)
        found.append(Opener(start, start + 5, scope_start, scope_start + rng.randrange(0, 400),
                            Origin.lead_in, "topic.lead_in"))  # fmt: skip
    starts = [rng.randrange(0, 5600) for _ in range(500)]
    swept = governing_all(found, starts)
    for a in starts:
        over = [o for o in found if o.scope_start <= a < o.scope_end]
        assert swept[a] == (max(over, key=lambda o: o.start) if over else None)


def test_a_short_run_reads_underthesea_without_joblib():
    """underthesea's tables and CRF files are read by the C unpickler (joblib is never
    imported), and the POS tagger's folder is found without importing its package."""
    code = ("import sys\nfrom extractor.api import extract\n"
            "extract('Giao Bộ Tài chính chủ trì, báo cáo trước ngày 30/6/2025.', mode='rules')\n"
            "print(sorted(m for m in ('joblib', 'underthesea.pipeline.pos_tag')"
            " if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_light_joblib_reads_what_joblib_reads(tmp_path):
    import importlib.util
    from pathlib import Path

    import joblib
    import numpy

    from extractor.lazy_imports import _JoblibStandIn

    light = _JoblibStandIn("joblib")
    spec = importlib.util.find_spec("underthesea")
    root = Path(spec.submodule_search_locations[0]) / "pipeline"
    files = sorted(root.glob("*/models/*/*.bin")) + sorted(root.glob("text_normalize/*.bin"))
    files = [f for f in files if f.name != "models.bin"]  # the CRF weights: not joblib's
    assert len(files) >= 5
    for f in files:
        assert light.load(str(f)) == joblib.load(str(f)), f
    # What the C unpickler must not read plainly goes to joblib: compressed, numpy arrays.
    joblib.dump({"a": [1, 2]}, tmp_path / "z.bin", compress=3)
    joblib.dump({"a": numpy.arange(4)}, tmp_path / "n.bin")
    assert light.load(str(tmp_path / "z.bin")) == {"a": [1, 2]}
    assert light.load(str(tmp_path / "n.bin"))["a"].tolist() == [0, 1, 2, 3]
    assert light.dump is joblib.dump


def test_no_stage_rebuilds_doc_text():
    """``Doc.text`` joins every token of the document at each call: asked once per comma
    before a title (``_role_title_at``), it made the issuer walk quadratic (26 of 77 s on a
    200 k-character text). Stages read ``text_of(doc)``; only these read other objects'
    ``.text`` (a corpus document, a training doc) or are ``text_of`` itself."""
    import re
    from pathlib import Path

    import extractor

    allowed = {"extensions.py", "model.py", "corpus.py", "sector_model.py"}
    root = Path(extractor.__file__).parent
    found = [str(p.relative_to(root)) for p in root.rglob("*.py")
             if p.name not in allowed and re.search(r"\bdoc\.text\b", p.read_text("utf-8"))]
    assert found == []


def test_role_title_at_reads_the_index_text_as_doc_text():
    from extractor.assemble.discourse import _role_title_at
    from extractor.extensions import text_of
    from extractor.pipeline import build
    from extractor.resources import actor_phrases

    doc = build("rules")("Tại cuộc họp, Phó Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo phòng, "
                         "chống thiên tai tỉnh, đề nghị các sở khẩn trương triển khai.")
    titles = [t.lower() + " " for t in actor_phrases().role_titles]
    for tok in doc:
        old = any(doc.text[tok.idx : tok.idx + 40].lower().startswith(t) for t in titles)
        assert _role_title_at(text_of(doc), tok.idx) == old
    assert any(_role_title_at(text_of(doc), tok.idx) for tok in doc)


def test_cached_syllable_verdicts_count_as_the_loop_did():
    from pathlib import Path

    from extractor.readers import legacy

    def unmemoized(text: str) -> tuple[int, int]:
        valid = invalid = 0
        for token in legacy._SPLIT.split(text):
            token = token.strip(legacy._EDGE_PUNCT)
            if not token or token.isascii() or any(c.isdigit() for c in token):
                continue
            if legacy.syllable_ok(token):
                valid += 1
            else:
                invalid += 1
        return valid, invalid

    golden = Path(__file__).parent / "golden"
    texts = [p.read_text("utf-8") for p in sorted(golden.glob("*.txt"))]
    texts += ["Th«ng b¸o (kÕt luËn) cña UBND tØnh; ngày 5/3/2021 -- “Hà Nội”, ĐỒNG Ý, ễẫx"]
    texts.append(legacy.convert(texts[0], legacy.TCVN3))
    for text in texts:
        got = legacy.score(text)
        assert (got.valid, got.invalid) == unmemoized(text)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sentences_holding_a_directive_found_by_bisection_as_by_the_scan(seed):
    from extractor.model import _any_in

    rng = random.Random(seed)
    starts = sorted(rng.randrange(0, 3000) for _ in range(rng.randrange(0, 60)))
    for _ in range(500):
        offset = rng.randrange(0, 3100)
        end = offset + rng.randrange(0, 200)
        assert _any_in(starts, offset, end) == any(offset <= s < end for s in starts)


def _deadline_lines() -> list[str]:
    from pathlib import Path

    here = Path(__file__).parent
    lines = [row.split("\t")[0] for row in
             (here / "data" / "deadline_expressions.tsv").read_text("utf-8").splitlines()]
    for path in sorted((here / "golden").glob("*.txt")):
        lines += path.read_text("utf-8").splitlines()
    # Case as the rules read it: upper case, a table cell, a mark-less trigger.
    lines += [line.upper() for line in lines] + ["  Quý III/2025 ", "20/11/2025", "NGAY 5/3"]
    return lines


def test_deadline_prefilter_searches_every_rule_that_can_match():
    """A rule is not searched on a line holding none of its required words: every line
    gives the candidates that searching all 65 rules gave."""
    from extractor import deadlines as dl

    rules = dl.get_rules()
    for line in _deadline_lines():
        searched = {rule.id for rule, _ in rules.searched(line)}
        for rule, rx in rules.compiled:
            if rx.search(line):
                assert rule.id in searched, (rule.id, line)


def test_required_literals_of_a_parsed_regex():
    import re
    from re import _parser

    from extractor.deadlines import required_literals

    def need(pattern):
        return required_literals(_parser.parse(pattern, re.IGNORECASE))

    assert need(r"trước(?: ngày)? \d+") == {"trước"}
    assert need(r"(?:hằng|mỗi) (?:tuần|tháng)") in ({"hằng", "mỗi"}, {"tuần", "tháng"})
    assert need(r"(?:đến|tới)? ngày \d") == {" ngày "}
    assert need(r"\d{1,2}/\d{4}") == {"/"}
    assert need(r"\d{1,2}[/.]\d{4}") is None
    assert need(r"(?:ngay)?\d") is None
