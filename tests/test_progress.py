"""The progress store: round trip, atomic writes, damaged files set aside, never the real home."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tutor import progress as progress_module
from tutor.lessons import load_lesson
from tutor.progress import VERSION, Mastery, Place, Progress, Status, data_dir, progress_path


def saved(progress: Progress) -> dict:
    assert progress.save() is None
    return json.loads(progress.path.read_text(encoding="utf-8"))


def test_round_trip_keeps_pages_steps_quizzes_and_the_last_place():
    progress, message = Progress.load()
    assert message is None and not progress.path.exists()
    progress.record_step("tour", 1, 7)
    progress.record_page("tour", 0, of=5)
    progress.record_page("tour", 1, of=5)
    result = progress.record_quiz("tour", 3, [1.0, 0.5, 0.0, 1.0, 1.0], pass_mark=0.8)
    assert (result.best, result.last, result.attempts, result.mastered) == (0.7, 0.7, 1, False)
    progress.record_quiz("tour", 3, [1.0, 1.0, 0.5, 1.0, 1.0])
    progress.record_step("other", 2, 3)
    assert progress.save() is None

    again, message = Progress.load()
    assert message is None
    assert again.step("tour", 1) == 7 and again.step("tour", 2) == 0
    quiz = again.quiz_result("tour", 3)
    assert (quiz.best, quiz.last, quiz.attempts, quiz.mastered) == (0.9, 0.9, 2, True)
    assert (quiz.questions[2].best, quiz.questions[2].last, quiz.questions[2].attempts) == (0.5, 0.5, 2)
    assert again.last == Place("other", 2, 3)
    assert again.lesson_status("tour", 5) == Status("in_progress", 3, 5, 2, 0.9)
    assert again.lesson_status("missing", 4) == Status("not_started", 0, 4, 0, None)


def test_the_file_has_a_version_and_plain_json_shape(monkeypatch):
    monkeypatch.setenv("BPTUTOR_TODAY", "2026-03-01")
    progress, _ = Progress.load()
    progress.record_step("tour", 1, 4)
    progress.record_quiz("tour", 3, [1.0, 0.0])
    data = saved(progress)
    assert data == {
        "version": VERSION,
        "last": {"lesson": "tour", "page": 3, "step": None},
        "lessons": {
            "tour": {
                "page": 3,
                "steps": {"1": 4},
                "quizzes": {
                    "3": {
                        "best": 0.5,
                        "last": 0.5,
                        "attempts": 1,
                        "mastered": False,
                        "questions": {
                            "0": {"best": 1.0, "last": 1.0, "attempts": 1},
                            "1": {"best": 0.0, "last": 0.0, "attempts": 1},
                        },
                    }
                },
            }
        },
        # Right: up from box 1 to box 2, due a day later; wrong: box 1, due again today.
        "reviews": {
            "quiz:tour:3:0": {
                "kind": "quiz",
                "lesson": "tour",
                "page": 3,
                "question": 0,
                "box": 2,
                "due": "2026-03-02",
                "seen": "2026-03-01",
                "first_right": "2026-03-01",
                "last_right": "2026-03-01",
            },
            "quiz:tour:3:1": {
                "kind": "quiz",
                "lesson": "tour",
                "page": 3,
                "question": 1,
                "box": 1,
                "due": "2026-03-01",
                "seen": "2026-03-01",
            },
        },
    }


def test_a_lesson_is_done_when_every_page_is_done():
    progress, _ = Progress.load()
    for page in (0, 2, 1):
        assert progress.lesson_status("tour", 3).state != "done"
        progress.record_page("tour", page, of=3)
    assert progress.lesson_status("tour", 3) == Status("done", 1, 3, 3, None)
    progress.reset_lesson("tour")
    assert progress.lesson_status("tour", 3).state == "not_started" and progress.last is None


def test_unknown_lessons_and_unknown_keys_are_kept():
    path = progress_path()
    path.parent.mkdir(parents=True)
    data = {
        "version": 1,
        "last": None,
        "lessons": {"from-a-folder-not-here": {"page": 4, "done": True, "note": "kept"}},
        "theme": "dark",
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    progress, message = Progress.load()
    assert message is None
    progress.record_page("tour", 0, of=2)
    written = saved(progress)
    assert written["lessons"]["from-a-folder-not-here"] == {"page": 4, "done": True, "note": "kept"}
    assert written["theme"] == "dark"


def test_a_failed_write_leaves_the_old_file_intact_and_no_temporary_file(monkeypatch):
    progress, _ = Progress.load()
    progress.record_page("tour", 0, of=5)
    assert progress.save() is None
    before = progress.path.read_bytes()

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(progress_module.os, "replace", crash)
    progress.record_page("tour", 1, of=5)
    message = progress.save()
    assert message.startswith(f"Your progress could not be saved to {progress.path} (No space left on device);")
    assert progress.path.read_bytes() == before
    assert sorted(p.name for p in progress.path.parent.iterdir()) == ["progress.json", "progress.json.lock"]


def test_a_crash_in_the_middle_of_writing_leaves_the_old_file_intact(monkeypatch):
    progress, _ = Progress.load()
    progress.record_page("tour", 0, of=5)
    progress.save()
    before = progress.path.read_bytes()

    def killed(fd):
        raise KeyboardInterrupt  # as if the learner pressed ctrl+c halfway through a save

    monkeypatch.setattr(progress_module.os, "fsync", killed)
    progress.record_page("tour", 1, of=5)
    with pytest.raises(KeyboardInterrupt):
        progress.save()
    assert progress.path.read_bytes() == before
    assert sorted(p.name for p in progress.path.parent.iterdir()) == ["progress.json", "progress.json.lock"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"version": 1, "lessons": {', "not valid JSON at line 1"),
        (b"", "not valid JSON at line 1"),
        (b"\xff\xfe", "not UTF-8 text"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"lessons": {}}', "no valid 'version'"),
        (b'{"version": 1, "lessons": []}', "'lessons' is not an object"),
        (b'{"version": 1, "lessons": {"tour": {"page": "two"}}}', "lesson 'tour': 'page' is not a page number"),
        (
            b'{"version": 1, "lessons": {"tour": {"steps": {"x": 1}}}}',
            "lesson 'tour': 'steps' has a key 'x' that is not a page number",
        ),
        (
            b'{"version": 1, "lessons": {"tour": {"quizzes": {"3": {"best": 7}}}}}',
            "lesson 'tour', quiz on page 3 has a wrong score, attempts or mastered",
        ),
        (b'{"version": 1, "lessons": {}, "last": {"lesson": "tour"}}', "'last' is not a place (lesson, page, step)"),
        (
            b'{"version": 1, "lessons": {"tour": {"quizzes": {"3": {"current": {"0": {"given": 1}}}}}}}',
            "lesson 'tour', quiz on page 3 has a current answer that is not an answer (given, seed, hints, score)",
        ),
        # Records that made every launch fail until deleted by hand: RecursionError and ValueError from json.
        (b'{"version": 1, "x": ' + b"[" * 1000 + b"]" * 1000 + b"}", "nested too deeply to read"),
        (b'{"version": 1, "x": ' + b"9" * 5000 + b"}", "a number too long to read"),
    ],
)
def test_a_damaged_file_is_moved_aside_with_a_message_and_a_fresh_start(content, reason):
    path = progress_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    progress, message = Progress.load()
    aside = [p for p in path.parent.iterdir() if p.name.startswith("progress.json.damaged-")]
    assert len(aside) == 1 and aside[0].read_bytes() == content  # kept, byte for byte
    assert message == f"Your progress file was damaged ({reason}); it was moved to {aside[0]} and a fresh one started."
    assert not path.exists()
    assert progress.data["lessons"] == {} and progress.last is None
    progress.record_page("tour", 0, of=1)
    assert saved(progress)["lessons"]["tour"]["done"] is True


def test_a_second_damaged_file_in_the_same_second_does_not_overwrite_the_first(monkeypatch):
    monkeypatch.setattr(progress_module.time, "strftime", lambda fmt: "20260101-120000")
    path = progress_path()
    path.parent.mkdir(parents=True)
    for content in (b"first", b"second"):
        path.write_bytes(content)
        Progress.load()
    assert (path.parent / "progress.json.damaged-20260101-120000").read_bytes() == b"first"
    assert (path.parent / "progress.json.damaged-20260101-120000-2").read_bytes() == b"second"


def test_a_file_from_a_newer_version_is_left_alone_and_not_overwritten():
    path = progress_path()
    path.parent.mkdir(parents=True)
    content = json.dumps({"version": VERSION + 1, "lessons": "a new shape"})
    path.write_text(content, encoding="utf-8")
    progress, message = Progress.load()
    assert "written by a newer bptutor" in message
    progress.record_page("tour", 0, of=1)
    assert progress.save() is None
    assert path.read_text(encoding="utf-8") == content
    assert [p.name for p in path.parent.iterdir()] == ["progress.json"]


def test_an_unreadable_file_is_left_alone(tmp_path):
    folder = tmp_path / "as-a-folder"
    (folder / "progress.json").mkdir(parents=True)  # reading a folder fails with an OSError
    progress, message = Progress.load(folder / "progress.json")
    assert message.startswith(f"Your progress file {folder / 'progress.json'} could not be read")
    progress.record_page("tour", 0, of=1)
    assert progress.save() is None and (folder / "progress.json").is_dir()


def test_progress_lives_in_the_data_dir_the_environment_names(private_home):
    assert data_dir() == private_home / "bptutor-data"
    assert progress_path() == private_home / "bptutor-data" / "progress.json"


def test_without_the_override_platformdirs_picks_the_folder(monkeypatch, private_home):
    import platformdirs

    monkeypatch.delenv("BPTUTOR_DATA_DIR")
    assert data_dir() == Path(platformdirs.user_data_dir("bptutor", appauthor=False))
    assert private_home in data_dir().parents  # HOME / XDG_DATA_HOME point at the test's folder


def test_the_real_home_is_never_touched(monkeypatch, private_home):
    import platformdirs

    def forbidden(*args, **kwargs):
        raise AssertionError("the test asked platformdirs for the real data directory")

    monkeypatch.setattr(platformdirs, "user_data_dir", forbidden)
    assert Path(os.environ["HOME"]) == private_home
    progress, message = Progress.load()
    progress.record_step("tour", 1, 2)
    assert message is None and progress.save() is None
    assert progress.path.is_relative_to(private_home)
    assert sorted(p.relative_to(private_home).as_posix() for p in private_home.rglob("*")) == [
        "bptutor-data",
        "bptutor-data/progress.json",
        "bptutor-data/progress.json.lock",
    ]


def test_answers_given_in_quiz_mode_do_not_start_a_lesson_but_count_for_its_mastery(monkeypatch):
    lesson = load_lesson(Path(__file__).parent / "data" / "app" / "basics.toml")  # one question, on page 6
    progress = Progress()
    monkeypatch.setenv("BPTUTOR_TODAY", "2026-03-01")
    progress.record_answer(lesson.id, 5, 0, 1.0)
    progress.record_answer(lesson.id, 5, 0, 1.0)  # right twice in one sitting: not mastered yet
    status = progress.lesson_overview(lesson)
    assert (status.state, status.page, status.score) == ("not_started", 0, None)
    assert status.mastery == Mastery(1.0, 1, 1, False, 0)
    monkeypatch.setenv("BPTUTOR_TODAY", "2026-03-02")
    progress.record_answer(lesson.id, 5, 0, 1.0)  # and again a day later: mastered
    assert progress.lesson_overview(lesson).mastery == Mastery(1.0, 1, 1, True, 1)
    assert progress.last is None
    progress.visit(lesson.id, 2)
    assert progress.lesson_overview(lesson).state == "in_progress"


def test_quiz_scores_must_be_between_0_and_1():
    progress, _ = Progress.load()
    with pytest.raises(ValueError, match="from 0 to 1"):
        progress.record_quiz("tour", 3, [1.5])
    with pytest.raises(ValueError):
        progress.record_quiz("tour", 3, [])


def test_the_pattern_chosen_on_a_page_is_kept():
    progress, _ = Progress.load()
    assert progress.pattern("tour", 1) is None
    progress.record_pattern("tour", 1, 2)
    progress.record_step("tour", 1, 5)
    assert saved(progress)["lessons"]["tour"]["patterns"] == {"1": 2}
    again, message = Progress.load()
    assert message is None and again.pattern("tour", 1) == 2


def test_a_pattern_that_is_not_a_whole_number_is_damage():
    path = progress_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"version": 1, "lessons": {"tour": {"patterns": {"1": "two"}}}}')
    progress, message = Progress.load()
    assert "lesson 'tour': a pattern is not a whole number" in message
    assert progress.pattern("tour", 1) is None
