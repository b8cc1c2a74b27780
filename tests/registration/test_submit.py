"""Sending the registration form: one application, a confirmation page and one e-mail (M3, R5, R7)."""

import re

import pytest
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

from leergang.enrolment import rules
from leergang.enrolment.models import Application
from leergang.notifications.models import OutboxEmail
from tests import factories

from .conftest import form_url, submission_key, text_of, valid_data

pytestmark = pytest.mark.django_db

CONFIRMATION = re.compile(r"^/(nl|en)/aanmelden/bevestiging/(\d+)/([^/]+)/$")
REQUIRED = [
    "first_name",
    "last_name",
    "email",
    "organisation",
    "job_title",
    "education_level",
    "years_experience",
    "leadership_role",
    "challenge",
    "invoice_organisation",
    "invoice_address",
    "invoice_postal_code",
    "invoice_city",
    "invoice_email",
    "terms_accepted",
    "privacy_consent",
]
RADIO_GROUPS = {"education_level", "leadership_role"}


def fresh_key(client, edition, language="nl") -> str:
    return submission_key(client.get(form_url(edition, language)))


def submit(client, edition, language="nl", **changes):
    return client.post(form_url(edition, language), valid_data(fresh_key(client, edition, language), **changes))


def mails():
    return OutboxEmail.objects.filter(kind="application_received")


def assert_nothing_stored():
    assert Application.objects.count() == 0
    assert mails().count() == 0


