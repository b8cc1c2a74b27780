"""R5: numbers are consecutive per year, never reused, shared by invoices and credit notes; a rollback leaves no gap."""

import datetime

import pytest
from django.db import transaction

from leergang.core.errors import Conflict, Invalid
from leergang.core.models import AuditEntry
from leergang.invoicing.models import Invoice, InvoiceCounter

from .conftest import RECIPIENT

pytestmark = pytest.mark.django_db


def numbers() -> list[str]:
    return list(Invoice.objects.order_by("year", "sequence").values_list("number", flat=True))


def test_the_first_invoices_of_a_year_are_numbered_from_0001_without_gaps(issue, make_enrolment):
    first = issue(make_enrolment())
    second = issue(make_enrolment())
    third = issue(make_enrolment())

    assert [first.number, second.number, third.number] == ["2027-0001", "2027-0002", "2027-0003"]
    assert (first.year, first.sequence) == (2027, 1)
    assert InvoiceCounter.objects.get(year=2027).last_number == 3


def test_a_new_year_starts_again_at_0001_and_the_old_year_continues_where_it_was(issue, make_enrolment):
    issue(make_enrolment(), issued_on=datetime.date(2027, 12, 31))
    issue(make_enrolment(), issued_on=datetime.date(2027, 12, 31))

    new_year = issue(make_enrolment(), issued_on=datetime.date(2028, 1, 1))
    late_for_2027 = issue(make_enrolment(), issued_on=datetime.date(2027, 12, 31))

    assert new_year.number == "2028-0001"
    assert late_for_2027.number == "2027-0003"
    assert numbers() == ["2027-0001", "2027-0002", "2027-0003", "2028-0001"]


def test_a_rollback_after_numbering_gives_the_number_back(issue, make_enrolment):
    issue(make_enrolment())
    with pytest.raises(RuntimeError), transaction.atomic():
        assert issue(make_enrolment()).number == "2027-0002"
        raise RuntimeError("the admission failed after the invoice was numbered")

    after = issue(make_enrolment())

    assert after.number == "2027-0002"
    assert numbers() == ["2027-0001", "2027-0002"]


def test_refused_input_takes_no_number(issue, make_enrolment):
    with pytest.raises(Invalid):
        issue(make_enrolment(), recipient={**RECIPIENT, "city": ""})
    with pytest.raises(Invalid):
        issue(make_enrolment(), language="de")

    assert issue(make_enrolment()).number == "2027-0001"


def test_a_credit_note_takes_the_next_number_of_the_same_series_and_names_the_invoice(issue, credit, make_enrolment):
    invoice = issue(make_enrolment())
    other = issue(make_enrolment())

    credit_note = credit(invoice)
    following = issue(make_enrolment())

    assert credit_note.number == "2027-0003"
    assert credit_note.kind == "credit_note"
    assert credit_note.corrects == invoice
    assert following.number == "2027-0004"
    invoice.refresh_from_db()
    other.refresh_from_db()
    assert (invoice.status, other.status, credit_note.status) == ("credited", "open", "credited")


def test_a_credit_note_gives_back_every_line_of_the_invoice_to_the_same_recipient(issue, credit, enrolment):
    invoice = issue(enrolment, language="en")

    credit_note = credit(invoice, reason="Cancelled by the participant.")

    assert credit_note.lines == [{"description": invoice.lines[0]["description"], "amount": "-2995.00"}]
    assert str(credit_note.total) == "-2995.00"
    assert str(credit_note.vat_amount) == "0.00"
    assert credit_note.reason == "Cancelled by the participant."
    assert credit_note.enrolment == enrolment
    for field in ("language", "recipient_organisation", "recipient_address", "recipient_po_number", "participant_name"):
        assert getattr(credit_note, field) == getattr(invoice, field), field
    assert credit_note.vat_exemption_note == invoice.vat_exemption_note
    assert credit_note.due_on == credit_note.issued_on


def test_a_second_credit_note_for_the_same_invoice_is_refused_and_takes_no_number(issue, credit, enrolment, make_enrolment):
    invoice = issue(enrolment)
    first = credit(invoice)

    with pytest.raises(Conflict) as refused:
        credit(invoice)

    assert first.number in str(refused.value.detail)
    assert Invoice.objects.filter(corrects=invoice).count() == 1
    assert issue(make_enrolment()).number == "2027-0003"


