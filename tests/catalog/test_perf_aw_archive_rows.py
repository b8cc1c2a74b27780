"""The archive of all editions reads a page of plain rows (not model instances of the editions and
their programmes) and writes its table rows with str.format (performance bar P2): the rows print
exactly what the former rows printed (format_html over whole editions with their names and links),
in both languages, for titles that need escaping, a programme written only in Dutch and every status,
filtered or not; and the whole page is the same."""

import datetime

import pytest
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from leergang.catalog import edition_lists, selectors, views
from leergang.catalog.models import EditionStatus
from tests import factories

pytestmark = pytest.mark.django_db


def former_rows(editions) -> SafeString:
    """views._archive_rows as it was, over whole editions (the reference)."""
    labels = {
        key: mark_safe(text)  # noqa: S308 - our own catalogue's text
        for key, text in {
            "label_programme": pgettext("a course, as offered", "Programme"),
            "label_status": gettext("Status"),
            "label_pages": gettext("Pages"),
            "label_sessions": gettext("Sessions and learning"),
            "label_schedule": gettext("Schedule"),
            "label_inbox": gettext("Applications"),
            "label_awards": gettext("Diplomas"),
            "label_money": gettext("Money"),
        }.items()
    }
    programme_url = edition_lists.url_pattern("catalog:programme", slug="x0x0x")
    rows = []
    for edition in edition_lists.with_names_and_links(editions):
        rows.append(
            format_html(
                views._ARCHIVE_ROW,
                pk=edition.pk,
                status=edition.status,
                programme_url=SafeString(programme_url.format(edition.programme.slug)),
                name=edition.name,
                programme=edition.programme.title,
                status_label=edition.status_label,
                **edition.links,
                **labels,
            )
        )
    return mark_safe("\n      ".join(rows))  # noqa: S308


@pytest.fixture
def editions(db):
    programmes = [
        factories.ProgrammeFactory(title_nl="Recht & <Bestuur>", title_en='Law & "Government"', slug="recht-bestuur"),
        factories.ProgrammeFactory(title_nl="Alleen 'Nederlands'", title_en=""),
        factories.ProgrammeFactory(published=False),
    ]
    day = datetime.date(2024, 9, 2)
    for index in range(24):
        factories.EditionFactory(
            programme=programmes[index % 3],
            status=EditionStatus.values[index % 4],
            start_date=day + datetime.timedelta(days=35 * (index % 9)),
        )
    return programmes


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_archive_rows_print_what_they_printed(editions, coordinator, language):
    with translation.override(language):
        for programme in (None, *editions):
            for status in ("", *EditionStatus.values):
                queryset = selectors.archived_editions(coordinator, programme=programme, status=status)
                written = views._archive_rows(list(queryset.values_list(*views.ARCHIVE_ROW_FIELDS)))
                assert written == former_rows(list(queryset))
                assert isinstance(written, SafeString)
        title = {"nl": "Recht &amp; &lt;Bestuur&gt;", "en": "Law &amp; &quot;Government&quot;"}[language]
        assert title in views._archive_rows(selectors.archived_editions(coordinator).values_list(*views.ARCHIVE_ROW_FIELDS))


def test_the_archive_page_is_what_it_was(client, editions, coordinator, monkeypatch):
    client.force_login(coordinator)
    monkeypatch.setattr(views, "ARCHIVE_PAGE_SIZE", 10)  # three pages
    for language in ("nl", "en"):
        for query in ("", "?status=open", f"?programma={editions[0].slug}", "?page=2", "?page=3"):
            url = f"/{language}/coordinatie/edities/{query}"
            new = client.get(url).content.decode()

            def former_view_rows(rows, language=language):
                # The former view paged the whole editions: read them again for the reference.
                pks = [row[0] for row in rows]
                whole = {e.pk: e for e in selectors.archived_editions(coordinator).filter(pk__in=pks)}
                return former_rows([whole[pk] for pk in pks])

            with monkeypatch.context() as patched:
                patched.setattr(views, "_archive_rows", former_view_rows)
                old = client.get(url).content.decode()
            assert new.replace(_csrf(new), "") == old.replace(_csrf(old), "")


def _csrf(html: str) -> str:
    import re

    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else "\x00"
