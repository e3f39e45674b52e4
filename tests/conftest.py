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
