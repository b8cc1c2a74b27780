"""A discount code on the registration page: a code that cannot be used is a field error in the
applicant's language with the rest of the form kept, and nothing is stored; a good one is used once."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from leergang.core.models import AuditEntry
from leergang.enrolment.forms import ApplicationForm
from leergang.enrolment.models import Application
from leergang.invoicing.models import DiscountCode, DiscountRedemption
from leergang.notifications.models import OutboxEmail
from tests import factories

from .conftest import form_url, submission_key, text_of, valid_data

pytestmark = pytest.mark.django_db


def make_code(code="EARLY2027", **fields) -> DiscountCode:
    return DiscountCode.objects.create(code=code, kind=fields.pop("kind", "percentage"), value=fields.pop("value", 10), **fields)


def post(client, edition, code, language="en", **changes):
    key = submission_key(client.get(form_url(edition, language)))
    return client.post(form_url(edition, language), valid_data(key, discount_code=code, **changes))


def field_error(response) -> str:
    found = re.search(r'<p class="field-error" id="id_discount_code_error">([^<]*)</p>', text_of(response))
    assert found, "the discount code field shows no error"
    return found.group(1)


def assert_nothing_stored():
    assert not Application.objects.exists()
    assert not DiscountRedemption.objects.exists()
    assert not OutboxEmail.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["application.submitted", "discount_code.redeemed"]).exists()


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("setup", "typed", "message"),
    [
        (lambda edition: None, "NOSUCHCODE", "We do not know this discount code; check it for typing errors."),
        (lambda edition: make_code(valid_until=yesterday()), "early2027", "This discount code has expired."),
        (lambda edition: make_code(active=False), "EARLY2027", "This discount code can no longer be used."),
        (
            lambda edition: make_code(
                edition=factories.EditionFactory(programme=edition.programme, start_date=datetime.date(2029, 1, 10))
            ),
            "EARLY2027",
            "This discount code is not valid for this edition.",
        ),
        (
            lambda edition: make_code(programme=factories.ProgrammeFactory()),
            "EARLY2027",
            "This discount code is not valid for this programme.",
        ),
    ],
)
def test_a_code_that_cannot_be_used_is_a_field_error_and_stores_nothing(client, open_edition, setup, typed, message):
    setup(open_edition)
    response = post(client, open_edition, typed)

    assert response.status_code == 200
    assert field_error(response) == message
    assert f'<a href="#id_discount_code">{message}</a>' in text_of(response)  # in the summary at the top
    page = text_of(response)
    assert 'name="first_name" value="Anna"' in page and 'name="invoice_city" value="Voorbeeld"' in page
    assert 'name="discount_code" value="' in page
    assert_nothing_stored()


def test_a_used_up_code_is_a_field_error(client, open_edition):
    make_code(max_uses=1)
    assert post(client, open_edition, "EARLY2027").status_code == 302
    response = post(client, open_edition, "EARLY2027", email="second@example.org")
    assert response.status_code == 200
    assert field_error(response) == "This discount code has been used up."
    assert Application.objects.count() == 1 and DiscountRedemption.objects.count() == 1


def test_the_dutch_page_shows_the_error_on_the_field(client, open_edition):
    response = post(client, open_edition, "NOSUCHCODE", language="nl")
    assert response.status_code == 200
    with translation.override("nl"):
        from leergang.invoicing.discount_rules import MESSAGES

        expected = str(MESSAGES["unknown"])
    assert field_error(response) == expected
    assert_nothing_stored()


def test_a_good_code_in_any_case_and_with_spaces_is_used_once(client, open_edition):
    code = make_code(max_uses=1)
    key = submission_key(client.get(form_url(open_edition, "en")))
    data = valid_data(key, discount_code=" early 2027 ")

    first = client.post(form_url(open_edition, "en"), data)
    second = client.post(form_url(open_edition, "en"), data)  # a double submit of the same form

    assert first.status_code == second.status_code == 302
    # The same application's confirmation (its link is signed with a timestamp, so the signature may differ by a second).
    assert first["Location"].rsplit("/", 2)[0] == second["Location"].rsplit("/", 2)[0]
    application = Application.objects.get()
    assert application.discount_code == "EARLY2027"
    assert DiscountRedemption.objects.get().discount == code


def test_an_empty_code_gives_no_discount(client, open_edition):
    assert post(client, open_edition, "").status_code == 302
    assert Application.objects.get().discount_code == ""
    assert not DiscountRedemption.objects.exists()


def test_the_form_checks_the_code_with_the_other_fields_when_it_knows_the_edition(open_edition):
    make_code(value=Decimal("10"), valid_until=yesterday())
    data = valid_data("k" * 43, discount_code="early2027", first_name="")
    with translation.override("en"):
        form = ApplicationForm(data, edition=open_edition)
        assert not form.is_valid()
        assert form.errors["discount_code"] == ["This discount code has expired."]
        assert "first_name" in form.errors

        good = ApplicationForm(valid_data("k" * 43, discount_code="early 2027"), edition=open_edition)
        DiscountCode.objects.update(valid_until=None)
        assert good.is_valid(), good.errors
        assert good.cleaned_data["discount_code"] == "EARLY2027"
