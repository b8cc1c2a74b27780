"""The invoice as PDF: A4, searchable text, the facts a person and the tax office need, in the invoice's language."""

import io

import pytest
from pypdf import PdfReader

from leergang.invoicing.pdf import document_data, filename, invoice_pdf

from .conftest import NOTE_EN, NOTE_NL, RECIPIENT
from .helpers import pdf_text

pytestmark = pytest.mark.django_db

A4_POINTS = (595, 842)


def test_an_english_invoice_as_pdf(issue, enrolment):
    invoice = issue(enrolment, language="en")

    content = invoice_pdf(invoice)

    assert content.startswith(b"%PDF")
    page = PdfReader(io.BytesIO(content)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_POINTS
    text = pdf_text(content)
    for expected in (
        "Invoice 2027-0001",
        "Steering and leading from trust",
        "Anna de Vries",
        "Gemeente Utrecht",
        "Stadsplateau 1",
        "3521 AZ",
        "PO-2027-118",
        "4 January 2027",  # issued
        "3 February 2027",  # due
        "€2,995.00",
        "VAT €0.00",
        NOTE_EN,
        "KvK 00000000",
        "NL91 ABNA 0417 1643 00",
        "Vrije Universiteit Amsterdam",
        "stating invoice number 2027-0001",
    ):
        assert expected in text, expected


def test_a_dutch_invoice_writes_dates_and_money_the_dutch_way(issue, enrolment):
    invoice = issue(enrolment, language="nl")

    text = pdf_text(invoice_pdf(invoice))

    assert "2027-0001" in text
    assert "€ 2.995,00" in text
    assert "€ 0,00" in text
    assert "4 januari 2027" in text and "3 februari 2027" in text
    assert "Sturen en leidinggeven vanuit vertrouwen" in text
    assert invoice.vat_exemption_note in text


def test_a_dutch_invoice_speaks_dutch(issue, enrolment, dutch_texts):
    text = pdf_text(invoice_pdf(issue(enrolment, language="nl")))

    assert "Factuur 2027-0001" in text
    assert "BTW € 0,00" in text
    assert NOTE_NL in text


def test_a_credit_note_is_titled_so_and_names_the_invoice_it_corrects(issue, credit, enrolment):
    credit_note = credit(issue(enrolment, language="en"), reason="Cancelled in time.")

    text = pdf_text(invoice_pdf(credit_note))

    assert "Credit note 2027-0002" in text
    assert "corrects invoice 2027-0001" in text
    assert "Cancelled in time." in text
    assert "−€2,995.00" in text
    assert "Scan" not in text  # no payment code on a credit note
    assert filename(credit_note) == "credit-note-2027-0002.pdf"


def test_a_dutch_credit_note_is_a_creditnota(issue, credit, enrolment, dutch_texts):
    credit_note = credit(issue(enrolment, language="nl"))

    text = pdf_text(invoice_pdf(credit_note))

    assert "Creditnota 2027-0002" in text
    assert "2027-0001" in text


def test_what_people_typed_is_printed_as_text_never_run_as_typst(issue, enrolment):
    hostile = '#set text(fill: red) $x^2$ <label> @ref *bold* ") #panic("boom") //'
    invoice = issue(enrolment, language="en", recipient={**RECIPIENT, "organisation": hostile, "po_number": "#{1/0}"})

    text = pdf_text(invoice_pdf(invoice))

    assert " ".join(hostile.split()) in text
    assert "#{1/0}" in text


def test_an_open_invoice_carries_a_payment_code_for_banking_apps(issue, enrolment):
    data = document_data(issue(enrolment, language="en"))

    assert data["qr"].startswith("<svg")
    assert data["payment"].startswith("Please transfer €2,995.00 by 3 February 2027")


def test_rendering_the_same_invoice_twice_gives_the_same_bytes(issue, enrolment):
    invoice = issue(enrolment)

    assert invoice_pdf(invoice) == invoice_pdf(invoice)


def test_a_credited_invoice_says_so_and_asks_for_no_payment_by_code(client, bearer, coordinator, issue, credit, enrolment):
    invoice = issue(enrolment, language="en")
    credit(invoice)

    response = client.get(f"/api/v1/invoices/{invoice.number}.pdf", **bearer(coordinator))

    text = pdf_text(response.content)
    assert "Credited in full by credit note 2027-0002." in text
    assert "You need not pay this invoice." in text
    assert "Please transfer" not in text
    assert "Scan" not in text
