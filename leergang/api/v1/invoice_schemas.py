import datetime
from typing import Literal

from ninja import Field, Schema

InvoiceKindName = Literal["invoice", "credit_note"]
InvoiceStatusName = Literal["open", "partly_paid", "paid", "credited", "cancelled"]


class InvoiceLineOut(Schema):
    description: str
    amount: str = Field(description='EUR, two decimals, e.g. "2995.00"; negative on a credit note')


class InvoiceIssuerOut(Schema):
    name: str
    address: str = Field(description="Street and number; several address lines are separated by newlines.")
    postal_code: str
    city: str
    kvk: str = Field(description="Chamber of Commerce (KvK) number.")
    vat_id: str = Field(description="VAT identification number; empty when there is none.")
    iban: str
    bic: str = Field(description="Empty when not printed.")
    email: str


class InvoiceRecipientOut(Schema):
    organisation: str
    contact_name: str
    address: str
    postal_code: str
    city: str
    email: str
    po_number: str = Field(description="The recipient's purchase order number; empty when none was given.")


class InvoiceOut(Schema):
    number: str = Field(description='"2027-0001": year and sequence, gapless per year; credit notes share the series.')
    kind: InvoiceKindName
    status: InvoiceStatusName = Field(
        description=(
            "Invoice: open, paid, or credited (a credit note corrects it). Credit note: credited when it "
            "settles an open invoice, open when a refund is due, paid once refunded."
        )
    )
    corrects: str | None = Field(description="On a credit note: the number of the invoice it corrects; else null.")
    credit_note: str | None = Field(description="On an invoice: the number of the credit note that corrects it; else null.")
    issued_on: datetime.date
    due_on: datetime.date
    payment_term_days: int
    language: Literal["nl", "en"] = Field(description="The language the document is written in.")
    currency: Literal["EUR"]
    issuer: InvoiceIssuerOut
    recipient: InvoiceRecipientOut
    participant_name: str
    programme_title: str
    edition_start_date: datetime.date | None
    edition_end_date: datetime.date | None
    enrolment_id: int | None
    lines: list[InvoiceLineOut]
    total: str = Field(description='EUR, two decimals, e.g. "2995.00"; negative on a credit note')
    vat_amount: str = Field(description='EUR, two decimals: "0.00" (education is VAT-exempt)')
    vat_exemption_note: str = Field(description="Why no VAT is charged: article 11, paragraph 1, sub o, Wet OB 1968.")
    reason: str = Field(description="On a credit note: why the invoice was corrected; may be empty.")
    pdf_url: str
