"""The programme page's timeline of an edition's sessions (the items of `<ol class="timeline">`),
written in Python with the markup the template loop printed (tests/catalog/test_perf_ca_programme_page.py
compares the two). Each session was some twenty tags, filters and translations in the template, the
larger part of the page's rendering; here the labels are translated once per page.

Escaping follows the template's: texts from the database, dates and times are escaped, our own
translations are printed as they are (as `{% translate %}` and `{% blocktranslate %}` print them).
"""

from __future__ import annotations

import datetime
import functools

from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from leergang.core import formatting
from leergang.core.templatetags.leergang import theme_parts

from .models import DeliveryMode, Session, SessionKind

_ITEM = """
          <li class="timeline-item{classes}">
            <p class="timeline-when">
              <time datetime="{iso}">{day}</time>
              <span class="timeline-time">{times}</span>
            </p>
            <div class="timeline-what">
              <p class="timeline-kind">{number}{closing}{mode}</p>
              <h3 class="timeline-theme">{title}</h3>
              {explanation}
              {parts}
            </div>
          </li>
        """
_PARTS = """
                <ul class="parts">{}</ul>
              """


def _trusted(text: str) -> SafeString:
    return mark_safe(text)  # noqa: S308 - our own catalogue's text, printed as {% translate %} prints it


def _parts(session: Session) -> SafeString:
    items = []
    for part in session.part_list:
        teacher = format_html(' <span class="subtle">– {}</span>', part.teacher.name) if part.teacher else ""
        items.append(format_html("<li>{}{}</li>", part.title, teacher))
    return format_html(_PARTS, _trusted("".join(items))) if items else SafeString()


def timeline(sessions: list[Session], today: datetime.date) -> SafeString:
    """The timeline's items for `sessions` (in order, each with `part_list`, see
    selectors.sessions_for_page); sessions before `today` are marked as past. Written with
    str.format, each value escaped here as format_html would (conditional_escape: our own markup and
    translations as they are, texts, dates and times escaped)."""
    closing_label = gettext("Closing session")
    number_label = gettext("Session %(number)s")
    modes = {value: escape(label) for value, label in DeliveryMode.choices}
    language = get_language()
    items = []
    for session in sessions:
        title, explanation = theme_parts(session.theme)
        closing = session.kind == SessionKind.CLOSING
        classes = (" timeline-closing" if closing else "") + (" timeline-past" if session.date < today else "")
        mode = ""
        if session.delivery_mode != DeliveryMode.ON_SITE:
            mode = format_html(' <span class="tag">{}</span>', modes.get(session.delivery_mode) or session.delivery_mode)
        items.append(
            _ITEM.format(
                classes=classes,
                iso=session.date.isoformat(),
                day=_day(language, session.date),
                times=escape(formatting.time_range(session.start_time, session.end_time)),
                number=number_label % {"number": session.number},
                closing=f" · {closing_label}" if closing and title.lower() != closing_label.lower() else "",
                mode=mode,
                title=conditional_escape(title),
                explanation=format_html("<p>{}</p>", explanation) if explanation else "",
                parts=_parts(session),
            )
        )
    return _trusted("".join(items))


# Writing out a date takes Django's date formatting some 20 µs; what a date is called in a language
# never changes.
@functools.lru_cache(maxsize=4096)
def _day(language: str | None, day: datetime.date) -> SafeString:
    return escape(formatting.long_date(day, with_weekday=True))
