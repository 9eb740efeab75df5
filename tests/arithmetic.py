"""Evaluate the trace's 'formula with numbers' strings, to check they give the value shown.

Test-only: turns the displayed notation (×, −, ², ½, e^(…), ln, u(…)) into a Python
expression and walks its syntax tree; no eval.
"""

from __future__ import annotations

import ast
import math
import operator
import re

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_FUNCTIONS = {"exp": math.exp, "log": math.log, "tanh": math.tanh, "max": max, "u": lambda x: float(x >= 0)}


def to_python(text: str) -> str:
    text = text.replace("−", "-").replace("×", "*").replace("·", "*").replace("½", "0.5")
    text = text.replace("[", "(").replace("]", ")").replace("²", "**2")
    text = re.sub(r"e\^\(", "exp(", text)
    text = re.sub(r"e\^([-0-9.]+(?:e-?\d+)?)", r"exp(\1)", text)
    text = re.sub(r"ln\(", "log(", text)
    text = re.sub(r"ln ([0-9.]+(?:e-?\d+)?|\([^()]*\))", r"log(\1)", text)
    return text


def evaluate(text: str) -> float:
    return _walk(ast.parse(to_python(text), mode="eval").body)


def _walk(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_walk(node.left), _walk(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_walk(node.operand)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS:
        return _FUNCTIONS[node.func.id](*(_walk(arg) for arg in node.args))
    raise ValueError(f"cannot evaluate {ast.dump(node)}")
