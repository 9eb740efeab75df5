"""The learner's record taken away and brought back: download, load (in the app and with
`bptutor progress --import`), the merge, and `bptutor progress`'s summary."""

from __future__ import annotations

import json

import pytest
from textual.widgets import TextArea

from tests.app_support import make_app
from tests.test_app import plain
from tutor.cli.parser import main
from tutor.progress import VERSION, Progress, progress_path
from tutor.record import BadRecord, merge_record, parse_record, record_text
from tutor.screens.home import HomeScreen
from tutor.screens.record import LoadProgressScreen

MINE = {
    "version": 1,
    "last": {"lesson": "tour", "page": 1, "step": 3},
    "lessons": {
        "tour": {
            "page": 1,
            "pages_done": [0],
            "steps": {"1": 3},
            "patterns": {"1": 0},
            "quizzes": {"3": {"best": 0.4, "last": 0.4, "attempts": 1, "mastered": False}},
        },
    },
}
THEIRS = {
    "version": 1,
    "last": {"lesson": "chain-rule", "page": 2, "step": None},
    "lessons": {
        "tour": {
            "page": 3,
            "pages_done": [0, 1, 2],
            "steps": {"1": 7},
            "patterns": {"1": 1},
            "quizzes": {
                "3": {
                    "best": 0.9,
                    "last": 0.6,
                    "attempts": 3,
                    "mastered": True,
                    "questions": {"0": {"best": 1.0, "last": 1.0, "attempts": 2}},
                }
            },
            "notes": "a key this version does not know",
        },
        "chain-rule": {"page": 2, "pages_done": [0, 1]},
    },
}


def test_merging_keeps_everything_either_side_has():
    merged = merge_record(MINE, THEIRS)
    tour = merged["lessons"]["tour"]
    assert tour["pages_done"] == [0, 1, 2]  # joined
    assert tour["page"] == 3  # the further of the two
    assert tour["steps"] == {"1": 7}
    assert tour["patterns"] == {"1": 0}  # a choice on both sides: the current record's
    quiz = tour["quizzes"]["3"]
    assert (quiz["best"], quiz["attempts"], quiz["mastered"]) == (0.9, 3, True)
    assert quiz["last"] == 0.6  # the last of the side with more attempts
    assert quiz["questions"] == {"0": {"best": 1.0, "last": 1.0, "attempts": 2}}
    assert tour["notes"] == "a key this version does not know"
    assert merged["lessons"]["chain-rule"] == {"page": 2, "pages_done": [0, 1]}
    assert merged["last"] == MINE["last"]  # where this learner is now
    assert MINE["lessons"]["tour"]["page"] == 1 and "chain-rule" not in MINE["lessons"]  # inputs unchanged


