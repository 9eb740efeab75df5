"""Shared test set-up: keep every test away from the real home directory, and find the bundled files."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

# Compiled modules kept between processes even where PYTHONDONTWRITEBYTECODE is set (as on the machines here), in the
# checkout's __pycache__ folders (git ignores them): every worker and every `python -m tutor` a test starts compiled
# bptutor, the tests and their assertion rewriting from source again.
if os.environ.pop("PYTHONDONTWRITEBYTECODE", None):
    sys.dont_write_bytecode = False

# One BLAS thread per test process (set before NumPy loads; workers and subprocesses inherit it): the suite
# runs two workers per core, and the networks here are small, so BLAS's own threads only contend (a
# 3000×15 by 15×20 product took 0.5–10 ms under load with them, 0.06 ms without). Results are the same.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pytest
from textual.css.stylesheet import Stylesheet

ROOT = Path(__file__).resolve().parent.parent
NETWORKS = ROOT / "lessons" / "networks"


# The garbage collector's defaults (a collection every 700 new objects, a full one every 100 of those) were about a
# third of an app test's CPU here: each full collection walks every object of Textual, NumPy, SymPy and the test
# modules. A test process collects less often, and leaves out of its collections what collection (pytest's) made.
gc.set_threshold(10_000, 50, 100)


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()  # what is alive now (modules, test items) lives to the end: never looked at again


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: two workers per core, not one. An app's test spends about half its time waiting (Textual's
    pilot sleeps until the app is idle after every key and pause), and another worker's test fills that time."""
    return 2 * (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory, monkeypatch):
    """Point progress storage (and platformdirs, and HOME) at a fresh temporary folder for each test.

    BPTUTOR_DATA_DIR is what bptutor reads first; HOME and XDG_DATA_HOME catch anything that would
    ask platformdirs directly. Subprocesses inherit the same environment. An instructor's
    BPTUTOR_LESSONS must not leak into the tests either.
    """
    root = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("BPTUTOR_DATA_DIR", str(root / "bptutor-data"))
    # One lesson cache for the whole run (each worker's, shared by the apps it starts in other processes too):
    # a fresh data folder per test must not mean reading every lesson file again at each app start.
    monkeypatch.setenv("BPTUTOR_LESSON_CACHE", str(tmp_path_factory.getbasetemp() / "lesson-cache.json"))
    monkeypatch.setenv("HOME", str(root))
    monkeypatch.setenv("XDG_DATA_HOME", str(root / ".local" / "share"))
    monkeypatch.delenv("BPTUTOR_LESSONS", raising=False)
    return root


@pytest.fixture
def network_path():
    def path(name: str) -> Path:
        return NETWORKS / f"{name}.toml"

    return path


# Every app a test starts parses the same stylesheets again (Textual keeps its parses per app): about a tenth of
# what starting an app costs in a test. Parsed rules are kept for the whole process instead, keyed by everything
# the parse reads (the CSS, where it is from, its rank, its scope and the theme's variables), so each app gets
# exactly the rules its own parse would give. Learners start one app per process: nothing to share there.
_parse_rules = Stylesheet._parse_rules
_PARSED: dict[tuple, list] = {}


def _shared_parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
    key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(sorted(self._variables.items())))
    if key not in _PARSED:
        _PARSED[key] = _parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
    return _PARSED[key]


Stylesheet._parse_rules = _shared_parse_rules
