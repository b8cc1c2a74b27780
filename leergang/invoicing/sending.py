"""Sending the documents of a change of plan to the debtor (M7): the credit note and whatever
replaces the invoice (a cancellation fee, the invoice for a colleague or a later edition), as PDFs in
one e-mail per invoice address, in the documents' language, through the outbox in the caller's
transaction (so the e-mail exists exactly when the documents do)."""

from __future__ import annotations

from collections import defaultdict

from . import payment_rules, pdf, rules
from .models import Invoice, InvoiceKind
from .payments import paid_of


def _address(document: Invoice) -> str:
    if document.recipient_email:
        return document.recipient_email
    enrolment = document.enrolment
    return enrolment.participant.email if enrolment is not None else ""


def send_documents(documents: list[Invoice | None], *, change: str) -> int:
    """Queue the e-mails; `change` is "cancellation", "substitution" or "transfer" (the e-mail says
    why the documents come). Returns how many e-mails were queued."""
    from leergang.notifications.services import queue_templated_email

    by_address: dict[tuple[str, str], list[Invoice]] = defaultdict(list)
    for document in documents:
        if document is not None and _address(document):
            by_address[(_address(document).lower(), document.language)].append(document)
    for (address, language), group in by_address.items():
        owed = [d for d in group if d.kind == InvoiceKind.INVOICE and d.total > 0]
        items = []
        for document in owed:
            still = payment_rules.still_owed(document.total, paid_of(document))  # kept by the services, see paid_of
            items.append(
                {
                    "document": document,
                    "total": rules.money(document.total, language),
                    "owed": rules.money(still, language),
                    "settled": still <= 0,
                    "partly": 0 < still < document.total,
                }
            )
        queue_templated_email(
            to=[address],
            template="documents_changed",
            context={
                "documents": group,
                "first": group[0],
                "change": change,
                "invoices": items,
                "anything_owed": any(not item["settled"] for item in items),
                "credit_notes": [d for d in group if d.kind == InvoiceKind.CREDIT_NOTE],
                "iban": rules.iban_groups(group[0].issuer_iban),
            },
            language=language,
            attachments=[pdf.attachment(d) for d in group],
            kind="documents_changed",
            related=group[0],
        )
    return len(by_address)
