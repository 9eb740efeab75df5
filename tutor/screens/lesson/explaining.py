"""`e` on trace and unroll pages: the current term's rule derived beside the equation panel (ExplainPanel),
mixed into TraceView. While open, it follows the term the learner steps to."""

from __future__ import annotations

from tutor.widgets.explain import ExplainPanel


class Explaining:
    """What TraceView needs for explaining; it calls `_explain_current()` after every move."""

    def action_explain(self) -> None:
        panel = self.query_one(ExplainPanel)
        if panel.display:
            panel.display = False
            return
        term = self.player.current if self.player is not None else None
        if term is None:
            self.toast("Nothing to explain yet: → computes the first term, then e explains it.")
            return
        if panel.show_term(term, self.player.trace):
            panel.display = True

    def _explain_current(self) -> None:
        panel = self.query_one(ExplainPanel)
        if not panel.display:
            return
        term = self.player.current
        if term is None or not panel.show_term(term, self.player.trace):
            panel.display = False

    def scroller(self):
        """J and K scroll the explanation while it is open, else the page text."""
        panel = self.query_one(ExplainPanel)
        return panel if panel.display else super().scroller()
