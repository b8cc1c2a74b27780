"""The registration form as a page: public, in both languages, every field labelled and grouped (M3)."""

import re
from html.parser import HTMLParser

import pytest
from django.utils import translation
from django.utils.translation import gettext

from leergang.demo import content
from tests import factories

from .conftest import form_url, submission_key, text_of

pytestmark = pytest.mark.django_db


class FormParts(HTMLParser):
    """The controls of a page (tag, attributes) and the ids its labels point at."""

    def __init__(self):
        super().__init__()
        self.controls: list[tuple[str, dict]] = []
        self.label_targets: set[str] = set()
        self.legends = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"input", "textarea", "select"}:
            self.controls.append((tag, attrs))
        elif tag == "label" and attrs.get("for"):
            self.label_targets.add(attrs["for"])
        elif tag == "legend":
            self.legends += 1


def parts(response) -> FormParts:
    parser = FormParts()
    parser.feed(response.content.decode())
    return parser


def control(response, name: str, value: str | None = None) -> dict:
    for _tag, attrs in parts(response).controls:
        if attrs.get("name") == name and (value is None or attrs.get("value") == value):
            return attrs
    raise AssertionError(f"no control named {name}")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_form_is_public_and_speaks_the_page_language(client, open_edition, language):
    response = client.get(form_url(open_edition, language))
    assert response.status_code == 200
    page = text_of(response)
    assert f'<html lang="{language}">' in page
    with translation.override(language):
        expected = [
            gettext("About you"),
            gettext("Your work"),
            gettext("Invoice"),
            gettext("Practical"),
            gettext("Consent"),
            gettext("First name"),
            gettext("Last name"),
            gettext("E-mail address"),
            gettext("Phone number (optional)"),
            gettext("Your highest level of education"),
            gettext("University (WO)"),
            gettext("Higher professional education (HBO)"),
            gettext("Years of relevant work experience"),
            gettext("Do you have a leadership task or a collaboration assignment?"),
            gettext("The challenge you face"),
            gettext("Postal code"),
            gettext("Purchase order number (optional)"),
            gettext("Dietary requirements (optional)"),
            gettext("Discount code (optional)"),
            gettext("I accept the terms and conditions."),
            gettext("I agree that my details are used for this application."),
            gettext("Send application"),
        ]
    for text in expected:
        assert text in page, text
    title = content.PROGRAMME["title_nl" if language == "nl" else "title_en"]
    assert title in page
    assert gettext("Error:") not in page.split("</title>")[0]


def test_the_dutch_page_uses_the_dutch_words_already_translated(client, open_edition):
    page = text_of(client.get(form_url(open_edition, "nl")))
    assert "<h1>Aanmelden</h1>" in page  # "Register", as on the programme page
    assert "E-mailadres" in page
    assert ">Ja</label>" in page and ">Nee</label>" in page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_control_has_a_label_and_the_groups_have_legends(client, open_edition, language):
    found = parts(client.get(form_url(open_edition, language)))
    visible = [attrs for _tag, attrs in found.controls if attrs.get("type") != "hidden"]
    assert len(visible) == 24  # 17 text fields and text areas, 3 + 2 radios, 2 checkboxes
    unlabelled = [attrs.get("name") for attrs in visible if attrs.get("id") not in found.label_targets]
    assert unlabelled == []
    # Five groups plus the two radio groups (education level, leadership task).
    assert found.legends == 7


def test_fields_help_the_browser_fill_them_in(client, open_edition):
    response = client.get(form_url(open_edition))
    expected = {
        "first_name": ("text", "given-name"),
        "last_name": ("text", "family-name"),
        "email": ("email", "email"),
        "phone": ("tel", "tel"),
        "organisation": ("text", "organization"),
        "job_title": ("text", "organization-title"),
        "years_experience": ("number", "off"),
        "invoice_organisation": ("text", "billing organization"),
        "invoice_address": ("text", "billing street-address"),
        "invoice_postal_code": ("text", "billing postal-code"),
        "invoice_city": ("text", "billing address-level2"),
        "invoice_email": ("email", "billing email"),
    }
    for name, (input_type, autocomplete) in expected.items():
        attrs = control(response, name)
        assert (attrs.get("type"), attrs.get("autocomplete")) == (input_type, autocomplete), name
    years = control(response, "years_experience")
    assert (years["inputmode"], years["min"], years["max"]) == ("numeric", "0", "80")
    assert control(response, "education_level", "other")["type"] == "radio"
    assert control(response, "leadership_role", "yes")["type"] == "radio"
    assert control(response, "terms_accepted")["type"] == "checkbox"
    assert control(response, "privacy_consent")["type"] == "checkbox"
    # Required fields say so to assistive technology; optional ones do not.
    assert "required" in control(response, "first_name")
    assert "required" not in control(response, "phone")
    assert "required" not in control(response, "discount_code")


