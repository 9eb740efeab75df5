"""`bptutor serve` under a class: sessions opened at once, against one session alone in the same run.

    python bench/bench_serve.py [--sessions 20]

One session is opened alone, learns (home screen, a trace page stepped once, a quiz answered) and is
closed; then `--sessions` are opened at once over the websocket and each does the same. Printed: the time
to the home screen alone and at once (median and slowest) and the ratio between them, the time until every
session had answered, and each session's memory (RSS and PSS). Every session's process must be gone
after its tab closes. docs/serving.md quotes these figures; the suite (tests/test_serve.py) runs the same
learning with a few sessions at once, checking behaviour, not capacity.

Absolute times are printed for context only: the machines here are shared and noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.serve_support import Served, class_at_once  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20, help="sessions opened at once (default 20)")
    sessions = parser.parse_args().sessions
    with Served("--max-sessions", str(sessions)) as server:
        load = asyncio.run(class_at_once(server, sessions))
    if server.process.returncode != 0:
        sys.exit(f"the server ended with exit code {server.process.returncode}")
    median = statistics.median(load.firsts)
    print(
        f"1 session alone: home screen in {load.alone:.2f} s; "
        f"RSS {load.rss_alone:.0f} MiB, PSS {load.pss_alone:.0f} MiB"
    )
    print(
        f"{sessions} sessions at once: home screen median {median:.2f} s (= {median / load.alone:.1f}× alone), "
        f"slowest {max(load.firsts):.2f} s; all had answered after {load.elapsed:.1f} s; "
        f"per session RSS {load.rss:.0f} MiB, PSS {load.pss:.0f} MiB"
    )


if __name__ == "__main__":
    main()
