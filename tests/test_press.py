"""Press reports of a leader's concluding remarks (tests/data/press_cases.json): the issuer
behind adverbs, openers and pronouns, the page noise around the body, and the look-alikes.
Each case is a short press text in our own words; the rules alone must read it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CASES = json.loads((Path(__file__).parent / "data" / "press_cases.json").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_press_case(case, extract):
    doc = extract(case["text"], mode="rules")
    got = [
        (d.issuer.text if d.issuer else None, d.actor.text if d.actor else None,
         d.action.text, d.modality.value)
        for d in doc.directives
    ]  # fmt: skip
    want = [(e["issuer"], e["actor"], e["action"], e["modality"]) for e in case["directives"]]
    assert got == want
    for d, e in zip(doc.directives, case["directives"]):
        if "issuer_source" in e:  # provenance pinned where the case is about the issuer
            assert d.issuer.source == e["issuer_source"]
