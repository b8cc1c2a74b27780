"""The application's page and its actions read their rows as SQL (core.sql_rows) for speed
(performance bar P2): what they read must stay what the former ORM reads loaded (kept here as the
reference), every field with the same value and type, for applications in every state (open,
with intakes, an open offer, waitlisted, declined, admitted, admitted and cancelled, decided by
somebody or automatically)."""

import datetime

import pytest
from django.db import transaction
from django.db.models import CharField, DateTimeField, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from leergang.catalog.models import Edition
from leergang.core.models import AuditEntry
from leergang.enrolment import changes, inbox, services
from leergang.enrolment.models import Application, Enrolment, Intake, Offer, OfferStatus
from leergang.enrolment.selectors import SEATS_TAKEN
from leergang.invoicing.models import Invoice

from .conftest import apply, later, url
from .test_query_counts import varied

pytestmark = pytest.mark.django_db


def fields_of(instance) -> list:
    """Every loaded field (a deferred one is left out, as `only()` leaves it out)."""
    loaded = instance.__dict__
    return [
        (f.attname, type(loaded[f.attname]), loaded[f.attname])
        for f in type(instance)._meta.concrete_fields
        if f.attname in loaded
    ]


# -- the former reads ------------------------------------------------------------------------------


def former_application(application_id: int) -> Application:
    intakes = Intake.objects.order_by("scheduled_at", "id")
    application = (
        Application.objects.select_related("enrolment", "decided_by")
        .prefetch_related(
            Prefetch("intakes", queryset=intakes),
            Prefetch("offers", queryset=Offer.objects.filter(status=OfferStatus.OPEN), to_attr="open_offers"),
            Prefetch("enrolment__invoices", queryset=Invoice.objects.only(*inbox._DOCUMENT_FIELDS)),
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404("There is no application with this number.")
    return application


def former_edition(edition_id: int) -> Edition:
    return (
        Edition.objects.select_related("programme")
        .annotate(
            seats_taken=SEATS_TAKEN,
            held_offers=inbox._Counted(Offer, OfferStatus.OPEN),
            waiting=inbox._Counted(Application, "waitlisted"),
        )
        .filter(pk=edition_id)
        .first()
    )


def former_history(application, enrolment) -> list:
    wanted = Q(object_type=inbox.APPLICATION_TYPE, object_id=str(application.pk))
    if enrolment is not None:
        wanted |= Q(object_type=inbox.ENROLMENT_TYPE, object_id=str(enrolment.pk))
    entries = AuditEntry.objects.filter(wanted).select_related("actor").order_by("at", "id")
    return [inbox._history_entry(entry) for entry in entries]


def former_locked_application(application_id: int) -> Application:
    return (
        Application.objects.select_for_update(of=("self",)).select_related("edition__programme").filter(pk=application_id).first()
    )


# -- the world -------------------------------------------------------------------------------------


@pytest.fixture
def many(edition, office):
    varied(edition, office, 0, 12)
    full = apply(edition, "volledig@example.org")
    for hours in (30, 5):
        intake = services.plan_intake(
            actor=office, application_id=full.pk, scheduled_at=later() + datetime.timedelta(hours=hours), mode="online",
            interviewer="Ria",
        )  # fmt: skip
    services.record_intake_outcome(actor=office, intake_id=intake.pk, outcome="positive", note="Goed.")
    services.decide(actor=office, application_id=full.pk, decision="admit", note="Welkom")
    cancelled = apply(edition, "geannuleerd@example.org")
    result = services.decide(actor=office, application_id=cancelled.pk, decision="admit")
    # The freed seat is offered to the first on the waiting list.
    changes.cancel_enrolment(actor=office, enrolment_id=result.enrolment.pk, reason="Ziek")
    return list(Application.objects.filter(edition=edition).order_by("pk"))


def test_the_application_is_what_the_orm_loaded(many):
    seen = set()
    for application in many:
        new, old = inbox._application(application.pk), former_application(application.pk)
        assert fields_of(new) == fields_of(old)
        assert (new.decided_by and fields_of(new.decided_by)) == (old.decided_by and fields_of(old.decided_by))
        new_enrolment, old_enrolment = getattr(new, "enrolment", None), getattr(old, "enrolment", None)
        assert (new_enrolment is None) == (old_enrolment is None)
        if new_enrolment is not None:
            assert fields_of(new_enrolment) == fields_of(old_enrolment)
            old_documents = sorted(old_enrolment.invoices.all(), key=lambda i: i.pk)
            assert [fields_of(i) for i in new_enrolment.documents] == [fields_of(i) for i in old_documents]
            assert [i.get_status_display() for i in new_enrolment.documents] == [i.get_status_display() for i in old_documents]
            seen.add(("documents", len(old_documents)))
        old_intakes = list(old.intakes.all())
        assert [fields_of(i) for i in new.intake_list] == [fields_of(i) for i in old_intakes]
        assert all(i.application is new for i in new.intake_list)
        assert [fields_of(o) for o in new.open_offers] == [fields_of(o) for o in old.open_offers]
        assert inbox._history(new, new_enrolment) == former_history(old, old_enrolment)
        seen |= {application.status, ("intakes", len(old_intakes)), ("offers", len(old.open_offers)), bool(old.decided_by)}
    # Every state was compared.
    assert {"submitted", "intake_planned", "waitlisted", "offered", "declined", "admitted", True, False} <= seen
    assert {("documents", 1), ("documents", 2), ("intakes", 2), ("offers", 1)} <= seen
    with pytest.raises(Http404):
        inbox._application(999999)


def test_the_application_reads_nothing_more(many, django_assert_num_queries):
    admitted = next(a for a in many if a.status == "admitted")
    application = inbox._application(admitted.pk)
    with django_assert_num_queries(0):
        assert application.enrolment.pk and application.decided_by.pk and application.intake_list is not None
        assert [i.application.pk for i in application.intake_list] == [admitted.pk] * len(application.intake_list)
    plain = next(a for a in many if a.status == "submitted")
    application = inbox._application(plain.pk)
    with django_assert_num_queries(0):
        assert getattr(application, "enrolment", None) is None and application.decided_by is None


def test_the_edition_and_its_seats_are_what_the_orm_loaded(many, edition):
    new, old = inbox._edition(edition.pk), former_edition(edition.pk)
    assert fields_of(new) == fields_of(old)
    assert fields_of(new.programme) == fields_of(old.programme)
    assert (new.seats_taken, new.held_offers, new.waiting) == (old.seats_taken, old.held_offers, old.waiting)
    assert new.held_offers == 1 and new.waiting >= 1 and new.seats_taken >= 2
    assert inbox._seats(new) == inbox._seats(old)
    with pytest.raises(Http404):
        inbox._edition(999999)


def test_the_locked_rows_of_the_services_are_what_the_orm_locked(many, edition):
    with transaction.atomic():
        for application in many:
            new, old = services._locked_application(application.pk), former_locked_application(application.pk)
            assert fields_of(new) == fields_of(old)
            assert fields_of(new.edition) == fields_of(old.edition)
            assert fields_of(new.edition.programme) == fields_of(old.edition.programme)
            offer = application.offers.filter(status=OfferStatus.OPEN).first()
            found = services._open_offer(application.pk)
            assert (found and fields_of(found)) == (offer and fields_of(offer))
            of_edition = services._locked_application_of(new.edition, application.pk)
            assert fields_of(of_edition) == fields_of(old) and of_edition.edition is new.edition
        new, old = services._locked_edition_row(edition.pk), services._locked_edition(edition.pk)
        assert fields_of(new) == fields_of(old) and fields_of(new.programme) == fields_of(old.programme)
        with pytest.raises(Edition.DoesNotExist):
            services._locked_edition_row(999999)
    assert services._locked_application_of(edition, 999999) is None
    with pytest.raises(services.NotFound):
        services._locked_application(999999)


def test_a_decision_writes_what_save_wrote(edition, office):
    """The decision's UPDATE of every column leaves the row as application.save() left it."""
    first, second = apply(edition, "een@example.org"), apply(edition, "twee@example.org")
    services.decide(actor=office, application_id=first.pk, decision="waitlist", note="Later")
    reference = Application.objects.get(pk=second.pk)
    reference.status, reference.waitlisted_at = "waitlisted", timezone.now()
    reference.decided_at, reference.decision_note, reference.decided_by = timezone.now(), "Later", office
    reference.save()
    made, saved = Application.objects.get(pk=first.pk), Application.objects.get(pk=second.pk)
    skip = {"id", "created_at", "updated_at", "waitlisted_at", "decided_at", "email", "submission_key"}
    assert [x for x in fields_of(made) if x[0] not in skip] == [x for x in fields_of(saved) if x[0] not in skip]
    assert made.updated_at >= made.decided_at and made.waitlisted_at is not None


# -- the inbox's rows --------------------------------------------------------------------------------

FORMER_ROW_FIELDS = (
    "status", "first_name", "last_name", "job_title", "organisation", "created_at", "waitlisted_at",
    "meets_profile", "screening", "years_experience",
)  # fmt: skip


def former_applications(edition) -> list:
    return list(
        Application.objects.filter(edition=edition)
        .only(*FORMER_ROW_FIELDS)
        .annotate(
            next_intake_at=inbox._Linked(Intake, 'MIN("scheduled_at")', "\"outcome\" = 'pending'", DateTimeField()),
            offer_expires_at=inbox._Linked(Offer, '"expires_at"', "\"status\" = 'open'", DateTimeField()),
            enrolment_status=inbox._Linked(Enrolment, '"status"', "", CharField()),
        )
        .order_by("created_at", "id")
    )


def linked(application) -> tuple:
    values = (application.next_intake_at, application.offer_expires_at, application.enrolment_status)
    return tuple((type(v), v) for v in values)


def test_the_inbox_rows_are_what_the_orm_loaded(many, edition, office):
    # Two pending intakes on one application: the earliest is shown.
    submitted = next(a for a in many if a.status == "submitted")
    for hours in (50, 3):
        services.plan_intake(
            actor=office, application_id=submitted.pk, scheduled_at=later() + datetime.timedelta(hours=hours), mode="online",
            interviewer="Ria",
        )  # fmt: skip
    new, old = inbox._applications(edition), former_applications(edition)
    assert [a.pk for a in new] == [a.pk for a in old] and len(new) == len(many)
    for mine, theirs in zip(new, old, strict=True):
        assert fields_of(mine) == fields_of(theirs)
        assert mine.get_deferred_fields() == theirs.get_deferred_fields()
        assert linked(mine) == linked(theirs)
    shown = {tuple(v is not None for v in (a.next_intake_at, a.offer_expires_at, a.enrolment_status)) for a in new}
    assert {(True, False, False), (False, True, False), (False, False, True), (False, False, False)} <= shown
    assert inbox._applications(Edition(pk=999999)) == []


def test_the_inbox_edition_is_what_the_orm_loaded(many, edition):
    former = (
        Edition.objects.select_related("programme")
        .only("capacity", "start_date", "status", "programme__slug", "programme__title_nl", "programme__title_en")
        .annotate(
            seats_taken=SEATS_TAKEN,
            held_offers=inbox._Counted(Offer, OfferStatus.OPEN),
            waiting=inbox._Counted(Application, "waitlisted"),
        )
        .get(pk=edition.pk)
    )
    new = inbox._edition(edition.pk)
    for name in ("pk", "capacity", "start_date", "status", "seats_taken", "held_offers", "waiting"):
        assert getattr(new, name) == getattr(former, name), name
    for name in ("slug", "title_nl", "title_en", "title"):
        assert getattr(new.programme, name) == getattr(former.programme, name), name


def test_the_application_to_cancel_is_what_the_orm_loaded(many, django_assert_num_queries):
    for application in many:
        new = inbox._application_with_place(application.pk)
        old = Application.objects.select_related("enrolment", "edition__programme").filter(pk=application.pk).first()
        with django_assert_num_queries(0):
            assert fields_of(new) == fields_of(old)
            assert fields_of(new.edition) == fields_of(old.edition)
            assert fields_of(new.edition.programme) == fields_of(old.edition.programme)
            new_enrolment, old_enrolment = getattr(new, "enrolment", None), getattr(old, "enrolment", None)
            assert (new_enrolment and fields_of(new_enrolment)) == (old_enrolment and fields_of(old_enrolment))
            if new_enrolment is not None:
                assert new_enrolment.application is new
    with pytest.raises(Http404):
        inbox._application_with_place(999999)


def test_an_id_beyond_the_column_is_simply_not_found(office_client, office):
    """As the ORM finds nothing for such an id, the hand-written reads find nothing either (no 500)."""
    huge = 2**70
    for read in (inbox._application, inbox._application_with_place, inbox._edition):
        with pytest.raises(Http404):
            read(huge)
    with pytest.raises(services.NotFound):
        services.decide(actor=office, application_id=huge, decision="decline")
    with pytest.raises(services.NotFound):
        services.plan_intake(actor=office, application_id=huge, scheduled_at=later(), mode="online", interviewer="Ria")
    for name, data in (("applications:detail", None), ("applications:decision", {"decision-decision": "decline"}),
                       ("applications:intake", {"scheduled_at": "2030-01-01T10:00", "mode": "online", "interviewer": "R"}),
                       ("applications:cancel", None)):  # fmt: skip
        path = url(name, application_id=huge)
        response = office_client.post(path, data) if data else office_client.get(path)
        assert response.status_code == 404, name
