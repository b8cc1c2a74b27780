"""Invariants kept by the database and the model: kinds, corrections, signs, one credit note, never changed or deleted."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from leergang.invoicing.models import Invoice

pytestmark = pytest.mark.django_db


def copy_of(invoice: Invoice, **changes) -> Invoice:
    """An unsaved document like `invoice`, with the next free number and the given changes."""
    fields = {f.attname: getattr(invoice, f.attname) for f in Invoice._meta.concrete_fields if f.name not in {"id"}}
    sequence = Invoice.objects.filter(year=invoice.year).count() + 1
    fields.update(number=f"{invoice.year}-{sequence:04d}", sequence=sequence, enrolment_id=None)
    fields.update(changes)
    return Invoice(**fields)


def refused_by_the_database(invoice: Invoice) -> bool:
    try:
        with transaction.atomic():
            Invoice.objects.bulk_create([invoice])  # bypasses the model's own checks
    except IntegrityError:
        return True
    return False


@pytest.fixture
def invoice(issue, enrolment):
    return issue(enrolment)


def test_a_credit_note_must_name_the_invoice_it_corrects(invoice):
    assert refused_by_the_database(copy_of(invoice, kind="credit_note", total=-invoice.total, corrects_id=None))


def test_an_invoice_corrects_nothing(invoice):
    assert refused_by_the_database(copy_of(invoice, kind="invoice", corrects_id=invoice.pk))


def test_an_invoice_charges_and_a_credit_note_gives_back(invoice):
    assert refused_by_the_database(copy_of(invoice, total=-invoice.total))
    assert refused_by_the_database(copy_of(invoice, kind="credit_note", corrects_id=invoice.pk, total=invoice.total))


def test_only_one_credit_note_per_invoice(invoice):
    assert not refused_by_the_database(copy_of(invoice, kind="credit_note", corrects_id=invoice.pk, total=-invoice.total))
    assert refused_by_the_database(copy_of(invoice, kind="credit_note", corrects_id=invoice.pk, total=-invoice.total))


def test_a_number_and_a_year_sequence_are_used_once(invoice):
    assert refused_by_the_database(copy_of(invoice, number=invoice.number))
    assert refused_by_the_database(copy_of(invoice, sequence=invoice.sequence))


@pytest.mark.parametrize(
    "changes",
    [{"kind": "quote"}, {"status": "lost"}, {"language": "de"}, {"currency": "USD"}, {"sequence": 0}],
    ids=["kind", "status", "language", "currency", "sequence"],
)
def test_enumerations_are_checked_by_the_database(invoice, changes):
    assert refused_by_the_database(copy_of(invoice, **changes))


def test_the_due_date_is_not_before_the_issue_date(invoice):
    assert refused_by_the_database(copy_of(invoice, due_on=invoice.issued_on.replace(day=1)))


def test_an_enrolment_has_one_invoice_that_stands(invoice):
    assert refused_by_the_database(copy_of(invoice, enrolment_id=invoice.enrolment_id))


def test_an_issued_invoice_does_not_change_except_its_status(invoice):
    invoice.total = 1
    with pytest.raises(ValueError):
        invoice.save()
    with pytest.raises(ValueError):
        invoice.save(update_fields=["total"])

    with pytest.raises(ValueError):
        Invoice.objects.filter(pk=invoice.pk).update(total=1)

    invoice.refresh_from_db()
    invoice.status = "paid"
    invoice.save(update_fields=["status"])
    invoice.refresh_from_db()
    assert (invoice.status, str(invoice.total)) == ("paid", "2995.00")


def test_invoices_are_never_deleted(invoice):
    with pytest.raises(ProtectedError):
        invoice.delete()
    with pytest.raises(ProtectedError):
        Invoice.objects.all().delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        invoice.enrolment.delete()
    assert Invoice.objects.filter(pk=invoice.pk).exists()
