"""The coordinator's overview links to each edition's inbox with the number of new applications;
the schedule page links to it too."""

import re

import pytest

from leergang.accounts.models import User
from leergang.catalog.models import Edition
from leergang.demo import content
from leergang.enrolment import services

from .conftest import apply, inbox_url, text_of

pytestmark = pytest.mark.django_db


def test_each_edition_links_to_its_inbox_with_the_new_applications(office_client, edition, office):
    for n in range(3):
        apply(edition, f"p{n}@example.org")
    decided = apply(edition, "klaar@example.org")
    services.decide(actor=office, application_id=decided.pk, decision="decline")
    # The completed 2021 edition is in the archive of all editions now, not on the overview (issue 9).
    completed = Edition.objects.get(programme__slug=content.SLUG, status="completed")
    running = Edition.objects.get(programme__slug=content.SLUG, status="running")
    response = office_client.get("/en/account/")
    body = response.content.decode()
    link = re.search(rf'<a href="{inbox_url(edition, "en")}">(.*?)</a>', body, flags=re.S)
    assert link is not None
    assert re.sub(r"<[^>]+>", "", link.group(1)).startswith("Applications (3 new) (Edition starting")
    assert "Applications (3 new)" in text_of(response)
    assert re.search(rf'<a href="{inbox_url(running, "en")}">Applications \(0 new\)', body)
    assert inbox_url(completed, "en") not in body


def test_participants_see_no_inbox_links(client, edition):
    apply(edition, "p@example.org")
    client.force_login(User.objects.get(email=content.PARTICIPANTS[0]["email"]))
    assert "/aanmeldingen/" not in client.get("/en/account/").content.decode()


def test_the_schedule_page_links_to_the_inbox(office_client, edition):
    body = office_client.get(f"/en/coordinatie/edities/{edition.pk}/rooster/").content.decode()
    assert f'href="{inbox_url(edition, "en")}"' in body
    inbox = office_client.get(inbox_url(edition, "en")).content.decode()
    assert f'href="/en/coordinatie/edities/{edition.pk}/rooster/"' in inbox
