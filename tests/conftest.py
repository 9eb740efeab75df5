"""Shared test set-up: keep every test away from the real home directory, and find the bundled files."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NETWORKS = ROOT / "lessons" / "networks"


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory, monkeypatch):
    """Point progress storage (and platformdirs, and HOME) at a fresh temporary folder for each test.

    BPTUTOR_DATA_DIR is what bptutor reads first; HOME and XDG_DATA_HOME catch anything that would
    ask platformdirs directly. Subprocesses inherit the same environment. An instructor's
    BPTUTOR_LESSONS must not leak into the tests either.
    """
    root = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("BPTUTOR_DATA_DIR", str(root / "bptutor-data"))
    monkeypatch.setenv("HOME", str(root))
    monkeypatch.setenv("XDG_DATA_HOME", str(root / ".local" / "share"))
    monkeypatch.delenv("BPTUTOR_LESSONS", raising=False)
    return root


@pytest.fixture
def network_path():
    def path(name: str) -> Path:
        return NETWORKS / f"{name}.toml"

    return path
