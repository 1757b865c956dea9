from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "000_bae878fa0d899e1a.txt"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def seed_path() -> Path:
    """The office's notice with its ledger (tests/data copy, so CI needs nothing else)."""
    return DATA / "seed_notice.txt"
