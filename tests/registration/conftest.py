"""Fixtures for the registration form tests (Django's test client, the demo content)."""

import html
import re

import pytest
from django.core.cache import cache

from leergang.catalog.models import Edition
from leergang.demo import content


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()  # the limit counts per address, and every test client is 127.0.0.1
    yield
    cache.clear()


@pytest.fixture
def open_edition(demo):
    return Edition.objects.get(programme__slug=content.SLUG, status="open")


@pytest.fixture
def completed_edition(demo):
    return Edition.objects.get(programme__slug=content.SLUG, status="completed")


def form_url(edition, language="nl") -> str:
    return f"/{language}/aanmelden/{edition.id}/"


def submission_key(response) -> str:
    found = re.search(r'name="submission_key" value="([^"]+)"', response.content.decode())
    assert found, "the form has no submission key"
    return found.group(1)


def valid_data(key: str, **changes) -> dict:
    """Everything a complete application sends, as the browser posts it."""
    data = {
        "submission_key": key,
        "first_name": "Anna",
        "last_name": "de Vries",
        "email": "anna.devries@gemeente-voorbeeld.nl",
        "phone": "06 12345678",
        "organisation": "Gemeente Voorbeeld",
        "job_title": "Teamleider Sociaal Domein",
        "education_level": "wo",
        "education_note": "",
        "years_experience": "12",
        "leadership_role": "yes",
        "challenge": "Ons team verantwoordt alles in formulieren; ik wil meer ruimte geven aan de professionals.",
        "invoice_organisation": "Gemeente Voorbeeld, afdeling Financiën",
        "invoice_address": "Postbus 1234",
        "invoice_postal_code": "1000 AB",
        "invoice_city": "Voorbeeld",
        "invoice_email": "facturen@gemeente-voorbeeld.nl",
        "invoice_po_number": "PO-2027-042",
        "dietary_requirements": "Vegetarisch",
        "discount_code": "ALUMNI",
        "terms_accepted": "on",
        "privacy_consent": "on",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def text_of(response) -> str:
    return html.unescape(response.content.decode()).replace("\xa0", " ")
