"""Changes of plan write what they must in few statements (P2): their audit entries with one INSERT
at the end (audit.batched), each invoice number with one UPDATE ... RETURNING, the documents without
savepoints of their own. And still all or nothing: a change that fails at its last step leaves no
entry, no document and no number behind."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from leergang.catalog.models import Edition
from leergang.core.models import AuditEntry
from leergang.enrolment import changes
from leergang.enrolment.models import Enrolment, EnrolmentChange
from leergang.invoicing import sending
from leergang.invoicing.models import Invoice, InvoiceCounter
from tests import factories

from .test_perf_changes_reuse import _place

pytestmark = pytest.mark.django_db

AUDIT_INSERT = 'INSERT INTO "core_auditentry"'


@pytest.fixture
def programme(db):
    return factories.ProgrammeFactory(vat_exempt=True)


@pytest.fixture
def edition(programme):
    edition = factories.EditionFactory(
        programme=programme, start_date=datetime.date(2027, 1, 13), fee=D("2995.00"), cancellation_free_until=None,
        cancellation_fee_kind="amount", cancellation_fee_value=D("750"),
    )  # fmt: skip
    factories.SessionFactory(edition=edition, number=1, date=datetime.date(2027, 1, 13))
    return edition


@pytest.fixture
def later_edition(programme):
    edition = factories.EditionFactory(programme=programme, start_date=datetime.date(2027, 9, 1), fee=D("3195.00"), status="open")
    factories.SessionFactory(edition=edition, number=1, date=datetime.date(2027, 9, 1))
    return edition


def _run(kind, place, coordinator, later_edition):
    if kind == "substitute":
        return changes.substitute(
            actor=coordinator, enrolment_id=place.pk, first_name="Eva", last_name="de Wit", email="eva@example.org"
        )
    if kind == "transfer":
        return changes.transfer(actor=coordinator, enrolment_id=place.pk, to_edition_id=later_edition.pk)
    return changes.cancel_enrolment(actor=coordinator, enrolment_id=place.pk)


# What each change records, in this order, when 1000.00 had been paid on the place's invoice.
RECORDED = {
    "substitute": ["user.created", "invoice.credited", "credit_note.issued", "invoice.issued", "invoice.status_changed",
                   "refund.carried_over", "credit_note.refunded", "enrolment.substitution", "user.invited"],
    "transfer": ["invoice.credited", "credit_note.issued", "invoice.issued", "invoice.status_changed",
                 "refund.carried_over", "credit_note.refunded", "enrolment.transfer"],
    "cancel": ["invoice.credited", "credit_note.issued", "invoice.issued", "invoice.status_changed",
               "refund.carried_over", "enrolment.cancelled"],
}  # fmt: skip


@pytest.mark.parametrize("kind", ["substitute", "transfer", "cancel"])
def test_a_change_writes_its_audit_entries_with_one_insert(kind, edition, later_edition, coordinator):
    place = _place(edition, coordinator)
    first = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    with CaptureQueriesContext(connection) as queries:
        _run(kind, place, coordinator, later_edition)
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(AUDIT_INSERT)]
    assert len(inserts) == 1
    written = list(AuditEntry.objects.filter(pk__gt=first).order_by("pk").values_list("action", flat=True))
    assert written == RECORDED[kind]
    # The entries are the change's: who did it, on which objects.
    entry = AuditEntry.objects.filter(pk__gt=first, action__startswith="enrolment.").get()
    assert (entry.actor_id, entry.object_type, entry.object_id) == (coordinator.pk, "enrolment.enrolment", str(place.pk))


@pytest.mark.parametrize("kind", ["substitute", "transfer", "cancel"])
def test_a_change_takes_each_number_with_one_statement_and_no_savepoint_per_document(kind, edition, later_edition, coordinator):
    place = _place(edition, coordinator)
    with CaptureQueriesContext(connection) as queries:
        _run(kind, place, coordinator, later_edition)
    sql = [q["sql"] for q in queries.captured_queries]
    counter = [s for s in sql if '"invoicing_invoicecounter"' in s]
    assert len(counter) == 2 and all(s.startswith('UPDATE "invoicing_invoicecounter"') for s in counter)
    # The test runs in a transaction, so the change's own atomic block is a savepoint. A new
    # colleague's account is inserted in one too (a racing registration of the same address must
    # not spoil the change); finding or creating and inviting them open none of their own.
    assert sum(s.startswith("SAVEPOINT") for s in sql) == (2 if kind == "substitute" else 1)
    numbers = list(Invoice.objects.order_by("sequence").values_list("sequence", flat=True))
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))  # gapless
    assert InvoiceCounter.objects.get().last_number == numbers[-1]


@pytest.mark.parametrize("kind", ["substitute", "transfer", "cancel"])
def test_a_change_that_fails_at_its_last_step_leaves_nothing_behind(kind, edition, later_edition, coordinator, monkeypatch):
    place = _place(edition, coordinator)

    def broken(*args, **kwargs):
        raise RuntimeError("the outbox is unreachable")

    monkeypatch.setattr(sending, "send_documents", broken)
    before = (AuditEntry.objects.count(), Invoice.objects.count(), Enrolment.objects.count(), EnrolmentChange.objects.count())
    counter = InvoiceCounter.objects.get().last_number
    with pytest.raises(RuntimeError):
        _run(kind, place, coordinator, later_edition)
    after = (AuditEntry.objects.count(), Invoice.objects.count(), Enrolment.objects.count(), EnrolmentChange.objects.count())
    assert after == before
    assert InvoiceCounter.objects.get().last_number == counter
    assert Enrolment.objects.get(pk=place.pk).status == "enrolled"


# -- the checks the transfer and the freed seat make in one query each -----------------------------


def _waitlisted(edition, n: int, minutes_ago: int):
    from django.utils import timezone

    from .test_perf_changes_reuse import _application

    application = _application(edition, n, "waitlisted")
    application.waitlisted_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    application.save(update_fields=["waitlisted_at"])
    return application


def test_a_transfer_to_an_edition_where_the_participant_has_a_place_is_refused(edition, later_edition, coordinator):
    from leergang.core.errors import Conflict

    place = _place(edition, coordinator)
    factories.EnrolmentFactory(edition=later_edition, participant=place.participant)
    before = (Invoice.objects.count(), Enrolment.objects.count(), AuditEntry.objects.count())
    with pytest.raises(Conflict) as refused, translation.override("en"):
        changes.transfer(actor=coordinator, enrolment_id=place.pk, to_edition_id=later_edition.pk)
    with translation.override("en"):
        assert "already enrolled in that edition" in str(refused.value.detail)
    assert (Invoice.objects.count(), Enrolment.objects.count(), AuditEntry.objects.count()) == before


def test_a_transfer_to_a_full_edition_is_refused_even_by_held_offers(edition, later_edition, coordinator):
    from leergang.core.errors import Conflict
    from leergang.enrolment.models import Offer

    later_edition.capacity = 2
    later_edition.save(update_fields=["capacity"])
    factories.EnrolmentFactory(edition=later_edition)
    Offer.objects.create(
        application=_waitlisted(later_edition, 50, 5), edition=later_edition,
        expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3),
    )  # fmt: skip
    place = _place(edition, coordinator)
    with pytest.raises(Conflict) as refused, translation.override("en"):
        changes.transfer(actor=coordinator, enrolment_id=place.pk, to_edition_id=later_edition.pk)
    with translation.override("en"):
        assert "That edition is full" in str(refused.value.detail)


@pytest.mark.parametrize("free_after", [True, False])
def test_the_seat_a_transfer_frees_is_offered_to_the_earliest_waitlisted_applicant(
    edition, later_edition, coordinator, free_after
):
    from leergang.enrolment.models import Offer

    place = _place(edition, coordinator)
    others = [_place(edition, coordinator, paid=None) for _n in range(2)]
    late, early = _waitlisted(edition, 60, 5), _waitlisted(edition, 61, 50)
    # Three places; after the move two remain: a seat is free when the capacity is three.
    Edition.objects.filter(pk=edition.pk).update(capacity=3 if free_after else 2)
    changes.transfer(actor=coordinator, enrolment_id=place.pk, to_edition_id=later_edition.pk)
    offered = list(Offer.objects.filter(edition=edition).values_list("application_id", flat=True))
    assert offered == ([early.pk] if free_after else [])
    assert len(others) == 2
    late.refresh_from_db()
    assert late.status == "waitlisted"
