"""Rich renderables for a quiz item's data and its worked solution, with the learner's answer placed in it.

Learner text is always put in `Text` objects, never in markup strings, so "[bold]" stays as typed.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from engine.numbers import fmt
from tutor.quiz.check import Verdict
from tutor.quiz.generate import ChainSolution, Item

YOURS = "◀ yours"


def givens_table(item: Item) -> Table:
    """The numbers of a numeric question, one row per group: inputs, weights into each layer, targets, settings."""
    table = Table(box=box.SIMPLE_HEAD, show_header=False, pad_edge=False, expand=False)
    table.add_column("group", style="bold", no_wrap=True)
    table.add_column("values")
    for given in item.givens:
        table.add_row(given.group, "   ".join(f"{symbol} = {fmt(value)}" for symbol, value in given.values))
    return table


def numeric_solution(item: Item, given: float | None) -> RenderableType:
    """Every term the learner had to compute, as on paper: symbol = formula = numbers = value, the asked one last.

    The learner's number is set beside the asked term, and beside any step whose value it matches
    (a δ given for a ∂E/∂w, say). Then the asked quantity as chain-rule factors, when it has them.
    """
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1, 0, 0), expand=False)
    table.add_column("term", no_wrap=True, justify="right")
    table.add_column("work")
    mark = item.matching_step(given) if given is not None else None
    steps = item.solution.steps
    for term in steps:
        last = term is steps[-1]
        work = Text()
        if term.formula and term.formula != term.expression:
            work.append(f"= {term.formula}\n")
        if term.expression != fmt(term.value):
            work.append(f"= {term.expression} ")
        work.append("= ")
        work.append(fmt(term.value), style="bold")
        if last and given is not None:
            work.append(f"   yours: {fmt(given)}", style="bold yellow")
        elif mark is not None and term.id == mark.id:
            work.append(f"   {YOURS}", style="bold yellow")
        table.add_row(Text(term.symbol, style="bold" if last else ""), work)
    parts: list[RenderableType] = [table]
    if item.solution.chain is not None:
        parts += [Text(""), chain_table(item.solution.chain)]
    return Group(*parts)


def chain_table(chain: ChainSolution, picked: tuple[str, ...] | None = None) -> Table:
    """A derivative as its chain-rule factors: one row per factor, each path's product, the sum of the paths.

    With `picked` (a chain question), the learner's factors are set beside the right ones, position by position.
    """
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False, title_justify="left")
    table.title = Text(f"{chain.symbol} by the chain rule", style="bold")
    table.add_column("factor", no_wrap=True)
    table.add_column("formula")
    table.add_column("with numbers")
    table.add_column("value", justify="right", no_wrap=True)
    if picked is not None:
        table.add_column("your pick", no_wrap=True)
    several = len(chain.paths) > 1
    for path in chain.paths:
        if several:
            table.add_row(Text(path.label, style="italic"), "", "", "")
        for n, factor in enumerate(path.factors):
            row: list[RenderableType] = [factor.symbol, factor.formula, factor.expression, fmt(factor.value)]
            if picked is not None:
                mine = picked[n] if n < len(picked) else "—"
                right = "".join(mine.split()) == "".join(factor.symbol.split())
                row.append(Text(f"{mine} {'✓' if right else '✗'}", style="green" if right else "bold red"))
            table.add_row(*row)
        if picked is not None and len(picked) > len(path.factors):
            for extra in picked[len(path.factors) :]:
                table.add_row("", "", "", "", Text(f"{extra} ✗ extra", style="bold red"))
        product = "product" if several else "= " + chain.symbol
        table.add_row(Text(product, style="bold"), "", "", Text(fmt(path.product), style="bold"), end_section=True)
    if several:
        more = f" (and {chain.omitted} more paths)" if chain.omitted else ""
        table.add_row(
            Text(f"{chain.symbol} = Σ paths{more}", style="bold"), "", "", Text(fmt(chain.total), style="bold")
        )
    return table


def verdict_line(verdict: Verdict, points: float, hints_used: int) -> Text:
    """✓ or ✗, the checker's message, and the points this answer scored."""
    text = Text()
    if verdict.correct:
        text.append("✓ ", style="bold green")
        text.append(verdict.message, style="bold green")
    else:
        text.append("✗ ", style="bold red")
        text.append(verdict.message, style="bold red")
    cost = f", {hints_used} hint{'s' if hints_used != 1 else ''} used" if hints_used else ""
    text.append(f"   {fmt(points)} point{'s' if points != 1 else ''}{cost}", style="dim")
    return text


def slip_text(item: Item, verdict: Verdict) -> Text | None:
    """How the named slip's number comes about, for this network."""
    slip = item.slip(verdict.slip)
    if slip is None:
        return None
    text = Text("Likely slip: ", style="bold yellow")
    text.append(f"{slip.name}. ")
    text.append(f"{fmt(slip.value)} is {slip.how}.", style="italic")
    return text


def answer_line(item: Item, given: str) -> Text:
    """The right answer first, and the learner's beside it."""
    text = Text("The answer: ", style="bold")
    text.append(item.solution.expected)
    text.append("   yours: ", style="bold yellow")
    text.append(given, style="yellow")
    return text
