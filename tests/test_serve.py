"""`bptutor serve`: the tutor served to browsers over textual-serve's websocket protocol, on loopback.

One record per session, a closed tab ends its process, a full class is refused, several sessions at
once each get their home screen, step a trace and answer a question, and no process is left behind
(a class of 20 at once: bench/bench_serve.py).
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("textual_serve", reason="textual-serve is not installed: pip install -e '.[test]'")
if not Path("/proc/self/smaps_rollup").exists():  # the checks on child processes read /proc
    pytest.skip("needs Linux's /proc to look at the sessions' processes", allow_module_level=True)

from tests.serve_support import HOME_TEXT, Served, Term, alive, class_at_once, environ
from tutor.cli.parser import main
from tutor.serve import FULL_MESSAGE, is_loopback, session_command

AT_ONCE = 3  # more learners than a 2-core machine has cores; a class of 20 is bench/bench_serve.py


def test_without_textual_serve_it_says_the_pip_command_and_exits_2(monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "textual_serve" else real(name))
    assert main(["serve"]) == 2
    assert "pip install 'bptutor[serve]'" in capsys.readouterr().out.splitlines()


def test_only_loopback_serves_quietly(monkeypatch, capsys):
    monkeypatch.setattr("tutor.serve.ClassroomServer.serve", lambda self: None)
    assert main(["serve"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123"]) == 0
    warning = capsys.readouterr().err
    assert warning.startswith("Warning: serving on 0.0.0.0: anyone who can reach port 8123")
    assert [is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "10.1.2.3")] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_the_served_command_is_the_tutor_alone():
    command = session_command([Path("extra lessons")])
    assert command.startswith(f"exec {sys.executable} -m tutor --lessons ")
    assert command.endswith("'" + str(Path("extra lessons").resolve()) + "'")  # quoted: never a shell's word


async def test_each_session_has_its_own_record_and_a_closed_tab_ends_its_process():
    with Served() as server:
        first, second = Term(server.url), Term(server.url)
        await asyncio.gather(first.open(), second.open())
        await asyncio.gather(first.expect(HOME_TEXT), second.expect(HOME_TEXT))
        await first.focus()
        await first.expect("Download my progress")  # in a browser the footer offers the record's keys
        assert "Your record lives in this browser tab only" in first.text
        pids = server.sessions()
        assert len(pids) == 2
        folders = [Path(environ(pid)["BPTUTOR_DATA_DIR"]) for pid in pids]
        assert folders[0] != folders[1] and all(folder.is_dir() for folder in folders)
        assert folders[0].parent == folders[1].parent  # the server's one temporary root
        caches = {environ(pid)["BPTUTOR_LESSON_CACHE"] for pid in pids}
        assert caches == {str(folders[0].parent / "lesson-cache.json")}  # one lesson cache, read by every session

        await first.press("enter")  # opens the first lesson: progress is saved (after a second)
        await first.expect("What this tutor is for")
        saved = [folder for folder in folders if (folder / "progress.json").exists()]
        for _ in range(300):  # saved a second after the step; a loaded machine may take longer
            saved = [folder for folder in folders if (folder / "progress.json").exists()]
            if saved:
                break
            await asyncio.sleep(0.1)
        assert len(saved) == 1  # the other learner's record is untouched

        await first.close()  # the tab is closed
        for _ in range(300):  # the process ends, then the server removes its folder
            if [alive(pid) for pid in pids].count(True) == 1 and [f.exists() for f in folders].count(True) == 1:
                break
            await asyncio.sleep(0.1)
        assert [alive(pid) for pid in pids].count(True) == 1, "the closed tab's process is still running"
        assert [folder.exists() for folder in folders].count(True) == 1  # and its folder is gone

        await second.press("q")  # quitting the app ends the session too
        for _ in range(300):
            if not any(alive(pid) for pid in pids):
                break
            await asyncio.sleep(0.1)
        assert not any(alive(pid) for pid in pids)
        await second.close()
        root = folders[0].parent
    assert server.process.returncode == 0
    assert not root.exists()  # the server's temporary root goes with it


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


async def test_past_max_sessions_the_class_is_full():
    with Served("--max-sessions", "1") as server:
        status, page = await asyncio.to_thread(_get, server.url + "/")
        assert status == 200 and "textual-terminal" in page
        seated = await Term(server.url).open()
        await seated.expect(HOME_TEXT)

        status, page = await asyncio.to_thread(_get, server.url + "/")
        assert status == 503 and "The class is full" in page
        late = await Term(server.url).open()  # a page loaded before the last seat was taken
        with pytest.raises(AssertionError, match="closed"):
            await late.expect(HOME_TEXT, timeout=20)
        assert FULL_MESSAGE in late.text
        assert late.closed_code == 1013
        assert len(server.sessions()) == 1
        await late.close()

        await seated.close()
        for _ in range(100):
            if not server.sessions():
                break
            await asyncio.sleep(0.1)
        status, _ = await asyncio.to_thread(_get, server.url + "/")
        assert status == 200  # a seat is free again


async def test_sessions_at_once_each_learn_and_leave_nothing_behind():
    """A few learners at once, each in its own process: all learn, and every process ends with its tab.

    The class-sized load (20 at once, with the figures docs/serving.md quotes) is bench/bench_serve.py.
    """
    with Served("--max-sessions", str(AT_ONCE)) as server:
        load = await class_at_once(server, AT_ONCE)
    assert server.process.returncode == 0
    assert len(load.firsts) == AT_ONCE
