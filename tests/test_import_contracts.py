"""The import contracts of pyproject.toml ([tool.importlinter]) hold: each layer imports only the layers
below it (engine → lesson/quiz/progress logic → widgets → screens → app → command line), and engine
imports nothing of tutor, Textual or Rich. import-linter reads imports inside functions too."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def lint(config: Path) -> int:
    return lint_imports(config_filename=str(config), no_cache=True, no_logo=True)


def test_the_contracts_of_pyproject_hold():
    assert lint(ROOT / "pyproject.toml") == 0


def _toy(tmp_path: Path, monkeypatch, name: str, low_imports: str) -> Path:
    """A package `name` with a low and a high layer, its `low` importing `low_imports` inside a function."""
    package = tmp_path / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "high.py").write_text(f"from {name} import low\n")
    (package / "low.py").write_text(f"def late():\n    import {low_imports}\n")
    config = tmp_path / f"{name}.toml"
    config.write_text(
        f"""
[tool.importlinter]
root_packages = ["{name}"]
include_external_packages = true

[[tool.importlinter.contracts]]
name = "layers"
type = "layers"
layers = ["{name}.high", "{name}.low"]

[[tool.importlinter.contracts]]
name = "low alone"
type = "forbidden"
source_modules = ["{name}.low"]
forbidden_modules = ["rich"]
"""
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return config


def test_a_lower_layer_importing_a_higher_one_breaks_a_contract(tmp_path, monkeypatch):
    assert lint(_toy(tmp_path, monkeypatch, "toy_ok", "json")) == 0
    assert lint(_toy(tmp_path, monkeypatch, "toy_up", "toy_up.high")) == 1


def test_importing_rich_where_it_is_forbidden_breaks_a_contract(tmp_path, monkeypatch):
    assert lint(_toy(tmp_path, monkeypatch, "toy_rich", "rich.text")) == 1
