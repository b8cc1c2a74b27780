"""Reads of invoices, each one query whatever the size of the series."""

import re
from typing import Any

from django.db.models import CharField, F, Func, QuerySet
from django.utils.translation import gettext_lazy as _

from leergang.core.errors import NotFound

from .models import Invoice
from .permissions import can_view_invoice

NUMBER = re.compile(r"[0-9]{4}-[0-9]{4,9}")


class CreditNoteNumber(Func):
    """The number of the credit note that corrects the invoice (None without one), as SQL: an invoice
    has one credit note at most (a unique constraint), so the subquery needs no ordering or limit, and
    nothing is built and compiled as a nested queryset on every read."""

    template = f'(SELECT c."number" FROM "{Invoice._meta.db_table}" c WHERE c."corrects_id" = %(expressions)s)'  # noqa: S608 - names from the models
    output_field = CharField()

    def __init__(self) -> None:
        super().__init__(F("pk"))


def documents() -> QuerySet[Invoice]:
    """Invoices with what presenting or printing them needs: the invoice a credit note corrects, the
    enrolment (whose participant may see it) and `credit_note_number`, the credit note that corrects it."""
    return Invoice.objects.select_related("corrects", "enrolment").annotate(credit_note_number=CreditNoteNumber())


def visible_invoice(*, user: Any, number: str) -> Invoice:
    """The invoice or credit note with this number, as `documents()` loads it. NotFound alike when it
    does not exist and when `user` may not see it (whether a number exists is private)."""
    # Only something shaped like a number reaches the database (a NUL byte would be a 500 on PostgreSQL).
    invoice = documents().filter(number=number).first() if NUMBER.fullmatch(number) else None
    if invoice is None or not can_view_invoice(user, invoice):
        raise NotFound(_("There is no invoice with this number, or you may not see it."))
    return invoice
