"""The catalogue's constructions (corpus/CONSTRUCTIONS.md) read by the extractor, one row
of tests/data/constructions.json per construction case. Expected fields come from
corpus/GUIDELINE.md; a row the rules do not read yet is an xfail (strict) with its reason,
and its catalogue cell says so. Each row lists only the fields that matter for it, and
may pin the `source` of the field that reads the construction. Every row runs in both
modes; `xfail` maps a mode to the reason it does not read the row yet."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROWS = json.loads((Path(__file__).parent / "data" / "constructions.json").read_text("utf-8"))
ROLES = ("issuer", "actor", "action", "topic", "purpose", "report_to")
MODES = ("rules", "hybrid")


def _params() -> list:
    params = []
    for row in ROWS:
        for mode in MODES:
            reason = row.get("xfail", {}).get(mode)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(row, mode, id=f"{row['id']}-{mode}", marks=marks))
    return params


def _fields(directive, keys) -> dict:
    """The fields a row names, as texts (None when absent), for one extracted directive."""
    got = {}
    for key in keys:
        if key in ROLES:
            span = getattr(directive, key)
            got[key] = span.text if span else None
        elif key == "deadline":
            got[key] = directive.deadline.text if directive.deadline else None
        elif key == "modality":
            got[key] = directive.modality.value
    return got


def _sources(directive, keys) -> dict:
    """The `source` (rule id or model part) of each named field."""
    return {k: getattr(directive, k).source for k in keys}


@pytest.mark.parametrize(("row", "mode"), _params())
def test_construction_row(row, mode, extract):
    doc = extract(row["text"], mode=mode)
    want = row["directives"]
    got = [_fields(d, [k for k in w if k != "sources"]) for d, w in zip(doc.directives, want)]
    assert len(doc.directives) == len(want), [d.action.text for d in doc.directives]
    assert got == [{k: v for k, v in w.items() if k != "sources"} for w in want]
    for d, w in zip(doc.directives, want):
        assert _sources(d, w.get("sources", {})) == w.get("sources", {})


def test_rows_are_unique_and_name_a_catalogued_construction():
    from extractor.corpus import catalogue_counts

    ids = [r["id"] for r in ROWS]
    assert len(ids) == len(set(ids))
    assert {r["construction"] for r in ROWS} <= set(catalogue_counts())
    assert all(r["id"].startswith(r["construction"] + "_") for r in ROWS)
    assert all(set(r.get("xfail", {})) <= set(MODES) for r in ROWS)


def _catalogue_rows() -> dict:
    """Construction id -> its "read by" cell, from the catalogue's table."""
    text = (ROOT / "corpus" / "CONSTRUCTIONS.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if re.fullmatch(r"C\d\d", cells[0]):
            rows[cells[0]] = cells[-1]
    return rows


def test_every_construction_has_its_read_by_cell_filled():
    rows = _catalogue_rows()
    assert len(rows) >= 60
    assert [cid for cid, cell in rows.items() if cell in ("", "—", "-")] == []


def test_catalogue_cells_cite_every_row_of_this_table():
    rows = _catalogue_rows()
    for row in ROWS:
        cell = rows[row["construction"]]
        assert row["id"] in cell, f"{row['construction']}: its cell does not cite {row['id']}"
        if row.get("xfail"):
            assert "not read yet" in cell, (row["id"], cell)
