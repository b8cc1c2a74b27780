"""What the office's invoice list and an invoice's page do to be fast must not change what they show
(performance bar P2).

- The list reads a page as tuples (views._listed), not as Invoice objects, with the credit note's
  number and the reminder's date from joins: its rows are still the markup the template wrote, for
  every state a row can be in, in both languages.
- An invoice's page takes what was paid from the payments it lists, and a credit note's page what is
  owed back from the refunds it lists: a fixed, small number of queries, the same amounts.
"""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from leergang.invoicing import views as invoice_views
from tests.invoicing.test_perf_invoicing import TEMPLATE_ROWS, documents, markup  # noqa: F401 - documents is a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, coordinator):
    client.force_login(coordinator)
    return client


def page_of(number: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse("invoices:detail", kwargs={"number": number})


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_rows_read_as_tuples_are_the_markup_the_template_wrote(documents, lang):  # noqa: F811
    today = timezone.localdate()
    tuples = list(invoice_views._listed(shown="", words="", today=today))
    objects = list(
        invoice_views._narrowed(invoice_views._documents(), shown="", words="", today=today).order_by("-year", "-sequence")
    )
    assert [row.number for row in tuples] == [invoice.number for invoice in objects]
    with translation.override(lang):
        written = "".join(invoice_views._list_rows(tuples, today))
        templated = Template(TEMPLATE_ROWS).render(Context({"rows": [invoice_views._row(i, today) for i in objects]}))
    assert markup(written) == markup(templated)
    assert 'data-overdue="true"' in written and "data-reminded=" in written and documents["credit_note"].number in written


def test_the_list_takes_four_queries(office, documents, django_assert_num_queries):  # noqa: F811
    # The session, the user, the count with what is owed, one page of rows.
    with django_assert_num_queries(4):
        assert office.get("/en/coordinatie/facturen/").status_code == 200


def test_an_invoice_page_shows_its_payments_reminder_and_credit_note_in_two_queries(
    office,
    documents,  # noqa: F811
    django_assert_num_queries,
):
    partly = documents["partly"]
    with django_assert_num_queries(4):  # the session, the user, the invoice, its payments
        page = office.get(page_of(partly.number)).content.decode()
    assert 'data-paid="995.00"' in page and 'data-owed="2000.00"' in page

    page = office.get(page_of(documents["reminded"].number)).content.decode()
    assert f'data-reminded="{timezone.localdate().isoformat()}"' in page
    page = office.get(page_of(documents["credited"].number)).content.decode()
    assert documents["credit_note"].number in page and 'data-status="credited"' in page


def test_a_credit_note_page_shows_what_is_owed_back_in_three_queries(
    office,
    documents,  # noqa: F811
    django_assert_num_queries,
):
    credit_note = documents["open_credit_note"]
    corrected = documents["paid_then_credited"]
    # The session, the user, the credit note, its refunds, what was paid on the invoice it corrects.
    with django_assert_num_queries(5):
        page = office.get(page_of(credit_note.number)).content.decode()
    assert 'data-paid-on-corrected="1000.00"' in page and 'data-owed-back="600.00"' in page
    assert f'href="{page_of(corrected.number)}">{corrected.number}</a>' in page  # "corrects invoice"
