"""Fixtures for the coordinator's applications inbox and application pages: the demo content, a
logged-in programme office, applications made through the real service, and URL helpers."""

import datetime
import html
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from leergang.accounts.models import User
from leergang.catalog.models import Edition
from leergang.demo import content
from leergang.enrolment import services
from leergang.enrolment.models import Application


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def edition(demo) -> Edition:
    """The demo's edition open for registration (25 seats, no applications yet)."""
    return Edition.objects.get(programme__slug=content.SLUG, status="open")


@pytest.fixture
def office(demo) -> User:
    return User.objects.get(email=content.COORDINATOR["email"])


@pytest.fixture
def office_client(client, office):
    client.force_login(office)
    return client


def application_data(email: str, **changes) -> services.ApplicationInput:
    fields = dict(
        first_name="Sanne", last_name="de Wit", email=email, phone="06 12345678", organisation="Gemeente Zwolle",
        job_title="Manager Sociaal Domein", education_level="hbo", years_experience=9, leadership_role=True,
        challenge="Mijn team verantwoordt alles in formulieren.\n\nIk wil sturen op vertrouwen.",
        invoice_organisation="Gemeente Zwolle, Financiën", invoice_address="Grote Kerkplein 15",
        invoice_postal_code="8011 PK", invoice_city="Zwolle", invoice_email="facturen@zwolle.example",
        invoice_po_number="PO-77", dietary_requirements="Glutenvrij", privacy_consent=True, terms_accepted=True,
    )  # fmt: skip
    fields.update(changes)
    return services.ApplicationInput(**fields)


def apply(edition: Edition, email: str, **changes) -> Application:
    """An application as the registration form makes it (screened, confirmation queued)."""
    return services.submit_application(edition_id=edition.pk, data=application_data(email, **changes))


def weak(edition: Edition, email: str = "jan@example.org", **changes) -> Application:
    """An application that meets none of the profile's criteria."""
    fields = dict(
        first_name="Jan", last_name="Jansen", organisation="Provincie Utrecht", education_level="other",
        education_note="MBO plus veel cursussen", years_experience=2, leadership_role=False,
    )  # fmt: skip
    return apply(edition, email, **{**fields, **changes})


def url(name: str, language: str = "nl", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def inbox_url(edition: Edition, language: str = "nl", status: str = "") -> str:
    path = url("inbox:edition", language, edition_id=edition.pk)
    return f"{path}?status={status}" if status else path


def detail_url(application: Application, language: str = "nl") -> str:
    return url("applications:detail", language, application_id=application.pk)


def later(days: int = 7, hour: int = 10, minute: int = 30) -> datetime.datetime:
    """A moment to come, in Dutch time, as a datetime-local input sends it."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def local_input(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def text_of(response) -> str:
    """The markup as a reader sees its characters (tags dropped, entities decoded, spaces collapsed)."""
    content_ = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(content_).replace("\xa0", " ").split())


def rows_of(response) -> list[str]:
    """The text of each application row of the inbox table, in order."""
    body = response.content.decode()
    rows = re.findall(r'<tr class="inbox-row".*?</tr>', body, flags=re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).replace("\xa0", " ").split()) for row in rows]


HTMX = {"HTTP_HX_REQUEST": "true"}
