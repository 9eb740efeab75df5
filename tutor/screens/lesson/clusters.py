"""Clusters pages: a trained Elman network's words grouped by their mean hidden state, as a
dendrogram. The network file ships trained; `r` retrains it from fresh weights in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from engine.clusters import Tree, hidden_tree
from engine.numbers import fmt
from tutor.kinds.pages.clusters import ClustersPage
from tutor.lessons import Lesson
from tutor.lessons.networks import load_ref
from tutor.messages import PageDone
from tutor.progress import Progress
from tutor.screens.lesson.views import PageText, PageView
from tutor.widgets.dendrogram import Dendrogram


@dataclass
class Retrained(Message):
    """A retraining run ended: the new tree, and the test stream's mean error by kind."""

    tree: Tree
    mean_by_kind: dict[str, float]


class ClustersView(PageView):
    """The dendrogram of the words, and what the top splits are."""

    HELP_WHERE = "On this page (clusters)"
    done_on_leave = True
    DEFAULT_CSS = """
    ClustersView {
        & > PageText { height: auto; max-height: 35%; border-bottom: hkey $primary 40%; }
        #clusters-body { height: 1fr; }
        #clusters-note { height: auto; padding: 0 1; }
    }
    """

    BINDINGS: ClassVar = [
        Binding("r", "retrain", "Retrain", tooltip="Train again from fresh weights (slow)", id="clusters.retrain"),
        Binding("down,j", "scroll('down')", "Scroll down", show=False, id="clusters.down"),
        Binding("up,k", "scroll('up')", "Scroll up", show=False, id="clusters.up"),
    ]

    def __init__(self, lesson: Lesson, page: ClustersPage, progress: Progress):
        super().__init__(lesson, page, progress)
        self.net = load_ref(page.network)
        self.word_tree = hidden_tree(self.net)
        self.training = False

    def compose(self) -> ComposeResult:
        if self.page.text:
            yield PageText(self.page.text, id="text")
        with VerticalScroll(id="clusters-body"):
            yield Static(id="clusters-note")
            yield Dendrogram(id="dendrogram")

    def scroller(self):
        return self.query_one("#clusters-body")

    def on_mount(self) -> None:
        self._show("the network as shipped, trained")

    def action_retrain(self) -> None:
        if self.training:
            return
        self.training = True
        self.status = "retraining…"
        epochs = self.net.training.epochs
        self.query_one("#clusters-note", Static).update(
            Text(f"Retraining from fresh weights for {epochs} passes through the stream…", style="italic")
        )
        self._retrain(self.net.copy())

    @work(thread=True, exclusive=True, group="retrain", exit_on_error=False)
    def _retrain(self, net) -> None:
        from engine.kinds import kind_of, train

        net.initialize({}, seed=net.training.seed)  # every weight drawn afresh, the file's trained ones too
        net.velocity = {key: value * 0 for key, value in net.velocity.items()}
        train(net)
        self.post_message(Retrained(hidden_tree(net), kind_of(net).stream_errors().mean_by_kind))

    def on_retrained(self, message: Retrained) -> None:
        self.training = False
        self.word_tree = message.tree
        self._show("retrained from fresh weights")
        self.post_message(PageDone())

    def _show(self, what: str) -> None:
        self.query_one(Dendrogram).clusters = self.word_tree
        self.query_one("#clusters-note", Static).update(describe(self.word_tree, what))
        self.status = what


def describe(tree: Tree, what: str) -> Text:
    """The two top splits in words: which groups the tree joins last."""
    text = Text(f"Words clustered by their mean hidden state ({what}). ", style="dim")
    text.append("r retrains (it takes a while).\n", style="dim")
    a, b = tree.top_split()
    text.append(f"Last join, at {fmt(tree.merges[-1].height, 3)}: ", style="bold")
    text.append(f"{', '.join(sorted(a))}  |  {', '.join(sorted(b))}\n")
    top = tree.merges[-1]
    for child in (top.left, top.right):
        if child >= len(tree.labels):
            c, d = tree.top_split(child)
            text.append("Within it: ", style="bold")
            text.append(f"{', '.join(sorted(c))}  |  {', '.join(sorted(d))}\n")
    return text
