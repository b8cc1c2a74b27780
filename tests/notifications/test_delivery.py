"""Delivery through a real SMTP server: everything arrives, once; nothing is lost when SMTP is down (R6)."""

from datetime import timedelta
from email.utils import format_datetime

import pytest
from django.db import transaction
from django.utils import timezone

from leergang.notifications import delivery
from leergang.notifications.delivery import deliver_due
from leergang.notifications.models import OutboxEmail
from leergang.notifications.services import queue_email

pytestmark = pytest.mark.django_db

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:Bijeenkomst in het caf\xc3\xa9\r\nEND:VCALENDAR\r\n"
PDF = b"%PDF-1.7\n\x00\x01\xfe\xff binary\r\nmore"


def queue(to="anna@example.org", **changes) -> OutboxEmail:
    return queue_email(**{"to": to, "subject": "Bijeenkomst 3", "body": "Beste Anna,\n", **changes})


def refreshed(email: OutboxEmail) -> OutboxEmail:
    email.refresh_from_db()
    return email


def test_a_queued_mail_reaches_the_smtp_server_once_with_everything_intact(smtp_server):
    email = queue_email(
        to=["anna@example.org", "Bob de Vries <bob@example.org>"],
        subject="Bijeenkomst 3 verplaatst — café De Kroon",
        body="Beste Anna,\n\nWoensdag 13 januari 2021, 13.30 uur.\n",
        attachments=[("bijeenkomst.ics", ICS, "text/calendar"), ("leeslijst.pdf", PDF, "application/pdf")],
        language="nl",
        reply_to="office@example.org",
    )

    assert deliver_due() == 1
    assert deliver_due() == 0

    [envelope] = smtp_server.envelopes
    assert envelope.mail_from == "noreply@example.org"
    assert envelope.rcpt_tos == ["anna@example.org", "bob@example.org"]
    [message] = smtp_server.messages
    assert message["Subject"] == "Bijeenkomst 3 verplaatst — café De Kroon"
    assert message["To"] == "anna@example.org, Bob de Vries <bob@example.org>"
    assert message["From"] == "Leergang <noreply@example.org>"
    assert message["Reply-To"] == "office@example.org"
    assert message["Message-ID"] == email.message_id
    assert message["Date"] == format_datetime(email.created_at)
    assert message["Content-Language"] == "nl"
    assert (
        message.get_body(("plain",)).get_content().replace("\r\n", "\n")
        == "Beste Anna,\n\nWoensdag 13 januari 2021, 13.30 uur.\n"
    )
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert attachments["bijeenkomst.ics"].get_content_type() == "text/calendar"
    assert attachments["bijeenkomst.ics"].get_content().encode() == ICS
    assert attachments["leeslijst.pdf"].get_content_type() == "application/pdf"
    assert attachments["leeslijst.pdf"].get_content() == PDF

    email = refreshed(email)
    assert (email.status, email.attempts, email.claim_token, email.last_error) == ("sent", 1, "", "")
    assert email.sent_at is not None


def test_delivery_uses_the_configured_backend(mailoutbox):
    email = queue()
    assert deliver_due() == 1
    [message] = mailoutbox
    assert message.extra_headers["Message-ID"] == email.message_id


def test_a_mail_queued_in_a_transaction_that_rolls_back_is_never_sent(smtp_server):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the business change failed")
    assert deliver_due() == 0
    assert smtp_server.envelopes == []


def test_smtp_down_keeps_the_mail_pending_and_delivers_it_once_when_back(smtp_server):
    smtp_server.stop()  # nothing listens on the configured port now
    email = queue()
    start = timezone.now()

    assert deliver_due(now=start) == 0
    email = refreshed(email)
    assert (email.status, email.attempts, email.sent_at) == ("pending", 1, None)
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at == start + timedelta(minutes=1)

    assert deliver_due(now=start + timedelta(seconds=30)) == 0  # not due yet: no attempt made
    assert refreshed(email).attempts == 1
    assert deliver_due(now=start + timedelta(minutes=1)) == 0
    email = refreshed(email)
    assert (email.status, email.attempts) == ("pending", 2)
    assert email.next_attempt_at == start + timedelta(minutes=3)  # then 2 minutes later

    smtp_server.start()
    assert deliver_due(now=start + timedelta(minutes=2)) == 0  # still waiting for its turn
    assert deliver_due(now=start + timedelta(minutes=3)) == 1
    assert deliver_due(now=start + timedelta(days=1)) == 0
    assert len(smtp_server.envelopes) == 1
    assert smtp_server.messages[0]["Message-ID"] == email.message_id
    email = refreshed(email)
    assert (email.status, email.attempts) == ("sent", 3)
    assert "ConnectionRefusedError" in email.last_error  # the history stays readable