def test_every_visit_gets_its_own_submission_key(client, open_edition):
    first = submission_key(client.get(form_url(open_edition)))
    second = submission_key(client.get(form_url(open_edition)))
    assert first != second
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", first)


def test_the_form_is_never_cached(client, open_edition):
    """A cached form would hand one submission key to several people."""
    response = client.get(form_url(open_edition))
    assert "no-store" in response["Cache-Control"]


def test_the_page_has_no_inline_script_or_style(client, open_edition):
    """The CSP forbids them: they would simply not work."""
    response = client.get(form_url(open_edition))
    page = response.content.decode()
    assert "style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_the_programme_page_button_leads_to_the_form(client, open_edition):
    response = client.get(f"/nl/opleidingen/{content.SLUG}/")
    assert f'href="/nl/aanmelden/{open_edition.id}/" id="register-button"' in response.content.decode()
    response = client.get(f"/en/opleidingen/{content.SLUG}/")
    assert f'href="/en/aanmelden/{open_edition.id}/" id="register-button"' in response.content.decode()


def test_a_full_edition_says_the_application_goes_on_the_waiting_list(client, open_edition):
    factories.EnrolmentFactory.create_batch(open_edition.capacity, edition=open_edition)
    response = client.get(form_url(open_edition, "en"))
    assert response.status_code == 200
    page = text_of(response)
    assert "<h1>Apply for the waiting list</h1>" in page
    assert "This edition is full." in page
    assert "your application goes on the waiting list" in page
    assert 'name="submission_key"' in page


def test_an_edition_with_seats_left_says_nothing_about_a_waiting_list(client, open_edition):
    page = text_of(client.get(form_url(open_edition, "en")))
    assert "waiting list" not in page


@pytest.mark.parametrize("status", ["running", "completed"])
def test_a_running_or_completed_edition_shows_that_registration_is_closed(client, open_edition, status):
    edition = factories.EditionFactory(programme=open_edition.programme, status=status)
    response = client.get(form_url(edition, "en"))
    assert response.status_code == 200
    page = text_of(response)
    assert "Registration closed" in page
    assert "<form" not in page.split('<main id="main"')[1]
    # It points to the edition that is open.
    assert f'href="/en/aanmelden/{open_edition.id}/"' in page


def test_the_closed_page_in_dutch(client, completed_edition):
    response = client.get(form_url(completed_edition, "nl"))
    assert response.status_code == 200
    assert "De aanmelding voor deze editie is gesloten." in text_of(response)


def test_the_closed_page_without_an_open_edition(client):
    edition = factories.EditionFactory(status="completed")
    page = text_of(client.get(form_url(edition, "en")))
    assert "No new edition is open for registration yet." in page


def test_drafts_unknown_editions_and_unpublished_programmes_are_not_found(client, open_edition):
    draft = factories.EditionFactory(programme=open_edition.programme, status="draft")
    hidden = factories.EditionFactory(programme=factories.ProgrammeFactory(published=False), status="open")
    assert client.get(form_url(draft)).status_code == 404
    assert client.get(form_url(hidden)).status_code == 404
    assert client.get("/nl/aanmelden/999999/").status_code == 404
    assert client.get("/nl/aanmelden/abc/").status_code == 404


def test_other_methods_are_refused(client, open_edition):
    assert client.put(form_url(open_edition)).status_code == 405


def test_the_form_needs_no_login_even_for_a_logged_in_user(client, open_edition, participant):
    client.force_login(participant)
    assert client.get(form_url(open_edition)).status_code == 200
