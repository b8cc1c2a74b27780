"""The programme office's part of the overview (accounts:dashboard): every programme with the
editions the office works on, each edition with its counts (new applications, the early warning)
and links to five of its pages. A fixed number of queries however many programmes and editions.

The editions' list items are rendered here rather than in the template: with some fifty editions,
the template's twenty tags and variables per edition (URLs reversed, labels translated, names
escaped six times) were most of the page's time. The markup is the template's as it was.
"""

from __future__ import annotations

import functools
from urllib.parse import quote

from django.db.models import Count
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from leergang.awards import selectors as award_selectors
from leergang.catalog import edition_lists
from leergang.catalog import selectors as catalog_selectors
from leergang.catalog.models import EditionStatus
from leergang.enrolment.models import Application, ApplicationStatus

from . import permissions


def programmes(user) -> list:
    """The programmes the coordinator `user` sees on the overview, each with `url`, `archive_url`,
    `edition_count` and, for whoever manages editions, `edition_items` (its current editions, see
    catalog_selectors.RECENTLY_COMPLETED_DAYS; the archive has the rest)."""
    found = _with_urls(catalog_selectors.programmes_with_current_editions(user))
    if permissions.can_manage_editions(user):
        found = _with_edition_items(_with_out_of_reach(_with_new_applications(found)))
    return found


def _with_new_applications(programmes: list) -> list:
    """Give every edition on the overview `new_applications`: its applications still to be handled
    (status submitted), counted for those editions in one query."""
    editions = [edition for programme in programmes for edition in programme.current_editions]
    # By id: model instances in `edition__in` are each checked and converted first.
    submitted = Application.objects.filter(status=ApplicationStatus.SUBMITTED, edition_id__in=[e.pk for e in editions])
    counts = dict(submitted.order_by().values_list("edition_id").annotate(n=Count("pk"))) if editions else {}
    for edition in editions:
        edition.new_applications = counts.get(edition.pk, 0)
    return programmes


def _with_out_of_reach(programmes: list) -> list:
    """Give every edition `out_of_reach`: how many of its participants can no longer reach the
    diploma (the early warning, M18); counted for all running and open editions at once."""
    editions = []
    for programme in programmes:
        for edition in programme.current_editions:
            edition.programme = programme  # already loaded: the count reads its award rule
            edition.out_of_reach = 0
            if edition.status in (EditionStatus.OPEN, EditionStatus.RUNNING):
                editions.append(edition)
    counts = award_selectors.out_of_reach_counts(editions)
    for edition in editions:
        edition.out_of_reach = counts.get(edition.pk, 0)
    return programmes


# One edition on the overview: its name and status, and links to five of its pages, each naming the
# edition for screen readers. Rendered here rather than in the template: with some fifty editions,
# the template's twenty tags and variables per edition were most of the page's time.
_EDITION_ITEM = """<li><span>{name} <span class="muted">({status})</span></span>
                  <a href="{sessions}">{label_sessions}<span class="visually-hidden"> ({name})</span></a>
                  <a href="{schedule}">{label_schedule}<span class="visually-hidden"> ({name})</span></a>
                  <a href="{inbox}">{applications}<span class="visually-hidden"> ({name})</span></a>
                  <a href="{awards}">{label_diplomas}{warning}<span class="visually-hidden"> ({name})</span></a>
                  <a href="{money}">{label_money}<span class="visually-hidden"> ({name})</span></a></li>"""
_WARNING = """ <span class="award-warning">({})</span>"""


def _trusted(text: str) -> SafeString:
    """A translation (with numbers filled in) printed as it is, as {% translate %} prints it."""
    return mark_safe(text)  # noqa: S308 - our own catalogue's text, no user input


@functools.lru_cache(maxsize=1024)
def _counted(singular: str, plural: str, language: str | None, n: int) -> SafeString:
    """A counted label ("Applications (3 new)"); most editions show the same few numbers."""
    return _trusted(ngettext(singular, plural, n) % {"counter": n})


def _edition_item(edition, labels: dict[str, SafeString], language: str | None) -> SafeString:
    """`edition` as an item of the overview's list (see _EDITION_ITEM); its name, status and links
    from edition_lists.with_names_and_links, its counts from _with_new_applications and _with_out_of_reach."""
    applications = _counted(
        "Applications (%(counter)s new)", "Applications (%(counter)s new)", language, edition.new_applications
    )
    reach = edition.out_of_reach
    warning = _counted("%(counter)s out of reach", "%(counter)s out of reach", language, reach) if reach else ""
    # Every value is escaped or trusted already (safe strings), so str.format gives what format_html
    # would, without inspecting each of the fifteen values of fifty items.
    return _trusted(
        _EDITION_ITEM.format(
            name=edition.name,
            status=edition.status_label.lower(),  # lower case keeps escaped text escaped
            applications=applications,
            warning=_WARNING.format(warning) if warning else "",
            **edition.links,
            **labels,
        )
    )


def _with_edition_items(programmes: list) -> list:
    """Give every programme on the overview `edition_items`: its current editions as list items, for
    editions with `new_applications` and `out_of_reach`. The URL patterns are reversed and the
    labels translated once per request."""
    labels = {
        "label_sessions": _trusted(gettext("Sessions and learning")),
        "label_schedule": _trusted(gettext("Schedule")),
        "label_diplomas": _trusted(gettext("Diplomas")),
        "label_money": _trusted(gettext("Money")),
    }
    language = get_language()
    edition_lists.with_names_and_links(edition for programme in programmes for edition in programme.current_editions)
    for programme in programmes:
        items = (_edition_item(edition, labels, language) for edition in programme.current_editions)
        programme.edition_items = _trusted("\n              ".join(items))
    return programmes


def _with_urls(programmes: list) -> list:
    """Give every programme on the overview `url` (its page) and `archive_url` (its editions in the
    archive), each pattern reversed once per request."""
    page = edition_lists.url_pattern("catalog:programme", slug="x0x0x")  # slugs need no escaping
    archive = reverse("catalog:editions")
    for programme in programmes:
        programme.url = page.format(programme.slug)
        programme.archive_url = f"{archive}?programma={quote(programme.slug, safe='/')}"  # as |urlencode
    return programmes
