"""Trace and unroll pages: step the engine's trace term by term on the diagram, the equation panel and the
table of values.

A `TracePlayer` holds the position; every key moves it and then shows it in each widget. Unroll
pages (recurrent networks) do the same with the network drawn once per time step.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import get_current_worker

from engine.kinds import MAX_TRACE_STEPS, kind_of
from engine.numbers import fmt
from engine.tomlfile import FileProblems, Problem
from tutor import learner_notation
from tutor.lessons import Lesson, TracePage, UnrollPage
from tutor.lessons.networks import load_ref
from tutor.messages import PageDone, StepReached
from tutor.player import TracePlayer
from tutor.progress import Progress
from tutor.screens.lesson.explaining import Explaining
from tutor.screens.lesson.predicting import Predicting
from tutor.screens.lesson.views import PageText, PageView, ProblemsView
from tutor.screens.lesson.what_if import WhatIf
from tutor.widgets.activation_curve import ActivationCurve, curve_at
from tutor.widgets.diagram import NetworkDiagram
from tutor.widgets.equation import PHASE_NAMES, EquationPanel
from tutor.widgets.explain import ExplainPanel
from tutor.widgets.predict import PredictBox
from tutor.widgets.unroll import UnrollDiagram
from tutor.widgets.values import ValuesTable
from tutor.widgets.what_if import WhatIfBox

STEP = Binding.Group("Step", compact=True)
JUMP = Binding.Group("To end")
TIME = Binding.Group("Time step", compact=True)
PATTERN = Binding.Group("Pattern", compact=True)
SCROLL = Binding.Group("Scroll text", compact=True)
VALUES_FROM = 150  # columns: narrower screens show the table of values only when asked (v)
TEXT_FROM = 30  # rows: in shorter terminals the diagram needs the room, and the page text waits for t
PLAY_DELAYS = (2.0, 1.2, 0.7, 0.4, 0.2, 0.1)  # seconds a term while playing, slowest first
DEFAULT_DELAY = 2
BACKGROUND_FROM = 5000  # time steps × weights: a trace this big is built in a thread, the page saying so meanwhile
NEEDS_TRACE = frozenset(
    {
        "step",
        "step_time",
        "end_of",
        "reset",
        "pattern",
        "play",
        "pause",
        "speed",
        "toggle_values",
        "set_weight",
        "lesson_weights",
    }
)
RESET_TIP = "Reset: the lesson's weights after a what-if (w), else the first term"
COMPACT_NAMES = {None: "the view that fits (auto)", True: "compact view", False: "full view"}


class TraceView(Explaining, WhatIf, Predicting, PageView):
    """One forward pass, backward pass and update of the page's network, a term at a time."""

    HELP_WHERE = "On this page (stepping through the trace)"

    BINDINGS: ClassVar = [
        Binding("left,h", "step(-1)", "Back", group=STEP, id="trace.back"),
        Binding("right,l", "step(1)", "Step", group=STEP, id="trace.step"),
        Binding(
            "left_square_bracket",
            "step_time(-1)",
            "Time step back",
            group=TIME,
            tooltip="Take back the last time step",
            id="trace.time_back",
        ),
        Binding(
            "right_square_bracket",
            "step_time(1)",
            "Time step",
            group=TIME,
            tooltip="Compute the rest of the time step (a whole time step)",
            id="trace.time_step",
        ),
        Binding("space", "play", "Play", tooltip="Play or pause: step on its own", id="trace.play"),
        Binding("space", "pause", "Pause", tooltip="Play or pause: step on its own", id="trace.pause"),
        Binding("f", "end_of('forward')", "End of the forward pass", group=JUMP, id="trace.end_forward"),
        Binding("b", "end_of('backward')", "End of the backward pass", group=JUMP, id="trace.end_backward"),
        Binding("u", "end_of('update')", "End of the update", group=JUMP, id="trace.end_update"),
        Binding("r", "reset", "Reset", tooltip=RESET_TIP, id="trace.reset"),
        Binding("r", "lesson_weights", "Lesson's weights", tooltip=RESET_TIP, id="trace.lesson_weights"),
        Binding(
            "w",
            "set_weight",
            "Set weight…",
            show=False,
            tooltip="What if a weight had another value?",
            id="trace.set_weight",
        ),
        Binding("p", "pattern(1)", "Pattern", group=PATTERN, tooltip="Trace the next pattern", id="trace.next_pattern"),
        Binding("P", "pattern(-1)", "Previous pattern", group=PATTERN, id="trace.previous_pattern"),
        Binding("plus", "speed(1)", "Play faster", show=False, id="trace.faster"),
        Binding(
            "equals_sign",
            "predict",
            "Predict the next term",
            show=False,
            tooltip="Type the next term's value first",
            id="trace.predict",
        ),
        Binding("a", "toggle_predict_mode", "Predict mode", show=False, id="trace.predict_mode"),
        Binding("n", "next_notation", "Notation: the next lecture's symbols", show=False, id="trace.notation"),
        Binding(
            "e",
            "explain",
            "Explain this term",
            show=False,
            tooltip="Where its rule comes from",
            id="trace.explain",
        ),
        Binding("minus", "speed(-1)", "Play slower", show=False, id="trace.slower"),
        Binding("t", "toggle_text", "Text", tooltip="Show or hide the page text", id="trace.toggle_text"),
        Binding("v", "toggle_values", "Values", tooltip="Show or hide the table of values", id="trace.toggle_values"),
        Binding("c", "toggle_compact", "View", tooltip="Diagram: auto, compact, full", id="trace.toggle_compact"),
        Binding(
            "g",
            "check_gradients",
            "Check",
            tooltip="Check every ∂E/∂w against finite differences, (E(w + h) − E(w − h)) / 2h",
            id="trace.check_gradients",
        ),
        Binding(
            "shift+down,J",
            "scroll('down')",
            "Scroll the text down",
            key_display="J",
            group=SCROLL,
            id="trace.text_down",
        ),
        Binding("shift+up,K", "scroll('up')", "Scroll the text up", key_display="K", group=SCROLL, id="trace.text_up"),
    ]

    playing: reactive[bool] = reactive(False, repaint=False)
    delay: reactive[int] = reactive(DEFAULT_DELAY, repaint=False)
    show_text: reactive[bool] = reactive(True, repaint=False)
    show_values: reactive[bool] = reactive(True, repaint=False)
    _values_chosen = False  # until v is pressed, the table of values shows where the terminal is wide enough
    _text_chosen = False  # until t is pressed, the page text shows where the terminal is tall enough

    def __init__(self, lesson: Lesson, page: TracePage | UnrollPage, progress: Progress):
        super().__init__(lesson, page, progress)
        self.recurrent = page.unrolled
        self.set_class(self.recurrent, "-recurrent")
        self.set_class(getattr(page, "curves", False), "-curves")  # tutor/widgets/activation_curve.tcss
        self.net = self.lesson_net = load_ref(page.network)  # `net` is traced: the lesson's, or one with weights set
        self.count = kind_of(self.net).count
        saved = progress.pattern(lesson.id, page.index)
        own = page.sequence if self.recurrent else page.pattern
        self.pattern = saved if saved is not None and 0 <= saved < self.count else own
        self.player: TracePlayer | None = None  # None while a big trace is being built
        if not self._big(self.pattern):
            self.player = self._player(self.pattern, progress.step(lesson.id, page.index))
        self._timer: Timer | None = None
        self._done = False
        self.start_fading()

    def _player(self, pattern: int, position: int) -> TracePlayer:
        """The trace of a pattern (the first `_traced_steps` steps of a sequence), at `position`; FileProblems
        if the page's focus weight or goal does not fit it (opening the page builds no trace: SteppedPage.check)."""
        notation = learner_notation.notation_for(
            self.progress, self.page.network.notation
        )  # the learner's, else the page's or the lesson's
        kind = kind_of(self.net)
        trace = kind.trace(pattern, notation, kind.page_steps(pattern))
        on = "" if pattern == self.page.example else f"{kind.example} {pattern}"  # p, or a saved one
        chain = self.page.trace_problems(trace, on, own_weights=self.net is self.lesson_net)
        player = TracePlayer(trace, focus=self.page.focus, until=getattr(self.page, "until", None), chain=chain)
        player.seek(position)
        return player

    def _big(self, pattern: int) -> bool:
        """Whether the trace would take long enough to build that the page should stay responsive meanwhile:
        a recurrent trace has some terms per weight and time step."""
        return self._traced_steps(pattern) * self._weights() >= BACKGROUND_FROM

    def _weights(self) -> int:
        return kind_of(self.net).weight_count

    @work(thread=True, exclusive=True, group="trace")
    def _build(self, pattern: int, position: int) -> None:
        try:
            then, built = self._ready, self._player(pattern, position)
        except FileProblems as err:
            then, built = self._refuse, err.problems
        if not get_current_worker().is_cancelled:  # the learner may have turned the page meanwhile
            self.app.call_from_thread(then, built)

    def _ready(self, player: TracePlayer) -> None:
        if not self.is_attached:
            return
        self.player = player
        self._show_prompt()
        self._show()
        self._show_what_if()
        self.refresh_bindings()

    def _refuse(self, problems: list[Problem]) -> None:
        """The page's focus weight or goal does not fit the trace: the page gives way to its problems, as a page
        refused on opening does (screen.make_view)."""
        if not self.is_attached:
            return
        self.status = ""
        screen = self.screen
        self.parent.mount(ProblemsView(self.lesson, self.page, self.progress, problems), before=self)
        self.remove()
        screen.call_after_refresh(screen.focus_default)

    def _wait_for(self, pattern: int, position: int) -> None:
        """Build a big trace in a thread; its keys rest until it is there."""
        self.player = None
        self.playing = False
        steps = self._traced_steps(pattern)
        self.status = f"building the trace of {steps} time steps…"
        panel = self.query_one(EquationPanel)
        panel.term = None
        panel.prompt = f"Building the trace of {steps} time steps: a moment…"
        self.refresh_bindings()
        self._build(pattern, position)

    def compose(self) -> ComposeResult:
        if self.page.text:
            yield PageText(self.page.text, id="text")
        if self.page.goal is not None:
            yield Static(id="goal")
        yield Static(id="steps-note")
        with Horizontal(id="trace-main"):
            yield UnrollDiagram(id="diagram") if self.recurrent else NetworkDiagram(id="diagram")
            with Horizontal(id="equation-row"):
                yield EquationPanel(id="equation")
                yield ExplainPanel(id="explain")
                if getattr(self.page, "curves", False):
                    yield ActivationCurve(id="curve")
        yield PredictBox(self.predicted, self.prediction_closed, id="predict")
        yield WhatIfBox(id="what-if")
        if not self.recurrent:
            yield ValuesTable(id="values")

    def on_mount(self) -> None:
        width, height = self.app.size
        self.show_text = bool(self.page.text) and height >= TEXT_FROM
        self.show_values = width >= VALUES_FROM and not self.recurrent
        for table in self.query(ValuesTable):
            table.border_title = "values"
        self._show_steps_note()
        own = self.page.network.notation or "pdp"
        if learner_notation.notation_for(self.progress, own) != own:  # the page text writes formulas in its own symbols
            mine = learner_notation.describe(learner_notation.chosen(self.progress))
            self.toast(f"Symbols: {mine}; the page text writes {learner_notation.describe(own)} (n switches).")
        if self.player is None:
            self._wait_for(self.pattern, self.progress.step(self.lesson.id, self.page.index))
        else:
            self._show()
            self._show_goal()

    def _show_steps_note(self) -> None:
        """Say so when the sequence is longer than the steps traced."""
        length, traced = self._length(self.pattern), self._traced_steps(self.pattern)
        note = self.query_one("#steps-note", Static)
        note.display = length > traced
        why = "." if traced == MAX_TRACE_STEPS else f" (this network has {self._weights()} weights)."
        note.update(f"Time steps 1–{traced} of this sequence's {length}: an unroll page traces the first {traced}{why}")

    def _length(self, pattern: int) -> int:
        """How many time steps sequence `pattern` has (0 on trace pages)."""
        return len(self.net.sequences[pattern][0]) if self.recurrent else 0

    def _traced_steps(self, pattern: int) -> int:
        """How many of them the page traces (0 on trace pages), as `bptutor validate` does (engine.kinds)."""
        return kind_of(self.net).page_steps(pattern) or 0

    def take_focus(self) -> None:
        self.query_one("#diagram").focus()  # its keys move the compact view's cursor

    # -- showing the position -------------------------------------------------------------------

    def _show(self) -> None:
        """Bring every widget to the player's position and tell the screen where we are."""
        player = self.player
        diagram = self.query_one("#diagram")
        first = diagram.scene is None
        diagram.show(player)
        if first:
            self.call_after_refresh(self.share_height)
        self.query_one(EquationPanel).show(player)
        for curve in self.query(ActivationCurve):
            curve.show(curve_at(player.current, player.trace.terms, self.net))
        self._explain_current()
        if self.show_values:
            self.query_one(ValuesTable).show(player)  # while hidden, it catches up when shown again
        self._show_status()
        self.post_message(StepReached(player.progress[0], self.pattern))
        if player.at_end and not self._done:
            self._done = True
            self.post_message(PageDone())

    def _show_status(self) -> None:
        """Step k/K, the phase, the pattern, and while playing (or once the speed is changed) the speed."""
        if self.player is None:
            return
        k, total = self.player.progress
        phase = PHASE_NAMES[self.player.phase] if k else "not started"
        which = "sequence" if self.recurrent else "pattern"
        pattern = f" · {which} {self.pattern + 1}/{self.count}" if self.count > 1 else ""
        speed = f"{PLAY_DELAYS[self.delay]:g} s/term"
        play = f" · ▶ playing, {speed}" if self.playing else f" · speed {speed}" if self.delay != DEFAULT_DELAY else ""
        self.status = f"step {k}/{total} · {phase}{pattern}{play}{self.what_if_status()}{self.fade_note()}"

    def _move(self, moved: bool) -> None:
        if moved:
            self._show()

    # -- keys -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.player is None and action in NEEDS_TRACE:
            return False
        if action == "pattern":
            return self.count > 1
        if action == "toggle_values":
            return not self.recurrent
        if action == "step_time":
            return self.recurrent
        if action == "toggle_text":
            return bool(self.page.text)
        if action == "toggle_compact":
            return not self.recurrent
        if action in ("reset", "lesson_weights"):
            return bool(self.changes) == (action == "lesson_weights")  # r undoes what-if first, then rewinds
        if action in ("play", "pause"):
            return self.playing == (action == "pause")  # space plays, or pauses while playing
        return True

    def action_check_gradients(self) -> None:
        self.notify("Checking every ∂E/∂w by finite differences…", timeout=2)
        self._check_gradients(self.net.copy(), self.pattern)

    @work(thread=True, exclusive=True, group="gradcheck")
    def _check_gradients(self, net, pattern: int) -> None:
        """Nudge each weight by ±h on a copy of the page's network (the diagram's own stays as it is), then
        show every ∂E/∂w beside its finite difference, over the steps the page traces."""
        kind = kind_of(net)
        check = kind.check_gradients(pattern, kind.page_steps(pattern))
        self.app.call_from_thread(self._show_check, check, net)

    def _show_check(self, check, net) -> None:
        from engine.notation import get_notation
        from tutor.screens.gradcheck import GradCheckScreen

        if not self.is_attached:
            return  # the learner has left the page
        notation = self.player.trace.notation if self.player is not None else get_notation(self.page.network.notation)
        self.app.push_screen(GradCheckScreen(check, net, notation))

    def action_step(self, by: int) -> None:
        if by > 0 and self._ask_first():  # predict mode: the next term is asked before it is shown
            return
        if by > 0 and self.player.at_end:
            self.toast(self._done_message())
            return
        self._move(self.player.seek(self.player.position + by))
        if by < 0:
            self.playing = False

    def action_step_time(self, by: int) -> None:
        """Unroll pages: a whole time step at a time (] on, [ back)."""
        if by > 0 and self.player.at_end:
            self.toast(self._done_message())
            return
        self.playing = False
        self._move(self.player.step_time(by))

    def _done_message(self) -> str:
        """What → says at the last term: the pass is done, and what to do next."""
        until = getattr(self.page, "until", None)
        done = f"This page stops at the end of the {until} pass." if until else "Done: forward, backward and update."
        others = []
        if self.count > 1:
            others.append(f"p for the next {'sequence' if self.recurrent else 'pattern'}")
        others += ["r to start again", "PgDn for the next page"]
        return f"{done} Next: {', '.join(others)}."

    def action_end_of(self, phase: str) -> None:
        before = self.player.position
        self.player.to_end_of(phase)
        self._move(self.player.position != before)

    def action_reset(self) -> None:
        self.playing = False
        before = self.player.position
        self.player.reset()
        self._move(before != 0)

    def action_pattern(self, by: int) -> None:
        self.choose_pattern((self.pattern + by) % self.count)

    def choose_pattern(self, pattern: int) -> None:
        """Trace another pattern (sequence), staying at the same step."""
        if self.player is None:
            return  # still building the last one
        self.pattern = pattern
        self._show_steps_note()
        self.trace_again(self.player.position)

    def trace_again(self, position: int) -> None:
        """Trace `pattern` again (another one, another notation, other weights) at `position`, in a thread if it
        is big; if the page's focus or goal does not fit the new trace, the page gives way to its problems."""
        if self._big(self.pattern):
            self._wait_for(self.pattern, position)
            return
        try:
            self.player = self._player(self.pattern, position)
        except FileProblems as err:
            self._refuse(err.problems)
            return
        self._show()
        self._show_goal()  # its term's value on this trace

    def action_play(self) -> None:
        if self.player.at_end:
            self.player.reset()
            self._show()
        self.playing = True

    def action_pause(self) -> None:
        self.playing = False

    def action_speed(self, by: int) -> None:
        self.delay = max(0, min(len(PLAY_DELAYS) - 1, self.delay + by))

    def action_toggle_text(self) -> None:
        self._text_chosen = True
        self.show_text = not self.show_text
        self.call_after_refresh(self.share_height)

    def action_toggle_values(self) -> None:
        self._values_chosen = True
        self.show_values = not self.show_values
        self.call_after_refresh(self.share_height)

    def on_resize(self) -> None:
        """The layout is decided again at every size, except what the learner chose with t or v."""
        width, height = self.app.size
        if not self._values_chosen and not self.recurrent:
            self.show_values = width >= VALUES_FROM
        if not self._text_chosen:
            self.show_text = bool(self.page.text) and height >= TEXT_FROM
        self.call_after_refresh(self.share_height)

    def share_height(self) -> None:
        """Give the page text the rows the diagram and the panels do not need (at least its share in the CSS):
        the diagram centred in empty rows while the text stopped mid-sentence wasted both. With the table of
        values under the diagram (it takes what is left), the CSS shares."""
        texts = self.query(PageText)
        if not texts or not self.is_attached:
            return
        text, diagram = texts.first(), self.query_one("#diagram")
        main = self.query_one("#trace-main")
        vertical = main.styles.layout is None or main.styles.layout.name == "vertical"
        values = self.query(ValuesTable)
        shown_values = self.show_values and bool(values)
        if not self.show_text or diagram.size.width <= 0 or (shown_values and vertical):
            text.styles.max_height = None
            return
        needed = diagram.natural_height(diagram.size.width)
        if vertical:
            needed += self.query_one("#equation-row").outer_size.height  # the equation, or a taller curve beside it
        for widget in (self.query_one("#steps-note"), self.query_one(PredictBox), *(values if shown_values else ())):
            if widget.display:
                needed += widget.outer_size.height
        css = text.styles.base.max_height
        floor = int(css.resolve(self.size, self.app.size)) if css is not None else 0
        rows = max(floor, self.size.height - needed)
        if text.styles.max_height is None or text.styles.max_height.value != rows:
            text.styles.max_height = rows

    def action_toggle_compact(self) -> None:
        """Auto (the view that fits) → compact → full → auto."""
        diagram = self.query_one("#diagram", NetworkDiagram)
        diagram.compact = {None: True, True: False, False: None}[diagram.compact]
        self.toast(f"Diagram: {COMPACT_NAMES[diagram.compact]}.")

    # -- reactive state -------------------------------------------------------------------------

    def watch_playing(self, playing: bool) -> None:
        self.set_class(playing, "-playing")
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if playing:
            self._timer = self.set_interval(PLAY_DELAYS[self.delay], self._tick)
        self._show_status()
        self.refresh_bindings()  # the footer says Play or Pause

    def watch_delay(self) -> None:
        if self.playing:
            self.watch_playing(True)
        else:
            self._show_status()

    def _tick(self) -> None:
        if not self.player.step():
            self.playing = False
            return
        self._show()
        if self.player.at_end:
            self.playing = False

    def watch_show_text(self, shown: bool) -> None:
        self.set_class(not shown, "-text-hidden")
        self._show_prompt()

    def _show_prompt(self) -> None:
        """What the equation panel says before the first term."""
        if self.player is None:
            return  # it says that the trace is being built
        tip = "" if self.show_text or not self.page.text else ", t to read the page's text"
        self.query_one(EquationPanel).prompt = f"Press → to compute the first term{tip}."

    def watch_show_values(self, shown: bool) -> None:
        self.set_class(not shown, "-values-hidden")
        if shown and self.is_mounted and self.player is not None:
            self.query_one(ValuesTable).show(self.player)

    # -- for the command palette ----------------------------------------------------------------

    def palette_commands(self):
        which = "Sequence" if self.recurrent else "Pattern"
        yield from self.fading_commands()
        for k in range(self.count):
            yield (f"{which} {k + 1}: {self._describe(k)}", lambda k=k: self.choose_pattern(k), "trace it")
        yield from self.weight_commands()
        for choice in learner_notation.choices():
            about = learner_notation.describe(choice)
            yield (f"Notation: {about}", lambda c=choice: self.use_notation(c), "on every trace page")

    def action_next_notation(self) -> None:
        self.use_notation(learner_notation.following(learner_notation.chosen(self.progress)))

    def use_notation(self, choice: str) -> None:
        """Switch every trace page to `choice` (kept in the learner's settings) and redraw this one."""
        if not learner_notation.choose(self.progress, choice):
            return
        self.app.progress_changed()
        self.toast(f"Notation: {learner_notation.describe(choice)}")
        self.choose_pattern(self.pattern)

    def _describe(self, k: int) -> str:
        if self.recurrent:
            length = self._length(k)
            traced = self._traced_steps(k)
            return f"the first {traced} of {length} steps" if length > traced else f"{length} steps"
        x, t = self.net.inputs[k], self.net.targets[k]
        return f"input {' '.join(fmt(v) for v in x)} → target {' '.join(fmt(v) for v in t)}"
