"""Lesson text that quotes a formula says in which notation it writes (issue 15, "Notation crosswalk")."""

from __future__ import annotations

import re

import pytest

from engine.notation import DEFAULT
from tutor.lessons import TextPage, bundled_dir, load_lesson

# A formula: a partial derivative or a sum sign, or a subscripted symbol set equal to something
# ("n_j = ", "a_x5 =", "δ_j = ").
FORMULA = re.compile(r"[∂Σ]|\b[^\W\d]_\w+ = ")

# How a page names each notation: the word "notation" and this word (the notation's source).
NAMED_BY = {"pdp": "PDP", "xa": "slides'", "eh": "Hasegawa-Johnson", "zy": "zy"}

LESSON_FILES = sorted(bundled_dir().glob("*.toml"))


def page_notation(page, lesson) -> str:
    """The notation a page writes in: its network's (which already falls back to the lesson's), else the
    lesson's, else the default (engine.notation.DEFAULT, PDP)."""
    network = getattr(page, "network", None)
    return getattr(network, "notation", None) or lesson.notation or DEFAULT


def names_notation(text: str, notation: str) -> bool:
    return "notation" in text.lower() and NAMED_BY[notation] in text


def unnamed_formula_pages(lesson) -> list[str]:
    """Pages whose text has a formula (FORMULA) while neither that page nor an earlier page of the same
    lesson in the same notation names that notation (the word "notation" and NAMED_BY's word)."""
    named: set[str] = set()
    missing = []
    for page in lesson.pages:
        notation = page_notation(page, lesson)
        if names_notation(page.text, notation):
            named.add(notation)
        elif FORMULA.search(page.text) and notation not in named:
            missing.append(f"{lesson.id} page {page.index + 1} ({page.title!r}, {notation})")
    return missing


def test_default_notation_is_pdp():
    assert DEFAULT == "pdp"


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.stem)
def test_formulas_say_their_notation(path):
    """Rule: a page whose `text` quotes a formula (∂ or Σ, or a subscripted symbol followed by " = ")
    must name the notation it writes in (the word "notation" and "PDP", "slides'", "Hasegawa-Johnson" or
    "zy" for pdp, xa, eh, zy) on that page or on an earlier page of the same lesson in the same notation.
    A page that switches notation names the new one itself."""
    assert unnamed_formula_pages(load_lesson(path)) == []


def test_rule_catches_an_unnamed_formula_and_a_switch(tmp_path):
    """The rule fails a lesson whose formula names no notation, and one whose later page switches notation
    without naming it, though an earlier page named PDP."""
    lesson = load_lesson(bundled_dir() / "04_chain_rule.toml")
    first = next(p for p in lesson.pages if isinstance(p, TextPage) and FORMULA.search(p.text))
    assert names_notation(first.text, "pdp")
    first.text = first.text.replace("notation", "symbols")
    assert f"{lesson.id} page {first.index + 1}" in " ".join(unnamed_formula_pages(lesson))
    lesson = load_lesson(bundled_dir() / "04_chain_rule.toml")
    switch = next(p for p in lesson.pages if page_notation(p, lesson) == "xa")
    switch.text = switch.text.replace("slides' notation", "slides' symbols")
    assert unnamed_formula_pages(lesson) == [f"{lesson.id} page {switch.index + 1} ({switch.title!r}, xa)"]
