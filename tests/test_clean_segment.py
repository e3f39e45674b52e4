"""Table-driven tests for stage 2 (cleaning) and stage 3 (segmentation)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import read_table

from extractor.clean import find_skipped
from extractor.normalize import normalize_text
from extractor.segment import segment

DATA = Path(__file__).parent / "data"
CLEANING = json.loads((DATA / "cleaning_cases.json").read_text(encoding="utf-8"))
SEGMENTATION = json.loads((DATA / "segmentation_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CLEANING, ids=lambda c: c["text"][:40])
def test_cleaning(case):
    text = normalize_text(case["text"])
    got = [[r.reason, text[r.start : r.end]] for r in find_skipped(text)]
    assert got == case["skipped"]


@pytest.mark.parametrize("case", SEGMENTATION, ids=lambda c: c["text"][:40])
def test_segmentation(case):
    text = normalize_text(case["text"])
    blocks = segment(text, find_skipped(text))
    assert len(blocks) == len(case["blocks"])
    for block, want in zip(blocks, case["blocks"]):
        assert block.marker == want["marker"]
        if "kind" in want:
            assert block.marker_kind == want["kind"]
        if "heading" in want:
            assert block.is_heading == want["heading"]
        if "section" in want:
            assert block.section_kind == want["section"]
        if "speaker" in want:
            speaker = block.speaker and text[block.speaker[0] : block.speaker[1]]
            assert speaker == want["speaker"]
        assert [text[s:e] for s, e in block.sentences] == want["sentences"]


def test_normalization_tone_marks_and_spaces():
    assert normalize_text("Uỷ ban  nhân dân tỉnh Hoà Bình\r\n\r\n\r\nlan toả") == (
        "Ủy ban nhân dân tỉnh Hòa Bình\n\nlan tỏa"
    )
    decomposed = "ke\u0302\u0301t lua\u0323\u0302n"  # "kết luận" written with combining marks
    assert normalize_text(decomposed) == "kết luận"


def test_table_words_found_through_the_text_as_by_the_whole_table():
    """The regex of the table words a text holds replaces what the regex of the whole
    table would (the one compiled at every start before)."""
    from extractor import normalize
    from extractor.corpus import iter_split
    from extractor.trie import LETTER, phrase_regex

    whole = phrase_regex(normalize._TABLE, ignore_case=False, boundary=LETTER)
    texts = [d.text for split in ("train", "dev") for d in iter_split(split)]
    texts.append("Hoà bình, thuỷ_lợi; uỷ ban Uỷ BAN hoàhoà 2toả toả2 " + " ".join(normalize._TABLE))
    assert normalize._TABLE_IS_WORDS
    changed = 0
    for text in texts:
        expected = whole.sub(lambda m: normalize._TABLE[m.group(0)], text)
        assert normalize._normalize_words(text) == expected
        changed += expected != text
    assert changed  # the last text at least


@pytest.mark.parametrize("separator", [" ", ", ", "1", "_", "x", "\n", "-", "\u0301"])
def test_normalization_agrees_with_underthesea_word_by_word(separator):
    """Only the words underthesea's tables change are looked at: the result must be what
    token_normalize gives every run of letters, whatever surrounds the words."""
    import re
    import unicodedata

    from underthesea.pipeline.text_normalize.text_normalizer import token_map
    from underthesea.pipeline.text_normalize.token_normalize import token_normalize

    words = sorted(token_map)
    words += ["Hoà", "hoàng", "Ðà", "ðồng", "Thuỷ", "Thuỷlợi", "toả2"]  # odd characters, glued
    text = separator.join(words)
    composed = unicodedata.normalize("NFC", text)  # a combining separator joins its letter
    expected = re.sub(r"[^\W\d_]+", lambda m: token_normalize(m.group(0)), composed)
    assert normalize_text(text) == expected.strip(" \n")
    if not separator.isalpha():  # else the words run together, too long for the table
        assert normalize_text(text) != composed


GLUED = read_table(DATA / "glued_cues.tsv", 2)


@pytest.mark.parametrize("text,words", GLUED)
def test_a_cue_glued_to_the_next_word_is_cut_off(text, words):
    """"yêu cầu thủ|trưởng" from the segmenter is "yêu cầu|thủ trưởng" in the Doc; a word
    that only starts like a one-syllable cue ("giao thông") stays whole."""
    from extractor.pipeline import build

    assert "|".join(t.text for t in build("rules").tokenizer(text)) == words
