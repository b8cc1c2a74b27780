"""The programme office's list of programmes on the overview (accounts:dashboard), written in Python.

With eleven programmes and some fifty editions the template's loop (a dozen tags and variables per
programme, twenty per edition) was a good part of the page's time; here the labels are translated
and the URL patterns filled in once per request, and every item is one `str.format`. The markup is
exactly what the loop of accounts/dashboard.html wrote (tests/accounts/test_office_list.py compares
them, in both languages and in every state an item can be in).
"""

from __future__ import annotations

import html
from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from leergang.catalog import edition_lists
from leergang.catalog.models import EditionStatus

# One programme: its page, whether it is published, its current editions and a link to the archive.
_PROGRAMME = """
          <li><a href="{url}">{title}</a>{unpublished}
            {editions}{archive}</li>
        """
_EDITIONS = """
            <ul class="edition-list">
              {items}
            </ul>
            """
_ARCHIVE = """
            <p class="edition-archive-link"><a href="{url}">{label}<span class="visually-hidden"> – {title}</span></a></p>
            """
_NO_PROGRAMMES = """
          <li>{}</li>
        """
_ITEM_SEPARATOR = "\n              "

# One edition: its name and status, and links to five of its pages, each naming the edition for
# screen readers. `{{pk}}` and the labels are filled in per request (see _edition_template).
_EDITION = """<li><span>{{name}} <span class="muted">({{status}})</span></span>
                  <a href="{sessions}">{label_sessions}<span class="visually-hidden"> ({{name}})</span></a>
                  <a href="{schedule}">{label_schedule}<span class="visually-hidden"> ({{name}})</span></a>
                  <a href="{inbox}">{{applications}}<span class="visually-hidden"> ({{name}})</span></a>
                  <a href="{awards}">{label_diplomas}{{warning}}<span class="visually-hidden"> ({{name}})</span></a>
                  <a href="{money}">{label_money}<span class="visually-hidden"> ({{name}})</span></a></li>"""
_WARNING = """ <span class="award-warning">({})</span>"""


def _braced(text: str) -> str:
    """`text` as a literal part of a format string."""
    return text.replace("{", "{{").replace("}", "}}")


def _edition_template() -> str:
    """_EDITION with this request's URL patterns (the edition's id as `{pk}`) and labels filled in:
    what is left per edition is its name, status and counts. The labels are printed as they are, as
    {% translate %} prints them; the URLs come escaped from edition_lists."""
    patterns = {key: _braced(pattern).replace("{{}}", "{pk}") for key, pattern in edition_lists.edition_page_patterns().items()}
    labels = {
        "label_sessions": gettext("Sessions and learning"),
        "label_schedule": gettext("Schedule"),
        "label_diplomas": gettext("Diplomas"),
        "label_money": gettext("Money"),
    }
    return _EDITION.format(**patterns, **{key: _braced(label) for key, label in labels.items()})


class _Counted(dict):
    """Counted labels by number, each translated once per request (most editions show the same few)."""

    def __init__(self, label):
        super().__init__()
        self.label = label

    def __missing__(self, n: int) -> str:
        self[n] = text = self.label(n)
        return text


def _applications(n: int) -> str:
    return ngettext("Applications (%(counter)s new)", "Applications (%(counter)s new)", n) % {"counter": n}


def _out_of_reach(n: int) -> str:
    return _WARNING.format(ngettext("%(counter)s out of reach", "%(counter)s out of reach", n) % {"counter": n}) if n else ""


def _edition_items(editions: list, template: str, applications: _Counted, warnings: _Counted, statuses: dict) -> str:
    return _ITEM_SEPARATOR.join(
        template.format(
            pk=edition.pk,
            name=edition_lists.edition_name(edition),
            status=statuses.get(edition.status) or html.escape(edition.status).lower(),
            applications=applications[edition.new_applications],
            warning=warnings[edition.out_of_reach],
        )
        for edition in editions
    )


def programme_items(programmes: list[Any], *, can_manage_editions: bool) -> SafeString:
    """The items of the overview's list of programmes (office_overview.programmes gives them their
    `url`, `archive_url`, `edition_count`, `current_editions` and, on each edition, the counts
    `new_applications` and `out_of_reach`). Every value is escaped here."""
    if not programmes:
        return mark_safe(_NO_PROGRAMMES.format(gettext("There are no programmes yet.")))  # noqa: S308 - our catalogue's text
    not_published = gettext("not published")  # outside the f-string, where makemessages finds it
    unpublished = f' <span class="muted">({not_published})</span>'
    if can_manage_editions:
        template = _edition_template()
        applications, warnings = _Counted(_applications), _Counted(_out_of_reach)
        # As the template's `get_status_display|lower` wrote them (lower case keeps escaped text escaped).
        statuses = {value: html.escape(str(label)).lower() for value, label in EditionStatus.choices}
    written = []
    for programme in programmes:
        title = html.escape(programme.title)
        editions = archive = ""
        if can_manage_editions:
            current = programme.current_editions
            if current:
                editions = _EDITIONS.format(items=_edition_items(current, template, applications, warnings, statuses))
            if programme.edition_count > len(current):
                label = gettext("All editions (%(count)s)") % {"count": programme.edition_count}
                archive = _ARCHIVE.format(url=conditional_escape(programme.archive_url), label=label, title=title)
        written.append(
            _PROGRAMME.format(
                url=conditional_escape(programme.url),
                title=title,
                unpublished="" if programme.published else unpublished,
                editions=editions,
                archive=archive,
            )
        )
    # Every value is escaped above; the translations are our catalogue's, printed as the template did.
    return mark_safe("".join(written))  # noqa: S308
