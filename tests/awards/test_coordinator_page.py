"""The diplomas page of an edition (M18, M19): the programme office sees every participant's
standing and the issued awards, issues all or one, revokes with a reason; nobody else sees it.
Through real HTTP and the real issuing services."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from leergang.awards import services
from leergang.awards.models import Award
from leergang.notifications.models import OutboxEmail

from .standing_data import attend, complete, finished_edition, participant_in, running_edition, teacher_of

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"awards:{name}", kwargs=kwargs)


def row(page: str, enrolment) -> str:
    match = re.search(rf'<tr id="participant-{enrolment.pk}".*?</tr>', page, re.S)
    assert match, f"no row for enrolment {enrolment.pk}"
    return match.group(0)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def finished():
    return finished_edition()


@pytest.fixture
def people(finished):
    return {
        "graduate": complete(participant_in(finished, "anna@example.org", "Anna", "Jansen")),
        "four": complete(participant_in(finished, "ben@example.org", "Ben", "Bakker"), attended=4),
        "nothing": complete(participant_in(finished, "carl@example.org", "Carl", "Claes"), attended=0, paper=None),
    }


@pytest.fixture
def office(client, coordinator):
    client.force_login(coordinator)
    return client


def test_only_the_programme_office_sees_the_page(client, finished, people, coordinator):
    page = url("edition", edition_id=finished.pk)
    teacher = teacher_of(finished)
    for person in (teacher, people["graduate"].participant):
        client.force_login(person)
        assert client.get(page).status_code == 404
        assert client.post(url("issue-all", edition_id=finished.pk)).status_code == 404
        issue = url("issue", edition_id=finished.pk, enrolment_id=people["graduate"].pk)
        assert client.post(issue, {"kind": "diploma"}).status_code == 404
    assert not Award.objects.exists()
    client.logout()
    assert client.get(page).status_code == 302  # to the login page
    client.force_login(coordinator)
    assert client.get(page).status_code == 200
    assert client.get(url("edition", edition_id=999999)).status_code == 404


def test_the_page_in_dutch_and_english(office, finished, people):
    dutch = office.get(url("edition", "nl", edition_id=finished.pk))
    assert dutch.status_code == 200 and '<html lang="nl">' in dutch.content.decode()
    english = office.get(url("edition", "en", edition_id=finished.pk)).content.decode()
    assert '<html lang="en">' in english and "Diplomas and certificates" in english
    assert 'class="data-table stack-table awards-table"' in english  # stacks into cards on a phone


def test_a_row_per_participant_with_sessions_paper_presentation_and_standing(office, finished, people):
    participant_in(finished, "gone@example.org", "Gert", "Weg", status="cancelled")
    page = office.get(url("edition", edition_id=finished.pk)).content.decode()
    assert page.count('<tr id="participant-') == 3
    graduate = text(row(page, people["graduate"]))
    assert "Anna Jansen" in graduate and "6 of 6" in graduate and "Sufficient" in graduate
    assert "Presented" in graduate and "Diploma" in graduate and "Not yet" in graduate
    four = row(page, people["four"])
    assert 'data-award="certificate"' in four and "4 of 6" in text(four) and "2 missed" in text(four)
    assert 'data-award="none"' in row(page, people["nothing"]) and "Not handed in yet" in text(row(page, people["nothing"]))
    # Once final, the diploma button where the rule allows it, else the certificate's; nothing for "none".
    assert f'id="issue-diploma-{people["graduate"].pk}"' in page and f'id="issue-certificate-{people["graduate"].pk}"' not in page
    assert f'id="issue-certificate-{people["four"].pk}"' in page and f'id="issue-diploma-{people["four"].pk}"' not in page
    assert f"issue-certificate-{people['nothing'].pk}" not in page and f"issue-diploma-{people['nothing'].pk}" not in page
    assert 'id="issue-all"' in page and "awards-not-final" not in page


def test_before_the_closing_session_the_standings_and_the_early_warning(office):
    edition = running_edition(held=3)
    warned = participant_in(edition, "anna@example.org", "Anna", "Jansen")
    attend(warned, ["absent", "absent", "present"])
    fine = participant_in(edition, "ben@example.org", "Ben", "Bakker")
    attend(fine, ["present", "present", "present"])
    page = office.get(url("edition", edition_id=edition.pk)).content.decode()
    assert 'id="awards-not-final"' in page and "Diplomas are issued after the closing session on" in page
    assert 'id="issue-all"' not in page
    assert 'data-out-of-reach="yes"' in row(page, warned) and "Diploma out of reach" in text(row(page, warned))
    assert 'data-out-of-reach="no"' in row(page, fine) and "Diploma out of reach" not in row(page, fine)
    assert "1 can no longer reach the diploma" in text(page)
    # A certificate can be issued to one participant early; not the diploma.
    assert f'id="issue-certificate-{warned.pk}"' in page and "issue-diploma-" not in page
    response = office.post(url("issue", edition_id=edition.pk, enrolment_id=warned.pk), {"kind": "certificate"})
    assert response.status_code == 302
    assert Award.objects.get(enrolment=warned).kind == "certificate"
    # Issuing all before the closing session is refused with the reason on the page.
    refused = office.post(url("issue-all", edition_id=edition.pk))
    assert refused.status_code == 409
    assert "has not taken place yet" in text(refused.content.decode())
    assert Award.objects.count() == 1


def test_issue_all_issues_what_the_rule_says_and_tells_what_was_skipped(office, finished, people):
    response = office.post(url("issue-all", edition_id=finished.pk))
    assert response.status_code == 302 and response["Location"] == url("edition", edition_id=finished.pk)
    awards = {award.enrolment_id: award for award in Award.objects.all()}
    assert awards[people["graduate"].pk].kind == "diploma"
    assert awards[people["four"].pk].kind == "certificate"
    assert people["nothing"].pk not in awards
    assert OutboxEmail.objects.filter(kind="award_issued").count() == 2
    page = office.get(response["Location"]).content.decode()
    assert "Diplomas issued: 1. Certificates of participation issued: 1." in page
    summary = text(re.search(r'<section class="section awards-summary".*?</section>', page, re.S).group(0))
    assert f"Anna Jansen: diploma {awards[people['graduate'].pk].code}" in summary
    assert f"Ben Bakker: certificate of participation {awards[people['four'].pk].code}" in summary
    assert "Carl Claes: Neither a diploma nor a certificate" in summary
    assert f'href="/verify/{awards[people["graduate"].pk].code}"' in page
    assert f'href="/api/v1/credentials/{awards[people["graduate"].pk].code}/document.pdf"' in page
    assert 'data-issued="diploma"' in row(page, people["graduate"])
    assert "awards-summary" not in office.get(response["Location"]).content.decode()  # shown once
    # Again: everyone who qualifies has an award; nothing more is issued.
    assert 'id="issue-all"' not in page
    office.post(url("issue-all", edition_id=finished.pk))
    assert Award.objects.count() == 2


def test_issue_one_and_the_refusals_shown_on_the_page(office, finished, people):
    graduate = people["graduate"]
    response = office.post(url("issue", edition_id=finished.pk, enrolment_id=graduate.pk), {"kind": "diploma"})
    assert response.status_code == 302
    award = Award.objects.get(enrolment=graduate)
    assert award.kind == "diploma"
    page = office.get(response["Location"]).content.decode()
    assert f"Diploma issued to Anna Jansen (code {award.code})." in page
    again = office.post(url("issue", edition_id=finished.pk, enrolment_id=graduate.pk), {"kind": "diploma"})
    assert again.status_code == 409
    assert f"already has a valid diploma ({award.code})" in again.content.decode()
    not_met = office.post(url("issue", edition_id=finished.pk, enrolment_id=people["four"].pk), {"kind": "diploma"})
    assert not_met.status_code == 409 and "Not all criteria for the diploma are met" in not_met.content.decode()
    unknown = office.post(url("issue", edition_id=finished.pk, enrolment_id=people["four"].pk), {"kind": "medal"})
    assert unknown.status_code == 422 and "Choose diploma or certificate." in unknown.content.decode()
    elsewhere = participant_in(finished_edition(), "x@example.org")
    assert (
        office.post(url("issue", edition_id=finished.pk, enrolment_id=elsewhere.pk), {"kind": "certificate"}).status_code == 404
    )
    assert Award.objects.count() == 1


def test_the_refusals_read_in_dutch_on_the_dutch_page(office, finished, people):
    graduate = people["graduate"]
    office.post(url("issue", "nl", edition_id=finished.pk, enrolment_id=graduate.pk), {"kind": "diploma"})
    again = office.post(url("issue", "nl", edition_id=finished.pk, enrolment_id=graduate.pk), {"kind": "diploma"})
    assert again.status_code == 409 and '<html lang="nl">' in again.content.decode()
    assert 'role="alert"' in again.content.decode()


def test_revoke_needs_a_reason_and_then_shows_it(office, coordinator, finished, people):
    graduate = people["graduate"]
    award = services.issue_award(actor=coordinator, enrolment_id=graduate.pk, kind="diploma")
    revoke = url("revoke", edition_id=finished.pk)
    missing = office.post(revoke, {"code": award.code, "reason": "   "})
    assert missing.status_code == 422
    page = missing.content.decode()
    assert "Give the reason for revoking" in page
    assert f'id="reason-{graduate.pk}"' in page and 'aria-invalid="true"' in page
    assert '<details class="awards-revoke" open>' in page
    award.refresh_from_db()
    assert award.revoked_at is None
    done = office.post(revoke, {"code": award.code, "reason": "Issued to the wrong person."})
    assert done.status_code == 302
    award.refresh_from_db()
    assert award.revoked_at is not None and award.revoked_reason == "Issued to the wrong person."
    page = office.get(done["Location"]).content.decode()
    assert f"The diploma of Anna Jansen (code {award.code}) has been revoked." in page
    assert "Issued to the wrong person." in text(row(page, graduate))
    assert f'id="issue-diploma-{graduate.pk}"' in page  # a new one can be issued
    twice = office.post(revoke, {"code": award.code, "reason": "Again."})
    assert twice.status_code == 409 and "already revoked" in twice.content.decode()
    assert office.post(revoke, {"code": "NOPE-NOPE-NOPE", "reason": "x"}).status_code == 404


def test_the_inbox_and_the_dashboard_lead_to_the_page(office, finished):
    running = running_edition(held=3)
    attend(participant_in(running, "anna@example.org"), ["absent", "absent", "present"])
    attend(participant_in(running, "ben@example.org"), ["absent", "absent", "absent"])
    with translation.override("en"):
        inbox = office.get(reverse("inbox:edition", kwargs={"edition_id": finished.pk})).content.decode()
        dashboard = office.get(reverse("accounts:dashboard")).content.decode()
    assert f'href="{url("edition", edition_id=finished.pk)}"' in inbox
    assert f'href="{url("edition", edition_id=running.pk)}"' in dashboard
    assert "(2 out of reach)" in text(dashboard)


def test_the_page_reads_the_same_number_of_queries_however_many_participants(office, coordinator, finished, people):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert office.get(url("edition", edition_id=finished.pk)).status_code == 200
        return len(captured.captured_queries)

    few = count()
    for i in range(8):
        enrolment = complete(participant_in(finished, f"p{i}@example.org", "Deel", f"Nemer {i}"), attended=3 + i % 4)
        if i % 2:
            award = services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="certificate")
            if i % 3 == 0:
                services.revoke_award(actor=coordinator, code=award.code, reason="Wrong name.")
    assert count() == few
