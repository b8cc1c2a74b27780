"""What the invoicing pages do to be fast must not change what they show (performance bar P2).

- The invoice list writes its rows in Python (views._list_rows): the markup is the one the template
  wrote per row, for every state a row can be in, in both languages.
- The finance export page adds up a period without building its rows (finance_export.period_summary):
  the same counts, numbers and totals as the rows the CSV has.
- An invoice's PDF is kept in the cache under a key made of everything it shows (pdf.invoice_pdf):
  the bytes are those Typst makes, and a payment or a credit note that changes what the PDF says
  gives the new PDF at once.
"""

import datetime
import re

import pytest
import typst
from django.core.cache import cache
from django.template import Context, Template
from django.utils import timezone, translation

from leergang.invoicing import finance_export, payments, pdf, refunds, reminders, selectors
from leergang.invoicing import views as invoice_views
from leergang.invoicing.models import Invoice, InvoiceStatus

pytestmark = pytest.mark.django_db

# The rows as invoice_list.html wrote them before views._list_rows (with invoice_status.html inlined).
TEMPLATE_ROWS = """{% load i18n leergang %}{% for row in rows %}{% with invoice=row.invoice %}
<tr data-number="{{ invoice.number }}" data-status="{{ invoice.status }}"{% if row.overdue %} data-overdue="true"{% endif %}>
  <th scope="row"><a href="{% url 'invoices:detail' number=invoice.number %}">{{ invoice.number }}</a></th>
  <td><span class="stack-label" aria-hidden="true">{% translate "Date" %}</span>{{ invoice.issued_on|long_date }}<span class="cell-sub">{% blocktranslate with date=invoice.due_on|long_date trimmed %}due {{ date }}{% endblocktranslate %}</span></td>
  <td><span class="stack-label" aria-hidden="true">{% translate "Debtor" %}</span>{{ invoice.recipient_organisation|default:invoice.recipient_contact_name }}</td>
  <td><span class="stack-label" aria-hidden="true">{% translate "Participant" %}</span>{{ invoice.participant_name }}</td>
  <td><span class="stack-label" aria-hidden="true">{% translate "Total" %}</span>{{ invoice.total|money }}</td>
  <td data-paid="{{ row.paid }}"><span class="stack-label" aria-hidden="true">{% translate "Paid" %}</span>{{ row.paid|money }}</td>
  <td data-owed="{{ row.owed }}"><span class="stack-label" aria-hidden="true">{% translate "Still owed" %}</span>{{ row.owed|money }}</td>
  <td><span class="stack-label" aria-hidden="true">{% translate "Status" %}</span><span class="tag invoice-status" data-status="{{ invoice.status }}">{{ invoice.get_status_display }}</span>{% if invoice.credit_note_number %}<span class="cell-sub">{% blocktranslate with number=invoice.credit_note_number trimmed %}by credit note {{ number }}{% endblocktranslate %}</span>{% endif %}{% if row.overdue %}<span class="cell-sub"><strong>{% translate "Overdue" %}</strong></span>{% endif %}</td>
  <td class="invoice-reminder"><span class="stack-label" aria-hidden="true">{% translate "Reminder" %}</span>{% if row.reminded_at %}<span data-reminded="{{ row.reminded_at|date:'Y-m-d' }}">{% blocktranslate with date=row.reminded_at|long_date trimmed %}sent {{ date }}{% endblocktranslate %}</span>{% elif row.overdue %}<span class="subtle">{% translate "not sent yet" %}</span>{% else %}<span class="subtle">–</span>{% endif %}</td>
</tr>
{% endwith %}{% endfor %}"""


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def markup(html: str) -> str:
    """The markup without the white space between tags (the template's indentation)."""
    return re.sub(r">\s+<", "><", html).strip()


@pytest.fixture
def documents(issue, credit, make_enrolment, coordinator):
    """An invoice in every state the list and the export show, and credit notes open and settled."""
    pay = payments.record_payment
    made = {
        "overdue": issue(make_enrolment(), issued_on=days_ago(40)),
        "reminded": issue(make_enrolment(), issued_on=days_ago(45)),
        "partly": issue(make_enrolment(), issued_on=days_ago(10)),
        "paid": issue(make_enrolment(), issued_on=days_ago(8)),
        "open": issue(make_enrolment(), issued_on=days_ago(5)),
        "credited": issue(make_enrolment(), issued_on=days_ago(5)),
        "paid_then_credited": issue(make_enrolment(), issued_on=days_ago(20)),
    }
    pay(actor=coordinator, invoice_number=made["partly"].number, paid_on=days_ago(1), amount="995.00")
    pay(actor=coordinator, invoice_number=made["paid"].number, paid_on=days_ago(1), amount=str(made["paid"].total))
    pay(actor=coordinator, invoice_number=made["paid_then_credited"].number, paid_on=days_ago(3), amount="1000.00")
    reminders.send_overdue_reminders()
    pay(actor=coordinator, invoice_number=made["overdue"].number, paid_on=days_ago(0), amount="5.00")  # after the reminder run
    made["credit_note"] = credit(made["credited"], issued_on=days_ago(1))
    made["open_credit_note"] = credit(made["paid_then_credited"], issued_on=days_ago(2))
    refunds.record_refund(
        actor=coordinator, credit_note_number=made["open_credit_note"].number, paid_on=days_ago(1), amount="400.00"
    )
    return made


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_list_rows_are_the_markup_the_template_wrote(documents, lang):
    today = timezone.localdate()
    invoices = list(
        invoice_views._narrowed(invoice_views._documents(), shown="", words="", today=today)
        .only(*invoice_views.LIST_FIELDS)
        .order_by("-year", "-sequence")
    )
    with translation.override(lang):
        written = invoice_views._list_rows(invoices, today)
        templated = Template(TEMPLATE_ROWS).render(Context({"rows": [invoice_views._row(i, today) for i in invoices]}))
    assert markup("".join(written)) == markup(templated)
    # Every state is among them (else the comparison would prove less than it says).
    page = "".join(written)
    assert 'data-overdue="true"' in page and "data-reminded=" in page and documents["credit_note"].number in page
    assert 'data-status="partly_paid"' in page and 'data-status="paid"' in page and 'data-status="credited"' in page


