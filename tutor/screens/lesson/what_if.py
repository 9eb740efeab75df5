"""What-if on trace and unroll pages, mixed into TraceView: `w` (or the palette's "Set weight…") sets a
weight, and the whole pass is traced again from a copy of the lesson's network with the weights set
(engine.what_if), so every term, the diagram, the table of values and the chain follow the new value.
`r` brings back the lesson's weights. A page's goal (tutor/lessons/what_if.py) is checked after each
change, on the line under the top bar.
"""

from __future__ import annotations

from dataclasses import replace

from engine import what_if
from engine.trace import Weight, parse_connection, weight_symbol
from tutor.lessons.what_if import SettingError, check_goal, describe, read_setting
from tutor.widgets.values import ValuesTable
from tutor.widgets.what_if import Choice, WhatIfBox

SHOWN_CHANGES = 2  # the top line names this many changed weights, then says how many more
PALETTE_WEIGHTS = 40  # networks with up to this many weights get a palette entry for each


class WhatIf:
    """What TraceView needs for what-if: it keeps the lesson's network in `lesson_net`, the one traced in `net`."""

    changes: list[what_if.Change] = []  # noqa: RUF012 (replaced, never changed in place)

    # -- the weights ----------------------------------------------------------------------------

    def _choices(self) -> list[Choice]:
        net, lesson, notation = self.net, self.lesson_net, self._notation()
        return [
            Choice(
                w.connection,
                weight_symbol(net, notation, *w),
                float(net.params[w.key][w.index]),
                float(lesson.params[w.key][w.index]),
            )
            for w in what_if.weights_of(net)
        ]

    def _notation(self):
        return self.player.trace.notation if self.player is not None else None

    def set_weights(self, values: dict) -> None:
        """Trace the pass again with these weights set (Weight -> value) on top of those already set."""
        kept = {change.weight: change.after for change in self.changes}
        self._retrace(what_if.with_weights(self.lesson_net, {**kept, **values}))

    def _retrace(self, net) -> None:
        self.net = net
        self.changes = what_if.changes(self.lesson_net, net)
        self.playing = False
        self.trace_again(self.player.position if self.player is not None else 0)
        self._show_what_if()

    def _show_what_if(self) -> None:
        """Mark the changed weights in the table and say how the goal stands."""
        changed = frozenset(change.weight.connection for change in self.changes)
        box = self.query_one(WhatIfBox)
        for table in self.query(ValuesTable):
            table.mark_weights(box.picked if box.open else None, changed)
        self._show_goal()

    def _show_goal(self) -> None:
        goal = self.page.goal
        if goal is None or self.player is None:
            return
        check = check_goal(goal, self.player.trace, len(self.changes))
        line = self.query_one("#goal")
        line.update(check.message)
        line.set_class(check.met, "-met")

    def what_if_status(self) -> str:
        """For the top line: which weights are changed ("" while they are the lesson's)."""
        if not self.changes:
            return ""
        notation = self._notation()
        names = [weight_symbol(self.net, notation, *change.weight) for change in self.changes]
        if len(names) == 1:
            return f" · changed {names[0]} = {self.changes[0].after:.6g}"
        more = len(names) - SHOWN_CHANGES
        return f" · changed {', '.join(names[:SHOWN_CHANGES])}" + (f" +{more}" if more > 0 else "")

    def goal_text(self) -> str:
        goal = self.page.goal
        symbol = self.player.trace[goal.term].symbol if self.player is not None else goal.term
        return describe(goal, symbol)

    # -- keys -----------------------------------------------------------------------------------

    def action_set_weight(self, weight: str | None = None) -> None:
        """Open the box on `weight` (a connection id), else on the weight the current term is about."""
        if self.player is None:
            return
        self.playing = False
        term = self.player.current
        about = term.weight.connection if term is not None and term.weight is not None else None
        box = self.query_one(WhatIfBox)
        box.ask(self._choices(), weight or about or box.picked)
        self.call_after_refresh(box.scroll_visible)

    def action_lesson_weights(self) -> None:
        self._retrace(self.lesson_net)
        self.toast("The lesson's weights again: the pass is computed from them.")
        box = self.query_one(WhatIfBox)
        if box.open:
            box.ask(self._choices(), box.picked)

    # -- the box --------------------------------------------------------------------------------

    def on_what_if_box_picked(self, event: WhatIfBox.Picked) -> None:
        event.stop()
        self._show_what_if()
        diagram = self.query_one("#diagram")
        if diagram.state is not None and self.player is not None and event.weight is not None:
            weight = Weight(*parse_connection(event.weight))
            diagram.state = replace(diagram.state, current=diagram.highlight_of(self.player.trace[weight.id]))

    def on_what_if_box_submitted(self, event: WhatIfBox.Submitted) -> None:
        event.stop()
        box = event.box
        picked = Weight(*parse_connection(event.weight)) if event.weight else None
        try:
            weight, value = read_setting(event.text, self.net, self._notation(), picked)
        except SettingError as err:
            box.refuse(err.message)
            return
        self.set_weights({weight: value})
        box.ask(self._choices(), weight.connection)
        box.taken()

    def on_what_if_box_closed(self, event: WhatIfBox.Closed) -> None:
        event.stop()
        if self.player is not None:
            self._show()
        self._show_what_if()
        self.take_focus()

    def on_values_table_weight_clicked(self, event: ValuesTable.WeightClicked) -> None:
        event.stop()
        self.action_set_weight(event.weight)

    # -- for the command palette ----------------------------------------------------------------

    def weight_commands(self):
        """A "Set weight w1…" entry for each weight of a small network (any network: the `w` key's entry)."""
        choices = self._choices() if self.player is not None else []
        if len(choices) > PALETTE_WEIGHTS:
            return
        for choice in choices:
            yield (
                f"Set weight {choice.symbol}… (now {choice.value:.6g})",
                lambda weight=choice.weight: self.action_set_weight(weight),
                "what if it had another value: the pass is computed again",
            )
