"""Train pages: watch a network learn, epoch by epoch, in a worker thread that never blocks the screen.

The worker trains the view's own copy of the page's network and posts what it measured (the loss
of each epoch, what the units compute, the outputs or the errors on the test stream) as messages;
the screen only ever draws those numbers.

A train page opens in two frames: the first says it is opening; the page's parts (its text, the
curve, the analysis, a lab panel, the error strip) are mounted right after it is drawn. (With the
text in the first frame, that frame took twice as long and the page was complete no sooner.) Keys
pressed in between are done, in order, once the parts are there (`when_open`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial, wraps
from inspect import isawaitable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import get_current_worker

from engine.kinds import Analysis, kind_of
from engine.network import Network
from engine.numbers import fmt
from engine.tasks import PREDICTABLE
from tutor.lessons import Lesson, TrainPage
from tutor.lessons.networks import load_ref
from tutor.messages import PageDone, TrainProgress, TrainStopped
from tutor.progress import Progress
from tutor.screens.lesson.views import PageText, PageView
from tutor.widgets.lab import lab_makers, lab_panels, next_lab, show_lab
from tutor.widgets.training import ErrorStrip, LossCurve

SPEEDS = (30, 100, 300, 1000, 0)  # epochs a second at most; 0: as fast as the machine goes
REPORT_EVERY = 0.05  # seconds between reports from the worker
STUCK_WINDOW = 200  # epochs: a run whose tss hardly moved over this many seems stuck
STUCK_CHANGE = 0.01  # "hardly": by less than 1 %
STRIP_POSITIONS = 120  # test-stream positions measured for the error strip
OPENING = "Opening the page: the network, its loss curve and its views…"


def when_open(action: Callable) -> Callable:
    """A key's action that draws on the page's parts: pressed while the page is still opening, it is done once
    they are there, after the keys pressed before it."""

    @wraps(action)
    def run(view: TrainView, *args):
        if view.opening:
            view.waiting.append(partial(action, view, *args))
            return None
        return action(view, *args)

    return run


class TrainView(PageView):
    """The loss curve, the epoch and tss, the verdict, and what the network computes, live."""

    HELP_WHERE = "On this page (training)"

    BINDINGS: ClassVar = [
        Binding("space", "run", "Run", tooltip="Train, or pause the training", id="train.run"),
        Binding("s", "one_epoch", "Epoch", tooltip="Train one epoch", id="train.one_epoch"),
        Binding("n", "new_seed", "New weights", id="train.new_seed"),
        Binding("r", "reset", "Reset", id="train.reset"),
        Binding(
            "e",
            "next_rate",
            "Next ε",
            tooltip="Try the page's next learning rate, from the same start",
            id="train.rate",
        ),
        Binding(
            "a",
            "next_momentum",
            "Next α",
            tooltip="Try the page's next momentum, from the same start",
            id="train.momentum",
        ),
        Binding("plus,equals_sign", "speed(1)", "Train faster", show=False, id="train.faster"),
        Binding("minus", "speed(-1)", "Train slower", show=False, id="train.slower"),
        Binding("t", "toggle_text", "Show or hide the page text", show=False, id="train.toggle_text"),
        Binding(
            "l",
            "next_lab",
            "Next view: surface, hidden-unit space, hidden units per pattern",
            show=False,
            id="train.next_lab",
        ),
    ]

    running: reactive[bool] = reactive(False, repaint=False)
    speed: reactive[int] = reactive(2, repaint=False)
    show_text: reactive[bool] = reactive(True, repaint=False)

    def __init__(self, lesson: Lesson, page: TrainPage, progress: Progress):
        super().__init__(lesson, page, progress)
        self.start = load_ref(page.network)  # the page's network, never trained: what reset returns to
        self.seed = self.start.training.seed
        self.net = self.start.copy()
        self.epochs_per_run = page.epochs or self.start.training.epochs
        self.ecrit = page.ecrit if page.ecrit is not None else self.start.training.ecrit
        self.rate, self.momentum = self.start.training.learning_rate, self.start.training.momentum  # ε and α now
        self.run_id = 0
        self.losses: list[float] = []
        self.reached_ecrit = False
        self.diverged = False
        self.run_left = self.epochs_per_run
        self.analysis = Analysis()
        self.lab = lab_makers(self.net, page)  # the lab panels that suit the network, each made when first shown
        self.opening = True
        self._opened = False  # _open has begun
        self.waiting: list[Callable] = []  # keys' actions pressed while the page was opening

    def compose(self) -> ComposeResult:
        yield Static(Text(OPENING, style="italic"), id="opening")

    def _parts(self) -> list[Widget]:
        """What the page shows, mounted once its first frame (OPENING) is drawn."""
        parts: list[Widget] = [PageText(self.page.text, id="text")] if self.page.text else []
        left = Vertical(LossCurve(id="curve"), Static(id="train-status"), id="train-left")
        parts.append(Horizontal(left, Static(id="analysis"), *lab_panels(self.net, self.lab), id="train-body"))
        if self.net.test_stream is not None:
            ticked = any(kind in PREDICTABLE for kind in self.net.test_stream.kinds)
            parts.append(ErrorStrip(id="strip", classes="-ticked" if ticked else None))
        return parts

    def on_mount(self) -> None:
        self.show_text = bool(self.page.text) and self.app.size.height >= 24
        # The parts are mounted once a frame with the opening line is drawn: the screen publishes its layout signal
        # right after drawing it (Textual 8.2.8), two frames sooner than call_after_refresh, which waits for the
        # screen to be idle; that one stays, in case no layout comes.
        self.screen.screen_layout_refresh_signal.subscribe(self, self._laid_out)
        self.call_after_refresh(self._open)

    def _laid_out(self, screen) -> None:
        screen.screen_layout_refresh_signal.unsubscribe(self)
        self.call_later(self._open)

    async def _open(self) -> None:
        """Mount the page's parts in place of the line that says it is opening, then do the keys pressed meanwhile."""
        if not self.is_attached or self._opened:
            return  # the learner left the page before it was drawn, or it is open
        self._opened = True
        with self.app.batch_update():
            await self.mount_all(self._parts())
            await self.query_one("#opening").remove()
            self.query_one(LossCurve).ecrit = self.ecrit
            self.analysis = _analyse(self.net)
            self.opening = False
            self._show()
        while self.waiting and self.is_attached:
            done = self.waiting.pop(0)()
            if isawaitable(done):
                await done

    # -- keys -----------------------------------------------------------------------------------

    @when_open
    def action_run(self) -> None:
        if self.running:
            self.workers.cancel_group(self, "train")
            return
        if self._refuse_diverged():
            return
        if self.run_left <= 0 or self.reached_ecrit:
            self.run_left = self.epochs_per_run  # another run of the page's epochs, from where it is
            self.reached_ecrit = False
        self._train(self.run_left)

    @when_open
    def action_one_epoch(self) -> None:
        if not self.running and not self._refuse_diverged():
            self.reached_ecrit = False
            self._train(1)

    @when_open
    def action_new_seed(self) -> None:
        if all(key in self.start.given for key in self.start.params):
            self.notify("This network's file gives every starting weight: there is nothing to draw afresh.", timeout=4)
            return
        self.seed += 1
        self._restart()
        self.notify(f"New starting weights, drawn with seed {self.seed}.", timeout=3)

    def _refuse_diverged(self) -> bool:
        if self.diverged:
            self.notify("The weights overflowed: r starts again, n with new weights.", timeout=4)
        return self.diverged

    @when_open
    def action_reset(self) -> None:
        """Start again from the weights of this run (the file's, or those n drew last), with the page's ε and α."""
        self.rate, self.momentum = self.start.training.learning_rate, self.start.training.momentum
        self._restart()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ε and α change only on pages that offer values to change them to (`rates`, `momenta`)."""
        if action == "next_rate":
            return bool(self.page.rates)
        if action == "next_momentum":
            return bool(self.page.momenta)
        return True

    @when_open
    def action_next_rate(self) -> None:
        self.rate = _next(self.page.rates, self.rate)
        self._restart()
        self._say_change("ε", self.rate, self.start.training.learning_rate)

    @when_open
    def action_next_momentum(self) -> None:
        self.momentum = _next(self.page.momenta, self.momentum)
        self._restart()
        self._say_change("α", self.momentum, self.start.training.momentum)

    def _say_change(self, symbol: str, value: float, page_value: float) -> None:
        own = "" if value == page_value else f" (the page's: {fmt(page_value)}; r returns to it)"
        self.notify(f"{symbol} = {fmt(value)}{own}. Training starts again from the same weights.", timeout=4)

    @when_open
    def action_speed(self, change: int) -> None:
        self.speed = max(0, min(len(SPEEDS) - 1, self.speed + change))
        self._show()

    @when_open
    async def action_next_lab(self) -> None:
        if await next_lab(self, self.lab, self.net, self.analysis) is None:
            self.notify("This network has no other view on this page.", timeout=3)

    def action_toggle_text(self) -> None:
        self.show_text = not self.show_text

    def watch_show_text(self, shown: bool) -> None:
        self.set_class(not shown, "-text-hidden")

    def watch_running(self, running: bool) -> None:
        self.set_class(running, "-running")

    def _restart(self) -> None:
        self.workers.cancel_group(self, "train")
        self.run_id += 1
        self.net = self.start.copy()
        if self.seed != self.start.training.seed:
            self.net.reseed(self.seed)  # the weights the file (or the page's start) gives stay
        self.net.training.learning_rate, self.net.training.momentum = self.rate, self.momentum
        self.losses = []
        self.reached_ecrit = False
        self.diverged = False
        self.run_left = self.epochs_per_run
        self.running = False
        self.analysis = _analyse(self.net)
        self._show()

    # -- the worker -----------------------------------------------------------------------------

    def _train(self, epochs: int) -> None:
        self.running = True
        self.query_one("#train-status", Static).update(self._status())  # says it is working at once
        self._work(self.net, self.run_id, epochs, self.ecrit, SPEEDS[self.speed])

    @work(thread=True, exclusive=True, group="train", exit_on_error=False)
    def _work(self, net: Network, run: int, epochs: int, ecrit: float | None, rate: int) -> None:
        from engine.kinds import train

        worker = get_current_worker()
        pending: list[float] = []
        sent = 0
        last_report = started = time.monotonic()

        def on_epoch(epoch: int, loss: float) -> bool:
            nonlocal sent, last_report
            pending.append(loss)
            now = time.monotonic()
            if rate:  # keep to the chosen speed, so that a fast network can be watched
                ahead = started + epoch / rate - now
                if ahead > 0:
                    time.sleep(ahead)
            if now - last_report >= REPORT_EVERY:
                self.post_message(TrainProgress(run, pending.copy(), _analyse(net)))
                sent += len(pending)
                pending.clear()
                last_report = now
            return not worker.is_cancelled

        result = train(net, epochs, ecrit, on_epoch)
        if result.diverged:  # the last loss overflowed: nothing left to draw or analyse
            self.post_message(TrainStopped(run, result.loss_history[sent:-1], False, self.analysis, diverged=True))
        else:
            self.post_message(TrainStopped(run, result.loss_history[sent:], result.stopped_early, _analyse(net)))

    def on_train_progress(self, message: TrainProgress) -> None:
        if message.run != self.run_id:
            return  # from a run that a reset or a new seed ended
        self._take(message.losses, message.analysis)

    def on_train_stopped(self, message: TrainStopped) -> None:
        if message.run != self.run_id:
            return
        self.running = False
        self.reached_ecrit = message.reached_ecrit
        self.diverged = message.diverged
        self._take(message.losses, message.analysis)
        if self.reached_ecrit or self.run_left <= 0:
            self.post_message(PageDone())

    def _take(self, losses: list[float], analysis: Analysis) -> None:
        self.losses.extend(losses)
        self.run_left -= len(losses)
        self.analysis = analysis
        self._show()

    # -- drawing --------------------------------------------------------------------------------

    def _show(self) -> None:
        self.query_one(LossCurve).losses = tuple(self.losses)
        self.query_one("#train-status", Static).update(self._status())
        self.query_one("#analysis", Static).update(self._analysis_text())
        show_lab(self, self.net, self.analysis)
        if self.analysis.stream is not None and self.analysis.stream.errors:
            strip = self.query_one(ErrorStrip)
            strip.labels = tuple(self.analysis.stream.labels[:STRIP_POSITIONS])
            strip.errors = tuple(self.analysis.stream.errors[:STRIP_POSITIONS])
            strip.kinds = tuple(self.analysis.stream.kinds[:STRIP_POSITIONS])
        epoch = len(self.losses)
        tss = f" · tss {fmt(self.losses[-1])}" if self.losses else ""
        settings = f" · ε {fmt(self.rate)} · α {fmt(self.momentum)}" if self.page.rates or self.page.momenta else ""
        self.status = f"epoch {epoch}{tss}{settings}"

    def verdict(self) -> tuple[str, str]:
        """What the run looks like so far, and the style to say it in."""
        losses, ecrit = self.losses, self.ecrit
        if self.diverged:
            return (
                "diverged: the loss grew too large to compute (too large a learning rate); r starts again",
                "bold red",
            )
        if not losses:
            return ("learning…", "cyan") if self.running else ("not trained yet: space to run", "dim")
        if self.reached_ecrit:
            return f"reached ecrit ({fmt(ecrit)}) at epoch {len(losses)}", "bold green"
        if len(losses) >= STUCK_WINDOW:
            before, now = losses[-STUCK_WINDOW], losses[-1]
            if before > 0 and (before - now) / before < STUCK_CHANGE:
                return (
                    f"seems stuck: tss moved less than {STUCK_CHANGE:.0%} in {STUCK_WINDOW} epochs (n: new weights)",
                    "bold yellow",
                )
        if self.running:
            return "learning…", "cyan"
        if self.run_left <= 0 and ecrit is not None:
            return f"did not reach ecrit ({fmt(ecrit)}) in this run: space runs on", "yellow"
        return "paused: space runs on", "dim"

    def _status(self) -> Text:
        text = Text()
        epoch = len(self.losses)
        text.append(f"epoch {epoch}", style="bold")
        text.append(f"   tss {fmt(self.losses[-1]) if self.losses else '·'}", style="bold")
        if self.ecrit is not None:
            text.append(f"   ecrit {fmt(self.ecrit)}")
        text.append(f"   seed {self.seed}")
        rate = SPEEDS[self.speed]
        text.append(f"   speed {f'{rate}/s' if rate else 'full'}", style="dim")
        verdict, style = self.verdict()
        text.append("\n")
        text.append(verdict, style=style)
        return text

    def _analysis_text(self) -> Table:
        analysis = self.analysis
        table = Table.grid()
        table.add_column()
        if analysis.functions:
            table.add_row(Text("What the units compute", style="bold"))
            table.add_row(Text("(an output above .5 counts as 1)", style="dim"))
            for name in analysis.functions:
                table.add_row(Text(f" {name}"))
            table.add_row("")
        if analysis.outputs:
            outputs = Table("pattern", "input", "target", "output", box=None, padding=(0, 1), header_style="bold")
            for p, row in enumerate(analysis.outputs):
                outputs.add_row(
                    str(p),
                    " ".join(fmt(v) for v in row.inputs),
                    " ".join(fmt(v) for v in row.targets),
                    Text(" ".join(fmt(v, 3) for v in row.outputs), style="bold"),
                )
            table.add_row(outputs)
        if analysis.stream is not None:
            kinds = Table("what comes next", "error", box=None, padding=(0, 1), header_style="bold")
            for kind, error in analysis.stream.mean_by_kind.items():
                kinds.add_row(kind, fmt(error, 3))
            table.add_row(Text("Mean error on the test stream", style="bold"))
            table.add_row(kinds)
        return table


def _next(values: tuple[float, ...], now: float) -> float:
    """The value after `now` in `values`, round again at the end (the first when `now` is not there)."""
    return values[(values.index(now) + 1) % len(values)] if now in values else values[0]


def _analyse(net: Network) -> Analysis:
    """What the network computes now: unit functions and outputs (2-input nets), errors by kind (streams)."""
    return kind_of(net).analyse()
