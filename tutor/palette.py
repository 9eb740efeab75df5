"""The command palette (ctrl+p): jump to any lesson or page, and run the current screen's actions.

Every page of every lesson is found by its title; a word typed that a page's text holds finds that
page too, shown with the words around it.
"""

from __future__ import annotations

import re
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class LessonCommands(Provider):
    """Lessons, the pages of the lesson on screen, and every action the screen's keys run."""

    def _commands(self) -> list[tuple[str, object, str]]:
        app, screen = self.app, self.screen
        commands = []
        for lesson in app.found.lessons:
            commands.append((f"Lesson: {lesson.title}", partial(app.open_lesson, lesson.id), lesson.summary))
        for lesson, page in _pages(app):
            commands.append(
                (_page_name(lesson, page), partial(app.open_lesson, lesson.id, page.index), f"{page.kind} page")
            )
        commands += list(getattr(screen, "palette_commands", list)())
        for node, binding, key in _screen_actions(screen):
            commands.append((binding.description, partial(node.run_action, binding.action), f"key {key}"))
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        titles = set()
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                titles.add(name)
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
        words = " ".join(query.split()).lower()
        if len(words) < MIN_TEXT_QUERY:
            return
        for lesson, page in _pages(self.app):
            name = _page_name(lesson, page)
            around = _words_around(_page_text(page), words)
            if around is not None and name not in titles:
                yield Hit(TEXT_SCORE, f"{name}: …{around}…", partial(self.app.open_lesson, lesson.id, page.index))


MIN_TEXT_QUERY = 3  # characters: shorter queries search titles only
TEXT_SCORE = 0.2  # a match in a page's text ranks below a match in a title
AROUND = 30  # characters shown on each side of a match in a page's text


def _pages(app):
    """(lesson, page) for every page of every lesson found."""
    for lesson in app.found.lessons:
        for page in lesson.pages:
            yield lesson, page


def _page_name(lesson, page) -> str:
    return f"{lesson.title} › {page.index + 1}. {page.title}"


def _page_text(page) -> str:
    """What a page says: its text, and the prompts of its questions."""
    prompts = [question.prompt for question in getattr(page, "questions", ())]
    return " ".join([page.text, *prompts])


def _words_around(text: str, words: str) -> str | None:
    """The words around the first place `text` holds `words` (case and line breaks ignored), or None."""
    flat = " ".join(re.sub(r"[*_`#>|]", "", text).split())
    at = flat.lower().find(words)
    if at < 0:
        return None
    return flat[max(0, at - AROUND) : at + len(words) + AROUND]


def _screen_actions(screen):
    """The actions of the screen's keys (and its focused widgets'), once each: (node, binding, key shown)."""
    seen = set()
    for active in screen.active_bindings.values():
        node, binding = active.node, active.binding
        if not binding.description or not active.enabled or (node, binding.action) in seen:
            continue
        if node is screen.app:
            continue  # quit, help and the palette are the app's own commands
        seen.add((node, binding.action))
        yield node, binding, binding.key_display or screen.app.get_key_display(binding)
