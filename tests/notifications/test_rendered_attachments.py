"""Attachments made when the e-mail is sent (notifications.services.Rendered): an issued invoice's
PDF is named in the outbox row and made by the worker, so the request that queued it does not wait."""

import datetime

import pytest

from leergang.invoicing import pdf
from leergang.notifications import delivery, services

pytestmark = pytest.mark.django_db


RECIPIENT = {"organisation": "Gemeente Ede", "contact_name": "A. Jansen", "address": "Bergstraat 4", "postal_code": "6711 DA",
             "city": "Ede", "email": "facturen@ede.example", "po_number": ""}  # fmt: skip


@pytest.fixture
def invoice(demo):
    from leergang.accounts.models import User
    from leergang.enrolment.models import Enrolment
    from leergang.invoicing.services import issue_invoice

    enrolment = Enrolment.objects.filter(status="enrolled", invoices__isnull=True).order_by("pk").first()
    office = User.objects.get(email="coordinator@example.org")
    return issue_invoice(
        actor=office, enrolment=enrolment, recipient=RECIPIENT, language="nl", issued_on=datetime.date(2026, 1, 5)
    )


def test_the_row_names_the_invoice_and_the_message_carries_its_pdf(invoice):
    email = services.queue_email(
        to="facturen@example.org", subject="Factuur", body="Bijgaand.", attachments=[pdf.attachment(invoice)]
    )
    email.refresh_from_db()
    [stored] = email.attachments
    assert stored == {
        "filename": pdf.filename(invoice),
        "mimetype": "application/pdf",
        "render": "invoice_pdf",
        "key": invoice.number,
    }
    message = delivery.build_message(email)
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == (pdf.filename(invoice), "application/pdf")
    assert content.startswith(b"%PDF") and content == pdf.invoice_pdf(invoice)


def test_an_unknown_renderer_is_refused_when_queueing(invoice):
    with pytest.raises(ValueError, match="No renderer"):
        services.queue_email(
            to="a@example.org", subject="x", body="y", attachments=[("a.pdf", services.Rendered("nope", "1"), "application/pdf")]
        )


def test_the_overdue_reminder_names_its_invoice_instead_of_carrying_it(invoice):
    from leergang.invoicing import reminders

    assert reminders.send_overdue_reminders(today=invoice.due_on + datetime.timedelta(days=30)) >= 1
    email = services.OutboxEmail.objects.get(kind="payment_reminder", related_id=str(invoice.pk))
    assert email.attachments == [
        {"filename": pdf.filename(invoice), "mimetype": "application/pdf", "render": "invoice_pdf", "key": invoice.number}
    ]
