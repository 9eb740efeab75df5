"""How numbers are written in formulas and tables: 6 significant digits, as in the lectures."""

from __future__ import annotations

import math

MINUS = "−"  # U+2212, the typographic minus used in every displayed formula


def fmt(x: float, digits: int = 6) -> str:
    """Write x with `digits` significant digits, the way a worked example on a slide does.

    Whole numbers stay whole ("1", "0"); other numbers keep at least two decimals
    ("0.10", "0.05") and drop trailing zeros past that ("0.3775", "0.500975").
    Negative numbers use the typographic minus.
    """
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "∞" if x > 0 else MINUS + "∞"
    if x == 0:
        return "0"
    if x == int(x) and abs(x) < 10**digits:
        return _sign(x) + str(abs(int(x)))
    magnitude = math.floor(math.log10(abs(x)))
    if magnitude >= digits or magnitude < -4:
        mantissa, exponent = f"{abs(x):.{digits - 1}e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{_sign(x)}{mantissa}e{int(exponent)}".replace("e-", "e" + MINUS)
    decimals = max(digits - 1 - magnitude, 0)
    text = f"{abs(x):.{decimals}f}"
    if "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0").ljust(2, "0")
        text = f"{whole}.{frac}"
    if float(text) == 0:
        return "0"
    return _sign(x) + text


def fmt_operand(x: float, digits: int = 6) -> str:
    """Like fmt, but a negative number is put in parentheses so it can stand inside a product."""
    text = fmt(x, digits)
    return f"({text})" if text.startswith(MINUS) else text


def _sign(x: float) -> str:
    return MINUS if x < 0 else ""


def fill(template: str, **values: float) -> str:
    """Put numbers into a formula template such as "u({n})" or "1 / (1 + e^(−{n}))".

    A negative number gets parentheses where it stands inside a larger expression (e^(−(−0.5))),
    but not where it already is the whole argument of a function: u(−0.50), not u((−0.50)).
    """
    for key, x in values.items():
        template = template.replace(f"({{{key}}})", f"({fmt(x)})")
    return template.format(**{key: fmt_operand(x) for key, x in values.items()})
