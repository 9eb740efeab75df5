"""The lesson screen and a view for each kind of page."""

from tutor.screens.lesson.screen import LessonScreen

__all__ = ["LessonScreen"]
