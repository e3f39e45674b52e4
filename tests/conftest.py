"""Shared fixtures. The pipeline is built once per test session (extractor caches it)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_9aa80fb783193915.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("the user's seed (../shared/seeds/) is not present")
    return SEED


@pytest.fixture(scope="session")
def extract():
    from extractor import extract as _extract

    return _extract


def read_table(path: Path, columns: int) -> list:
    """Rows of a tab-separated test table as pytest params (blank lines and # comments skipped)."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = (line.split("\t") + [""] * columns)[:columns]
        rows.append(pytest.param(*cells, id=f"{n}:{cells[0][:40]}"))
    return rows
