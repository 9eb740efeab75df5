"""Damaged and hostile network and lesson files get `FILE:LINE: message`, never a traceback or a hang (issue 17)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine.netfile import check_network_file
from engine.tomlfile import MAX_FILE_BYTES, FileProblems, read_toml
from tests.conftest import NETWORKS
from tutor.lessons import discover_lessons
from tutor.lessons.discover import load_lesson

ROOT = Path(__file__).resolve().parents[1]
XOR = (NETWORKS / "xor.toml").read_text(encoding="utf-8")


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args], capture_output=True, text=True, cwd=ROOT, timeout=120, env=env
    )


def with_training(**values) -> str:
    """xor.toml with some [training] values replaced."""
    lines = []
    for line in XOR.splitlines():
        key = line.split("=")[0].strip()
        lines.append(f"{key} = {values.pop(key)}" if key in values and "=" in line else line)
    assert not values, f"xor.toml has no {values}"
    return "\n".join(lines) + "\n"


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "net.toml"
    path.write_text(text, encoding="utf-8")
    return [str(p).replace(str(tmp_path) + "/", "") for p in check_network_file(path)]


# -- 6: every value has a checked range ------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"seed": "-1"}, "'training.seed' should be at least 0, got -1"),
        ({"seed": str(2**64)}, "'training.seed' should be at most"),
        ({"weight_range": "1e308"}, "'training.weight_range' should be at most"),
        ({"learning_rate": "1e308"}, "'training.learning_rate' should be at most"),
        ({"epochs": str(10**12)}, "'training.epochs' should be at most"),
    ],
)
def test_values_out_of_range_are_problems_with_a_line(tmp_path, values, expected):
    found = problems(tmp_path, with_training(**values))
    assert len(found) == 1, found
    assert found[0].startswith("net.toml:") and expected in found[0], found


@pytest.mark.parametrize("command", ["validate", "trace", "train"])
@pytest.mark.parametrize("values", [{"seed": "-1"}, {"weight_range": "1e308"}])
def test_commands_print_the_problem_not_a_traceback(tmp_path, command, values):
    path = tmp_path / "net.toml"
    path.write_text(with_training(**values), encoding="utf-8")
    args = [command, str(path)] + (["--epochs", "1"] if command == "train" else [])
    result = run(*args)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert f"{path}:" in result.stdout + result.stderr


def test_a_negative_seed_on_the_command_line_is_a_usage_error():
    result = run("train", "lessons/networks/xor.toml", "--seed", "-1", "--epochs", "1")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--seed" in result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 500 + "]" * 500 + "\n",
        "x = " + "{a = " * 500 + "1" + "}" * 500 + "\n",
        "x = 1" + "0" * 5000 + "\n",
    ],
    ids=["arrays", "tables", "long-integer"],
)
def test_toml_that_tomllib_cannot_read_is_a_problem(tmp_path, text):
    path = tmp_path / "deep.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileProblems) as caught:
        read_toml(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert "not valid TOML" in problem.message


def test_a_deeply_nested_file_in_a_lesson_folder_does_not_stop_the_app(tmp_path):
    (tmp_path / "deep.toml").write_text("x = " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    found = discover_lessons([tmp_path])
    assert found.lessons, "the bundled lessons are still there"
    assert [p.file for p in found.problems] == [str(tmp_path / "deep.toml")]


# -- 8: a lesson names networks only in its own folder tree or the bundled ones ---------------

LESSON = """\
[lesson]
id = "escape"
title = "Escape"
summary = "A lesson that names a network outside its folder."