def test_smtp_down_costs_one_attempt_per_round_and_every_mail_goes_out_once_when_back(smtp_server):
    smtp_server.stop()
    emails = [queue(to=f"p{i}@example.org") for i in range(3)]
    start = timezone.now()

    assert deliver_due(now=start) == 0
    assert sorted(refreshed(email).attempts for email in emails) == [0, 0, 1]

    smtp_server.start()
    assert deliver_due(now=start + timedelta(hours=1)) == 3
    assert deliver_due(now=start + timedelta(hours=2)) == 0
    assert sorted(r for envelope in smtp_server.envelopes for r in envelope.rcpt_tos) == [f"p{i}@example.org" for i in range(3)]
    assert {refreshed(email).status for email in emails} == {"sent"}


def test_a_server_that_refuses_for_now_gets_the_mail_later_once(smtp_server):
    smtp_server.handler.reply = "451 4.3.0 Mailbox temporarily unavailable"
    email = queue()
    start = timezone.now()

    assert deliver_due(now=start) == 0
    email = refreshed(email)
    assert email.status == "pending"
    assert "451" in email.last_error

    smtp_server.handler.reply = "250 OK"
    assert deliver_due(now=start + timedelta(minutes=1)) == 1
    assert len(smtp_server.envelopes) == 1


def test_after_the_maximum_number_of_attempts_the_mail_is_failed_and_left_alone(smtp_server, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    smtp_server.stop()
    email = queue()
    moment = timezone.now()
    for _ in range(5):
        deliver_due(now=moment)
        moment += timedelta(hours=1)

    email = refreshed(email)
    assert (email.status, email.attempts, email.sent_at) == ("failed", 3, None)
    assert "ConnectionRefusedError" in email.last_error

    smtp_server.start()
    assert deliver_due(now=moment + timedelta(days=1)) == 0
    assert smtp_server.envelopes == []
    assert OutboxEmail.objects.filter(pk=email.pk).exists()  # kept, for the admin


def test_a_worker_dying_after_the_server_accepted_means_one_resend_with_the_same_message_id(smtp_server, monkeypatch):
    """At-least-once: the claim runs out and the message goes again, recognisable as the same one."""
    email = queue()
    start = timezone.now()

    def worker_dies(*args, **kwargs):
        raise ConnectionError("lost the database before recording the send")

    with monkeypatch.context() as patch:
        patch.setattr(delivery, "_record_sent", worker_dies)
        with pytest.raises(ConnectionError):
            deliver_due(now=start)
    assert len(smtp_server.envelopes) == 1
    assert refreshed(email).status == "pending"

    assert deliver_due(now=start + timedelta(minutes=5)) == 0  # the claim still holds
    assert deliver_due(now=start + timedelta(minutes=10)) == 1
    assert deliver_due(now=start + timedelta(days=1)) == 0

    first, second = smtp_server.messages
    assert first["Message-ID"] == second["Message-ID"] == email.message_id
    assert first["Date"] == second["Date"]
    email = refreshed(email)
    assert (email.status, email.attempts) == ("sent", 2)


def test_a_claim_that_ran_out_on_the_last_attempt_marks_the_mail_failed_without_resending(smtp_server, settings, monkeypatch):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    email = queue()
    start = timezone.now()

    def worker_killed(*args, **kwargs):
        raise SystemError("killed")

    with monkeypatch.context() as patch:
        patch.setattr(delivery, "_record_sent", worker_killed)
        with pytest.raises(SystemError):
            deliver_due(now=start)

    assert deliver_due(now=start + timedelta(hours=1)) == 0
    email = refreshed(email)
    assert email.status == "failed"
    assert "stopped during attempt 1" in email.last_error
    assert len(smtp_server.envelopes) == 1


def test_a_worker_whose_claim_ran_out_cannot_overwrite_what_another_recorded(smtp_server):
    email = queue()
    start = timezone.now()
    slow_worker_email, slow_token = delivery._claim_next(start)  # claims, then hangs

    assert deliver_due(now=start + timedelta(minutes=10)) == 1  # another worker sends it
    delivery._record_failure(slow_worker_email, slow_token, TimeoutError("timed out"), now=start + timedelta(minutes=11))
    delivery._record_sent(slow_worker_email, slow_token, now=start + timedelta(minutes=11))

    email = refreshed(email)
    assert (email.status, email.last_error, email.sent_at) == ("sent", "", start + timedelta(minutes=10))


def test_running_delivery_twice_sends_each_mail_once(smtp_server):
    emails = [queue(to=f"p{i}@example.org") for i in range(5)]
    assert deliver_due() == 5
    assert deliver_due() == 0
    assert deliver_due(now=timezone.now() + timedelta(days=30)) == 0
    assert len({message["Message-ID"] for message in smtp_server.messages}) == 5
    assert len(smtp_server.envelopes) == 5
    assert {refreshed(email).attempts for email in emails} == {1}


def test_the_limit_caps_one_call(smtp_server):
    for i in range(3):
        queue(to=f"p{i}@example.org")
    assert deliver_due(limit=2) == 2
    assert deliver_due(limit=2) == 1
