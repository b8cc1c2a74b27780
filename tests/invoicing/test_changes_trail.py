"""Changes of plan through the services, asserting the trail of documents (issue 7): cancellation
within and after the free period, a colleague taking over, a transfer to a later edition, refunds.

After every change: the series is gapless, no document changed after issue (every field but the
status is as it was), and the ledger reconciles (invoiced - credited - (paid - refunded) = owed,
counted here once more from the stored rows)."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone

from leergang.core.errors import Conflict, Invalid
from leergang.core.models import AuditEntry
from leergang.enrolment import changes
from leergang.enrolment.models import Application, ApplicationStatus, Enrolment, EnrolmentChange, Offer
from leergang.invoicing import balances, payments, pdf, refunds
from leergang.invoicing.models import Invoice, Payment, Refund
from leergang.notifications.models import OutboxEmail
from tests import factories
from tests.notifications.conftest import smtp_server  # noqa: F401 - the real SMTP server fixture

from .conftest import RECIPIENT

TODAY = timezone.localdate()
MUTABLE = {"status", "updated_at"}


def frozen(invoice: Invoice) -> dict:
    return {f.attname: getattr(invoice, f.attname) for f in Invoice._meta.concrete_fields if f.name not in MUTABLE}


class Trail:
    """Remembers every document as issued and checks the invariants on demand."""

    def __init__(self):
        self.seen: dict[int, dict] = {}

    def check(self):
        documents = list(Invoice.objects.order_by("year", "sequence"))
        for document in documents:
            if document.pk in self.seen:
                assert frozen(document) == self.seen[document.pk], f"{document.number} changed after issue"
            self.seen[document.pk] = frozen(document)
        by_year: dict[int, list[int]] = {}
        for document in documents:
            by_year.setdefault(document.year, []).append(document.sequence)
        for year, sequences in by_year.items():
            assert sequences == list(range(1, len(sequences) + 1)), f"gap in {year}: {sequences}"
        totals = balances.ledger()
        assert totals["invoiced"] - totals["credited"] - (totals["paid"] - totals["refunded"]) == totals["owed"]
        # The same from the stored rows, without the balances module.
        owed = D("0.00")
        for document in documents:
            paid = sum((p.amount for p in Payment.objects.filter(invoice=document)), D("0.00"))
            if document.kind == "invoice" and document.status in ("open", "partly_paid"):
                owed += document.total - paid
            if document.kind == "credit_note" and document.status == "open":
                paid_before = sum((p.amount for p in Payment.objects.filter(invoice=document.corrects)), D("0.00"))
                owed -= paid_before - sum((r.amount for r in Refund.objects.filter(credit_note=document)), D("0.00"))
        assert owed == totals["owed"]
        # One invoice that still counts per enrolled place (with an invoice), none on a closed place but a fee.
        for enrolment in Enrolment.objects.all():
            standing = Invoice.objects.filter(enrolment=enrolment, kind="invoice").exclude(status="credited")
            if enrolment.status == "cancelled":
                assert all(i.purpose == "cancellation_fee" for i in standing)
            assert standing.count() <= 1
        return totals


@pytest.fixture
def trail():
    return Trail()


@pytest.fixture
def later_edition(programme):
    edition = factories.EditionFactory(programme=programme, start_date=datetime.date(2027, 9, 1), fee=D("3195.00"), capacity=2)
    factories.SessionFactory(edition=edition, number=1, date=datetime.date(2027, 9, 1))
    return edition


def with_terms(edition, *, free_until, kind="percentage", value="50"):
    edition.cancellation_free_until, edition.cancellation_fee_kind, edition.cancellation_fee_value = free_until, kind, D(value)
    edition.save()
    return edition


def place(edition, issue, coordinator, *, paid=None, email=None, recipient=None):
    enrolment = factories.EnrolmentFactory(
        edition=edition, **({"participant": factories.UserFactory(email=email)} if email else {})
    )
    invoice = issue(enrolment, issued_on=TODAY, recipient=recipient)
    if paid:
        payments.record_payment(actor=coordinator, invoice_number=invoice.number, paid_on=TODAY, amount=paid)
    return enrolment, Invoice.objects.get(pk=invoice.pk)


def status(document):
    return Invoice.objects.get(pk=document.pk).status


# --- cancellation ------------------------------------------------------------------------------


def test_cancelling_within_the_free_period_credits_in_full_and_nothing_more(edition, issue, coordinator, trail):
    with_terms(edition, free_until=TODAY)
    enrolment, invoice = place(edition, issue, coordinator)
    trail.check()
    result = changes.cancel_enrolment(actor=coordinator, enrolment_id=enrolment.pk, reason="Ziek")
    assert result.fee_invoice is None
    assert result.credit_note.total == -invoice.total and result.credit_note.sequence == invoice.sequence + 1
    assert (status(invoice), status(result.credit_note)) == ("credited", "credited")
    assert trail.check()["owed"] == 0


def test_after_the_free_period_a_fee_invoice_follows_in_the_same_series(edition, issue, coordinator, trail):
    with_terms(edition, free_until=TODAY - datetime.timedelta(days=1), value="50")
    enrolment, invoice = place(edition, issue, coordinator)
    trail.check()
    result = changes.cancel_enrolment(actor=coordinator, enrolment_id=enrolment.pk)
    fee = result.fee_invoice
    assert [invoice.sequence + 1, invoice.sequence + 2] == [result.credit_note.sequence, fee.sequence]
    assert fee.purpose == "cancellation_fee" and fee.kind == "invoice" and fee.status == "open"
    assert fee.total == D("1497.50") and fee.vat_amount == D("0.00")
    assert fee.enrolment_id == enrolment.pk and fee.vat_exemption_note == invoice.vat_exemption_note
    assert [fee.recipient_organisation, fee.recipient_po_number, fee.language] == [
        invoice.recipient_organisation,
        invoice.recipient_po_number,
        invoice.language,
    ]
    assert "Annuleringskosten" in fee.lines[0]["description"]
    assert trail.check()["owed"] == D("1497.50")
    entry = AuditEntry.objects.filter(action="enrolment.cancelled").latest("pk")
    assert entry.after["fee"] == "1497.50" and entry.after["fee_invoice"] == fee.number


def test_money_paid_is_carried_over_to_the_fee_and_the_rest_refunded(edition, issue, coordinator, trail):
    with_terms(edition, free_until=None, kind="amount", value="750")
    enrolment, invoice = place(edition, issue, coordinator, paid="2995.00")
    result = changes.cancel_enrolment(actor=coordinator, enrolment_id=enrolment.pk)
    assert status(result.fee_invoice) == "paid"  # settled from what was paid
    assert status(result.credit_note) == "open"
    assert refunds.still_owed_back(Invoice.objects.get(pk=result.credit_note.pk)) == D("2245.00")
    offset = Refund.objects.get(credit_note=result.credit_note)
    assert offset.method == "offset" and offset.offset_payment.invoice_id == result.fee_invoice.pk
    assert trail.check()["owed"] == D("-2245.00")  # owed back to the debtor

    with pytest.raises(Conflict):
        refunds.record_refund(actor=coordinator, credit_note_number=result.credit_note.number, paid_on=TODAY, amount="2245.01")
    refunds.record_refund(actor=coordinator, credit_note_number=result.credit_note.number, paid_on=TODAY, amount="2000")
    assert status(result.credit_note) == "open"
    refunds.record_refund(actor=coordinator, credit_note_number=result.credit_note.number, paid_on=TODAY, amount="245.00")
    assert status(result.credit_note) == "paid"
    totals = trail.check()
    assert totals["owed"] == 0 and totals["paid"] - totals["refunded"] == D("750.00")
    with pytest.raises(Conflict):  # nothing left to give back
        refunds.record_refund(actor=coordinator, credit_note_number=result.credit_note.number, paid_on=TODAY, amount="1")
    with pytest.raises(Conflict):  # the carried-over payment belongs to the trail
        payments.remove_payment(actor=coordinator, invoice_number=result.fee_invoice.number, payment_id=offset.offset_payment_id)


def test_the_fee_can_be_waived_and_never_exceeds_what_was_invoiced(edition, issue, coordinator, trail):
    with_terms(edition, free_until=None, kind="amount", value="5000")
    enrolment, invoice = place(edition, issue, coordinator)
    assert changes.cancellation_fee_for(enrolment) == invoice.total  # capped at the invoice
    waived = changes.cancel_enrolment(actor=coordinator, enrolment_id=enrolment.pk, waive_fee=True, reason="Overlijden")
    assert waived.fee_invoice is None
    assert AuditEntry.objects.filter(action="enrolment.cancelled").latest("pk").after["fee_waived"] is True
    trail.check()

    other, _invoice = place(edition, issue, coordinator, email="b@example.org")
    charged = changes.cancel_enrolment(actor=coordinator, enrolment_id=other.pk)
    assert charged.fee_invoice.total == D("2995.00")
    trail.check()


def test_a_place_without_invoice_is_cancelled_without_documents(edition, coordinator, trail):
    with_terms(edition, free_until=None)
    enrolment = factories.EnrolmentFactory(edition=edition)
    result = changes.cancel_enrolment(actor=coordinator, enrolment_id=enrolment.pk)
    assert result.credit_note is None and result.fee_invoice is None and not Invoice.objects.exists()
    with pytest.raises(Conflict):
        changes.cancel_enrolment(actor=coordinator, enrolment_id=enrolment.pk)
    trail.check()


# --- a colleague takes over ---------------------------------------------------------------------


def test_a_colleague_takes_over_the_place_with_the_payment(edition, issue, coordinator, trail):
    enrolment, invoice = place(edition, issue, coordinator, paid="1000.00")
    trail.check()
    seats_before = Enrolment.objects.filter(edition=edition, status="enrolled").count()
    change = changes.substitute(
        actor=coordinator, enrolment_id=enrolment.pk, first_name="Karin", last_name="Bos", email="karin@example.org"
    )
    assert change.old.status == "cancelled" and change.new.status == "enrolled" and change.new.edition_id == edition.pk
    assert change.new.participant.email == "karin@example.org"
    assert Enrolment.objects.filter(edition=edition, status="enrolled").count() == seats_before
    assert [change.credit_note.sequence, change.invoice.sequence] == [invoice.sequence + 1, invoice.sequence + 2]
    new = Invoice.objects.get(pk=change.invoice.pk)
    assert new.enrolment_id == change.new.pk and new.participant_name == "Karin Bos"
    assert new.recipient_organisation == invoice.recipient_organisation and new.recipient_contact_name == "Karin Bos"
    assert new.total == invoice.total and new.status == "partly_paid"  # the 1000.00 came along
    assert status(change.credit_note) == "paid"  # nothing left to give back
    assert trail.check()["owed"] == D("1995.00")
    assert OutboxEmail.objects.filter(to__icontains="karin@example.org").exists()  # the invitation
    history = changes.history(change.new)
    assert [(h.kind, h.from_enrolment_id, h.to_enrolment_id) for h in history] == [("substitution", enrolment.pk, change.new.pk)]
    assert changes.history(change.old) == history


def test_a_colleague_with_another_debtor_gets_their_own_invoice_and_the_first_is_refunded(edition, issue, coordinator, trail):
    enrolment, invoice = place(edition, issue, coordinator, paid="2995.00")
    other_debtor = {**RECIPIENT, "organisation": "Provincie Utrecht", "address": "Archimedeslaan 6", "postal_code": "3584 BA"}
    change = changes.substitute(
        actor=coordinator,
        enrolment_id=enrolment.pk,
        first_name="Piet",
        last_name="Jansen",
        email="piet@example.org",
        recipient=other_debtor,
    )
    assert status(change.invoice) == "open" and change.invoice.recipient_organisation == "Provincie Utrecht"
    assert status(change.credit_note) == "open"  # 2995.00 to be refunded to Gemeente Utrecht
    assert trail.check()["owed"] == D("0.00")  # owed 2995.00 by the new debtor, 2995.00 owed back


def test_taking_over_refuses_the_same_person_and_someone_already_enrolled(edition, issue, coordinator, trail):
    enrolment, _invoice = place(edition, issue, coordinator, email="anna@example.org")
    place(edition, issue, coordinator, email="bert@example.org")
    counts = (Invoice.objects.count(), Enrolment.objects.count(), EnrolmentChange.objects.count())
    with pytest.raises(Invalid):
        changes.substitute(actor=coordinator, enrolment_id=enrolment.pk, first_name="A", last_name="B", email="ANNA@example.org")
    with pytest.raises(Conflict):
        changes.substitute(actor=coordinator, enrolment_id=enrolment.pk, first_name="B", last_name="C", email="bert@example.org")
    with pytest.raises(Invalid):
        changes.substitute(actor=coordinator, enrolment_id=enrolment.pk, first_name=" ", last_name="", email="c@example.org")
    assert (Invoice.objects.count(), Enrolment.objects.count(), EnrolmentChange.objects.count()) == counts
    assert Enrolment.objects.get(pk=enrolment.pk).status == "enrolled"
    trail.check()


# --- transfer -----------------------------------------------------------------------------------


def test_a_transfer_moves_the_seat_and_corrects_the_invoice_to_the_new_fee(edition, later_edition, issue, coordinator, trail):
    enrolment, invoice = place(edition, issue, coordinator, paid="2995.00")
    waiting = factories_application(edition)
    change = changes.transfer(actor=coordinator, enrolment_id=enrolment.pk, to_edition_id=later_edition.pk, reason="Ziek")
    assert change.new.edition_id == later_edition.pk and change.new.participant_id == enrolment.participant_id
    new = Invoice.objects.get(pk=change.invoice.pk)
    assert new.total == D("3195.00") and new.edition_start_date == later_edition.start_date
    assert new.status == "partly_paid" and payments.ledger()["owed"] == D("200.00")
    assert status(change.credit_note) == "paid"
    assert Offer.objects.filter(application=waiting, status="open").exists()  # the freed seat went on
    assert Application.objects.get(pk=waiting.pk).status == ApplicationStatus.OFFERED
    trail.check()


def test_a_transfer_keeps_the_discount_of_the_place(edition, later_edition, coordinator, trail):
    from leergang.enrolment import services as enrolment_services
    from leergang.invoicing.models import DiscountCode

    DiscountCode.objects.create(code="ALUMNI", kind="percentage", value=D("10"))
    application = factories_application(edition, discount_code="ALUMNI", status=None)
    result = enrolment_services.decide(actor=coordinator, application_id=application.pk, decision="admit")
    change = changes.transfer(actor=coordinator, enrolment_id=result.enrolment.pk, to_edition_id=later_edition.pk)
    assert [line["amount"] for line in change.invoice.lines] == ["3195.00", "-319.50"]
    trail.check()


def test_a_transfer_needs_a_seat_a_later_edition_and_the_same_programme(edition, later_edition, issue, coordinator, trail):
    enrolment, _invoice = place(edition, issue, coordinator)
    factories.EnrolmentFactory.create_batch(2, edition=later_edition)  # full
    other_programme = factories.EditionFactory(start_date=datetime.date(2028, 1, 5))
    earlier = factories.EditionFactory(programme=edition.programme, start_date=datetime.date(2026, 9, 2))
    counts = (Invoice.objects.count(), Enrolment.objects.count(), EnrolmentChange.objects.count())
    with pytest.raises(Conflict):
        changes.transfer(actor=coordinator, enrolment_id=enrolment.pk, to_edition_id=later_edition.pk)
    for target in (other_programme, earlier, edition):
        with pytest.raises(Invalid):
            changes.transfer(actor=coordinator, enrolment_id=enrolment.pk, to_edition_id=target.pk)
    with pytest.raises(Invalid):
        changes.transfer(actor=coordinator, enrolment_id=enrolment.pk, to_edition_id=999999)
    assert (Invoice.objects.count(), Enrolment.objects.count(), EnrolmentChange.objects.count()) == counts
    trail.check()


def test_a_place_can_change_twice_and_the_history_reads_both_ways(edition, later_edition, issue, coordinator, trail):
    enrolment, _invoice = place(edition, issue, coordinator, paid="500.00")
    first = changes.substitute(actor=coordinator, enrolment_id=enrolment.pk, first_name="K", last_name="B", email="k@example.org")
    second = changes.transfer(actor=coordinator, enrolment_id=first.new.pk, to_edition_id=later_edition.pk)
    kinds = [(h.kind, h.from_enrolment_id, h.to_enrolment_id) for h in changes.history(first.new)]
    assert kinds == [("substitution", enrolment.pk, first.new.pk), ("transfer", first.new.pk, second.new.pk)]
    assert changes.history(enrolment) == changes.history(second.new)
    assert Invoice.objects.get(pk=second.invoice.pk).status == "partly_paid"  # the 500.00 followed twice
    totals = trail.check()
    assert totals["paid"] - totals["refunded"] == D("500.00")


def factories_application(edition, *, discount_code="", status=ApplicationStatus.WAITLISTED):
    from leergang.enrolment import services as enrolment_services

    application = enrolment_services.submit_application(
        edition_id=edition.pk,
        data=enrolment_services.ApplicationInput(
            first_name="Wacht", last_name="Lijst", email=f"wacht{Application.objects.count()}@example.org",
            organisation="Gemeente Zwolle", job_title="Manager", education_level="hbo", years_experience=9,
            leadership_role=True, challenge="Vertrouwen.", invoice_organisation="Gemeente Zwolle",
            invoice_address="Grote Kerkplein 15", invoice_postal_code="8011 PK", invoice_city="Zwolle",
            invoice_email="facturen@zwolle.example", privacy_consent=True, terms_accepted=True,
            discount_code=discount_code,
        ),
    )  # fmt: skip
    if status:
        Application.objects.filter(pk=application.pk).update(status=status, waitlisted_at=timezone.now())
    return Application.objects.get(pk=application.pk)


# --- the debtor gets the documents ----------------------------------------------------------------


def test_the_debtor_receives_the_credit_note_and_the_fee_invoice_by_e_mail(request, edition, issue, coordinator, dutch_texts):
    from leergang.notifications.delivery import deliver_due

    smtp = request.getfixturevalue("smtp_server")

    with_terms(edition, free_until=None, kind="amount", value="500")
    enrolment, invoice = place(edition, issue, coordinator, paid="200.00")
    result = changes.cancel_enrolment(actor=coordinator, enrolment_id=enrolment.pk)
    assert deliver_due() >= 1
    [message] = [m for m in smtp.messages if RECIPIENT["email"] in m["To"]]
    assert "Annulering" in message["Subject"]
    attachments = {part.get_filename(): part.get_payload(decode=True) for part in message.iter_attachments()}
    assert sorted(attachments) == sorted(pdf.filename(d) for d in (result.credit_note, result.fee_invoice))
    assert all(content.startswith(b"%PDF-") for content in attachments.values())
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert result.credit_note.number in body and invoice.number in body
    assert "€\xa0300,00" in body and "€\xa0500,00" in body  # 500.00 fee, 200.00 already paid carried over
