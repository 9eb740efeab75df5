"""docs/authoring.md: its complete example lesson and network validate, every number checked, and the
problems it shows `bptutor validate` reporting are the ones the command really reports."""

from __future__ import annotations

import re
from pathlib import Path

from tutor.lessons import load_lesson
from tutor.lessons.validate import validate_paths

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")


def example_files() -> dict[str, str]:
    """The guide's TOML blocks whose first line names a file: '# my-course/and-unit.toml'."""
    files = {}
    for block in re.findall(r"```toml\n(.*?)```", GUIDE, flags=re.S):
        first, _, _ = block.partition("\n")
        if first.startswith("# my-course/"):
            files[first.removeprefix("# ").strip()] = block
    return files


def write_example(folder: Path) -> Path:
    for name, text in example_files().items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder / "my-course"


def test_the_guide_has_a_lesson_and_a_network():
    assert set(example_files()) == {"my-course/and-unit.toml", "my-course/networks/and_unit.toml"}


def test_the_complete_example_validates_with_every_number_checked(tmp_path):
    course = write_example(tmp_path)
    problems, checked = validate_paths([course], numbers=True)
    assert [str(p) for p in problems] == [] and checked == 2
    lesson = load_lesson(course / "and-unit.toml")
    assert [page.kind for page in lesson.pages] == ["text", "trace", "train", "quiz", "text"]
    assert lesson.pages[1].network.file == course / "networks" / "and_unit.toml"


def test_the_problems_the_guide_shows_are_the_ones_validate_reports(tmp_path):
    course = write_example(tmp_path)
    lesson = course / "and-unit.toml"
    text = lesson.read_text(encoding="utf-8")
    text = text.replace(".475021", ".475012")  # a typo, in the text and in its declaration
    text = text.replace("from about .5 toward 0.", "from about .5 toward .02.")  # a number not declared
    lesson.write_text(text, encoding="utf-8")
    problems, _ = validate_paths([course], numbers=True)
    got = [str(p).replace(str(tmp_path) + "/", "") for p in problems]
    shown = GUIDE.split("you would see:\n\n```text\n", 1)[1].split("```", 1)[0].splitlines()
    assert got == shown


def test_the_commands_that_look_at_a_network_run_and_are_counted_right(tmp_path, monkeypatch, capsys):
    """Section 3's console block: as many commands as the sentence before it says, each runs, and the
    --weight command traces a pattern where that weight's gradient is not 0."""
    import json
    import shlex

    from tutor.cli.parser import main

    intro, block = re.search(
        r"(\w+) commands let you look at a network[^\n]*\n\n```console\n(.*?)```", GUIDE, re.S
    ).groups()
    lines = [line.removeprefix("$ ").split("  #")[0].strip() for line in block.splitlines()]
    numbers = {"Two": 2, "Three": 3, "Four": 4, "Five": 5}
    assert numbers[intro] == len(lines)
    write_example(tmp_path)
    monkeypatch.chdir(tmp_path)
    for line in lines:
        args = shlex.split(line)
        assert args[0] == "bptutor"
        assert main(args[1:]) == 0, line
        capsys.readouterr()
        if "--weight" in args:
            weight = args[args.index("--weight") + 1]
            assert main([*args[1:], "--json"]) == 0
            trace = json.loads(capsys.readouterr().out)
            array, to, frm = re.fullmatch(r"(\w+)\[(\d+)\]\[(\d+)\]", weight).groups()
            assert trace["gradients"][array][int(to)][int(frm)] != 0, line
