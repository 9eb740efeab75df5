"""The record under stress: two processes on one folder, killed saves, a read-only folder, a huge record (issue 17)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.app_support import make_app, settle, test_lessons  # noqa: F401 (a fixture)
from tutor import progress as progress_module
from tutor.progress import MAX_EXTRA_BYTES, Answer, Progress, progress_path

ROOT = Path(__file__).resolve().parents[1]

WRITER = """
import sys, time
from tutor.progress import Answer, Progress
path, lesson, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
progress, _ = Progress.load(path)
for i in range(rounds):
    progress.record_page(lesson, i, of=rounds)
    progress.record_answer("shared", 0, 0, 1.0 if lesson == "a" else 0.5)
    progress.record_answer("shared", 0, 1, 0.0, given=Answer(lesson + str(i), None))
    progress.record_step("shared", 2, i)
    assert progress.save() is None
    time.sleep(0.01)
"""


def test_two_processes_writing_interleaved_erase_nothing(tmp_path):
    path = tmp_path / "progress.json"
    rounds = 25
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), lesson, str(rounds)], cwd=ROOT)
        for lesson in ("a", "b")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    record, message = Progress.load(path)
    assert message is None
    for lesson in ("a", "b"):
        assert record.lesson_status(lesson, rounds).state == "done", lesson
        assert record.data["lessons"][lesson]["pages_done"] == list(range(rounds))
    questions = record.quiz_result("shared", 0).questions
    assert questions[0].attempts == 2 * rounds and questions[0].best == 1.0
    assert questions[1].attempts == 2 * rounds
    (answer,) = record.current_attempt("shared", 0).values()
    assert answer[0].given in {f"a{rounds - 1}", f"b{rounds - 1}"}
    assert record.step("shared", 2) == rounds - 1
    assert not list(tmp_path.glob(".progress.json.*.tmp"))


def test_merge_keeps_the_best_the_newest_and_every_attempt():
    base = {"version": 1, "last": None, "lessons": {"x": {"pages_done": [0], "steps": {"1": 2}}}}
    one, _ = Progress.load()
    one.data = json.loads(json.dumps(base))
    one._base = json.loads(json.dumps(base))
    one.record_page("x", 1, of=4)
    one.record_step("x", 1, 5)
    one.record_answer("x", 3, 0, 0.5, given=Answer("0.57", 7))
    one.record_answer("x", 3, 0, 0.25, given=Answer("0.25", 7))
    other = json.loads(json.dumps(base))
    other["lessons"]["x"]["pages_done"] = [0, 2]
    other["lessons"]["x"]["quizzes"] = {"3": {"questions": {"0": {"best": 1.0, "last": 1.0, "attempts": 1}}}}
    other["lessons"]["y"] = {"page": 3}
    other["theme"] = "dark"
    merged = progress_module.merge(base, one.data, other)
    lesson = merged["lessons"]["x"]
    assert lesson["pages_done"] == [0, 1, 2]
    assert lesson["steps"] == {"1": 5}
    assert lesson["quizzes"]["3"]["questions"]["0"] == {"best": 1.0, "last": 0.25, "attempts": 3}
    assert lesson["quizzes"]["3"]["current"]["0"]["given"] == "0.25"
    assert merged["lessons"]["y"] == {"page": 3} and merged["theme"] == "dark"
    assert merged["last"] == {"lesson": "x", "page": 3, "step": None}


def test_a_cleared_attempt_and_a_reset_lesson_stay_cleared_after_a_save():
    progress, _ = Progress.load()
    progress.record_answer("x", 3, 0, 1.0, given=Answer("b", None))
    progress.record_page("y", 0, of=2)
    assert progress.save() is None
    progress.new_attempt("x", 3)
    progress.reset_lesson("y")
    assert progress.save() is None
    again, _ = Progress.load()
    assert again.current_attempt("x", 3) == {} and "y" not in again.data["lessons"]


def test_stale_temporary_files_of_a_killed_save_are_removed_on_load():
    path = progress_path()
    path.parent.mkdir(parents=True)
    Progress(path).save()
    old = path.with_name(".progress.json.k1ll3d.tmp")  # what write_atomic leaves when killed before its rename
    old.write_text('{"version": 1, "less')
    long_ago = time.time() - 3600
    os.utime(old, (long_ago, long_ago))
    fresh = path.with_name(".progress.json.s4v1ng.tmp")  # another process saving right now
    fresh.write_text("{")
    other = path.with_name(".notes.json.x.tmp")  # not ours
    other.write_text("{")
    os.utime(other, (long_ago, long_ago))
    Progress.load()
    assert not old.exists()
    assert fresh.exists() and other.exists()


def test_a_read_only_folder_says_so_once_and_keeps_the_record_in_memory(monkeypatch):
    progress, _ = Progress.load()

    def refused(path, text):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(progress_module, "write_atomic", refused)
    progress.record_page("x", 0, of=3)
    first = progress.save()
    assert first is not None and "Permission denied" in first
    progress.record_page("x", 1, of=3)
    assert progress.save() is None and progress.save() is None
    assert progress.data["lessons"]["x"]["pages_done"] == [0, 1]
    monkeypatch.undo()
    assert progress.save() is None
    assert json.loads(progress.path.read_text())["lessons"]["x"]["pages_done"] == [0, 1]


def test_a_huge_record_is_bounded_and_set_aside_whole():
    path = progress_path()
    path.parent.mkdir(parents=True)
    big = {"version": 1, "last": None, "lessons": {"tour": {"page": 2}}}
    big["lessons"].update({f"gone-{i}": {"page": 1, "note": "x" * 1000} for i in range(2000)})
    big["junk"] = ["y" * 1000] * 1000
    path.write_text(json.dumps(big))
    progress, message = Progress.load(installed=["tour"])
    assert message is not None and "copied to" in message
    (aside,) = path.parent.glob("progress.json.large-*")
    assert json.loads(aside.read_text()) == big
    assert progress.data["lessons"]["tour"] == {"page": 2}
    assert len(json.dumps(progress.data)) < 2 * MAX_EXTRA_BYTES
    assert progress.save() is None
    assert path.stat().st_size < 2 * MAX_EXTRA_BYTES


@pytest.mark.parametrize("length", [10, 10**6])
def test_an_answer_kept_in_the_record_is_bounded(length):
    progress, _ = Progress.load()
    progress.record_answer("x", 0, 0, 0.0, given=Answer("9" * length, None))
    assert len(progress.current_attempt("x", 0)[0][0].given) == min(length, progress_module.MAX_GIVEN)


@pytest.mark.usefixtures("test_lessons")
async def test_the_app_saves_off_the_ui_thread_and_the_last_state_wins(monkeypatch):
    real_write = Progress.write

    def slow_write(self, snapshot):
        time.sleep(0.5)  # a big record on a slow disk
        return real_write(self, snapshot)

    monkeypatch.setattr(Progress, "write", slow_write)
    app = make_app()
    async with app.run_test() as pilot:
        for page in range(3):
            app.progress.record_page("basics", page, of=7)
            started = time.perf_counter()
            app.progress_changed(now=True)
            assert time.perf_counter() - started < 0.2, "the UI thread waited for the disk"
        assert await settle(pilot, lambda: app.progress.path.exists() and not list(app.workers), tries=100)
    saved = json.loads(app.progress.path.read_text())
    assert saved["lessons"]["basics"]["pages_done"] == [0, 1, 2]
