"""The overdue reminder (reminders.py): the worker's job e-mails every overdue invoice's recipient
once, through the outbox, in the invoice's language with the PDF attached; not for paid, credited
or not-yet-due invoices. Delivered by the real worker to a real SMTP server, restarted in between."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from leergang.invoicing import payments, reminders
from leergang.invoicing.models import PaymentReminder
from leergang.notifications import jobs
from leergang.notifications.models import OutboxEmail
from tests import factories
from tests.notifications.conftest import smtp_server  # noqa: F401 - the real SMTP server fixture

from .conftest import RECIPIENT
from .helpers import pdf_text

pytestmark = pytest.mark.django_db


def worker_round() -> None:
    """One `manage.py worker --once`: a worker process that starts, does a round and stops."""
    call_command("worker", "--once", stdout=StringIO())


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def invoices(issue, credit, make_enrolment, coordinator):
    """Overdue (Dutch, to the invoice address), overdue and partly paid (English, no invoice e-mail:
    to the participant), paid, credited, due today and not yet due."""

    def invoice(key, issued_days_ago, *, language="nl", email=None):
        person = factories.UserFactory(email=f"{key}@example.org", first_name=key.title(), last_name="Jansen")
        recipient = {**RECIPIENT, "email": f"billing-{key}@example.org" if email is None else email}
        return issue(
            make_enrolment(participant=person), issued_on=days_ago(issued_days_ago), language=language, recipient=recipient
        )

    made = {
        "overdue": invoice("overdue", 40),
        "partly": invoice("partly", 31, language="en", email=""),
        "paid": invoice("paid", 60),
        "credited": invoice("credited", 60),
        "due_today": invoice("today", 30),
        "not_due": invoice("notdue", 5),
    }
    payments.record_payment(
        actor=coordinator, invoice_number=made["partly"].number, paid_on=days_ago(1), amount="1500.00", reference="x"
    )
    payments.record_payment(actor=coordinator, invoice_number=made["paid"].number, paid_on=days_ago(1), amount="2995.00")
    credit(made["credited"], issued_on=days_ago(1))
    return made


def test_the_job_is_registered_to_run_every_hour():
    job = next(job for job in jobs.registered() if job.name == "invoicing.overdue_reminders")
    assert job.every_seconds == 3600 and job.function is reminders.send_overdue_reminders


def test_the_overdue_reminder_goes_out_exactly_once_across_worker_restarts(request, invoices):
    smtp = request.getfixturevalue("smtp_server")

    worker_round()  # the job queues the reminders
    worker_round()  # a new worker: it delivers them; the job is not due again yet
    assert jobs.run_due_jobs(now=timezone.now() + datetime.timedelta(hours=2)) != []  # an hour later, again
    assert reminders.send_overdue_reminders() == 0  # and once more by hand
    worker_round()
    worker_round()

    messages = smtp.messages
    assert sorted(message["To"] for message in messages) == ["billing-overdue@example.org", "partly@example.org"]
    assert PaymentReminder.objects.count() == 2
    assert set(PaymentReminder.objects.values_list("invoice__number", flat=True)) == {
        invoices["overdue"].number,
        invoices["partly"].number,
    }
    assert set(OutboxEmail.objects.filter(kind="payment_reminder").values_list("status", flat=True)) == {"sent"}

    english = next(m for m in messages if m["To"] == "partly@example.org")
    assert english["Content-Language"] == "en"
    assert english["Subject"] == f"Reminder: invoice {invoices['partly'].number} is overdue"
    text = body(english)
    assert "Still owed: €1,495.00" in text and "Invoice total: €2,995.00" in text
    assert f"stating invoice number {invoices['partly'].number}" in text
    assert "NL91 ABNA 0417 1643 00" in text
    attachment = next(part for part in english.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"invoice-{invoices['partly'].number}.pdf"
    assert invoices["partly"].number in pdf_text(attachment.get_content())

    dutch = next(m for m in messages if m["To"] == "billing-overdue@example.org")
    assert dutch["Content-Language"] == "nl"
    assert invoices["overdue"].number in dutch["Subject"]
    assert "2.995,00" in body(dutch)
    assert [part.get_filename() for part in dutch.iter_attachments()] == [f"factuur-{invoices['overdue'].number}.pdf"]


def test_a_payment_after_the_reading_stops_the_reminder(invoices, coordinator):
    due = reminders.overdue_invoices(timezone.localdate())
    payments.record_payment(actor=coordinator, invoice_number=invoices["overdue"].number, paid_on=days_ago(0), amount="2995.00")

    sent = sum(reminders._remind(invoice_id, timezone.localdate()) for invoice_id in due)

    assert sent == 1
    assert list(PaymentReminder.objects.values_list("invoice__number", flat=True)) == [invoices["partly"].number]


def test_an_invoice_becomes_overdue_the_day_after_its_due_date(invoices):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert reminders.send_overdue_reminders() == 2
    assert reminders.send_overdue_reminders(today=tomorrow) == 1  # the one due today
    assert PaymentReminder.objects.filter(invoice=invoices["due_today"]).exists()
    assert not PaymentReminder.objects.filter(invoice__in=[invoices["paid"], invoices["credited"], invoices["not_due"]]).exists()
    assert OutboxEmail.objects.filter(kind="payment_reminder").count() == 3
