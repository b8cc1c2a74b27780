"""A participant's own invoices (my_invoices:list and my_invoices:pdf, overview.participant_documents):
their invoices and credit notes only, newest first, with where each stands in words and how to pay;
the PDF is the one the API serves; someone else's number is a 404 on the page and the PDF; anonymous
visitors are sent to the login page."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from leergang.enrolment import changes
from leergang.invoicing import overview, payments, refunds, services
from tests import factories

from .conftest import RECIPIENT
from .helpers import pdf_text

pytestmark = pytest.mark.django_db

D = Decimal
LIST = "/{lang}/account/facturen/"
PDF = "/{lang}/account/facturen/{number}.pdf"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def anna(participant_user):
    return participant_user


@pytest.fixture
def documents(edition, anna, coordinator, make_enrolment):
    """Anna's documents over two enrolments (a cancelled place with money to refund, a partly paid
    place) and an overdue invoice of somebody else."""
    later = factories.EditionFactory(programme=edition.programme, start_date=datetime.date(2027, 9, 1), fee=D("2995.00"))

    def issue(enrolment, days, language="en"):
        return services.issue_invoice(
            actor=coordinator, enrolment=enrolment, recipient=dict(RECIPIENT), language=language, issued_on=days_ago(days)
        )

    def pay(invoice, amount, days=1):
        payments.record_payment(actor=coordinator, invoice_number=invoice.number, paid_on=days_ago(days), amount=amount)

    first = make_enrolment(participant=anna)
    made = {"first": issue(first, 60)}
    pay(made["first"], "500.00", days=50)
    made["first_note"] = changes.cancel_enrolment(actor=coordinator, enrolment_id=first.pk).credit_note
    made["second"] = issue(factories.EnrolmentFactory(edition=later, participant=anna), 0)  # the same day as the credit note
    pay(made["second"], "1000.00", days=0)
    made["other"] = issue(make_enrolment(), 45)
    return made


@pytest.fixture
def logged_in(client, anna):
    client.force_login(anna)
    return client


def numbers(html: str) -> list[str]:
    return re.findall(r'data-number="([0-9-]+)"', html)


def card(html: str, number: str) -> str:
    return html.split(f'data-number="{number}"')[1].split("</li>\n")[0]


def test_the_participant_sees_their_own_documents_newest_first(logged_in, documents):
    html = logged_in.get(LIST.format(lang="en")).content.decode()
    assert numbers(html) == [documents["second"].number, documents["first_note"].number, documents["first"].number]
    assert documents["other"].number not in html


def test_each_document_says_where_it_stands_in_words(logged_in, documents, coordinator):
    html = logged_in.get(LIST.format(lang="en")).content.decode()

    second = card(html, documents["second"].number)
    assert 'data-state="partly_paid"' in second
    assert "Partly paid: €1,995 still to pay" in second
    note = card(html, documents["first_note"].number)
    assert 'data-state="refund_due"' in note and "Credit note: €500 will be refunded" in note
    assert "Corrects invoice" in note and documents["first"].number in note
    first = card(html, documents["first"].number)
    assert 'data-state="credited"' in first
    assert f"Credited by credit note {documents['first_note'].number}" in first

    refunds.record_refund(
        actor=coordinator, credit_note_number=documents["first_note"].number, paid_on=timezone.localdate(), amount="500.00"
    )
    payments.record_payment(
        actor=coordinator, invoice_number=documents["second"].number, paid_on=timezone.localdate(), amount="1995.00"
    )
    html = logged_in.get(LIST.format(lang="en")).content.decode()
    assert "Credit note: €500 was refunded" in card(html, documents["first_note"].number)
    second = card(html, documents["second"].number)
    assert 'data-state="paid"' in second and ">Paid<" in second.replace("\n", "").replace(" ", "")
    assert "How to pay" not in html


def test_an_open_invoice_says_how_to_pay(logged_in, documents):
    html = logged_in.get(LIST.format(lang="en")).content.decode()
    second = card(html, documents["second"].number)
    invoice = documents["second"]
    assert "How to pay" in second
    assert "NL91 ABNA 0417 1643 00" in second  # the IBAN from the invoice's snapshot
    assert invoice.issuer_name in second
    assert f"<dd>{invoice.number}</dd>" in second  # the number as the payment reference
    assert invoice.due_on.strftime("%-d %B %Y") in second
    assert "How to pay" not in card(html, documents["first_note"].number)


def test_an_overdue_invoice_is_marked(client, documents):
    other = documents["other"]
    client.force_login(other.enrolment.participant)
    html = client.get(LIST.format(lang="en")).content.decode()
    assert numbers(html) == [other.number]
    assert 'data-state="overdue"' in html
    assert "<strong>Overdue</strong>: €2,995 still to pay; it was due on" in html


def test_the_page_renders_in_dutch(logged_in, documents):
    response = logged_in.get(LIST.format(lang="nl"))
    assert response.status_code == 200
    html = response.content.decode()
    assert numbers(html) == [documents["second"].number, documents["first_note"].number, documents["first"].number]
    assert "€\xa01.995" in html and 'lang="nl"' in html


def test_without_documents_the_page_says_so(client, participant):
    client.force_login(participant)
    response = client.get(LIST.format(lang="en"))
    assert response.status_code == 200 and "You have no invoices." in response.content.decode()


def test_the_pdf_is_the_document_the_api_serves(logged_in, documents):
    for key in ("second", "first_note"):
        number = documents[key].number
        response = logged_in.get(PDF.format(lang="en", number=number))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        api = logged_in.get(f"/api/v1/invoices/{number}.pdf")
        assert api.status_code == 200
        assert response.content == api.content
        assert response["Content-Disposition"] == api["Content-Disposition"]
        assert number in pdf_text(response.content)


def test_someone_elses_invoice_is_a_404_on_the_page_and_the_pdf(logged_in, documents, client):
    other = documents["other"].number
    assert other not in logged_in.get(LIST.format(lang="en")).content.decode()
    assert logged_in.get(PDF.format(lang="en", number=other)).status_code == 404
    assert logged_in.get(PDF.format(lang="nl", number="2099-0001")).status_code == 404  # does not exist: the same
    assert logged_in.get("/en/account/facturen/abc.pdf").status_code == 404


def test_a_teacher_gets_no_invoice_pdf(client, documents, teacher_user):
    client.force_login(teacher_user)
    assert client.get(PDF.format(lang="en", number=documents["second"].number)).status_code == 404
    assert documents["second"].number not in client.get(LIST.format(lang="en")).content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client, documents):
    for path in (LIST.format(lang="nl"), PDF.format(lang="nl", number=documents["second"].number)):
        response = client.get(path)
        assert response.status_code == 302 and "/account/login/" in response["Location"], path


def test_participant_documents_is_one_query(anna, documents, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = overview.participant_documents(anna)
        assert [row.state for row in rows] == ["partly_paid", "refund_due", "credited"]
        assert [row.balance for row in rows] == [D("1995.00"), D("-500.00"), D("0.00")]
        assert rows[0].iban == "NL91 ABNA 0417 1643 00"


def test_the_dashboard_links_to_the_invoices_of_a_participant_who_has_any(logged_in, client, participant, documents):
    """Needs `has_invoices` in the dashboard's context (leergang/accounts/views.py)."""
    assert 'href="/en/account/facturen/"' in logged_in.get("/en/account/").content.decode()
    client.force_login(participant)
    assert 'href="/en/account/facturen/"' not in client.get("/en/account/").content.decode()
