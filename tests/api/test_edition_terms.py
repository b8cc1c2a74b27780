"""An edition's cancellation terms (issue 7): POST and PATCH /editions accept them, GET /editions/{id}
returns them with the summary sentence in the request's language; a percentage over 100, a negative
value or an unknown kind is a 422 naming the field, with nothing stored. The public programme page
and the registration form show the same sentence."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation

from leergang.catalog.models import Edition
from leergang.enrolment import cancellation_rules
from tests import factories

from .helpers import API, assert_error, nothing_changes

pytestmark = pytest.mark.django_db

TERMS = ("cancellation_free_until", "cancellation_fee_kind", "cancellation_fee_value", "cancellation_terms")


def post(client, body, headers, language="nl"):
    return client.post(f"{API}/editions", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language, **headers)


def patch(client, edition_id, body, headers, language="nl"):
    return client.patch(
        f"{API}/editions/{edition_id}", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language, **headers
    )


def summary_in(language: str, edition: Edition) -> str:
    with translation.override(language):
        return cancellation_rules.summary(cancellation_rules.Terms.of(edition))


def test_an_edition_without_terms_is_free_to_cancel(client, new_edition, as_coordinator):
    response = post(client, new_edition, as_coordinator, language="en")
    assert response.status_code == 201, response.content
    body = response.json()
    assert {key: body[key] for key in TERMS} == {
        "cancellation_free_until": None,
        "cancellation_fee_kind": "percentage",
        "cancellation_fee_value": "0.00",
        "cancellation_terms": "Cancelling is free of charge.",
    }


def test_creating_with_terms_stores_them_and_reads_them_in_both_languages(client, new_edition, as_coordinator):
    body = {**new_edition, "status": "open", "cancellation_free_until": "2027-08-01", "cancellation_fee_kind": "percentage",
            "cancellation_fee_value": "50"}  # fmt: skip
    response = post(client, body, as_coordinator, language="en")
    assert response.status_code == 201, response.content
    created = response.json()
    edition = Edition.objects.get(pk=created["id"])
    assert (edition.cancellation_free_until, edition.cancellation_fee_kind, edition.cancellation_fee_value) == (
        datetime.date(2027, 8, 1),
        "percentage",
        D("50.00"),
    )
    assert created["cancellation_fee_value"] == "50.00" and created["cancellation_free_until"] == "2027-08-01"
    assert created["cancellation_terms"] == (
        "Cancelling is free of charge until and including 1 August 2027; after that it costs 50% of the invoiced amount."
    )
    dutch = client.get(f"{API}/editions/{edition.pk}", HTTP_ACCEPT_LANGUAGE="nl").json()  # public: open edition
    assert dutch["cancellation_terms"] == summary_in("nl", edition)
    assert "1 augustus 2027" in dutch["cancellation_terms"] and "50%" in dutch["cancellation_terms"]
    english = client.get(f"{API}/editions/{edition.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["cancellation_terms"] == created["cancellation_terms"]


def test_a_fixed_amount_reads_as_money(client, new_edition, as_coordinator):
    body = {**new_edition, "cancellation_fee_kind": "amount", "cancellation_fee_value": "250.00"}
    created = post(client, body, as_coordinator, language="en").json()
    assert created["cancellation_terms"] == "Cancelling costs €250."
    with translation.override("nl"):
        assert post(client, {**body, "start_date": "2027-09-08"}, as_coordinator).json()["cancellation_terms"] == (
            summary_in("nl", Edition.objects.get(pk=created["id"]))
        )


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"cancellation_fee_kind": "percentage", "cancellation_fee_value": "100.01"}, "cancellation_fee_value"),
        ({"cancellation_fee_value": "150"}, "cancellation_fee_value"),  # percentage is the default kind
        ({"cancellation_fee_value": "-1"}, "cancellation_fee_value"),
        ({"cancellation_fee_kind": "amount", "cancellation_fee_value": "-0.01"}, "cancellation_fee_value"),
        ({"cancellation_fee_value": "10.005"}, "cancellation_fee_value"),
        ({"cancellation_fee_value": "veel"}, "cancellation_fee_value"),
        ({"cancellation_fee_kind": "fraction", "cancellation_fee_value": "10"}, "cancellation_fee_kind"),
        ({"cancellation_fee_kind": None}, "cancellation_fee_kind"),
        ({"cancellation_free_until": "1 augustus"}, "cancellation_free_until"),
    ],
)
def test_bad_terms_on_create_are_422_and_store_nothing(client, new_edition, as_coordinator, terms, field):
    with nothing_changes():
        assert_error(post(client, {**new_edition, **terms}, as_coordinator), 422, field)


def test_an_amount_may_exceed_100(client, new_edition, as_coordinator):
    body = {**new_edition, "cancellation_fee_kind": "amount", "cancellation_fee_value": "750.00"}
    assert post(client, body, as_coordinator).status_code == 201


# -- PATCH ---------------------------------------------------------------------------------------


@pytest.fixture
def edition(programme):
    return factories.EditionFactory(programme=programme, status="open", start_date=datetime.date(2027, 9, 1))


def test_patching_the_terms(client, edition, as_coordinator):
    response = patch(
        client,
        edition.pk,
        {"cancellation_free_until": "2027-07-01", "cancellation_fee_kind": "amount", "cancellation_fee_value": "500"},
        as_coordinator,
        language="en",
    )
    assert response.status_code == 200, response.content
    assert response.json()["cancellation_terms"] == (
        "Cancelling is free of charge until and including 1 July 2027; after that it costs €500."
    )
    edition.refresh_from_db()
    assert (edition.cancellation_free_until, edition.cancellation_fee_kind, edition.cancellation_fee_value) == (
        datetime.date(2027, 7, 1),
        "amount",
        D("500.00"),
    )
    # null takes the free period away; other fields stay as they are.
    cleared = patch(client, edition.pk, {"cancellation_free_until": None}, as_coordinator, language="en").json()
    assert cleared["cancellation_free_until"] is None and cleared["cancellation_terms"] == "Cancelling costs €500."
    assert (cleared["capacity"], cleared["fee"]) == (edition.capacity, "2995.00")


@pytest.mark.parametrize(
    ("stored", "change", "field"),
    [
        # The value alone, against the kind already stored.
        (("percentage", "50"), {"cancellation_fee_value": "101"}, "cancellation_fee_value"),
        # The kind alone, against the value already stored.
        (("amount", "500"), {"cancellation_fee_kind": "percentage"}, "cancellation_fee_value"),
        (
            ("percentage", "50"),
            {"cancellation_fee_kind": "percentage", "cancellation_fee_value": "200"},
            "cancellation_fee_value",
        ),
        (("percentage", "50"), {"cancellation_fee_value": "-5"}, "cancellation_fee_value"),
        (("percentage", "50"), {"cancellation_fee_kind": "korting"}, "cancellation_fee_kind"),
        (("percentage", "50"), {"cancellation_fee_value": None}, "cancellation_fee_value"),
    ],
)
def test_bad_terms_on_patch_are_422_and_store_nothing(client, edition, as_coordinator, stored, change, field):
    edition.cancellation_fee_kind, edition.cancellation_fee_value = stored[0], D(stored[1])
    edition.save()
    with nothing_changes():
        assert_error(patch(client, edition.pk, change, as_coordinator), 422, field)


def test_only_the_programme_office_sets_terms(client, edition, as_teacher, as_participant):
    with nothing_changes():
        for headers in (as_teacher, as_participant):
            assert_error(patch(client, edition.pk, {"cancellation_fee_value": "10"}, headers), 403)
        assert_error(patch(client, edition.pk, {"cancellation_fee_value": "10"}, {}), 401)


# -- the public pages ----------------------------------------------------------------------------


def test_the_programme_page_and_the_registration_form_show_the_terms(client, programme):
    edition = factories.EditionFactory(
        programme=programme,
        status="open",
        start_date=datetime.date(2027, 9, 1),
        cancellation_free_until=datetime.date(2027, 8, 1),
        cancellation_fee_kind="percentage",
        cancellation_fee_value=D("25"),
    )
    for language in ("nl", "en"):
        with translation.override(language):
            programme_url = reverse("catalog:programme", kwargs={"slug": programme.slug})
            apply_url = reverse("enrolment:apply", kwargs={"edition_id": edition.pk})
        sentence = summary_in(language, edition)
        page = client.get(f"{programme_url}?editie={edition.pk}")
        assert page.status_code == 200
        assert page.content.decode().count(sentence) == 2  # key facts and practical information
        form = client.get(apply_url)
        assert form.status_code == 200
        body = form.content.decode()
        assert sentence in body and body.index(sentence) < body.index('name="terms_accepted"')
    assert "after that it costs 25% of the invoiced amount" in sentence


def test_a_closed_edition_does_not_advertise_terms(client, programme):
    edition = factories.EditionFactory(programme=programme, status="running", start_date=datetime.date(2027, 9, 1))
    with translation.override("en"):
        programme_url = reverse("catalog:programme", kwargs={"slug": programme.slug})
    page = client.get(f"{programme_url}?editie={edition.pk}").content.decode()
    assert "data-cancellation-terms" not in page
