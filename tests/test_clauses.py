"""Clause cutting and role inheritance, table-driven (tests/data/clause_cuts.tsv): how many
directives a text gives, and the actor and action of each."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import read_table

ROWS = read_table(Path(__file__).parent / "data" / "clause_cuts.tsv", 6)
LEADS = {"conclusion": "Chủ tịch Ủy ban nhân dân tỉnh kết luận như sau:\n", "-": ""}


@pytest.mark.parametrize("construction,lead,text,actors,actions,coactors", ROWS)
def test_clause_cut(construction, lead, text, actors, actions, coactors, extract):
    doc = extract(LEADS[lead] + text.replace("\\n", "\n"), mode="rules")
    got = [(d.actor.text if d.actor else "-", d.action.text) for d in doc.directives]
    want = [] if actions == "-" else list(zip(actors.split(" || "), actions.split(" || ")))
    assert got == want, construction
    if coactors:  # optional column: the coactors of each directive
        got_co = ["|".join(c.text for c in d.coactors) or "-" for d in doc.directives]
        assert got_co == coactors.split(" || "), construction
