"""The programme office's invoice list a page at a time (issue 9): pages follow each other without
overlap, newest first; a page number that is junk or out of range shows a page, never an error; the
status filter and the search hold across pages; the caption counts and totals the whole selection;
the page links are a labelled nav with the current page marked; the number of queries does not grow
with the number of invoices."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from leergang.core import formatting
from leergang.invoicing import payments
from leergang.invoicing import views as invoice_views
from leergang.invoicing.models import Invoice
from tests import factories
from tests.invoicing.conftest import RECIPIENT

pytestmark = pytest.mark.django_db

LIST = "/{lang}/coordinatie/facturen/"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def office(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def invoices(issue, make_enrolment):
    """make(count, days=5, name=None, organisation=None) -> the invoices issued, oldest number first."""

    def make(count, *, days=5, name=None, organisation=None):
        made = []
        for index in range(count):
            first, last = (name or f"Deelnemer {index} Jansen").split(" ", 1)
            participant = factories.UserFactory(first_name=first, last_name=last)
            recipient = dict(RECIPIENT, organisation=organisation) if organisation else None
            made.append(issue(make_enrolment(participant=participant), issued_on=days_ago(days), recipient=recipient))
        return made

    return make


def numbers(response) -> list[str]:
    return re.findall(r'data-number="([0-9-]+)"', response.content.decode())


def newest_first(found) -> list[str]:
    return [invoice.number for invoice in sorted(found, key=lambda i: (i.year, i.sequence), reverse=True)]


def pagination(response) -> str:
    """The nav of page links ('' when there is none)."""
    found = re.search(r'<nav class="status-filter pagination"[^>]*>.*?</nav>', response.content.decode(), re.S)
    return found.group(0) if found else ""


def test_the_pages_follow_each_other_newest_first(office, invoices):
    made = invoices(invoice_views.PAGE_SIZE + 10)
    expected = newest_first(made)

    first = office.get(LIST.format(lang="en"))
    second = office.get(LIST.format(lang="en"), {"page": 2})
    assert first.status_code == second.status_code == 200
    assert numbers(first) == expected[: invoice_views.PAGE_SIZE]
    assert numbers(second) == expected[invoice_views.PAGE_SIZE :]
    assert f"{len(made)} invoices (all)" in first.content.decode()
    assert "page 2 of 2" in second.content.decode()


@pytest.fixture
def small_pages(monkeypatch):
    """Five invoices a page, so paging needs only a dozen invoices."""
    monkeypatch.setattr(invoice_views, "PAGE_SIZE", 5)
    return 5


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_page_links_are_a_labelled_nav_marking_the_current_page(office, invoices, small_pages, lang):
    invoices(12)  # three pages
    response = office.get(LIST.format(lang=lang), {"page": 2})
    nav = pagination(response)
    assert nav, "no page links"
    assert re.search(r'aria-label="[^"]+"', nav)  # the Dutch label comes with the translations
    if lang == "en":
        assert 'aria-label="Pages of invoices"' in nav
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', nav)
    assert current == [f"/{lang}/coordinatie/facturen/?page=2"]
    hrefs = re.findall(r'href="([^"]+)"', nav)
    assert f"/{lang}/coordinatie/facturen/" in hrefs  # page 1 without ?page=1
    assert f"/{lang}/coordinatie/facturen/?page=3" in hrefs
    assert 'rel="prev"' in nav and 'rel="next"' in nav


def test_one_page_has_no_page_links(office, invoices):
    invoices(3)
    response = office.get(LIST.format(lang="en"))
    assert len(numbers(response)) == 3
    assert pagination(response) == ""


@pytest.mark.parametrize("page", ["abc", "", "1.5", "%00", "2e3", "-1", "0", "999", "99999999999999999999999"])
def test_a_junk_or_out_of_range_page_number_shows_a_page(office, invoices, small_pages, page):
    made = newest_first(invoices(12))
    response = office.get(LIST.format(lang="en") + f"?page={page}")
    assert response.status_code == 200
    shown = numbers(response)
    assert shown in (made[:5], made[10:]), shown  # the first page or the last


def test_the_status_filter_holds_across_pages(office, invoices, small_pages, coordinator):
    overdue = invoices(7, days=40)
    invoices(6, days=2)
    payments.record_payment(actor=coordinator, invoice_number=overdue[0].number, paid_on=days_ago(1), amount="10.00")
    expected = newest_first(Invoice.objects.filter(pk__in=[i.pk for i in overdue]))

    first = office.get(LIST.format(lang="en"), {"status": "overdue"})
    second = office.get(LIST.format(lang="en"), {"status": "overdue", "page": 2})
    assert numbers(first) + numbers(second) == expected
    assert len(numbers(second)) == 2
    nav = pagination(first)
    assert "/en/coordinatie/facturen/?status=overdue&amp;page=2" in nav
    # Partly paid is its own filter and keeps working too.
    assert numbers(office.get(LIST.format(lang="en"), {"status": "partly_paid"})) == [overdue[0].number]


def test_the_search_finds_number_debtor_and_participant_and_holds_across_pages(office, invoices, small_pages):
    invoices(4, name="Anna Zwaluwstaart")
    invoices(3, days=40, name="Bert Zwaluwstaart", organisation="Waterschap Rivierenland")
    others = invoices(5)

    by_name = office.get(LIST.format(lang="en"), {"q": "zwaluwstaart"})
    page_2 = office.get(LIST.format(lang="en"), {"q": "zwaluwstaart", "page": 2})
    assert len(numbers(by_name)) == 5 and len(numbers(page_2)) == 2
    assert "q=zwaluwstaart&amp;page=2" in pagination(by_name)
    assert "7 invoices (all)" in by_name.content.decode()

    # Every word must match; with the overdue filter only Bert's invoices are left.
    both = office.get(LIST.format(lang="en"), {"q": "bert  ZWALUW", "status": "overdue"})
    assert len(numbers(both)) == 3
    assert 'value="bert ZWALUW"' in both.content.decode()
    assert len(numbers(office.get(LIST.format(lang="en"), {"q": "rivierenland"}))) == 3
    assert numbers(office.get(LIST.format(lang="en"), {"q": others[2].number})) == [others[2].number]

    nothing = office.get(LIST.format(lang="en"), {"q": "niemand-heet-zo"})
    assert nothing.status_code == 200 and numbers(nothing) == []
    assert "No invoices match" in nothing.content.decode()


@pytest.mark.parametrize("q", ["\x00", "a\x00b", "%", "_", "'; --", "x" * 500, " ", "ü" * 30])
def test_odd_searches_are_answered(office, invoices, q):
    invoices(2)
    response = office.get(LIST.format(lang="en"), {"q": q})
    assert response.status_code == 200


def test_the_caption_totals_what_is_owed_on_every_page(office, invoices, small_pages, coordinator):
    made = invoices(7)
    payments.record_payment(actor=coordinator, invoice_number=made[0].number, paid_on=days_ago(1), amount="995.00")
    payments.record_payment(actor=coordinator, invoice_number=made[1].number, paid_on=days_ago(1), amount=str(made[1].total))
    owed = sum(i.total for i in made) - made[0].total - made[1].total + (made[0].total - 995)
    page = office.get(LIST.format(lang="en"), {"page": 2}).content.decode()
    with translation.override("en"):
        expected = f"7 invoices (all), {formatting.money(owed)} still owed"
    assert expected in page, re.search(r"<caption>.*?</caption>", page, re.S).group(0)


def test_the_number_of_queries_does_not_grow_with_the_invoices(office, invoices, issue, make_enrolment, coordinator):
    def count(**params) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert office.get(LIST.format(lang="en"), params).status_code == 200
        return len(queries)

    made = invoices(5, days=40)
    payments.record_payment(actor=coordinator, invoice_number=made[0].number, paid_on=days_ago(1), amount="10.00")
    small = [count(), count(status="overdue"), count(q="jansen", page=2)]
    invoices(55, days=40)
    large = [count(), count(status="overdue"), count(q="jansen", page=2)]
    assert small == large
    assert max(large) <= 10


def test_the_list_is_for_the_programme_office_only(client, invoices, participant, teacher_user):
    invoices(2)
    for person in (participant, teacher_user):
        client.force_login(person)
        assert client.get(LIST.format(lang="nl"), {"page": 2}).status_code == 404