def assert_field_error(response, name: str, message: str | None = None) -> None:
    """The field shows its error, linked to it with aria-describedby, and the summary links to the field."""
    assert response.status_code == 200
    page = text_of(response)
    error_id = f"id_{name}_error"
    assert f'id="{error_id}"' in page, f"no error shown for {name}"
    if name in RADIO_GROUPS:
        # The group's fieldset carries the description; the summary links to the first choice.
        assert re.search(rf'<fieldset[^>]*id="id_{name}-group"[^>]*aria-describedby="[^"]*{error_id}', page), name
        assert f'href="#id_{name}_0"' in page
    else:
        tag = re.search(rf'<(?:input|textarea)\b[^>]*\bid="id_{name}"[^>]*>', page)
        assert tag, name
        assert 'aria-invalid="true"' in tag.group(0), name
        described = re.search(r'aria-describedby="([^"]*)"', tag.group(0))
        assert described and error_id in described.group(1).split(), name
        assert f'href="#id_{name}"' in page
    summary = page.split('class="form-errors error-summary" role="alert"', 1)[1].split("</div>", 1)[0]
    if message is not None:
        assert message in summary
        assert message in page.split(f'id="{error_id}">', 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_complete_form_makes_one_application_and_one_e_mail(client, open_edition, language):
    key = fresh_key(client, open_edition, language)
    response = client.post(form_url(open_edition, language), valid_data(key))

    assert response.status_code == 302
    found = CONFIRMATION.match(response["Location"])
    assert found and found.group(1) == language
    application = Application.objects.get()
    assert int(found.group(2)) == application.pk
    expected = valid_data(key)
    assert application.edition == open_edition
    assert application.language == language
    assert application.submission_key == key
    for name in (
        "first_name",
        "last_name",
        "email",
        "phone",
        "organisation",
        "job_title",
        "education_level",
        "challenge",
        "invoice_organisation",
        "invoice_address",
        "invoice_postal_code",
        "invoice_city",
        "invoice_email",
        "invoice_po_number",
        "dietary_requirements",
        "discount_code",
    ):
        assert getattr(application, name) == expected[name], name
    assert application.years_experience == 12
    assert application.leadership_role is True
    assert application.terms_accepted is True and application.privacy_consent is True
    assert application.education_note == ""
    assert application.status == "submitted"
    assert application.meets_profile is True

    mail = mails().get()
    assert mail.to == [expected["email"]]
    assert mail.language == language
    title = open_edition.programme.title_nl if language == "nl" else open_edition.programme.title_en
    assert title in mail.subject

    page = client.get(response["Location"])
    assert page.status_code == 200
    text = text_of(page)
    assert f'<html lang="{language}">' in text
    assert str(application.pk) in text
    assert expected["email"] in text
    assert title in text


def test_the_same_form_sent_twice_makes_one_application(client, open_edition):
    data = valid_data(fresh_key(client, open_edition))
    first = client.post(form_url(open_edition), data)
    second = client.post(form_url(open_edition), data)
    assert first.status_code == second.status_code == 302
    # Both lead to the same application's confirmation; the signed part carries its own timestamp.
    assert first["Location"].rstrip("/").rsplit("/", 1)[0] == second["Location"].rstrip("/").rsplit("/", 1)[0]
    assert Application.objects.count() == 1
    assert mails().count() == 1


def test_a_resend_with_changed_details_still_returns_the_first_application(client, open_edition):
    """Back button, edit, send again: the key is the same form, so nothing new is stored."""
    key = fresh_key(client, open_edition)
    first = client.post(form_url(open_edition), valid_data(key))
    again = client.post(form_url(open_edition), valid_data(key, first_name="Annemarie"))
    assert again["Location"] == first["Location"]
    assert Application.objects.get().first_name == "Anna"
    assert mails().count() == 1


@pytest.mark.parametrize("name", REQUIRED)
def test_each_required_field_left_empty_is_answered_at_that_field(client, open_edition, name):
    response = submit(client, open_edition, "en", **{name: None})
    assert_field_error(response, name)
    assert_nothing_stored()
    # What was typed stays, and the same key goes back into the form.
    page = text_of(response)
    if name != "first_name":
        assert 'value="Anna"' in page


def test_an_empty_form_lists_every_required_field_in_the_summary(client, open_edition):
    key = fresh_key(client, open_edition, "en")
    response = client.post(form_url(open_edition, "en"), {"submission_key": key})
    for name in REQUIRED:
        assert_field_error(response, name)
    assert submission_key(response) == key
    page = text_of(response)
    assert "<title>Error:" in page
    assert "Check the following and send the form again" in page
    assert_nothing_stored()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "anna@"}, "email", "Enter your e-mail address, for example name@municipality.nl."),
        ({"email": ""}, "email", "Enter your e-mail address, for example name@municipality.nl."),
        (
            {"invoice_email": "facturen"},
            "invoice_email",
            "Enter the e-mail address for the invoice, for example invoices@municipality.nl.",
        ),
        ({"years_experience": "-1"}, "years_experience", "Enter 0 or more years."),
        (
            {"years_experience": "twaalf"},
            "years_experience",
            "Enter your years of relevant work experience as a whole number, for example 8.",
        ),
        (
            {"years_experience": "2.5"},
            "years_experience",
            "Enter your years of relevant work experience as a whole number, for example 8.",
        ),
        ({"years_experience": "81"}, "years_experience", "Enter at most 80 years."),
        (
            {"privacy_consent": None},
            "privacy_consent",
            "Tick the box to agree to the use of your details; without it we cannot handle your application.",
        ),
        (
            {"terms_accepted": None},
            "terms_accepted",
            "Tick the box to accept the terms and conditions; without them we cannot register you.",
        ),
        ({"education_level": "mbo"}, "education_level", "Choose your highest level of education."),
        (
            {"leadership_role": "maybe"},
            "leadership_role",
            "Choose yes or no: do you have a leadership task or a collaboration assignment?",
        ),
        (
            {"education_level": "other", "education_note": "  "},
            "education_note",
            "Describe your education or comparable experience in a few words, for example your training.",
        ),
        ({"phone": "bel mij"}, "phone", "Enter your phone number in digits, for example 06 12345678 or +31 20 598 9999."),
        ({"first_name": "A" * 101}, "first_name", "Use at most 100 characters; you used 101."),
        ({"first_name": "   "}, "first_name", "Enter your first name."),
    ],
)
def test_malformed_fields_are_answered_field_by_field(client, open_edition, changes, field, message):
    response = submit(client, open_edition, "en", **changes)
    assert_field_error(response, field, message)
    assert_nothing_stored()


def test_errors_speak_dutch_on_the_dutch_page(client, open_edition):
    response = submit(client, open_edition, "nl", email="anna@", years_experience="-3")
    with translation.override("nl"):
        email_message = gettext("Enter your e-mail address, for example name@municipality.nl.")
        years_message = gettext("Enter 0 or more years.")
    assert email_message == "Vul uw e-mailadres in, bijvoorbeeld naam@gemeente.nl."
    assert_field_error(response, "email", email_message)
    assert_field_error(response, "years_experience", years_message)
    assert_nothing_stored()


def test_a_foreign_postal_code_is_accepted(client, open_edition):
    response = submit(client, open_edition, invoice_postal_code="B-2000", invoice_city="Antwerpen")
    assert response.status_code == 302
    assert Application.objects.get().invoice_postal_code == "B-2000"


