"""P1: the form and its confirmation cost the same few queries with little data as with a lot."""

import datetime

import pytest

from leergang.enrolment.models import Application
from tests import factories

from .conftest import form_url, submission_key, valid_data

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def add_lots_of_data(edition) -> None:
    """Many editions, participants and applications around the edition the form is for."""
    for index in range(20):
        other = factories.EditionFactory(
            programme=edition.programme, start_date=datetime.date(2028, 1, 5) + datetime.timedelta(days=7 * index)
        )
        factories.EnrolmentFactory.create_batch(5, edition=other)
    factories.EnrolmentFactory.create_batch(10, edition=edition)
    details = valid_data("", years_experience=7, leadership_role=True, terms_accepted=True, privacy_consent=True)
    del details["submission_key"]
    for index in range(40):
        Application.objects.create(edition=edition, **{**details, "email": f"applicant{index}@example.org"})


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_form_page_query_count_is_small_and_constant(
    client, open_edition, language, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES) as small:
        assert client.get(form_url(open_edition, language)).status_code == 200
    add_lots_of_data(open_edition)
    with django_assert_num_queries(len(small)):
        assert client.get(form_url(open_edition, language)).status_code == 200


def test_the_closed_page_query_count_is_small_and_constant(
    client, completed_edition, open_edition, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES) as small:
        assert client.get(form_url(completed_edition)).status_code == 200
    add_lots_of_data(open_edition)
    with django_assert_num_queries(len(small)):
        assert client.get(form_url(completed_edition)).status_code == 200


def test_the_confirmation_page_query_count_is_small_and_constant(
    client, open_edition, django_assert_max_num_queries, django_assert_num_queries
):
    response = client.post(form_url(open_edition), valid_data(submission_key(client.get(form_url(open_edition)))))
    confirmation = response["Location"]
    with django_assert_max_num_queries(MAX_QUERIES) as small:
        assert client.get(confirmation).status_code == 200
    add_lots_of_data(open_edition)
    with django_assert_num_queries(len(small)):
        assert client.get(confirmation).status_code == 200
