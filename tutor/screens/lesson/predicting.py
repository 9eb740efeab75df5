"""Predict-then-reveal on trace and unroll pages, mixed into TraceView: `=` asks for the next term,
predict mode asks before every `→` (or, on a page that says `predict = [...]`, before the kinds it names).

A judged prediction is counted by term kind in the learner's record; a missed term becomes a review card
(tutor.progress.Progress.record_prediction). While the box asks, the diagram lights up what the asked
term involves, and nothing else changes. Each term is asked once per visit: after a verdict, or after
escape, `→` reveals it.
"""

from __future__ import annotations

from dataclasses import replace

from tutor.fading import FadePlan, plan
from tutor.widgets.predict import PredictBox, focus_now

PREDICT_SETTING = "predict"  # the learner's predict mode, kept with the record


class Predicting:
    """What TraceView needs for predicting; it calls `_ask_first()` before stepping forward."""

    _passed: set[str] | None = None  # term ids asked (judged or closed) during this visit
    _visits: int | None = None  # a faded page: how many times it was opened before this visit
    _fade: FadePlan | None = None

    # -- fading (a page's `fade = true`) --------------------------------------------------------

    def start_fading(self) -> None:
        """On a faded page, count this visit (the plan itself waits for the trace)."""
        if self.page.fade and self._visits is None:
            self._visits = self.progress.fade_visits(self.lesson.id, self.page.index)
            self.progress.record_fade_visit(self.lesson.id, self.page.index)

    def fade_plan(self) -> FadePlan | None:
        """What the learner works out on this visit of a faded page (None elsewhere, or before the trace)."""
        if self._visits is None or self.player is None:
            return None
        if self._fade is None:
            self._fade = plan(self.player.terms, self._visits, self.progress.streaks())
        return self._fade

    def fading_commands(self):
        yield (
            "Reset fading: faded pages start again as worked examples",
            self.reset_fading,
            "every term shown again on the next visit; your right-in-a-row counts start from 0",
        )

    def reset_fading(self) -> None:
        self.progress.reset_fading()
        self.app.progress_changed()
        self.toast("Fading reset: faded pages show every term again on your next visit.")

    def fade_note(self) -> str:
        """For the top line: " · you do: 6 of 21 terms" on a faded page, else nothing."""
        fade = self.fade_plan()
        return f" · {fade.summary}" if fade is not None else ""

    # -- when to ask --------------------------------------------------------------------------

    def predict_kinds(self) -> tuple[str, ...] | bool | None:
        """What predict mode asks here: None every term, a tuple those kinds; False when predict mode is off."""
        page = self.page.predict
        if page is True or (page is False and self.progress.setting(PREDICT_SETTING, False)):
            return None
        asked = (*(page or ()), *self.page.ask_formula)  # formulas are asked as predict mode asks
        return asked or False

    def _next_term(self):
        player = self.player
        return player.terms[player.position] if player is not None and player.position < len(player.terms) else None

    def _ask_first(self) -> bool:
        """Before → in predict mode: ask for the next term instead of showing it (True if the box asks now)."""
        box = self.query_one(PredictBox)
        if box.asking:
            return True
        kinds = self.predict_kinds()
        term = self._next_term()
        if term is None or term.id in (self._passed or set()):
            return False
        fade = self.fade_plan()
        if fade is not None and term.id in fade.asked:
            self._open_box(term)
            return True
        if kinds is False:
            return False
        if kinds is not None and term.kind not in kinds:
            return False
        self._open_box(term)
        return True

    # -- keys ---------------------------------------------------------------------------------

    def action_predict(self) -> None:
        term = self._next_term()
        if term is None:
            self.toast("Nothing left to predict: every term is shown. r starts again.")
            return
        self._open_box(term)

    def action_toggle_predict_mode(self) -> None:
        on = not self.progress.setting(PREDICT_SETTING, False)
        self.progress.set_setting(PREDICT_SETTING, on)
        self.app.progress_changed()
        page = " (this page asks some kinds itself)" if self.page.predict else ""
        self.toast(("Predict mode on: → asks for each term first" if on else "Predict mode off") + page + ".")

    # -- the box ------------------------------------------------------------------------------

    def _open_box(self, term) -> None:
        self.playing = False
        box = self.query_one(PredictBox)
        diagram = self.query_one("#diagram")
        diagram.set_class(True, "-asked", update=not diagram.has_focus)  # styled as it loses the keyboard, once
        trace = self.player.trace
        box.ask(term, lambda: _slips(trace, term), formula=self._formula(term))  # found after the frame
        if diagram.state is not None:  # light up what the asked term involves, before its value is shown
            diagram.state = replace(diagram.state, current=diagram.highlight_of(term))
        self.call_after_refresh(box.scroll_visible)
        self.call_after_refresh(self.share_height)  # the page text gives the box its rows (shown, it counts)

    def _formula(self, term):
        """The formula question for `term` if the page asks its kind in symbols (tutor.quiz.term_formula)."""
        if term.kind not in self.page.ask_formula:
            return None
        from tutor.quiz.term_formula import term_formula

        try:
            return term_formula(self.player.trace, term)
        except ValueError:  # validation reports such a page; a value is asked instead
            return None

    def predicted(self, term, prediction) -> None:
        """The box judged a prediction of `term` (PredictBox's `judged`): count it, reveal the term."""
        self._passed = (self._passed or set()) | {term.id}
        self.progress.record_prediction(
            self.lesson.id, self.page.index, term.id, term.symbol, term.kind, prediction.right, prediction.slip
        )
        self.app.progress_changed()
        if self._next_term() is term:
            self._move(self.player.seek(self.player.position + 1))  # reveal it
        self._diagram_back()

    def prediction_closed(self, term) -> None:
        """The box was closed with escape (PredictBox's `closed`): nothing revealed, nothing counted."""
        self._passed = (self._passed or set()) | {term.id}
        if self.player is not None:
            self._show()  # the diagram's own highlight again
        self._diagram_back()
        self.call_after_refresh(self.share_height)  # the box's rows back to the page text

    def _diagram_back(self) -> None:
        """The keyboard back to the diagram, in this frame (as the verdict). Not styled again: focused, it looks as
        it did -asked (NetworkDiagram.watch_has_focus); only if it could not take the keyboard."""
        diagram = self.query_one("#diagram")
        focus_now(diagram)
        diagram.set_class(False, "-asked", update=diagram.screen.focused is not diagram)


def _slips(trace, term) -> dict[str, float]:
    """The term's named slips by name (none for a term the quiz's slip finder does not cover)."""
    from tutor.quiz.generate import term_slips

    try:
        return {slip.name: slip.value for slip in term_slips(trace, term)}
    except (LookupError, ValueError, ArithmeticError, AttributeError, TypeError):
        return {}