def test_the_note_for_other_education_is_kept_only_with_other(client, open_edition):
    submit(client, open_edition, education_level="other", education_note="Politieacademie, niveau 6")
    assert Application.objects.get().education_note == "Politieacademie, niveau 6"
    submit(client, open_edition, email="b@example.org", education_level="hbo", education_note="left over from Other")
    assert Application.objects.get(email="b@example.org").education_note == ""


def test_a_second_application_with_the_same_address_is_refused(client, open_edition):
    assert submit(client, open_edition).status_code == 302
    response = submit(client, open_edition, "en", email="Anna.DeVries@gemeente-voorbeeld.nl")
    assert_field_error(response, "email", "This e-mail address has already applied for this edition.")
    page = text_of(response)
    assert "contact the programme office" in page
    first = Application.objects.get()
    assert f"number {first.pk}" not in page  # a public form does not tell who applied when
    assert Application.objects.count() == 1
    assert mails().count() == 1


def test_the_same_address_may_apply_for_another_edition(client, open_edition):
    other = factories.EditionFactory(programme=open_edition.programme, status="open")
    assert submit(client, open_edition).status_code == 302
    assert submit(client, other).status_code == 302
    assert Application.objects.count() == 2


@pytest.mark.parametrize("status", ["running", "completed"])
def test_a_closed_edition_takes_no_application(client, open_edition, status):
    edition = factories.EditionFactory(programme=open_edition.programme, status=status)
    response = client.post(form_url(edition, "en"), valid_data("k" * 43))
    assert response.status_code == 200
    assert "Registration closed" in text_of(response)
    assert_nothing_stored()


def test_an_edition_that_closes_while_the_form_is_open_takes_nothing(client, open_edition):
    key = fresh_key(client, open_edition)
    open_edition.status = "running"
    open_edition.save(update_fields=["status"])
    response = client.post(form_url(open_edition), valid_data(key))
    assert response.status_code == 200
    assert_nothing_stored()


def test_a_draft_edition_takes_no_application(client, open_edition):
    draft = factories.EditionFactory(programme=open_edition.programme, status="draft")
    assert client.post(form_url(draft), valid_data("k" * 43)).status_code == 404
    assert_nothing_stored()


def test_a_full_edition_takes_applications_for_its_waiting_list(client, open_edition):
    factories.EnrolmentFactory.create_batch(open_edition.capacity, edition=open_edition)
    response = submit(client, open_edition, "en")
    assert response.status_code == 302
    assert Application.objects.get().edition == open_edition
    assert mails().count() == 1
    page = text_of(client.get(response["Location"]))
    assert "This edition is full, so your application goes on the waiting list." in page


def test_a_form_without_its_key_asks_once_more_and_stores_nothing(client, open_edition):
    data = valid_data("")
    response = client.post(form_url(open_edition, "en"), data)
    assert response.status_code == 200
    page = text_of(response)
    assert "Something went wrong with the form. Check your details and send the form again." in page
    new_key = submission_key(response)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", new_key)
    assert_nothing_stored()
    # Sent again as it now stands, it goes through.
    assert client.post(form_url(open_edition, "en"), valid_data(new_key)).status_code == 302
    assert Application.objects.count() == 1


@override_settings(APPLY_RATE_LIMIT=3)
def test_too_many_posts_get_429_and_store_nothing(client, open_edition):
    key = fresh_key(client, open_edition, "en")
    for _ in range(3):
        assert client.post(form_url(open_edition, "en"), {"submission_key": key}).status_code == 200
    blocked = client.post(form_url(open_edition, "en"), valid_data(key))
    assert blocked.status_code == 429
    assert "Too many attempts" in text_of(blocked)
    assert f'href="/en/aanmelden/{open_edition.id}/"' in text_of(blocked)
    assert_nothing_stored()
    # Reading the form is not limited.
    assert client.get(form_url(open_edition, "en")).status_code == 200


def test_the_applicant_never_sees_the_screening(client, open_edition):
    response = submit(
        client, open_edition, "en", education_level="other", education_note="MBO", years_experience="2", leadership_role="no"
    )
    application = Application.objects.get()
    assert application.meets_profile is False and len(application.screening) == 3
    page = text_of(client.get(response["Location"]))
    with translation.override("en"):
        for criterion in rules.CRITERIA:
            assert rules.message(criterion, years=2) not in page
    assert "profile" not in page.lower()
