"""The small retention dataset (tests/data/retention), every figure computed by hand in tests."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent.parent / "data" / "retention"


@pytest.fixture
def retention_files() -> dict[str, Path]:
    return {name: DATA / f"{name}.csv" for name in ("customers", "orders", "responses")}
