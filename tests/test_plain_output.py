"""Issue 17 item 11: output streams that cannot take UTF-8.

With PYTHONIOENCODING=latin-1, or a C locale without UTF-8 mode, every command finishes as it would
on a UTF-8 terminal: text in plain ASCII forms of the symbols (d for ∂, s' for σ′, -> for →, sum for
Σ), never a UnicodeEncodeError or a literal `\\u03b5`; JSON with ASCII escapes, the same data.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from tests.conftest import NETWORKS, ROOT
from tutor.cli.jsonout import json_text
from tutor.plain_text import ERRORS, SCREEN_ERRORS, ascii_form, takes_unicode, to_ascii

LATIN1 = {"PYTHONIOENCODING": "latin-1"}
C_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""}
ENVIRONMENTS = {"latin-1": (LATIN1, "latin-1"), "C locale": (C_LOCALE, "ascii")}
XOR = str(NETWORKS / "xor.toml")
SRN = str(NETWORKS / "tiny_srn.toml")


def run(args: list[str], extra: dict[str, str], tty: bool = False) -> tuple[int, bytes, bytes]:
    env = {**os.environ, **extra, "COLUMNS": "120"}
    env.pop("NO_COLOR", None)
    command = [sys.executable, "-m", "tutor", *args]
    if not tty:
        done = subprocess.run(command, env=env, capture_output=True, timeout=120, cwd=ROOT)
        return done.returncode, done.stdout, done.stderr
    leader, follower = pty.openpty()  # Rich output and the progress bar are for terminals only
    process = subprocess.Popen(command, env={**env, "TERM": "xterm"}, stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    err = process.stderr.read()
    process.wait(timeout=120)
    os.close(leader)
    return process.returncode, b"".join(chunks), err


def check_clean(out: bytes, err: bytes, encoding: str, json_out: bool = False) -> str:
    for stream in (out, err):
        text = stream.decode(encoding)  # all of it is in the stream's own encoding
        assert "Traceback" not in text and "UnicodeEncodeError" not in text, text[-2000:]
        if not (json_out and stream is out):
            assert "\\u03" not in text and "\\u2" not in text  # no literal escapes in text output
    return out.decode(encoding)


@pytest.mark.parametrize("where", ENVIRONMENTS)
def test_trace_as_markdown(where):
    extra, encoding = ENVIRONMENTS[where]
    code, out, err = run(["trace", XOR], extra)
    assert code == 0
    text = check_clean(out, err, encoding)
    assert "# XOR 2-2-1 -- pattern 0" in text
    assert "dE/dw_h1,o1" in text and "dE/dn_o1" in text
    assert "learning rate eps = 0.50" in text
    if encoding == "ascii":
        assert text.isascii()


@pytest.mark.parametrize("where", ENVIRONMENTS)
def test_trace_as_json_is_the_same_data_in_ascii_escapes(where):
    extra, encoding = ENVIRONMENTS[where]
    code, out, err = run(["trace", "--json", SRN], extra)
    assert code == 0
    check_clean(out, err, encoding, json_out=True)
    assert out.isascii()
    utf8 = subprocess.run([sys.executable, "-m", "tutor", "trace", "--json", SRN], capture_output=True, cwd=ROOT)
    assert json.loads(out) == json.loads(utf8.stdout)


@pytest.mark.parametrize("where", ENVIRONMENTS)
def test_trace_on_a_terminal_through_rich(where):
    extra, encoding = ENVIRONMENTS[where]
    code, out, err = run(["trace", XOR, "--check"], extra, tty=True)
    assert code == 0
    text = check_clean(out, err, encoding)
    assert "dE/dw_h1,o1" in text and "Forward pass" in text


@pytest.mark.parametrize("where", ENVIRONMENTS)
def test_train_validate_lessons_and_help(where):
    extra, encoding = ENVIRONMENTS[where]
    code, out, err = run(["train", XOR, "--json"], extra)
    assert code == 0 and out.isascii()
    check_clean(out, err, encoding, json_out=True)
    code, out, err = run(["train", XOR], extra, tty=True)
    assert code == 0
    assert "final tss" in check_clean(out, err, encoding)
    code, out, err = run(["validate", XOR, SRN], extra)
    assert code == 0
    check_clean(out, err, encoding)
    code, out, err = run(["lessons"], extra)
    assert code == 0
    assert "chain-rule" in check_clean(out, err, encoding)
    for command in (["--help"], ["trace", "--help"], ["train", "--help"]):
        code, out, err = run(command, extra)
        assert code == 0
        check_clean(out, err, encoding)


def test_a_bad_file_is_still_reported_by_file_and_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text((NETWORKS / "xor.toml").read_text(encoding="utf-8") + "\n[training]\n", encoding="utf-8")
    code, out, err = run(["validate", str(bad)], C_LOCALE)
    assert code == 1
    text = check_clean(out, err, "ascii") + err.decode("ascii")
    assert f"{bad}:" in text


def test_ascii_forms():
    assert to_ascii("∂E/∂w = σ′(n) · Σ δ → ε") == "dE/dw = s'(n) * sum delta -> eps"
    assert to_ascii("a — b – c − d ≤ e ≥ f ≈ g") == "a -- b - c - d <= e >= f ~ g"
    assert to_ascii("w₁,₂ x²") == "w1,2 x^2"
    assert to_ascii("╭─┬─╮│├┼┤└┴┘") == "+-+-+|++++++"
    assert to_ascii("╵╶╷╴┄┆") == "|-|--|"
    assert to_ascii("─▸ ◂─ ▲") == "-> <- ^"
    assert ascii_form("█") == "#" and ascii_form("▁") == "#"
    assert ascii_form("é") == "e"
    assert ascii_form("中") == "?"
    assert "∂σ→".encode("latin-1", errors=ERRORS) == b"ds->"
    assert "a·b".encode("latin-1", errors=ERRORS) == "a·b".encode("latin-1")  # latin-1 has ·: kept


def test_on_the_screen_each_stand_in_keeps_the_columns_of_its_character():
    for text, shown in [("∂E/∂w", "dE/dw"), ("a → b", "a > b"), ("Σ_j x²", "S_j x2"), ("ε·σ′", "e*s'"), ("中", "??")]:
        assert text.encode("ascii", errors=SCREEN_ERRORS).decode() == shown
    assert "—Δ".encode("latin-1", errors=SCREEN_ERRORS) == b"-D"


def test_which_streams_take_unicode():
    class Stream:
        def __init__(self, encoding):
            self.encoding = encoding

    assert takes_unicode(Stream("utf-8")) and takes_unicode(Stream("UTF8"))
    assert not takes_unicode(Stream("latin-1")) and not takes_unicode(Stream("ANSI_X3.4-1968"))
    assert not takes_unicode(Stream("no-such-codec")) and not takes_unicode(None)


def test_json_text_in_ascii_escapes_is_the_same_json():
    data = {"σ′": ["∂E/∂w", 1.5, {"Σ": "—"}], "ok": [1, 2]}
    text = json_text(data, ascii_only=True)
    assert text.isascii() and "\\u2202" in text
    assert json.loads(text) == json.loads(json_text(data)) == data


@pytest.mark.parametrize("where", ENVIRONMENTS)
def test_the_app_draws_ascii_stand_ins(where):
    """The real app in a terminal of that encoding: it starts, draws the lessons, and quits on q."""
    import select
    import time

    extra, encoding = ENVIRONMENTS[where]
    env = {**os.environ, **extra, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "tutor"], env=env, stdin=follower, stdout=follower, stderr=follower, cwd=ROOT
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline and b"credit" not in seen:
            if select.select([leader], [], [], 0.5)[0]:
                seen += os.read(leader, 65536)
        os.write(leader, b"q")
        while time.monotonic() < deadline and process.poll() is None:
            if select.select([leader], [], [], 0.2)[0]:
                try:
                    seen += os.read(leader, 65536)
                except OSError:
                    break
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    text = seen.decode(encoding)
    assert "credit" in text and "Traceback" not in text
    assert "\\u" not in text  # no symbol drawn as a literal escape
    if encoding == "ascii":
        assert text.isascii()
