"""The participant's award page and the standing on their dashboard (M18, M19): the award they
are on course for, every criterion in words, what is still missing, the early warning, and once
issued the PDF, the credential and the link to share. Only their own enrolments."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from leergang.awards import services

from .standing_data import attend, complete, finished_edition, hand_in, participant_in, running_edition

pytestmark = pytest.mark.django_db


def url(name: str = "my_award:standing", language: str = "en") -> str:
    with translation.override(language):
        return reverse(name)


def section(page: str, enrolment) -> str:
    match = re.search(rf'<section class="section award-standing"[^>]*id="enrolment-{enrolment.pk}".*?</section>', page, re.S)
    assert match, f"no section for enrolment {enrolment.pk}"
    return match.group(0)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def warned():
    """Three content sessions held of which two missed: 1 + 3 to come < 5."""
    enrolment = participant_in(running_edition(held=3), "anna@example.org", "Anna", "Jansen")
    attend(enrolment, ["absent", "excused", "present"])
    return enrolment


def test_the_standing_every_criterion_and_what_is_still_missing(client):
    enrolment = participant_in(running_edition(held=3), "anna@example.org", "Anna", "Jansen")
    attend(enrolment, ["present", "present", "present"])
    hand_in(enrolment, "insufficient")
    client.force_login(enrolment.participant)
    page = section(client.get(url()).content.decode(), enrolment)
    words = text(page)
    assert 'data-award="certificate"' in page and 'data-out-of-reach="no"' in page  # the standing so far
    assert "You are on course for: Diploma" in words  # a new version of the paper can still pass
    assert "Attended 3 of 6 content sessions; 5 are needed." in words
    assert "The final paper was assessed as insufficient; a new version can be handed in." in words
    assert "The paper is presented at the closing session." in words
    assert 'data-criterion="attendance" data-met="no"' in page
    missing = text(re.search(r'<ul class="next-steps award-missing">.*?</ul>', page, re.S).group(0))
    assert "Attend 2 more content sessions." in missing
    assert "Hand in an improved version of your final paper." in missing
    assert "Present your paper at the closing session." in missing
    assert reverse("papers:paper", kwargs={"enrolment_id": enrolment.pk}) in page
    assert "can no longer be reached" not in words


def test_the_early_warning_on_the_page_and_on_the_dashboard(client, warned):
    client.force_login(warned.participant)
    page = section(client.get(url()).content.decode(), warned)
    assert 'data-out-of-reach="yes"' in page and f'id="out-of-reach-{warned.pk}"' in page
    words = text(page)
    assert "The diploma can no longer be reached." in words
    assert "You missed 2 content sessions, and at least 5 have to be attended." in words
    assert "Too few content sessions were attended for the diploma." in words
    with translation.override("en"):
        dashboard = client.get(reverse("accounts:dashboard")).content.decode()
    assert f'id="out-of-reach-{warned.pk}"' in dashboard
    assert "You are on course for: Certificate of participation" in text(dashboard)
    assert f'href="{url()}#enrolment-{warned.pk}"' in dashboard


def test_no_warning_on_the_dashboard_while_the_diploma_can_be_reached(client):
    enrolment = participant_in(running_edition(held=3), "anna@example.org")
    attend(enrolment, ["present", "absent", "present"])
    client.force_login(enrolment.participant)
    with translation.override("en"):
        dashboard = client.get(reverse("accounts:dashboard")).content.decode()
    assert f'id="out-of-reach-{enrolment.pk}"' not in dashboard
    assert f'href="{url()}#enrolment-{enrolment.pk}"' in dashboard


def test_once_issued_the_documents_and_the_link_to_share(client, coordinator, settings):
    enrolment = complete(participant_in(finished_edition(), "anna@example.org", "Anna", "Jansen"))
    award = services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="diploma")
    client.force_login(enrolment.participant)
    page = section(client.get(url()).content.decode(), enrolment)
    assert 'data-issued="diploma"' in page and "Your diploma has been issued" in page
    assert award.code in page
    assert f'href="/api/v1/credentials/{award.code}/document.pdf"' in page
    assert f'href="/api/v1/credentials/{award.code}/credential.jwt"' in page
    assert f'href="{settings.PUBLIC_BASE_URL}/verify/{award.code}"' in page
    assert "Outcome: Diploma" in text(page)
    assert "What is still missing" not in page
    # The documents behind the links are the holder's to fetch with their session.
    pdf = client.get(f"/api/v1/credentials/{award.code}/document.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    services.revoke_award(actor=coordinator, code=award.code, reason="Issued by mistake.")
    page = section(client.get(url()).content.decode(), enrolment)
    assert 'data-issued=""' in page
    assert f"Your diploma with code {award.code} was revoked on" in text(page) and "Issued by mistake." in page


def test_only_the_own_enrolments_and_a_cancelled_one_says_so(client):
    edition = finished_edition(title_en="Leading through trust")
    mine = complete(participant_in(edition, "anna@example.org", "Anna", "Jansen"))
    other = complete(participant_in(finished_edition(title_en="Someone else's programme"), "ben@example.org"))
    cancelled = participant_in(running_edition(title_en="Given up"), "x@example.org", status="cancelled")
    cancelled.participant = mine.participant
    cancelled.save()
    client.force_login(mine.participant)
    page = client.get(url()).content.decode()
    assert f'id="enrolment-{mine.pk}"' in page and f'id="enrolment-{other.pk}"' not in page
    assert "Someone else" not in page
    assert "This enrolment was cancelled" in text(section(page, cancelled))


def test_the_page_in_dutch_and_for_someone_without_enrolments(client, participant, warned):
    client.force_login(warned.participant)
    dutch = client.get(url(language="nl"))
    assert dutch.status_code == 200 and '<html lang="nl">' in dutch.content.decode()
    assert "Aanwezig bij 1 van 6" in dutch.content.decode()  # the rule's own words are translated already
    client.force_login(participant)
    empty = client.get(url()).content.decode()
    assert "You are not enrolled in a programme yet." in empty
    client.logout()
    assert client.get(url()).status_code == 302  # to the login page