def test_a_credit_note_cannot_itself_be_credited(issue, credit, enrolment):
    credit_note = credit(issue(enrolment))

    with pytest.raises(Conflict):
        credit(credit_note)


def test_an_enrolment_gets_a_new_invoice_only_after_its_invoice_was_credited(issue, credit, enrolment):
    invoice = issue(enrolment)
    with pytest.raises(Conflict) as refused:
        issue(enrolment)
    assert invoice.number in str(refused.value.detail)

    credit(invoice)
    again = issue(enrolment)

    assert again.number == "2027-0003"


def test_a_cancelled_enrolment_is_not_invoiced(issue, make_enrolment):
    with pytest.raises(Conflict):
        issue(make_enrolment(status="cancelled"))
    assert not Invoice.objects.exists()


def test_a_programme_that_is_not_vat_exempt_is_refused_rather_than_invoiced_without_vat(issue, make_enrolment, programme):
    programme.vat_exempt = False
    programme.save()

    with pytest.raises(Conflict):
        issue(make_enrolment())
    assert not InvoiceCounter.objects.filter(last_number__gt=0).exists()


def test_a_credit_note_is_not_dated_before_its_invoice(issue, credit, enrolment):
    invoice = issue(enrolment)

    with pytest.raises(Invalid):
        credit(invoice, issued_on=invoice.issued_on - datetime.timedelta(days=1))


def test_both_services_run_inside_the_callers_transaction(issue, credit, make_enrolment):
    """As the admission and cancellation services call them: one atomic block, committed together."""
    with transaction.atomic():
        invoice = issue(make_enrolment())
        credit_note = credit(invoice)
        # A refusal inside the caller's block leaves its transaction usable.
        with pytest.raises(Conflict):
            credit(invoice)
        following = issue(make_enrolment())

    assert [invoice.number, credit_note.number, following.number] == ["2027-0001", "2027-0002", "2027-0003"]


def test_issuing_and_crediting_are_audited_with_actor_and_snapshot(issue, credit, enrolment, coordinator):
    invoice = issue(enrolment)
    credit_note = credit(invoice)

    issued = AuditEntry.objects.get(action="invoice.issued")
    assert issued.actor == coordinator
    assert (issued.object_type, issued.object_id) == ("invoicing.invoice", str(invoice.pk))
    assert issued.after["number"] == "2027-0001"
    assert issued.after["total"] == "2995.00"
    assert issued.after["recipient_organisation"] == "Gemeente Utrecht"
    assert issued.after["lines"] == invoice.lines

    credited = AuditEntry.objects.get(action="invoice.credited")
    assert (credited.before, credited.after) == ({"status": "open"}, {"status": "credited", "credit_note": credit_note.number})
    noted = AuditEntry.objects.get(action="credit_note.issued")
    assert noted.after["corrects"] == invoice.pk
    assert noted.after["total"] == "-2995.00"


def test_a_number_after_the_first_is_taken_with_one_update_of_the_counter(issue, make_enrolment):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    issue(make_enrolment())  # the year's first number creates the counter row
    with CaptureQueriesContext(connection) as queries:
        assert issue(make_enrolment()).number == "2027-0002"
    counter = [q["sql"] for q in queries.captured_queries if '"invoicing_invoicecounter"' in q["sql"]]
    assert len(counter) == 1 and counter[0].startswith('UPDATE "invoicing_invoicecounter"') and "RETURNING" in counter[0]


def test_without_update_returning_numbers_are_taken_under_a_row_lock_all_the_same(issue, make_enrolment, monkeypatch):
    """An SQLite older than 3.35 has no UPDATE ... RETURNING: the counter is read locked and saved."""
    from leergang.invoicing import services

    monkeypatch.setattr(services, "_update_returning", lambda: False)
    first, second = issue(make_enrolment()), issue(make_enrolment())
    assert [first.number, second.number] == ["2027-0001", "2027-0002"]
    assert InvoiceCounter.objects.get(year=2027).last_number == 2
