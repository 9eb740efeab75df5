"""Issue 18, the diagram and the page: what a learner sees on trace, unroll and train pages (Pilot)."""

from __future__ import annotations

import re

import pytest

from tests.app_support import make_app, open_page, test_lessons  # noqa: F401 (test_lessons is a fixture)
from tests.test_widgets import lines

pytestmark = pytest.mark.usefixtures("test_lessons")


async def test_the_unrolled_diagram_names_time_steps_apart_from_the_targets_t():
    """ "t = 1" for a time step sat right above "t 0" for a target: the steps are "step 1", "step 2", ..."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "unroll")
        drawing = lines(view.query_one("UnrollDiagram"))
        header = next(line for line in drawing if "time →" in line)
        assert re.findall(r"step (\d+)", header) == ["1", "2", "3"]
        assert not any(re.search(r"\bt = \d", line) for line in drawing)
        assert sum(len(re.findall(r"\bt +[0-9.−]", line)) for line in drawing) == 3  # each step's target, still t
