"""Content written by coordinators is stored once per language (`title_nl`, `title_en`).

`translated("title")` gives a model a `title` property that reads the field of the active
language and falls back to Dutch (the programme's own language), then to any language it was written in.
"""

from django.conf import settings
from django.utils.translation import get_language

CONTENT_LANGUAGES = ("nl", "en")
FALLBACK_LANGUAGE = "nl"


def active_content_language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in CONTENT_LANGUAGES else FALLBACK_LANGUAGE


def translated(base: str) -> property:
    def getter(self) -> str:
        value = getattr(self, f"{base}_{active_content_language()}", "")
        if value:
            return value
        # Not written in this language: Dutch first, then whatever language it was written in.
        for language in (FALLBACK_LANGUAGE, *CONTENT_LANGUAGES):
            value = getattr(self, f"{base}_{language}", "")
            if value:
                return value
        return ""

    getter.__name__ = base
    return property(getter)
