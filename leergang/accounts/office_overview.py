"""The programme office's part of the overview (accounts:dashboard): every programme with the
editions the office works on, each edition with its counts (new applications, the early warning)
and links to five of its pages. A fixed number of queries however many programmes and editions.

The list is written in Python (office_list), not by the template: with some fifty editions, the
template's twenty tags and variables per edition were most of the page's time.
"""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse
from django.utils.safestring import SafeString

from leergang.awards import selectors as award_selectors
from leergang.catalog import edition_lists
from leergang.catalog.models import EditionStatus

from . import office_list, office_reads, permissions


def programme_list(user) -> SafeString:
    """The items of the overview's list of the programmes the coordinator `user` sees, for whoever
    manages editions each with its current editions (see catalog_selectors.RECENTLY_COMPLETED_DAYS;
    the archive has the rest) and their counts (office_list writes them)."""
    return office_list.programme_items(programmes(user), can_manage_editions=permissions.can_manage_editions(user))


def programmes(user) -> list:
    """The programmes the coordinator `user` sees on the overview, each with `url`, `archive_url`,
    `edition_count` and `current_editions`, for whoever manages editions each edition with its
    counts `new_applications` and `out_of_reach`."""
    found = _with_urls(office_reads.programmes_with_current_editions(user))
    if permissions.can_manage_editions(user):
        found = _with_out_of_reach(found)
    return found


def _with_out_of_reach(programmes: list) -> list:
    """Give every edition `out_of_reach`: how many of its participants can no longer reach the
    diploma (the early warning, M18); counted for all running and open editions at once."""
    editions = []
    for programme in programmes:
        for edition in programme.current_editions:
            edition.out_of_reach = 0
            if edition.status in (EditionStatus.OPEN, EditionStatus.RUNNING):
                editions.append(edition)
    counts = award_selectors.out_of_reach_counts(editions)
    for edition in editions:
        edition.out_of_reach = counts.get(edition.pk, 0)
    return programmes


def _with_urls(programmes: list) -> list:
    """Give every programme on the overview `url` (its page) and `archive_url` (its editions in the
    archive), each pattern reversed once per request."""
    page = edition_lists.url_pattern("catalog:programme", slug="x0x0x")  # slugs need no escaping
    archive = reverse("catalog:editions")
    for programme in programmes:
        programme.url = SafeString(page.format(programme.slug))
        programme.archive_url = f"{archive}?programma={quote(programme.slug, safe='/')}"  # as |urlencode
    return programmes
