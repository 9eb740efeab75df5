"""A text page: Markdown to read (tutor.screens.lesson.views.TextView shows it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tutor.lessons.model import PAGE_COMMON, Page


@dataclass(kw_only=True)
class TextPage(Page):
    kind: ClassVar[str] = "text"
    keys: ClassVar[tuple[str, ...]] = PAGE_COMMON
    text_required: ClassVar[bool] = True
