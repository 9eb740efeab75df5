"""What the serve tests share: a `bptutor serve` on a free loopback port, a websocket client that speaks
textual-serve's protocol (JSON ["stdin", keys] and ["resize", size] up; the app's terminal output down,
as binary messages), and a look at the server's child processes through /proc."""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
HOME_TEXT = "Pick a lesson"  # the home screen's first line
KEYS = {"enter": "\r", "tab": "\t", "escape": "\x1b", "right": "\x1b[C", "down": "\x1b[B", "pagedown": "\x1b[6~"}
ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(item.split("=", 1) for item in raw.decode(errors="replace").split("\0") if "=" in item)


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in KiB: PSS shares the pages it shares with others among them."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value)
    return fields["Rss"], fields["Pss"]


class Served:
    """`bptutor serve` in a subprocess on a free loopback port; stopped (SIGTERM) on leaving."""

    def __init__(self, *args: str, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "tutor", "serve", "--port", str(self.port), *args]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output = ""

    def __enter__(self) -> Served:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"bptutor serve stopped: {self.process.stdout.read()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return self
            time.sleep(0.1)
        raise RuntimeError("bptutor serve did not start listening within 30 s")

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.output, _ = self.process.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.output, _ = self.process.communicate()

    def sessions(self) -> list[int]:
        return children(self.process.pid)


class Drawn:
    """What the app has drawn, from its terminal output with the escape sequences taken out."""

    def __init__(self):
        self.text = ""
        self.mark = 0  # where what was drawn after the last key press starts
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def add(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):  # the text messages are textual-serve's own (pong, downloads)
            self.text += ANSI.sub("", self._decoder.decode(payload))

    def since_mark(self) -> str:
        return self.text[self.mark :]

    def set_mark(self) -> None:
        self.mark = len(self.text)


class Term:
    """One browser tab, as textual-serve's page drives it: a websocket to /ws, read all the time (as a
    page does: the server's heartbeat pings are answered while reading), and the screen's text."""

    def __init__(self, url: str, width: int = 120, height: int = 36):
        self.url, self.width, self.height = url, width, height
        self.drawn = Drawn()
        self._client: aiohttp.ClientSession | None = None
        self._reader: asyncio.Task | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.closed_code: int | None = None

    @property
    def text(self) -> str:
        return self.drawn.text

    async def open(self) -> Term:
        self._client = aiohttp.ClientSession()
        self.ws = await self._client.ws_connect(f"{self.url}/ws?width={self.width}&height={self.height}")
        await self.ws.send_json(["resize", {"width": self.width, "height": self.height}])
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.drawn.add(message.data)
        self.closed_code = self.ws.close_code

    async def focus(self) -> None:
        """What the page sends when its terminal gets the keyboard (the app shows its keys from then on)."""
        self.drawn.set_mark()
        await self.ws.send_json(["focus"])

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await self._reader
        if self._client is not None:
            await self._client.close()

    async def expect(self, text: str, timeout: float = 60) -> None:
        """Wait until `text` has been drawn since the last key press."""
        deadline = time.monotonic() + timeout
        while text not in self.drawn.since_mark():
            if self._reader.done():
                raise AssertionError(
                    f"the session closed ({self.closed_code}) before {text!r}: {self.drawn.text[-500:]}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{text!r} was not drawn within {timeout} s; the end of the stream:\n{self.drawn.text[-1500:]}"
                )
            await asyncio.sleep(0.05)

    async def press(self, *keys: str) -> None:
        self.drawn.set_mark()
        for key in keys:
            await self.ws.send_json(["stdin", KEYS.get(key, key)])


# -- a class at once: the suite's few sessions (tests/test_serve.py), bench/bench_serve.py's 20 ----------


async def learn(term: Term) -> float:
    """Home screen, a trace page stepped once, a question answered; returns the time to the home screen."""
    start = time.perf_counter()
    await term.open()
    await term.expect(HOME_TEXT, timeout=120)
    first_screen = time.perf_counter() - start
    await term.focus()
    await term.press("enter")  # the tour
    await term.expect("What this tutor is for", timeout=60)
    await term.press("pagedown")
    await term.expect("step 0/23", timeout=60)  # the trace page, built
    await term.press("right")
    await term.expect("0.0039", timeout=60)  # n_hid = 0.03 × 0.13 = 0.0039
    await term.press("pagedown", "pagedown")  # past the unrolled network, to the quiz
    await term.expect("0/5 answered", timeout=90)
    # Choose an answer to the first question. The page draws its header before its first question has the
    # keyboard, and on a loaded machine keys sent at once can land in between: then, as a learner would,
    # press again (at most three times).
    for attempt in range(3):
        await term.press("down", "enter")
        try:
            await term.expect("1/5 answered", timeout=20 * (attempt + 1))
            break
        except AssertionError:
            if attempt == 2:
                raise
    return first_screen


@dataclass
class ClassLoad:
    """What one session alone and `count` at once took: times in seconds, memory in MiB."""

    alone: float
    rss_alone: float
    pss_alone: float
    firsts: list[float]
    elapsed: float
    rss: float
    pss: float


async def class_at_once(server: Served, count: int) -> ClassLoad:
    """One session learns alone and leaves, then `count` at once; each must leave nothing behind.

    The suite runs it with a few sessions (behaviour); bench/bench_serve.py with a class of 20 (capacity).
    """
    alone = Term(server.url)
    first_alone = await learn(alone)
    (pid,) = server.sessions()
    rss_alone, pss_alone = memory_kib(pid)
    await alone.close()
    for _ in range(100):
        if not server.sessions():
            break
        await asyncio.sleep(0.1)
    assert not server.sessions()

    terms = [Term(server.url) for _ in range(count)]
    started = time.perf_counter()
    firsts = await asyncio.wait_for(asyncio.gather(*(learn(term) for term in terms)), 400)
    elapsed = time.perf_counter() - started
    pids = server.sessions()
    assert len(pids) == count
    memory = [memory_kib(pid) for pid in pids]
    await asyncio.gather(*(term.close() for term in terms))
    for _ in range(200):
        if not any(alive(pid) for pid in pids):
            break
        await asyncio.sleep(0.1)
    left = [pid for pid in pids if alive(pid)]
    assert not left, f"{len(left)} session processes outlived their tabs"
    assert not server.sessions()
    return ClassLoad(
        alone=first_alone,
        rss_alone=rss_alone / 1024,
        pss_alone=pss_alone / 1024,
        firsts=firsts,
        elapsed=elapsed,
        rss=sum(m[0] for m in memory) / len(memory) / 1024,
        pss=sum(m[1] for m in memory) / len(memory) / 1024,
    )
