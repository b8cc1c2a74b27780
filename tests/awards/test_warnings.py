"""The early warning by e-mail (M18): the worker's job e-mails a participant who can no longer
reach the diploma, and the programme office, once per enrolment; only for active enrolments of
editions whose outcome is not final; delivered by the real worker to a real SMTP server."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leergang.attendance import services as attendance_services
from leergang.awards import warnings
from leergang.awards.models import OutOfReachNotice
from leergang.notifications import jobs
from leergang.notifications.models import OutboxEmail
from tests import factories
from tests.notifications.conftest import smtp_server  # noqa: F401 - the real SMTP server fixture

from .standing_data import attend, finished_edition, participant_in, running_edition

pytestmark = pytest.mark.django_db

TOO_MANY = ["absent", "excused", "present"]  # 1 attended + 3 to come = 4 < 5


def worker_round() -> None:
    call_command("worker", "--once", stdout=StringIO())


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message["To"].split(", "))


@pytest.fixture
def edition():
    """Three content sessions held, three more and the closing session to come."""
    return running_edition(held=3, contact_email="programma@example.org")


@pytest.fixture
def group(edition):
    people = {
        "nl": participant_in(edition, "anna@example.org", "Anna", "Jansen"),
        "en": participant_in(edition, "ben@example.org", "Ben", "Smith", language="en"),
        "reachable": participant_in(edition, "eva@example.org", "Eva", "Visser"),
        "cancelled": participant_in(edition, "carl@example.org", "Carl", "de Boer", status="cancelled"),
    }
    attend(people["nl"], TOO_MANY)
    attend(people["en"], ["absent", "absent", "absent"])
    attend(people["reachable"], ["present", "absent", "present"])  # 2 + 3 to come = 5: still reachable
    attend(people["cancelled"], TOO_MANY)
    return people


def test_the_job_is_registered_to_run_every_hour():
    job = next(job for job in jobs.registered() if job.name == "awards.out_of_reach_notices")
    assert job.every_seconds == 3600 and job.function is warnings.send_out_of_reach_notices


def test_the_worker_warns_the_participant_and_the_programme_office_once(request, group, edition):
    smtp = request.getfixturevalue("smtp_server")
    worker_round()  # the job queues the e-mails
    worker_round()  # and they go out
    messages = smtp.messages
    assert recipients(messages) == ["anna@example.org", "ben@example.org", "programma@example.org", "programma@example.org"]
    by_to = {message["To"]: message for message in messages if message["To"] != "programma@example.org"}

    english = by_to["ben@example.org"]
    text = body(english)
    assert english["Content-Language"] == "en"
    assert english["Subject"] == "The diploma of Leading through trust can no longer be reached"
    assert "Dear Ben," in text
    assert "So far you have attended 0 of the 6 content sessions of Leading through trust." in text
    assert "You missed 3 sessions." in text
    assert "at least 5 content sessions attended. With 3 sessions still to come" in text
    assert "By attending at least one content session you can still receive a certificate of participation." in text
    assert "contact the programme manager at programma@example.org" in text
    assert "/en/leren/diploma/" in text

    dutch = by_to["anna@example.org"]
    assert dutch["Content-Language"] == "nl" and "/nl/leren/diploma/" in body(dutch)

    office = [body(m) for m in messages if m["To"] == "programma@example.org"]
    assert all(m["Content-Language"] == "nl" for m in messages if m["To"] == "programma@example.org")
    assert any("Anna Jansen (anna@example.org)" in text for text in office)
    assert any("Ben Smith (ben@example.org)" in text for text in office)
    assert all(f"/nl/coordinatie/edities/{edition.pk}/diplomas/" in text for text in office)
    assert "eva@example.org" not in " ".join(office) and "carl@example.org" not in " ".join(office)

    assert sorted(OutOfReachNotice.objects.values_list("enrolment_id", flat=True)) == sorted([group["nl"].pk, group["en"].pk])
    # Again: the next round, the job an hour later, another absence: nothing new.
    worker_round()
    assert warnings.send_out_of_reach_notices() == 0
    session = edition.sessions.get(number=4)
    attendance_services.report_absence(actor=group["nl"].participant, session_id=session.pk, enrolment_id=group["nl"].pk)
    assert jobs.run_due_jobs(now=timezone.now() + datetime.timedelta(hours=2)) != []
    worker_round()
    assert len(smtp.messages) == 4
    assert OutOfReachNotice.objects.count() == 2
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_an_absence_reported_ahead_can_tip_the_balance(group, edition):
    assert warnings.send_out_of_reach_notices() == 2
    reachable = group["reachable"]
    session = edition.sessions.get(number=4)
    attendance_services.report_absence(actor=reachable.participant, session_id=session.pk, enrolment_id=reachable.pk)
    assert warnings.send_out_of_reach_notices() == 1
    assert OutOfReachNotice.objects.filter(enrolment=reachable).exists()
    assert sorted(OutboxEmail.objects.filter(kind="out_of_reach").values_list("to", flat=True)) == [
        ["anna@example.org"],
        ["ben@example.org"],
        ["eva@example.org"],
    ]


def test_without_a_contact_address_every_active_coordinator_is_told_in_their_language(group, edition, coordinator):
    edition.programme.contact_email = ""
    edition.programme.save()
    factories.CoordinatorFactory(email="gone@example.org", is_active=False)
    factories.CoordinatorFactory(email="office-en@example.org", preferred_language="en", first_name="Pat")
    factories.UserFactory(email="someone@example.org")
    assert warnings.send_out_of_reach_notices() == 2
    office = OutboxEmail.objects.filter(kind="out_of_reach_office")
    assert sorted(address for email in office for address in email.to) == [
        "office-en@example.org",
        "office-en@example.org",
        "office@example.org",
        "office@example.org",
    ]
    english = office.filter(language="en").get(subject__contains="Ben Smith")
    assert english.subject == "Diploma out of reach: Ben Smith (Leading through trust)"
    assert "Dear Pat," in english.body
    assert "Attended: 0 of 6 content sessions; 5 are needed." in english.body
    assert "Missed: 3; still to come: 3." in english.body
    assert f"/en/coordinatie/edities/{edition.pk}/diplomas/" in english.body
    assert set(office.filter(to=["office@example.org"]).values_list("language", flat=True)) == {"nl"}


def test_no_warning_once_the_outcome_is_final_nor_for_editions_not_running():
    finished = finished_edition()
    attend(participant_in(finished, "late@example.org"), ["absent"] * 6)
    for status in ("draft", "completed"):
        other = running_edition(status=status)
        attend(participant_in(other, f"{status}@example.org"), ["absent"] * 3)
    assert warnings.send_out_of_reach_notices() == 0
    assert not OutboxEmail.objects.exists() and not OutOfReachNotice.objects.exists()


def test_no_warning_while_the_schedule_has_fewer_content_sessions_than_the_rule_asks():
    """An edition still being planned (two content sessions so far) is no reason to alarm anyone."""
    planning = running_edition(held=1, content=2)
    attend(participant_in(planning, "early@example.org"), ["present"])
    assert warnings.send_out_of_reach_notices() == 0


def test_an_enrolment_warned_before_is_not_warned_again(group):
    OutOfReachNotice.objects.create(enrolment=group["nl"], noticed_at=timezone.now())
    assert warnings.send_out_of_reach_notices() == 1
    assert [email.to for email in OutboxEmail.objects.filter(kind="out_of_reach")] == [["ben@example.org"]]


def test_the_job_reads_the_same_number_of_queries_however_many_participants(edition):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert warnings.send_out_of_reach_notices() == 0
        return len(captured.captured_queries)

    attend(participant_in(edition, "one@example.org"), ["present"] * 3)
    few = count()
    for i in range(15):
        attend(participant_in(edition, f"p{i}@example.org", "Deel", f"Nemer {i}"), ["present", "absent", "present"])
    other = running_edition(held=2)
    for i in range(5):
        attend(participant_in(other, f"q{i}@example.org", "Deel", f"Nemer {i}"), ["present", "present"])
    assert count() == few <= 4