[[pages]]
kind = "trace"
title = "Trace"
network = "{network}"
"""


@pytest.mark.parametrize("name", ["../outside.toml", "../../../etc/passwd", "networks/../../outside.toml"])
def test_a_network_outside_the_lesson_folder_is_refused_without_saying_if_it_exists(tmp_path, name):
    folder = tmp_path / "course"
    folder.mkdir()
    (tmp_path / "outside.toml").write_text(XOR, encoding="utf-8")  # exists for some names, not for others
    messages = []
    for network in (name, name.replace("outside", "absent")):
        lesson = folder / "lesson.toml"
        lesson.write_text(textwrap.dedent(LESSON.format(network=network)), encoding="utf-8")
        with pytest.raises(FileProblems) as caught:
            load_lesson(lesson, deep=True)
        (problem,) = caught.value.problems
        messages.append(problem.message.replace("absent", "outside"))
        assert "inside the lesson's folder" in problem.message
        assert "TOML" not in problem.message and "/etc" not in problem.message.replace(network, "")
    assert messages[0] == messages[1], "the message does not tell whether the file exists"


def test_a_symlink_out_of_the_lesson_folder_is_refused(tmp_path):
    folder = tmp_path / "course"
    (folder / "networks").mkdir(parents=True)
    (tmp_path / "outside.toml").write_text(XOR, encoding="utf-8")
    (folder / "networks" / "link.toml").symlink_to(tmp_path / "outside.toml")
    lesson = folder / "lesson.toml"
    lesson.write_text(textwrap.dedent(LESSON.format(network="link.toml")), encoding="utf-8")
    with pytest.raises(FileProblems) as caught:
        load_lesson(lesson)
    assert "inside the lesson's folder" in caught.value.problems[0].message


def test_networks_in_the_lesson_folder_tree_and_the_bundled_ones_are_found(tmp_path):
    folder = tmp_path / "course"
    (folder / "networks" / "deeper").mkdir(parents=True)
    (folder / "networks" / "deeper" / "mine.toml").write_text(XOR, encoding="utf-8")
    for name in ("deeper/mine.toml", "networks/deeper/mine.toml", "xor.toml"):
        lesson = folder / "lesson.toml"
        lesson.write_text(textwrap.dedent(LESSON.format(network=name)), encoding="utf-8")
        assert load_lesson(lesson, deep=True).pages[0].network.file.is_file()


# -- 9: files over a stated size are refused before parsing -----------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "huge.toml"
    path.write_text(XOR + "#" * MAX_FILE_BYTES, encoding="utf-8")
    with pytest.raises(FileProblems) as caught:
        read_toml(path)
    (problem,) = caught.value.problems
    assert "larger than" in problem.message and f"{MAX_FILE_BYTES // 1_000_000} MB" in problem.message
    assert read_toml(NETWORKS / "xor.toml")[0]["name"]


# -- 7: files that validate must not hang or exhaust memory -----------------------------------


def layered(*sizes: int) -> str:
    text = 'name = "big"\n'
    for index, size in enumerate(sizes):
        text += f'[[layers]]\nname = "l{index}"\nsize = {size}\n'
    return text + f"[[patterns]]\ninput = {[0.5] * sizes[0]}\ntarget = {[1] * sizes[-1]}\n"


def test_a_network_with_more_weights_than_a_trace_can_show_is_refused_with_the_limit(tmp_path):
    from engine.netfile import MAX_WEIGHTS

    (found,) = problems(tmp_path, layered(400, 400, 400, 400))
    assert found.startswith("net.toml:") and f"at most {MAX_WEIGHTS:,} weights" in found
    assert "480,000" in found
    assert problems(tmp_path, layered(30, 30, 30)) == []


@pytest.mark.parametrize("key", ["length", "test_length"])
def test_a_stream_longer_than_the_limit_is_refused_with_the_limit(tmp_path, key):
    from engine.netfile import MAX_STREAM_STEPS

    text = (NETWORKS / "temporal_xor.toml").read_text(encoding="utf-8")
    lines = [f"{key} = 1000000000" if line.split("=")[0].strip() == key else line for line in text.splitlines()]
    (found,) = problems(tmp_path, "\n".join(lines) + "\n")
    assert f"'stream.{key}' should be at most {MAX_STREAM_STEPS:g}" in found


def test_more_patterns_than_the_limit_are_refused_with_the_limit(tmp_path):
    from engine.netfile import MAX_PATTERNS

    many = XOR + "".join("[[patterns]]\ninput = [0, 1]\ntarget = [1]\n" for _ in range(MAX_PATTERNS))
    (found,) = problems(tmp_path, many)
    assert f"at most {MAX_PATTERNS}" in found and found.startswith("net.toml:")
