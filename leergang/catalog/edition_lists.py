"""Lists of editions with a row per edition: the programme office's overview and its archive of
all editions, and the editions of a programme on its page. Each edition's name, status and links
are worked out here once per list.

The office's lists show some fifty editions with five links each, a programme page some forty
editions. Reversing the same URL patterns (`{% url %}`), writing out dates and translating and
escaping the same words for every row was most of those pages' time; here each pattern is reversed
once per request and the ids are formatted into it, and the values come out escaped (safe strings),
so printing them costs nothing more.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from leergang.core import formatting

from .models import Edition, EditionStatus

# The pages of an edition the office's lists link to, by the key the templates use.
EDITION_PAGES = {
    "sessions": "learning_sessions:edition",
    "schedule": "schedule:page",
    "inbox": "inbox:edition",
    "awards": "awards:edition",
    "money": "money:edition",
}
_SENTINEL = 987654321


def url_pattern(name: str, **kwargs: object) -> SafeString:
    """The URL of `name` (escaped) with `{}` where the value of its one argument was: give it a value
    that does not occur in the rest of the URL, and format in values that need no escaping (ids, slugs)."""
    (value,) = kwargs.values()
    return escape(reverse(name, kwargs=kwargs).replace(str(value), "{}"))


def edition_page_patterns() -> dict[str, SafeString]:
    """EDITION_PAGES as URL patterns with `{}` for the edition's id (one reverse per page, not per row)."""
    return {key: url_pattern(name, edition_id=_SENTINEL) for key, name in EDITION_PAGES.items()}


def start_date(edition: Edition) -> SafeString:
    """ "13 January 2021", in the active language (escaped)."""
    return _long_date(get_language(), edition.start_date)


def edition_name(edition: Edition) -> SafeString:
    """ "Edition starting 13 January 2021", in the active language (escaped)."""
    return _edition_name(get_language(), edition.start_date)


def start_date_in(language: str | None, day: datetime.date) -> SafeString:
    """A start date (as `start_date`) in `language`, for lists that ask for the language once."""
    return _long_date(language, day)


def name_for(day: datetime.date) -> SafeString:
    """An edition's name (as `edition_name`) from its start date."""
    return _edition_name(get_language(), day)


# Writing out a date takes Django's date formatting some 20 µs; the lists name the same editions on
# every visit, and what a date is called in a language never changes.
@functools.lru_cache(maxsize=4096)
def _long_date(language: str | None, day: datetime.date) -> SafeString:
    return escape(formatting.long_date(day))


@functools.lru_cache(maxsize=4096)
def _edition_name(language: str | None, day: datetime.date) -> SafeString:
    return escape(gettext("Edition starting %(date)s") % {"date": formatting.long_date(day)})


def with_names_and_links(editions: Iterable[Edition]) -> list[Edition]:
    """Give every edition `name`, `status_label` and `links` (its pages by EDITION_PAGES key), all
    escaped."""
    patterns = edition_page_patterns()
    labels = {value: escape(label) for value, label in EditionStatus.choices}
    editions = list(editions)
    for edition in editions:
        edition.name = edition_name(edition)
        edition.status_label = labels.get(edition.status) or escape(edition.status)
        edition.links = {key: SafeString(pattern.format(edition.pk)) for key, pattern in patterns.items()}
    return editions
