"""The command palette (ctrl+p): jump to any lesson or page, and run the current screen's actions."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class LessonCommands(Provider):
    """Lessons, the pages of the lesson on screen, and every action the screen's keys run."""

    def _commands(self) -> list[tuple[str, object, str]]:
        app, screen = self.app, self.screen
        commands = []
        for lesson in app.found.lessons:
            commands.append((f"Lesson: {lesson.title}", partial(app.open_lesson, lesson.id), lesson.summary))
        commands += list(getattr(screen, "palette_commands", list)())
        for node, binding, key in _screen_actions(screen):
            commands.append((binding.description, partial(node.run_action, binding.action), f"key {key}"))
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


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
