"""Faded worked examples (a page's `fade = true`): which terms the learner works out on this visit.

The first visit is a worked example: every term is shown. On each later visit the terms asked grow from the
END of the backward pass towards its start (backward fading, Atkinson, Renkl & Merrill 2003): the last third
of the backward pass on the second visit, two thirds on the third, all of it from the fourth. Within that
stretch, a term whose kind the learner has predicted right twice in a row is shown; the others are asked.
Pure logic: the page view asks `plan` and shows its `summary` in the top line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engine.trace import Term

KNOWN = 2  # right predictions in a row after which a term kind is shown, not asked
STAGES = 3  # the backward pass is handed over in thirds, one more each visit


@dataclass(frozen=True)
class FadePlan:
    asked: frozenset[str]  # term ids the learner works out on this visit
    backward: int  # terms in the backward pass

    @property
    def summary(self) -> str:
        return f"you do: {len(self.asked)} of {self.backward} terms"


def plan(terms: Sequence[Term], visits: int, streaks: Mapping[str, int]) -> FadePlan:
    """The terms asked on a page opened `visits` times before, given right-in-a-row counts by term kind."""
    backward = [term for term in terms if term.phase == "backward"]
    reach = min(visits, STAGES) * len(backward) // STAGES  # how far from the end the learner works
    stretch = backward[len(backward) - reach :] if reach else []
    asked = frozenset(term.id for term in stretch if streaks.get(term.kind, 0) < KNOWN)
    return FadePlan(asked, len(backward))