def test_the_list_escapes_what_people_typed(issue, make_enrolment):
    recipient = {
        "organisation": '<script>alert("x")</script> & Zn',
        "contact_name": "Jan",
        "address": "Straat 1",
        "postal_code": "1234 AB",
        "city": "Utrecht",
        "email": "jan@example.org",
    }
    issue(make_enrolment(), recipient=recipient)
    today = timezone.localdate()
    with translation.override("nl"):
        (row,) = invoice_views._list_rows(invoice_views._documents().only(*invoice_views.LIST_FIELDS), today)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Zn" in row and "<script>" not in row


@pytest.mark.parametrize(
    "period",
    [(days_ago(60), days_ago(0)), (days_ago(12), days_ago(2)), (days_ago(400), days_ago(300))],
)
def test_the_export_page_summary_adds_up_as_the_rows_do(documents, period):
    rows = finance_export.documents_for_period(*period)
    summary = finance_export.period_summary(*period)
    assert summary.totals == finance_export.period_totals(rows)
    assert list(summary.totals) == list(finance_export.period_totals(rows))
    assert summary.documents == len(rows)
    assert summary.invoices == sum(1 for row in rows if row.kind == "invoice")
    assert summary.credit_notes == sum(1 for row in rows if row.kind == "credit_note")
    assert (summary.first_number, summary.last_number) == ((rows[0].number, rows[-1].number) if rows else ("", ""))


def test_the_whole_history_has_open_and_owed_back_amounts(documents):
    """The fixture is worth its name: the widest period has something to settle both ways."""
    rows = finance_export.documents_for_period(days_ago(60), days_ago(0))
    assert any(row.balance > 0 for row in rows) and any(row.balance < 0 for row in rows)


def typeset(invoice: Invoice) -> bytes:
    """The PDF as Typst makes it, past the cache."""
    timestamp = datetime.datetime.combine(invoice.issued_on, datetime.time(12, 0), tzinfo=datetime.UTC)
    return pdf._compile(pdf.document_data(invoice), timestamp)


def loaded(number: str) -> Invoice:
    return selectors.documents().get(number=number)


@pytest.fixture
def no_typst(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("typst ran: the PDF was not taken from the cache")

    return lambda: monkeypatch.setattr(typst, "compile", refuse)


def test_a_kept_pdf_is_the_pdf_typst_makes(issue, make_enrolment, no_typst):
    cache.clear()
    invoice = loaded(issue(make_enrolment()).number)
    first = pdf.invoice_pdf(invoice)
    assert first == typeset(invoice)
    no_typst()
    assert pdf.invoice_pdf(loaded(invoice.number)) == first


def test_a_payment_that_changes_the_pdf_gives_the_new_pdf(issue, make_enrolment, coordinator):
    """An open invoice carries a QR code to pay with; once partly paid it has none."""
    cache.clear()
    invoice = loaded(issue(make_enrolment(), issued_on=days_ago(5)).number)
    before = pdf.invoice_pdf(invoice)
    payments.record_payment(actor=coordinator, invoice_number=invoice.number, paid_on=days_ago(0), amount="100.00")
    invoice = loaded(invoice.number)
    assert invoice.status == InvoiceStatus.PARTLY_PAID
    after = pdf.invoice_pdf(invoice)
    assert after != before and after == typeset(invoice)


def test_a_credit_note_changes_the_pdf_of_the_invoice_it_corrects(issue, credit, make_enrolment):
    cache.clear()
    invoice = loaded(issue(make_enrolment()).number)
    before = pdf.invoice_pdf(invoice)
    credit_note = credit(invoice)
    invoice = loaded(invoice.number)
    after = pdf.invoice_pdf(invoice)
    assert after != before and after == typeset(invoice)
    assert pdf.invoice_pdf(loaded(credit_note.number)) == typeset(loaded(credit_note.number))


def test_the_language_is_part_of_what_is_kept(issue, make_enrolment):
    cache.clear()
    dutch = loaded(issue(make_enrolment(), language="nl").number)
    english = loaded(issue(make_enrolment(), language="en").number)
    assert pdf.invoice_pdf(dutch) == typeset(dutch) and pdf.invoice_pdf(english) == typeset(english)
