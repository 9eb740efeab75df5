"""Shared fixtures: paths to the bundled networks, and a helper to write network files in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NETWORKS = ROOT / "lessons" / "networks"


@pytest.fixture
def network_path():
    def path(name: str) -> Path:
        return NETWORKS / f"{name}.toml"

    return path
