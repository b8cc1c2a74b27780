"""Recording payments (payments.py) through the real services: partial payments move an invoice from
open to partly paid to paid; overpayments, credit notes and credited invoices are refused with
nothing stored; removing a payment recomputes the status; every change is audited; only the
programme office may do it; and the totals reconcile (invoiced - credited - paid = owed)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from leergang.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from leergang.core.models import AuditEntry
from leergang.invoicing import payments
from leergang.invoicing.models import Invoice, Payment

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def invoice(issue, enrolment, today):
    return issue(enrolment, issued_on=today - datetime.timedelta(days=10))


@pytest.fixture
def pay(coordinator, today):
    def make(invoice, amount, *, paid_on=None, reference="", actor=coordinator):
        return payments.record_payment(
            actor=actor, invoice_number=invoice.number, paid_on=paid_on or today, amount=amount, reference=reference
        )

    return make


def status(invoice) -> str:
    return Invoice.objects.get(pk=invoice.pk).status


def test_partial_payments_move_the_invoice_from_open_to_partly_paid_to_paid(invoice, pay, today):
    assert invoice.status == "open"

    first = pay(invoice, "1000.00", reference="Termijn 1", paid_on=today - datetime.timedelta(days=3))
    assert (first.amount, first.reference, first.paid_on) == (D("1000.00"), "Termijn 1", today - datetime.timedelta(days=3))
    assert first.invoice.status == "partly_paid" and status(invoice) == "partly_paid"

    pay(invoice, "995.00")
    assert status(invoice) == "partly_paid"

    last = pay(invoice, "1000")
    assert last.invoice.status == "paid" and status(invoice) == "paid"
    assert list(Payment.objects.filter(invoice=invoice).values_list("amount", flat=True)) == [
        D("1000.00"),
        D("995.00"),
        D("1000.00"),
    ]


def test_an_overpayment_is_refused_naming_what_is_still_owed_and_nothing_is_stored(invoice, pay):
    pay(invoice, "2000.00")
    audit_rows = AuditEntry.objects.count()

    with translation.override("en"), pytest.raises(Conflict) as caught:
        pay(invoice, "995.01")

    assert "995.00" in str(caught.value.detail)
    assert caught.value.errors == [{"field": "amount", "message": "Enter at most 995.00."}]
    assert Payment.objects.filter(invoice=invoice).count() == 1
    assert status(invoice) == "partly_paid"
    assert AuditEntry.objects.count() == audit_rows


def test_a_paid_invoice_takes_no_more_payments(invoice, pay):
    pay(invoice, "2995.00")
    with pytest.raises(Conflict):
        pay(invoice, "0.01")
    assert Payment.objects.count() == 1


def test_a_credit_note_and_a_credited_invoice_take_no_payments(invoice, credit, pay, today):
    credit_note = credit(invoice, issued_on=today)

    for document in (credit_note, invoice):
        with pytest.raises(Conflict):
            pay(document, "10.00")
    assert Payment.objects.count() == 0
    assert (status(invoice), status(credit_note)) == ("credited", "credited")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-10"}, "amount"),
        ({"amount": "10.005"}, "amount"),
        ({"amount": "tien"}, "amount"),
        ({"paid_on": "tomorrow"}, "paid_on"),
        ({"paid_on": "before_issue"}, "paid_on"),
        ({"reference": "x" * 141}, "reference"),
    ],
)
def test_bad_input_is_invalid_on_its_field_and_changes_nothing(invoice, pay, today, fields, field):
    dates = {"tomorrow": today + datetime.timedelta(days=1), "before_issue": invoice.issued_on - datetime.timedelta(days=1)}
    arguments = {"amount": "100.00", **fields}
    if "paid_on" in arguments:
        arguments["paid_on"] = dates[arguments["paid_on"]]
    amount = arguments.pop("amount")

    with pytest.raises(Invalid) as caught:
        pay(invoice, amount, **arguments)

    assert [error["field"] for error in caught.value.errors] == [field]
    assert Payment.objects.count() == 0 and status(invoice) == "open"


def test_a_payment_on_the_invoice_date_and_today_is_fine(invoice, pay, today):
    pay(invoice, "1.00", paid_on=invoice.issued_on)
    pay(invoice, "1.00", paid_on=today)
    assert Payment.objects.count() == 2


def test_only_the_programme_office_records_and_removes_payments(invoice, pay, participant_user, teacher_user):
    for actor in (participant_user, teacher_user, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            pay(invoice, "10.00", actor=actor)
    payment = pay(invoice, "10.00")
    with pytest.raises(PermissionDenied):
        payments.remove_payment(actor=participant_user, invoice_number=invoice.number, payment_id=payment.pk)
    assert Payment.objects.count() == 1


def test_an_unknown_invoice_is_not_found(pay, coordinator, today):
    for number in ("2027-9999", "nonsense", "2027-0001\x00"):
        with pytest.raises(NotFound):
            payments.record_payment(actor=coordinator, invoice_number=number, paid_on=today, amount="1.00")


def test_removing_a_payment_recomputes_the_status(invoice, pay, coordinator):
    first = pay(invoice, "2000.00")
    second = pay(invoice, "995.00")
    assert status(invoice) == "paid"

    returned = payments.remove_payment(actor=coordinator, invoice_number=invoice.number, payment_id=second.pk)
    assert returned.status == "partly_paid" and status(invoice) == "partly_paid"

    payments.remove_payment(actor=coordinator, invoice_number=invoice.number, payment_id=first.pk)
    assert status(invoice) == "open" and Payment.objects.count() == 0

    with pytest.raises(NotFound):
        payments.remove_payment(actor=coordinator, invoice_number=invoice.number, payment_id=first.pk)


def test_a_payment_of_another_invoice_is_not_found(invoice, pay, coordinator, issue, make_enrolment, today):
    other = issue(make_enrolment(), issued_on=today)
    payment = pay(invoice, "10.00")
    with pytest.raises(NotFound):
        payments.remove_payment(actor=coordinator, invoice_number=other.number, payment_id=payment.pk)
    assert Payment.objects.count() == 1


def test_recording_and_removing_are_audited_with_the_invoice_status_before_and_after(invoice, pay, coordinator):
    payment = pay(invoice, "1000.00", reference="Bank 77")
    recorded = AuditEntry.objects.get(action="payment.recorded")
    assert recorded.actor == coordinator
    assert (recorded.object_type, recorded.object_id) == ("invoicing.payment", str(payment.pk))
    assert recorded.before == {"invoice_status": "open"}
    assert recorded.after["amount"] == "1000.00" and recorded.after["reference"] == "Bank 77"
    assert (recorded.after["invoice_number"], recorded.after["invoice_status"]) == (invoice.number, "partly_paid")
    changed = AuditEntry.objects.get(action="invoice.status_changed", object_id=str(invoice.pk))
    assert (changed.before, changed.after["status"], changed.after["paid"]) == ({"status": "open"}, "partly_paid", "1000.00")

    payments.remove_payment(actor=coordinator, invoice_number=invoice.number, payment_id=payment.pk)
    removed = AuditEntry.objects.get(action="payment.removed")
    assert removed.object_id == str(payment.pk) and removed.before["amount"] == "1000.00"
    assert removed.before["invoice_status"] == "partly_paid"
    back = AuditEntry.objects.filter(action="invoice.status_changed").order_by("-id").first()
    assert (back.before, back.after["status"]) == ({"status": "partly_paid"}, "open")


def test_a_credited_invoices_payments_stay(issue, enrolment, pay, credit, coordinator, today):
    invoice = issue(enrolment, issued_on=today - datetime.timedelta(days=10))
    payment = pay(invoice, "2995.00")
    credit_note = credit(invoice, issued_on=today)
    assert (status(invoice), status(credit_note)) == ("credited", "open")  # a refund is due

    with pytest.raises(Conflict):
        payments.remove_payment(actor=coordinator, invoice_number=invoice.number, payment_id=payment.pk)
    assert Payment.objects.count() == 1


def test_the_totals_reconcile(issue, credit, make_enrolment, pay, today):
    """invoiced - credited - paid = owed (what open and partly paid invoices still owe, minus what
    open credit notes owe back), and owed is also the sum over the open documents."""
    issued = today - datetime.timedelta(days=40)
    untouched = issue(make_enrolment(), issued_on=issued)
    partly = issue(make_enrolment(), issued_on=issued)
    pay(partly, "1200.00")
    pay(partly, "300.50")
    paid = issue(make_enrolment(), issued_on=issued)
    pay(paid, "2995.00")
    credited_open = issue(make_enrolment(), issued_on=issued)
    credit(credited_open, issued_on=today)
    refunded = issue(make_enrolment(), issued_on=issued)
    pay(refunded, "2995.00")
    credit(refunded, issued_on=today)
    partly_refunded = issue(make_enrolment(), issued_on=issued)
    pay(partly_refunded, "500.00")
    partly_credit_note = credit(partly_refunded, issued_on=today)  # a partly paid invoice can be credited
    assert (status(partly_refunded), status(partly_credit_note)) == ("credited", "open")  # 500.00 to refund

    totals = payments.ledger()

    assert totals["invoiced"] == D("17970.00")
    assert totals["credited"] == D("8985.00")
    assert totals["paid"] == D("7990.50")
    assert totals["invoiced"] - totals["credited"] - totals["paid"] == totals["owed"]
    # Computed the other way: per open document, from the stored rows.
    open_invoices = Invoice.objects.filter(kind="invoice", status__in=["open", "partly_paid"])
    owed = sum(i.total - sum(p.amount for p in i.payments.all()) for i in open_invoices)
    owed -= sum(
        sum(p.amount for p in i.corrects.payments.all()) for i in Invoice.objects.filter(kind="credit_note", status="open")
    )
    assert owed == totals["owed"] == D("2995.00") + D("1494.50") - D("2995.00") - D("500.00")
    assert {status(untouched), status(partly), status(paid)} == {"open", "partly_paid", "paid"}
