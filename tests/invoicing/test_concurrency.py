"""R5 on PostgreSQL: invoices issued at the same moment get consecutive numbers, none lost, none twice."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from leergang.invoicing import services
from leergang.invoicing.models import Invoice, InvoiceCounter

from .conftest import RECIPIENT

THREADS = 20


def run_at_once(count: int, action) -> list[Exception]:
    start = threading.Barrier(count)
    errors: list[Exception] = []

    def worker(index: int) -> None:
        try:
            start.wait(timeout=30)
            action(index)
        except Exception as exc:  # reported in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


@pytest.mark.postgres
def test_twenty_invoices_issued_at_once_are_numbered_0001_to_0020(transactional_db, coordinator, make_enrolment):
    enrolments = [make_enrolment() for _ in range(THREADS)]
    assert not InvoiceCounter.objects.exists()  # the year's counter row is created in the race too

    def issue(index: int) -> None:
        with transaction.atomic():  # as the admission service calls it: inside its own transaction
            services.issue_invoice(
                actor=coordinator,
                enrolment=enrolments[index],
                recipient=RECIPIENT,
                language="nl",
                issued_on=datetime.date(2027, 3, 1),
            )

    assert run_at_once(THREADS, issue) == []

    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"2027-{n:04d}" for n in range(1, THREADS + 1)]
    assert sorted(Invoice.objects.values_list("enrolment_id", flat=True)) == sorted(e.pk for e in enrolments)
    assert InvoiceCounter.objects.get(year=2027).last_number == THREADS


@pytest.mark.postgres
def test_transactions_that_roll_back_at_the_same_time_leave_no_gap(transactional_db, coordinator, make_enrolment):
    enrolments = [make_enrolment() for _ in range(THREADS)]

    def issue_and_maybe_fail(index: int) -> None:
        with transaction.atomic():
            services.issue_invoice(
                actor=coordinator,
                enrolment=enrolments[index],
                recipient=RECIPIENT,
                language="en",
                issued_on=datetime.date(2027, 3, 1),
            )
            if index % 2:
                raise RuntimeError("the rest of the admission failed")

    errors = run_at_once(THREADS, issue_and_maybe_fail)

    assert len(errors) == THREADS // 2 and all(isinstance(e, RuntimeError) for e in errors)
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"2027-{n:04d}" for n in range(1, THREADS // 2 + 1)]


@pytest.mark.postgres
def test_two_credit_notes_for_one_invoice_at_once_make_one(transactional_db, coordinator, enrolment):
    invoice = services.issue_invoice(
        actor=coordinator, enrolment=enrolment, recipient=RECIPIENT, language="nl", issued_on=datetime.date(2027, 3, 1)
    )

    def credit(_index: int) -> None:
        services.issue_credit_note(actor=coordinator, invoice=invoice, issued_on=datetime.date(2027, 3, 2))

    errors = run_at_once(2, credit)

    assert len(errors) == 1 and type(errors[0]).__name__ == "Conflict"
    assert list(Invoice.objects.order_by("sequence").values_list("number", "kind")) == [
        ("2027-0001", "invoice"),
        ("2027-0002", "credit_note"),
    ]
