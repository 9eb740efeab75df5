"""Taking the record away and bringing it back: "Download my progress" and the "Load progress" box.

In a browser (`bptutor serve`) the download is the browser's own (Textual's deliver_text, which
textual-serve turns into a file download); in a terminal the file goes to the downloads folder.
Loading merges a pasted record into the current one (tutor.record); a bad text is refused with the
reason, in the box, with the text kept and the record untouched.
"""

from __future__ import annotations

import io
from typing import ClassVar

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from tutor.record import DOWNLOAD_NAME, BadRecord, in_served_session, load_into, record_text


def download_progress(app: App) -> None:
    """Hand the learner their record as a file."""
    app.deliver_text(
        io.StringIO(record_text(app.progress)),
        save_filename=DOWNLOAD_NAME,
        open_method="download",
        mime_type="application/json",
        encoding="utf-8",
    )
    if in_served_session():
        app.notify(
            f"Your browser is downloading {DOWNLOAD_NAME}. Keep it: next time, press l and paste it "
            "to carry on where you stopped.",
            title="Download my progress",
            timeout=12,
        )


def load_progress(app: App) -> None:
    app.push_screen(LoadProgressScreen())


class LoadProgressScreen(ModalScreen[bool]):
    """A box to paste a downloaded record into; Load merges it into the current record."""

    DEFAULT_CSS = """
    LoadProgressScreen { align: center middle; }
    #load-box {
        width: 80%; max-width: 100; height: 80%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    #load-record { height: 1fr; }
    #load-problem { color: $error; text-style: bold; height: auto; }
    #load-buttons { height: auto; align-horizontal: right; }
    #load-buttons Button { margin-left: 2; }
    """
    BINDINGS: ClassVar = [Binding("escape", "dismiss(False)", "Cancel", id="load.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="load-box"):
            yield Static(
                f"[b]Load progress[/b]: paste the text of a downloaded record ({DOWNLOAD_NAME}) below, "
                "then choose Load (tab, enter). It is added to your record here: nothing you have done is lost. "
                "Escape cancels.",
                id="load-intro",
            )
            yield TextArea(id="load-record", soft_wrap=True, tab_behavior="focus")
            yield Static(id="load-problem")
            with Horizontal(id="load-buttons"):
                yield Button("Load", variant="primary", id="load-ok")
                yield Button("Cancel", id="load-cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "load-cancel":
            self.dismiss(False)
        else:
            self.load()

    def load(self) -> None:
        """Merge the pasted text in and save; or say what is wrong with it, keeping the text."""
        app = self.app
        try:
            brought = load_into(app.progress, self.query_one(TextArea).text)
        except BadRecord as err:
            self.query_one("#load-problem", Static).update(f"Not loaded: {err}. Your record is unchanged.")
            return
        app.progress_changed(now=True)
        lessons = f"{brought} lesson" + ("" if brought == 1 else "s")
        app.notify(f"Loaded a record of {lessons} into yours.", title="Load progress")
        self.dismiss(True)


def record_commands(app: App) -> list[SystemCommand]:
    """The palette's entries for the record, on every screen."""
    return [
        SystemCommand(
            "Download my progress", "Your record as a file, to bring back later", lambda: download_progress(app)
        ),
        SystemCommand("Load progress", "Paste a downloaded record to carry on from it", lambda: load_progress(app)),
    ]
