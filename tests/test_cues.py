"""Cue matching, table-driven: which sentences direct, and with which modality."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import read_table

ROWS = read_table(Path(__file__).parent / "data" / "cue_cases.tsv", 2)
LEAD = "Thủ tướng Chính phủ kết luận như sau:\n"


@pytest.mark.parametrize("sentence,modalities", ROWS)
def test_cue(sentence, modalities, extract):
    doc = extract(LEAD + sentence, mode="rules")
    want = [] if modalities == "-" else modalities.split(",")
    assert [d.modality.value for d in doc.directives] == want


ROLE_ROWS = read_table(Path(__file__).parent / "data" / "clause_roles.tsv", 3)


@pytest.mark.parametrize("sentence,actor,action", ROLE_ROWS)
def test_first_directive_roles(sentence, actor, action, extract):
    first = extract(LEAD + sentence, mode="rules").directives[0]
    assert (first.actor.text if first.actor else "-", first.action.text) == (actor, action)
