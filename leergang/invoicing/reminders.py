"""The overdue reminder (M7) and its worker job.

The job "invoicing.overdue_reminders" runs every hour in `manage.py worker`. It finds the invoices
that are open or partly paid with a due date before today (Europe/Amsterdam) and no reminder yet,
and e-mails each one's recipient (the invoice's e-mail address, or else the participant's) in the
invoice's language: the amount still owed, how to pay, and the invoice as PDF attached.

Exactly once per invoice, whatever happens after: per invoice one transaction locks the invoice,
checks again that it is still overdue (a payment may have arrived since the reading), writes the
`PaymentReminder` and queues the e-mail; both commit together or not at all. The reminder's
one-to-one invoice makes a second row impossible, whether the job runs twice, on two workers at
once or after a restart. The coordinator's invoice list shows the reminded invoices with the date.
"""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from leergang.notifications import jobs

from . import payment_rules, pdf, rules, selectors
from .models import Invoice, InvoiceKind, PaymentReminder
from .payments import with_paid

logger = logging.getLogger(__name__)

JOB_NAME = "invoicing.overdue_reminders"
EVERY_SECONDS = 3600


def overdue_invoices(today: datetime.date) -> list[int]:
    """Ids of the overdue invoices without a reminder (one query)."""
    return list(
        Invoice.objects.filter(
            kind=InvoiceKind.INVOICE,
            status__in=payment_rules.OUTSTANDING,
            due_on__lt=today,
            payment_reminder__isnull=True,
        )
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )


def _recipient(invoice: Invoice) -> str:
    if invoice.recipient_email:
        return invoice.recipient_email
    enrolment = invoice.enrolment
    return enrolment.participant.email if enrolment is not None else ""


def _remind(invoice_id: int, today: datetime.date) -> bool:
    """One invoice in its own transaction: lock, check again, write the reminder, queue the e-mail."""
    from leergang.notifications.services import queue_templated_email

    with transaction.atomic():
        locked = Invoice.objects.select_for_update().filter(pk=invoice_id).values_list("status", "due_on").first()
        if locked is None or not payment_rules.is_overdue(status=locked[0], due_on=locked[1], on=today):
            return False
        invoice = with_paid(selectors.documents().select_related("enrolment__participant")).get(pk=invoice_id)
        address = _recipient(invoice)
        if not address:
            logger.warning("Invoice %s is overdue but has no e-mail address to remind.", invoice.number)
            return False
        owed = payment_rules.still_owed(invoice.total, invoice.paid)
        if owed <= 0:
            return False  # nothing to ask for (an invoice of 0.00 after a full discount)
        PaymentReminder.objects.create(invoice=invoice, sent_at=timezone.now())
        queue_templated_email(
            to=[address],
            template="payment_reminder",
            context={
                "invoice": invoice,
                "owed": rules.money(owed, invoice.language),
                "total": rules.money(invoice.total, invoice.language),
                "partly_paid": invoice.paid > 0,
                "iban": rules.iban_groups(invoice.issuer_iban),
            },
            language=invoice.language,
            attachments=[pdf.attachment(invoice)],
            kind="payment_reminder",
            related=invoice,
        )
    return True


def send_overdue_reminders(today: datetime.date | None = None) -> int:
    """The job: remind every overdue invoice not reminded yet; return how many were reminded."""
    today = today or timezone.localdate()
    reminded = 0
    for invoice_id in overdue_invoices(today):
        try:
            if _remind(invoice_id, today):
                reminded += 1
        except IntegrityError:
            continue  # another worker reminded this one meanwhile
    return reminded


def register() -> None:
    jobs.register(JOB_NAME, send_overdue_reminders, every_seconds=EVERY_SECONDS)
