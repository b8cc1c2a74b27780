"""core.sql_rows.insert and update write the row the ORM's save() writes: every column with the
same value, the timestamps set, the model's post_save receivers called; and they refuse what they
cannot do as save() would."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leergang.core import sql_rows
from leergang.enrolment.models import Enrolment, EnrolmentChange
from leergang.invoicing import services
from leergang.invoicing.models import Invoice, Payment, Refund
from leergang.notifications.services import build_email
from tests import factories
from tests.invoicing.conftest import RECIPIENT

pytestmark = pytest.mark.django_db

STAMPS = {"id", "created_at", "updated_at"}


def stored(model, pk) -> dict:
    """The row as the ORM reads it back, without the id and the timestamps."""
    row = model.objects.get(pk=pk)
    return {f.attname: (type(v := getattr(row, f.attname)), v) for f in model._meta.concrete_fields if f.attname not in STAMPS}


def written_both_ways(build) -> tuple[dict, dict, object]:
    """`build()` -> an unsaved instance; it is saved once by the ORM and once by sql_rows.insert, each
    in a savepoint rolled back afterwards (unique columns may repeat), and both rows are read back."""
    rows = []
    for write in (lambda obj: obj.save(force_insert=True), sql_rows.insert):
        with transaction.atomic():
            instance = build()
            before = timezone.now()
            with CaptureQueriesContext(connection) as captured:
                write(instance)
            assert instance.pk is not None and not instance._state.adding and instance._state.db == "default"
            rows.append(stored(type(instance), instance.pk))
            read = type(instance).objects.get(pk=instance.pk)
            for field in type(instance)._meta.concrete_fields:
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    assert getattr(read, field.attname) >= before
            transaction.set_rollback(True)
    assert len(captured) == 1  # sql_rows.insert: one statement, the id returned or looked up
    return rows[0], rows[1], instance


def with_values(instance, **values):
    for name, value in values.items():
        setattr(instance, name, value)
    return instance


@pytest.fixture
def place(coordinator):
    programme = factories.ProgrammeFactory(vat_exempt=True)
    edition = factories.EditionFactory(programme=programme, start_date=datetime.date(2027, 1, 13), fee=D("2995.00"))
    factories.SessionFactory(edition=edition, number=1, date=datetime.date(2027, 1, 13))
    return factories.EnrolmentFactory(edition=edition, participant=factories.UserFactory(first_name="Anna"))


@pytest.fixture
def invoiced(place, coordinator):
    return services.issue_invoice(actor=coordinator, enrolment=place, recipient=dict(RECIPIENT), language="nl")


def test_an_invoice_is_written_as_save_writes_it(invoiced):
    def build():
        invoice = Invoice.objects.get(pk=invoiced.pk)
        invoice.pk, invoice._state.adding = None, True
        invoice.sequence, invoice.number, invoice.kind, invoice.corrects = 999, "2026-0999", "credit_note", invoiced
        invoice.total, invoice.lines = D("-2995.00"), [{"description": "Teruggave \u00e9n 'quote'", "amount": "-2995.00"}]
        return invoice

    orm, ours, _ = written_both_ways(build)
    assert orm == ours
    assert ours["lines"][1] == [{"description": "Teruggave \u00e9n 'quote'", "amount": "-2995.00"}]
    assert ours["total"] == (D, D("-2995.00"))


def test_payments_refunds_places_changes_and_emails_are_written_as_save_writes_them(invoiced, place, coordinator):
    payment = Payment.objects.create(
        invoice=invoiced,
        paid_on=datetime.date(2027, 1, 20),
        amount=D("100.00"),
        recorded_at=timezone.now(),
        recorded_by=coordinator,
    )
    other = factories.EnrolmentFactory(edition=place.edition)
    at = timezone.now() - datetime.timedelta(days=1, microseconds=123)
    builders = [
        lambda: Payment(invoice=invoiced, paid_on=datetime.date(2027, 1, 21), amount=D("12.34"), reference="x",
                        recorded_at=at, recorded_by=coordinator),
        lambda: Refund(credit_note=invoiced, paid_on=datetime.date(2027, 1, 22), amount=D("0.01"), method="offset",
                       reference="2027-0001", offset_payment=payment, recorded_at=at, recorded_by=coordinator),
        lambda: Enrolment(edition=place.edition, participant=factories.UserFactory(), organisation="Gemeente"),
        lambda: EnrolmentChange(kind="transfer", from_enrolment=place, to_enrolment=other, reason="Verhuisd",
                                credit_note=invoiced, invoice=None, created_at=at, created_by=coordinator),
        lambda: with_values(build_email(to=["a@example.org"], subject="Onderwerp", body="Tekst\n", language="en",
                                        kind="test", attachments=[("f.ics", "BEGIN:VCALENDAR", "text/calendar")],
                                        related=invoiced), message_id="<1@leergang>", next_attempt_at=at),
    ]  # fmt: skip
    for build in builders:
        orm, ours, instance = written_both_ways(build)
        differs = {name for name in orm if orm[name] != ours[name]}
        # A new place gets its own calendar token (a default), its participant is a new user too.
        assert differs <= ({"calendar_token", "participant_id"} if isinstance(instance, Enrolment) else set()), differs


def test_a_model_s_post_save_receivers_hear_of_an_insert_and_an_update(place):
    heard = []

    def receiver(sender, instance, created, update_fields, **kwargs):
        heard.append((sender, instance.pk, created, update_fields))

    post_save.connect(receiver, sender=Enrolment)
    try:
        new = sql_rows.insert(Enrolment(edition=place.edition, participant=factories.UserFactory()))
        new.status = "cancelled"
        sql_rows.update(new, "status", "updated_at")
    finally:
        post_save.disconnect(receiver, sender=Enrolment)
    assert heard == [(Enrolment, new.pk, True, None), (Enrolment, new.pk, False, frozenset({"status", "updated_at"}))]


def test_an_update_writes_only_the_named_fields(invoiced):
    invoice = Invoice.objects.get(pk=invoiced.pk)
    stamped = invoice.updated_at
    invoice.status, invoice.total = "paid", D("1.00")  # the total is not named: not written
    with CaptureQueriesContext(connection) as captured:
        sql_rows.update(invoice, "status", "updated_at")
    assert len(captured) == 1
    row = Invoice.objects.get(pk=invoiced.pk)
    assert (row.status, row.total) == ("paid", D("2995.00")) and row.updated_at > stamped

    place = Enrolment.objects.get(pk=invoiced.enrolment_id)
    place.status, place.cancelled_at = "cancelled", timezone.now()
    sql_rows.update(place, "status", "cancelled_at")
    assert Enrolment.objects.filter(pk=place.pk, status="cancelled", cancelled_at=place.cancelled_at).exists()


def test_what_save_would_refuse_is_refused(invoiced):
    invoice = Invoice.objects.get(pk=invoiced.pk)
    with pytest.raises(ValueError, match="change once it is saved"):
        sql_rows.update(invoice, "total")  # an issued invoice changes only its status
    with pytest.raises(ValueError, match="saved already"):
        sql_rows.insert(invoice)
    gone = Payment(pk=987654, invoice=invoiced, paid_on=datetime.date(2027, 1, 20), amount=D("1.00"))
    gone._state.adding = False
    with pytest.raises(DatabaseError, match="not updated"):
        sql_rows.update(gone, "amount")
    assert Invoice.objects.get(pk=invoiced.pk).total == D("2995.00")


def test_a_model_with_a_save_of_its_own_is_refused_unless_it_declares_it_harmless(invoiced, monkeypatch):
    def guarded_save(self, *args, **kwargs):  # pragma: no cover - never called
        raise AssertionError

    monkeypatch.setattr(Payment, "save", guarded_save)
    sql_rows._insert_shape.cache_clear()
    try:
        with pytest.raises(TypeError, match="save\\(\\) of its own"):
            sql_rows.insert(Payment(invoice=invoiced, paid_on=datetime.date(2027, 1, 20), amount=D("1.00")))
    finally:
        sql_rows._insert_shape.cache_clear()
    assert not Payment.objects.exists()
    assert Invoice.plain_writes  # Invoice's save() only guards updates, which sql_rows.update guards too


def test_without_returning_the_id_is_looked_up(place, monkeypatch):
    """SQLite before 3.35 has no INSERT ... RETURNING: the id is the cursor's. (PostgreSQL always
    returns it, and its cursors have no such id to fall back on.)"""
    if connection.vendor != "sqlite":
        assert connection.features.can_return_columns_from_insert
        return
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)
    sql_rows._insert_shape.cache_clear()
    try:
        new = sql_rows.insert(Enrolment(edition=place.edition, participant=factories.UserFactory(), organisation="X"))
    finally:
        sql_rows._insert_shape.cache_clear()
    assert Enrolment.objects.get(pk=new.pk).organisation == "X"


def test_many_rows_are_one_statement_each_as_the_orm_writes_them(coordinator, monkeypatch):
    from leergang.core.models import AuditEntry

    def entries(tag: str) -> list:
        return [
            AuditEntry(actor=coordinator if n % 2 else None, action=f"test.{tag}", object_type="x.y", object_id=str(n),
                       before={"n": n, "text": "\u00e9\u00e9n 'x'"} if n else None, after={"list": [n, "%s"]})
            for n in range(5)
        ]  # fmt: skip

    AuditEntry.objects.bulk_create(entries("orm"))
    with CaptureQueriesContext(connection) as captured:
        written = sql_rows.insert_all(entries("ours"))
    assert len(captured) == 1 and all(entry.pk and not entry._state.adding for entry in written)

    def rows(tag: str) -> list:
        return [
            (e.actor_id, e.object_type, e.object_id, e.before, e.after, e.at is not None)
            for e in AuditEntry.objects.filter(action=f"test.{tag}").order_by("pk")
        ]

    assert rows("ours") == rows("orm")
    assert [entry.object_id for entry in AuditEntry.objects.filter(pk__in=[e.pk for e in written]).order_by("pk")] == list(
        "01234"
    )
    # More rows than one statement takes are written in as many statements as needed.
    monkeypatch.setattr(connection.ops, "bulk_batch_size", lambda fields, objs: 2)
    with CaptureQueriesContext(connection) as captured:
        sql_rows.insert_all(entries("chunked"))
    assert len(captured) == 3 and rows("chunked") == rows("orm")


def test_a_single_value_is_converted_as_the_orm_converts_its_column(invoiced, place, coordinator):
    from django.db.models import Max, Sum

    from leergang.catalog.models import Session

    for amount in ("0.10", "0.20", "1234.01"):
        Payment.objects.create(
            invoice=invoiced, paid_on=datetime.date(2027, 1, 20), amount=D(amount), recorded_at=timezone.now(),
            recorded_by=coordinator,
        )  # fmt: skip
    factories.SessionFactory(edition=place.edition, number=2, date=datetime.date(2027, 6, 30))
    paid = sql_rows.scalar(
        'SELECT SUM("amount") FROM "invoicing_payment" WHERE "invoice_id" = %s', [invoiced.pk], Payment._meta.get_field("amount")
    )
    assert paid == Payment.objects.filter(invoice=invoiced).aggregate(s=Sum("amount"))["s"] == D("1234.31")
    assert isinstance(paid, D) and str(paid) == "1234.31"
    last = sql_rows.scalar(
        'SELECT MAX("date") FROM "catalog_session" WHERE "edition_id" = %s', [place.edition_id], Session._meta.get_field("date")
    )
    assert last == Session.objects.filter(edition=place.edition).aggregate(d=Max("date"))["d"] == datetime.date(2027, 6, 30)
    none = sql_rows.scalar(
        'SELECT MAX("date") FROM "catalog_session" WHERE "edition_id" = %s', [0], Session._meta.get_field("date")
    )
    assert none is None


def test_a_field_with_a_placeholder_of_its_own_is_refused_unless_it_is_the_plain_one(monkeypatch):
    from django.db import models

    from leergang.awards.models import Award

    pdf = Award._meta.get_field("pdf")
    assert isinstance(pdf, models.BinaryField)
    sql_rows._plain_placeholders(connection, [pdf], Award)  # binary data: "%s" on SQLite and PostgreSQL
    monkeypatch.setattr(connection.ops, "binary_placeholder_sql", lambda value: "_binary %s")  # as on MySQL
    with pytest.raises(TypeError, match="placeholder of its own"):
        sql_rows._plain_placeholders(connection, [pdf], Award)
