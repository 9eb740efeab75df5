"""The JSON the command line prints (`trace --json`, `train --json`, `surface --json`): readable and valid."""

from __future__ import annotations

import json
import math
import sys

from tutor.plain_text import takes_unicode


def json_text(data: object, indent: int = 0, ascii_only: bool = False) -> str:
    """JSON with objects indented and each list of numbers (a matrix row) kept on one line (with
    `ascii_only`, every other character as a \\u escape)."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(data, dict) and data:
        items = [
            f"{inner}{json.dumps(str(k), ensure_ascii=ascii_only)}: {json_text(v, indent + 1, ascii_only)}"
            for k, v in data.items()
        ]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(data, list) and any(isinstance(v, dict | list) for v in data):
        return "[\n" + ",\n".join(inner + json_text(v, indent + 1, ascii_only) for v in data) + f"\n{pad}]"
    return json.dumps(_finite(data), ensure_ascii=ascii_only, allow_nan=False)


def _finite(data: object) -> object:
    """NaN and ±infinity are not JSON: a number that overflowed is written as null."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, list):
        return [_finite(v) for v in data]
    return data


def print_json(data: object) -> None:
    """On stdout; with ASCII escapes where its encoding cannot carry every character (the same data)."""
    sys.stdout.write(json_text(data, ascii_only=not takes_unicode(sys.stdout)) + "\n")
