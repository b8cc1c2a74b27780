"""The cheaper reads behind the office's overview, the edition archive and the programme pages say
the same as the full ones: the early warning's counts agree with the list of places out of reach,
the API's light read of a programme gives the same editions as the page's, and the lists rendered
in Python escape what they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from leergang.awards import selectors as award_selectors
from leergang.catalog import edition_lists, selectors
from leergang.catalog.models import Edition
from tests import factories
from tests.awards.standing_data import attend, finished_edition, participant_in, running_edition

pytestmark = pytest.mark.django_db


def loaded_editions() -> list[Edition]:
    return list(Edition.objects.select_related("programme").order_by("pk"))


def test_the_warnings_counts_agree_with_the_places_out_of_reach():
    strict = running_edition(held=3)
    lenient = running_edition(held=3, award_min_content_sessions=3)
    short = running_edition(held=3, award_min_content_sessions=8)  # fewer sessions than the rule asks
    for edition, prefix in ((strict, "s"), (lenient, "l"), (short, "k")):
        attend(participant_in(edition, f"{prefix}1@example.org"), ["absent", "absent", "present"])
        attend(participant_in(edition, f"{prefix}2@example.org"), ["excused", "absent", "absent"])
        attend(participant_in(edition, f"{prefix}3@example.org"), ["present", "absent", None])
        attend(participant_in(edition, f"{prefix}4@example.org", status="cancelled"), ["absent"] * 3)
    attend(participant_in(lenient, "l5@example.org"), ["excused"] * 4)  # excused ahead as well
    attend(participant_in(finished_edition(), "late@example.org"), ["absent"] * 6)
    editions = loaded_editions()
    listed = {pk: len(rows) for pk, rows in award_selectors.out_of_reach_by_edition(editions).items()}
    with CaptureQueriesContext(connection) as captured:
        counted = award_selectors.out_of_reach_counts(editions)
    assert counted == listed == {strict.pk: 2, lenient.pk: 1}
    assert len(captured.captured_queries) == 1  # one SQL query: the content sessions and the places' misses per edition
    assert award_selectors.out_of_reach_counts([]) == {}


def test_the_apis_programme_has_the_pages_editions_and_seats():
    edition = running_edition(held=2)
    factories.EnrolmentFactory(edition=edition)
    factories.EditionFactory(programme=edition.programme, status="draft")
    coordinator = factories.CoordinatorFactory()
    for user in (coordinator, None):
        user = user or factories.UserFactory()
        page = selectors.programme_for_page(user=user, slug=edition.programme.slug)
        api = selectors.programme_for_api(user=user, slug=edition.programme.slug)
        brief = [(e.pk, e.start_date, e.status, e.capacity, e.seats_taken) for e in page.visible_editions]
        assert [(e.pk, e.start_date, e.status, e.capacity, e.seats_taken) for e in api.visible_editions] == brief
    assert len(page.visible_editions) == 1  # the draft is for the office only


def test_names_and_links_are_the_reversed_urls_in_the_active_language():
    edition = running_edition(held=1)
    for language, name in (("en", "Edition starting "), ("nl", "Editie van ")):
        with translation.override(language):
            (named,) = edition_lists.with_names_and_links([edition])
            assert named.name.startswith(name)
            for key, url_name in edition_lists.EDITION_PAGES.items():
                assert named.links[key] == reverse(url_name, kwargs={"edition_id": edition.pk})
    assert hasattr(named.name, "__html__") and hasattr(named.status_label, "__html__")  # escaped once, printed as is
