"""Any sequence of admissions, payments, cancellations (with and without fee), colleagues taking
over, transfers and refunds keeps the trail right (Hypothesis state machine over the real services):
the series stays gapless, no document changes after issue, totals reconcile, an edition never holds
more places than its capacity, and every enrolled place has exactly one invoice that counts."""

import contextlib
import datetime
import itertools
from decimal import Decimal as D

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from leergang.core.errors import Conflict, Invalid
from leergang.enrolment import changes
from leergang.enrolment.models import Enrolment
from leergang.invoicing import payments, refunds, services
from leergang.invoicing.models import Invoice
from tests import factories

from .conftest import RECIPIENT
from .test_changes_trail import Trail

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
OTHER_DEBTOR = {**RECIPIENT, "organisation": "Provincie Utrecht", "address": "Archimedeslaan 6", "postal_code": "3584 BA"}


def test_any_sequence_of_changes_keeps_the_trail(programme, coordinator):
    counter = itertools.count()

    class Plans(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.trail = Trail()
            free_until = TODAY + datetime.timedelta(days=30)
            self.editions = [
                factories.EditionFactory(
                    programme=programme,
                    start_date=datetime.date(2027, 1 + 4 * i, 13),
                    fee=D(fee),
                    capacity=3,
                    cancellation_free_until=until,
                    cancellation_fee_kind=kind,
                    cancellation_fee_value=D(value),
                )  # fmt: skip
                for i, (fee, until, kind, value) in enumerate(
                    [
                        ("2995.00", None, "percentage", "25"),
                        ("3195.00", free_until, "amount", "400"),
                        ("2500.00", None, "amount", "0"),
                    ]
                )
            ]

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        def _enrolled(self, index):
            places = list(Enrolment.objects.filter(status="enrolled", edition__in=self.editions).order_by("pk"))
            return places[index % len(places)] if places else None

        @rule(edition=st.integers(0, 2), paid=st.sampled_from([None, "100.00", "2995.00", "0.01"]))
        def admit(self, edition, paid):
            edition = self.editions[edition]
            if Enrolment.objects.filter(edition=edition, status="enrolled").count() >= edition.capacity:
                return
            person = factories.UserFactory(email=f"p{next(counter)}@example.org")
            enrolment = factories.EnrolmentFactory(edition=edition, participant=person)
            invoice = services.issue_invoice(actor=coordinator, enrolment=enrolment, recipient=dict(RECIPIENT), language="nl")
            if paid:
                amount = min(D(paid), invoice.total)
                payments.record_payment(actor=coordinator, invoice_number=invoice.number, paid_on=TODAY, amount=amount)

        @rule(index=st.integers(0, 50), amount=st.sampled_from(["1.00", "500.00", "5000.00"]))
        def pay(self, index, amount):
            open_ones = list(Invoice.objects.filter(kind="invoice", status__in=["open", "partly_paid"]).order_by("pk"))
            if not open_ones:
                return
            invoice = open_ones[index % len(open_ones)]
            with contextlib.suppress(Conflict):  # more than is owed: refused, nothing stored
                payments.record_payment(actor=coordinator, invoice_number=invoice.number, paid_on=TODAY, amount=amount)

        @rule(index=st.integers(0, 50), waive=st.booleans())
        def cancel(self, index, waive):
            place = self._enrolled(index)
            if place is not None:
                changes.cancel_enrolment(actor=coordinator, enrolment_id=place.pk, waive_fee=waive)

        @rule(index=st.integers(0, 50), other_debtor=st.booleans())
        def substitute(self, index, other_debtor):
            place = self._enrolled(index)
            if place is not None:
                changes.substitute(
                    actor=coordinator, enrolment_id=place.pk, first_name="Col", last_name="League",
                    email=f"c{next(counter)}@example.org", recipient=dict(OTHER_DEBTOR) if other_debtor else None,
                )  # fmt: skip

        @rule(index=st.integers(0, 50), to=st.integers(0, 2))
        def transfer(self, index, to):
            place = self._enrolled(index)
            if place is None:
                return
            with contextlib.suppress(Conflict, Invalid):  # full, or not a later edition: refused, nothing stored
                changes.transfer(actor=coordinator, enrolment_id=place.pk, to_edition_id=self.editions[to].pk)

        @rule(index=st.integers(0, 50), part=st.sampled_from(["all", "some"]))
        def refund(self, index, part):
            open_notes = list(Invoice.objects.filter(kind="credit_note", status="open").order_by("pk"))
            if not open_notes:
                return
            note = open_notes[index % len(open_notes)]
            owed = refunds.still_owed_back(note)
            amount = owed if part == "all" or owed <= D("0.01") else (owed / 2).quantize(D("0.01"))
            refunds.record_refund(actor=coordinator, credit_note_number=note.number, paid_on=TODAY, amount=amount)

        @invariant()
        def the_trail_holds(self):
            self.trail.check()

        @invariant()
        def capacity_and_one_standing_invoice(self):
            for edition in self.editions:
                places = Enrolment.objects.filter(edition=edition, status="enrolled")
                assert places.count() <= edition.capacity
                for place in places:
                    assert Invoice.objects.filter(enrolment=place, kind="invoice").exclude(status="credited").count() == 1

    run_state_machine_as_test(
        Plans,
        settings=settings(
            max_examples=25, stateful_step_count=12, deadline=None, suppress_health_check=list(HealthCheck), database=None
        ),
    )
