"""The finance export (M7): invoices and credit notes of a period, as JSON and CSV. No business logic here.

Both endpoints read `finance_export.documents_for_period`; the columns are documented there.
"""

import datetime
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from leergang.accounts import permissions
from leergang.core.errors import PermissionDenied
from leergang.invoicing import finance_export

from .auth import BearerToken
from .schemas import ErrorOut

router = Router(tags=["Money"])

MONEY = 'EUR, two decimals, a point, e.g. "2995.00"'
NOW = "as it is at the moment of the export"


class FinanceOfficeToken(BearerToken):
    """A valid token of the programme office; checked before the dates are read, so anybody else gets
    a 403 whatever they send."""

    def authenticate(self, request, token):
        user = super().authenticate(request, token)
        if user is not None and not permissions.is_coordinator(user):
            raise PermissionDenied(_("Only the programme office can export the invoices."))
        return user


office_bearer = FinanceOfficeToken()


class PeriodIn(Schema):
    start: datetime.date = Field(alias="from", description="The first day of the period (YYYY-MM-DD), included.")
    end: datetime.date = Field(
        alias="to",
        description=f"The last day of the period (YYYY-MM-DD), included; not before `from`, at most "
        f"{finance_export.MAX_PERIOD_DAYS} days after it counting both.",
    )


class FinanceDocumentOut(Schema):
    number: str
    kind: Literal["invoice", "credit_note"]
    purpose: Literal["participation", "cancellation_fee"] = Field(
        description="A credit note has that of the invoice it corrects."
    )
    issued_on: datetime.date
    due_on: datetime.date
    corrects: str | None = Field(description="A credit note: the number of the invoice it corrects; null for an invoice.")
    debtor_organisation: str
    debtor_contact: str
    debtor_address: str
    debtor_postal_code: str
    debtor_city: str
    debtor_email: str
    po_number: str
    participant: str
    programme: str
    edition_start_date: datetime.date | None
    amount_excl_vat: str = Field(description=f"{MONEY}; negative for a credit note.")
    vat_amount: str = Field(description=f'{MONEY}; "0.00" (the programmes are VAT-exempt).')
    amount_incl_vat: str = Field(description=f"{MONEY}; negative for a credit note.")
    vat_exemption_note: str
    currency: Literal["EUR"]
    status: Literal["open", "partly_paid", "paid", "credited", "cancelled"] = Field(description=f"The status {NOW}.")
    paid: str = Field(description=f'{MONEY}: received on an invoice ("0.00" for a credit note), {NOW}.')
    refunded: str = Field(description=f'{MONEY}: given back on a credit note ("0.00" for an invoice), {NOW}.')
    balance: str = Field(
        description=f"{MONEY}: still to settle {NOW}; positive when the debtor owes it, negative when it is owed back."
    )


class FinanceTotalsOut(Schema):
    invoiced: str = Field(description=f"{MONEY}: the invoices' amounts.")
    credited: str = Field(description=f"{MONEY}: the credit notes' amounts, as a positive number.")
    net: str = Field(description=f"{MONEY}: invoiced - credited.")
    paid: str = Field(description=f"{MONEY}: received on the period's invoices, {NOW}.")
    refunded: str = Field(description=f"{MONEY}: given back on the period's credit notes, {NOW}.")
    open: str = Field(description=f"{MONEY}: the sum of the balances, {NOW}.")


class FinanceExportOut(Schema):
    start: datetime.date = Field(alias="from")
    end: datetime.date = Field(alias="to")
    documents: list[FinanceDocumentOut]
    totals: FinanceTotalsOut


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
CSV_RESPONSE = {
    "responses": {
        200: {
            "description": (
                "The same rows as CSV (UTF-8, comma, a header with the same keys; free-text cells neutralised "
                "against formulas), as an attachment named leergang-financieel-FROM-TO.csv."
            ),
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


@router.get(
    "/finance/documents",
    response={200: FinanceExportOut, **ERRORS},
    auth=office_bearer,
    by_alias=True,
    url_name="finance_documents",
    summary=(
        "The finance export (coordinator): every invoice and credit note issued from `from` to `to` (both included), "
        "in the series' order, with debtor, amounts, VAT, status, paid, refunded and balance, and the period's totals"
    ),
)
def documents(request, period: Query[PeriodIn]):
    rows = finance_export.documents_for_period(period.start, period.end)
    return {
        "from": period.start,
        "to": period.end,
        "documents": [row.record() for row in rows],
        "totals": finance_export.totals_record(finance_export.period_totals(rows)),
    }


@router.get(
    "/finance/documents.csv",
    response={200: None, **ERRORS},
    auth=office_bearer,
    openapi_extra=CSV_RESPONSE,
    url_name="finance_documents_csv",
    summary="The finance export as CSV (coordinator): the same rows and columns as GET /finance/documents",
)
def documents_csv(request, period: Query[PeriodIn]):
    rows = finance_export.documents_for_period(period.start, period.end)
    response = HttpResponse(finance_export.export_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{finance_export.filename(period.start, period.end)}"'
    return response
