"""The learner's record taken away and brought back: the text to download, a downloaded text checked
and merged into the current record, and the summary `bptutor progress` prints.

A record brought back is checked exactly as a progress file is (tutor.progress); a bad one is refused
with the reason, and the current record is not touched. Merging never loses anything either side has:
pages done are joined, best scores and attempts are the higher of the two, a flag set on either side
stays set, and where both sides have one value (the place to continue from, a pattern chosen, an
answer shown on a quiz page) the current record's is kept. Merging a record into itself changes
nothing, so loading the same download twice is harmless.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.progress import VERSION, Progress, _check, _reason, merge_learning, review_summary

if TYPE_CHECKING:
    from tutor.lessons import Found

DOWNLOAD_NAME = "bptutor-progress.json"
SESSION_ENV = "BPTUTOR_SESSION"  # "1" in a session of `bptutor serve`, whose record goes when its tab closes
MAX_CHARS = 5_000_000  # far more than any record; a bigger text is not one


class BadRecord(ValueError):
    """A text that is not a progress record this version can load; the message says what is wrong."""


def in_served_session() -> bool:
    """Is this app a browser session of `bptutor serve` (whose record is only kept while its tab is open)?"""
    return os.environ.get(SESSION_ENV) == "1"


def record_text(progress: Progress) -> str:
    """The record as the progress file holds it: what "Download my progress" hands the learner."""
    return json.dumps(progress.data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def parse_record(text: str) -> dict[str, Any]:
    """A downloaded record, checked like a progress file; BadRecord says what is wrong with it."""
    if not text.strip():
        raise BadRecord("it is empty")
    if len(text) > MAX_CHARS:
        raise BadRecord("it is far too long to be a progress record")
    try:
        data = json.loads(text)
        _check(data)
    except Exception as err:
        raise BadRecord(f"it is not a bptutor progress record: {_reason(err)}") from None
    if data["version"] > VERSION:
        raise BadRecord(f"it was written by a newer bptutor (format {data['version']}); update bptutor to load it")
    return data


def merge_record(current: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """`current` with everything `incoming` adds (see the module's docstring); neither is changed."""
    merged = _keep_first(current, incoming)
    merged["version"] = VERSION
    lessons = dict(incoming.get("lessons", {}))
    for lesson_id, entry in current.get("lessons", {}).items():
        lessons[lesson_id] = _merge_lesson(entry, lessons[lesson_id]) if lesson_id in lessons else entry
    merged["lessons"] = lessons
    merged["last"] = current.get("last") or incoming.get("last")
    merged.update(merge_learning(current, incoming))  # review cards and prediction counts, idempotently
    return merged


def load_into(progress: Progress, text: str) -> int:
    """Merge a downloaded record into `progress` (not saved here). Returns how many lessons it brought."""
    if not progress.writable:
        raise BadRecord("your current record cannot be saved this session, so nothing can be loaded into it")
    incoming = parse_record(text)
    progress.data = merge_record(progress.data, incoming)
    return len(incoming.get("lessons", {}))


def _keep_first(a: dict, b: dict) -> dict:
    """Every key of both; a's value where both have one (keys this version does not know are kept too)."""
    return {**b, **a}


def _merge_lesson(a: dict, b: dict) -> dict:
    merged = _keep_first(a, b)
    if "pages_done" in a or "pages_done" in b:
        merged["pages_done"] = sorted(set(a.get("pages_done", [])) | set(b.get("pages_done", [])))
    if "done" in a or "done" in b:
        merged["done"] = bool(a.get("done") or b.get("done"))
    if "page" in a and "page" in b:
        merged["page"] = max(a["page"], b["page"])
    if "steps" in a and "steps" in b:
        merged["steps"] = {k: max(a["steps"].get(k, 0), b["steps"].get(k, 0)) for k in {*a["steps"], *b["steps"]}}
    if "patterns" in a and "patterns" in b:
        merged["patterns"] = _keep_first(a["patterns"], b["patterns"])
    if "quizzes" in a and "quizzes" in b:
        merged["quizzes"] = _merge_table(a["quizzes"], b["quizzes"], _merge_quiz)
    return merged


def _merge_quiz(a: dict, b: dict) -> dict:
    merged = _merge_scores(a, b)
    if "mastered" in a or "mastered" in b:
        merged["mastered"] = bool(a.get("mastered") or b.get("mastered"))
    if "questions" in a and "questions" in b:
        merged["questions"] = _merge_table(a["questions"], b["questions"], _merge_scores)
    return merged


def _merge_scores(a: dict, b: dict) -> dict:
    """best: the higher; attempts: the more; last: that of the side with more attempts (a's on a tie)."""
    merged = _keep_first(a, b)
    if b.get("attempts", 0) > a.get("attempts", 0) and "last" in b:
        merged["last"] = b["last"]
    for key in ("best", "attempts"):
        if key in a and key in b:
            merged[key] = max(a[key], b[key])
    return merged


def _merge_table(a: dict, b: dict, merge) -> dict:
    """Two tables keyed by page (or question) number: entries on both sides merged, the rest kept."""
    return {k: merge(a[k], b[k]) if k in a and k in b else a.get(k, b.get(k)) for k in {*a, *b}}


# -- `bptutor progress` -----------------------------------------------------------------------------


def summary(progress: Progress, found: Found) -> dict[str, Any]:
    """The record, lesson by lesson (installed lessons first, in order; then those not installed)."""
    lessons = []
    for lesson in found.lessons:
        status = progress.lesson_overview(lesson)
        mastery = status.mastery
        lessons.append(
            {
                "id": lesson.id,
                "title": lesson.title,
                "installed": True,
                "state": status.state,
                "page": status.page,
                "pages": status.of,
                "pages_done": status.pages_done,
                "quiz_score": status.score,
                "mastery": None
                if mastery is None
                else {
                    "score": mastery.score,
                    "answered": mastery.answered,
                    "total": mastery.total,
                    "mastered": mastery.mastered,
                    "spaced": mastery.spaced,
                },
            }
        )
    installed = {lesson.id for lesson in found.lessons}
    for lesson_id, entry in sorted(progress.data.get("lessons", {}).items()):
        if lesson_id not in installed:
            lessons.append(
                {
                    "id": lesson_id,
                    "title": None,
                    "installed": False,
                    "state": "done" if entry.get("done") else "in_progress",
                    "page": entry.get("page", 0),
                    "pages": None,
                    "pages_done": len(entry.get("pages_done", [])),
                    "quiz_score": None,
                    "mastery": None,
                }
            )
    return {
        "file": str(progress.path),
        "last": progress.data.get("last"),
        "lessons": lessons,
        **review_summary(progress),  # reviews due today, the schedule, predictions asked/right by term kind
    }


STATE_WORDS = {"done": "done", "in_progress": "in progress", "not_started": "not started"}


def summary_lines(data: dict[str, Any]) -> list[str]:
    """The summary as a table for people: one lesson a line."""
    rows = [("lesson", "state", "pages done", "quiz mastery")]
    for lesson in data["lessons"]:
        pages = f"{lesson['pages_done']}/{lesson['pages']}" if lesson["pages"] else str(lesson["pages_done"])
        mastery = lesson["mastery"]
        if mastery is None:
            quiz = "-"
        elif not mastery["answered"]:
            quiz = f"none tried ({mastery['total']} questions)"
        else:
            quiz = f"{round(mastery['score'] * 100)}% ({mastery['answered']}/{mastery['total']} tried)"
            if mastery["mastered"]:
                quiz += " mastered"
        state = STATE_WORDS[lesson["state"]] + ("" if lesson["installed"] else " (not installed)")
        rows.append((lesson["id"], state, pages, quiz))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:<{widths[2]}}  {d}".rstrip() for a, b, c, d in rows]
    last = data["last"]
    where = f"{last['lesson']}, page {last['page'] + 1}" if last else "nothing yet"
    return [f"Record: {data['file']}", f"Continue from: {where}", "", *lines]


def progress_command(import_file: str | None, as_json: bool, found: Found) -> int:
    """`bptutor progress [--import FILE] [--json]`: merge a downloaded record in, then print the record."""
    progress, message = Progress.load()
    if message:
        print(message, file=sys.stderr)
    if import_file is not None:
        try:
            text = Path(import_file).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            print(f"{import_file}: not UTF-8 text", file=sys.stderr)
            return 1
        except OSError as err:
            print(f"{import_file}: {err.strerror or err}", file=sys.stderr)
            return 1
        try:
            brought = load_into(progress, text)
        except BadRecord as err:
            print(f"{import_file}: {err}", file=sys.stderr)
            return 1
        failed = progress.save()
        if failed:
            print(failed, file=sys.stderr)
            return 1
        lessons = f"{brought} lesson" + ("" if brought == 1 else "s")
        print(f"{import_file}: merged into {progress.path} ({lessons})", file=sys.stderr)
    data = summary(progress, found)
    if as_json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print("\n".join(summary_lines(data)))
    return 0
