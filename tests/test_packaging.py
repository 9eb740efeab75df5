"""A plain (non-editable) `pip install .` must carry the lessons, networks, notation table and styles."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from tests.conftest import ROOT


def test_wheel_contains_the_data_files(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet", "--wheel-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("bptutor-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ROOT.glob("lessons/**/*.toml"):
        assert str(expected.relative_to(ROOT)) in names
    assert "engine/notation.toml" in names
    for style in ROOT.glob("tutor/**/*.tcss"):
        assert str(style.relative_to(ROOT)) in names
    assert not any(name.startswith(("tests/", "bench/")) for name in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "bptutor = tutor.cli.parser:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_ci_runs_exactly_the_readmes_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = readme.split("## Run the tests", 1)[1].split("```sh\n", 1)[1].split("\n```", 1)[0]
    assert command.startswith("python3 -m venv .venv && ") and " -m pytest " in command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-1] == command and ci[0] == "#!/usr/bin/env bash" and "set -euo pipefail" in ci
