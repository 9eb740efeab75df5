"""Issue 18, polish: one number format, and a long `bptutor train` that says it is working."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr

from tests.conftest import NETWORKS
from tests.test_cli import run


def test_the_gradient_check_writes_numbers_one_way_no_0e00_beside_0():
    text = run("trace", str(NETWORKS / "xor.toml"), "--check").stdout
    check = text[text.index("## Gradient check") :]
    assert "e+" not in check and "0.0e" not in check  # "0", not "0.0e+00", for no difference at all
    rows = [line for line in check.splitlines() if line.startswith("| hidden")]
    assert rows and all(re.fullmatch(r"\| \S+ \| \S+ \| \S+ \| (0|[\d.]+e−\d+) \|", row) for row in rows), rows


def test_a_long_training_run_writes_a_progress_line_every_few_seconds_on_stderr():
    from tutor.cli.run import _progress_lines

    now = [0.0]
    on_epoch = _progress_lines(3000, every=5.0, clock=lambda: now[0])
    err = io.StringIO()
    with redirect_stderr(err):
        for epoch in range(1, 3001):
            now[0] = epoch * 0.01  # 30 s in all
            assert on_epoch(epoch, 1.0 / epoch) is None  # never stops the run
    lines = err.getvalue().splitlines()
    assert len(lines) == 6  # one each 5 s
    assert lines[0] == "train: epoch 500/3000, tss 0.002 (5 s)"


def test_no_file_names_in_lesson_text():
    """Say what the network is ("the 8-3-8 encoder"), not its file ("encoder_838.toml", "units_sigmoid")."""
    from tutor.lessons.discover import bundled_dir, load_lesson

    stems = {path.stem for path in (bundled_dir() / "networks").glob("*.toml") if "_" in path.stem}  # not "xor"
    for path in sorted(bundled_dir().glob("*.toml")):
        for page in load_lesson(path).pages:
            words = set(re.findall(r"[\w.]+", page.text))
            named = {w for w in words if w.endswith(".toml")} | (words & stems)
            assert not named, f"{path.name}, {page.title}: {sorted(named)}"


def test_a_quiz_with_drawn_weights_does_not_call_its_hidden_units_or_and_and():
    from tutor.kinds.questions.numeric import NumericQuestion
    from tutor.lessons.discover import bundled_dir, load_lesson
    from tutor.lessons.networks import draw_network, load_ref

    lesson = load_lesson(bundled_dir() / "01_hidden_units.toml")
    question = next(
        q
        for page in lesson.pages
        for q in getattr(page, "questions", ())
        if isinstance(q, NumericQuestion) and q.randomize.weights and q.network.file.name == "xor_step.toml"
    )
    assert load_ref(question.network).layers[1].labels == ["OR", "AND"]  # the hand-built network's own
    drawn = draw_network(question, seed=3)
    assert drawn.layers[1].labels == ["h1", "h2"]
    assert "OR" not in " ".join(question.hints) and "AND" not in " ".join(question.hints)


async def test_a_markdown_table_in_page_text_is_compact():
    """A 4-row truth table took 11 lines (a rule between every row); now a header, a rule and the rows."""
    from tests.app_support import make_app

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        lesson = app.lesson("hidden-units")
        page = next(p for p in lesson.pages if p.title == "XOR: no single line will do")
        app.open_lesson("hidden-units", page.index)
        await pilot.pause()
        await pilot.pause()
        table = app.screen.view.query_one("PageText MarkdownTable")
        assert len(table.query("MarkdownTableCellContents.row4")) == 3  # the truth table: 4 rows of 3
        assert table.size.height <= 6, table.size.height
        assert "".join(cell.render().plain for cell in table.query("MarkdownTableCellContents.row2")) == "011"


def test_a_long_validate_run_writes_a_progress_line_every_few_seconds_on_stderr(tmp_path, monkeypatch, capsys):
    """`bptutor validate lessons --numbers` took long in silence when piped (one lesson alone took 24 s);
    now it says how far it got, also in the middle of one long file."""
    import shutil
    import time

    from tutor.cli import run as cli_run
    from tutor.cli.parser import main
    from tutor.lessons import validate as checks

    for name in ("xor.toml", "or_and.toml"):
        shutil.copy(NETWORKS / name, tmp_path / name)
    (tmp_path / "broken.toml").write_text("[network\n")
    check_file = checks.check_file

    def slow_check_file(path, numbers):
        time.sleep(0.2)  # each file takes four progress intervals
        return check_file(path, numbers)

    monkeypatch.setattr(checks, "check_file", slow_check_file)

    def validate(every: float) -> tuple[int, str, str]:
        monkeypatch.setattr(cli_run, "PROGRESS_EVERY", every)
        code = main(["validate", str(tmp_path), str(tmp_path / "missing.toml")])
        out, err = capsys.readouterr()
        return code, out, err

    quiet = validate(3600.0)  # a short run: no progress lines
    chatty = validate(0.05)
    assert chatty[:2] == quiet[:2] and quiet[0] == 1  # same exit code, the same problems on stdout
    assert "broken.toml" in quiet[1] and "missing.toml" in quiet[1]
    assert not [line for line in quiet[2].splitlines() if line.startswith("validate:")]
    progress = [line for line in chatty[2].splitlines() if line.startswith("validate:")]
    assert all(re.fullmatch(r"validate: \d/3 files \(\d+ s\)", line) for line in progress), progress
    done = [int(line.split()[1].split("/")[0]) for line in progress]
    assert len(done) >= 6 and done == sorted(done) and {0, 1, 2} <= set(done), progress  # during each file
    assert chatty[2].splitlines()[-1] == quiet[2].splitlines()[-1]  # the summary line, as before