def test_merging_is_idempotent_and_fills_an_empty_record():
    empty = {"version": 1, "lessons": {}, "last": None}
    # a merged record is written in this version's format: a version-1 record gains empty review tables
    theirs_now = {**THEIRS, "version": VERSION, "reviews": {}, "predictions": {}}
    assert merge_record(THEIRS, THEIRS) == theirs_now
    once = merge_record(MINE, THEIRS)
    assert merge_record(once, THEIRS) == once  # loading the same download twice changes nothing more
    assert merge_record(empty, THEIRS) == theirs_now  # a fresh browser session takes the whole record, place too


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "it is empty"),
        ("not json", "not valid JSON at line 1"),
        ('{"version": 1, "lessons": []}', "'lessons' is not an object"),
        ('{"version": 9, "lessons": {}}', "written by a newer bptutor (format 9)"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_a_bad_record_is_refused_with_its_reason(text, reason):
    with pytest.raises(BadRecord, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse_record(text)


def test_the_downloaded_text_loads_back():
    progress = Progress(data=json.loads(json.dumps(THEIRS)))
    assert parse_record(record_text(progress)) == THEIRS


# -- in the app ----------------------------------------------------------------------------------


async def test_download_hands_over_the_record_as_a_file(monkeypatch):
    delivered = {}

    def deliver_text(self, file, **kwargs):
        delivered["text"] = file.read()
        delivered.update(kwargs)

    monkeypatch.setattr("textual.app.App.deliver_text", deliver_text)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        app.progress.record_page("tour", 0, 5)
        await pilot.press("d")
        await pilot.pause()
    assert delivered["save_filename"] == "bptutor-progress.json"
    assert delivered["open_method"] == "download"
    assert json.loads(delivered["text"])["lessons"]["tour"]["pages_done"] == [0]


async def test_load_progress_merges_a_pasted_record_and_the_home_screen_shows_it():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LoadProgressScreen)
        app.screen.query_one(TextArea).text = json.dumps(THEIRS)
        await pilot.click("#load-ok")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.progress.data["lessons"]["chain-rule"]["pages_done"] == [0, 1]
        assert json.loads(progress_path().read_text())["lessons"]["tour"]["pages_done"] == [0, 1, 2]  # saved
        ids = [option.id for option in app.screen.query_one("#lessons").options]
        assert ids[0] == "continue"  # the loaded record's place (this session had none)
        status = app.progress.lesson_overview(app.lesson("tour"))
        assert status.pages_done == 3


async def test_a_bad_pasted_record_is_refused_in_the_box_and_nothing_is_lost():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        app.progress.record_page("tour", 0, 5)
        before = json.loads(json.dumps(app.progress.data))
        await pilot.press("l")
        await pilot.pause()
        box = app.screen.query_one(TextArea)
        box.text = '{"version": 1, "lessons": []}'
        await pilot.press("tab", "enter")  # the keyboard's way: from the box to Load
        await pilot.pause()
        assert isinstance(app.screen, LoadProgressScreen)  # still open, the text kept to fix
        assert box.text == '{"version": 1, "lessons": []}'
        problem = str(app.screen.query_one("#load-problem").render())
        assert "Not loaded" in problem and "'lessons' is not an object" in problem
        assert app.progress.data == before
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.progress.data == before


async def test_the_palette_offers_download_and_load_on_every_screen():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_lesson("tour", 0)
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Download my progress" in titles and "Load progress" in titles


async def test_help_on_the_home_screen_lists_the_record_keys():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        keys = plain(app.screen.query_one("#help-keys").content)
        assert "Download my progress" in keys and "Load progress" in keys


# -- bptutor progress ----------------------------------------------------------------------------


def test_progress_prints_an_empty_record(capsys):
    assert main(["progress"]) == 0
    out = capsys.readouterr().out
    assert "Continue from: nothing yet" in out
    assert any(line.split()[:4] == ["tour", "not", "started", "0/5"] for line in out.splitlines())


def test_progress_json_gives_each_lesson(capsys):
    Progress(data=json.loads(json.dumps(THEIRS))).save()
    assert main(["progress", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    tour = next(lesson for lesson in data["lessons"] if lesson["id"] == "tour")
    assert (tour["state"], tour["pages_done"], tour["pages"], tour["installed"]) == ("in_progress", 3, 5, True)
    assert tour["mastery"]["answered"] == 1 and tour["mastery"]["total"] == 5
    assert tour["mastery"]["score"] == pytest.approx(1.0 / 5)
    assert data["last"] == THEIRS["last"]
    assert data["file"] == str(progress_path())


def test_progress_import_merges_a_downloaded_file(tmp_path, capsys):
    Progress(data=json.loads(json.dumps(MINE))).save()
    download = tmp_path / "bptutor-progress.json"
    download.write_text(json.dumps(THEIRS))
    assert main(["progress", "--import", str(download), "--json"]) == 0
    captured = capsys.readouterr()
    assert f"{download}: merged into {progress_path()} (2 lessons)" in captured.err
    assert json.loads(captured.out)["last"] == MINE["last"]  # stdout stays JSON
    assert json.loads(progress_path().read_text()) == merge_record(MINE, THEIRS)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"version": 1, "lessons": {"tour": {"page": -1}}}', "lesson 'tour': 'page' is not a page number"),
        (b"\xff\xfe", "not UTF-8 text"),
        (None, "No such file or directory"),
    ],
)
def test_progress_import_refuses_a_bad_file_and_leaves_the_record(tmp_path, capsys, content, message):
    Progress(data=json.loads(json.dumps(MINE))).save()
    before = progress_path().read_bytes()
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_bytes(content)
    assert main(["progress", "--import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}: ") and message in err
    assert "Traceback" not in err
    assert progress_path().read_bytes() == before
