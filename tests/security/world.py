"""The data the permission matrix runs on: the demo content plus what the demo lacks.

The six roles of the matrix are six people:

- anonymous: nobody logged in;
- participant_own: Anna Jansen, whose objects the URLs name (her case, time log, papers, invoice,
  application, places, calendar feed);
- participant_other: Zoë Peters, another participant of the same running edition, enrolled after the
  groups were formed, so she shares no group with Anna (group members may read each other's case);
- teacher_own: the demo teacher, who teaches in every demo edition;
- teacher_other: a second teacher, who teaches another programme's edition only;
- coordinator: the programme office.

Every URL is built on an object that exists, so a 404 for a role means "refused", not "missing".
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from leergang.accounts.models import User
from leergang.accounts.services import issue_api_token, password_link
from leergang.awards import services as awards
from leergang.awards.models import Award
from leergang.catalog.models import Edition, ProgrammeTeacher, Session, Teacher
from leergang.demo import content
from leergang.demo.loader import load_demo
from leergang.enrolment import changes, services
from leergang.enrolment.models import Enrolment, Offer
from leergang.enrolment.views import confirmation_url
from leergang.invoicing import payments
from leergang.invoicing.models import Invoice, InvoiceKind
from leergang.learning import services as papers
from leergang.learning.models import CaseEntry, LiteratureItem, PaperSubmission, TimeEntry
from tests import factories

ANONYMOUS = "anonymous"
PARTICIPANT_OWN = "participant_own"
PARTICIPANT_OTHER = "participant_other"
TEACHER_OWN = "teacher_own"
TEACHER_OTHER = "teacher_other"
COORDINATOR = "coordinator"
ROLES = (ANONYMOUS, PARTICIPANT_OWN, PARTICIPANT_OTHER, TEACHER_OWN, TEACHER_OTHER, COORDINATOR)

OTHER_PARTICIPANT_EMAIL = "zoe.peters@example.org"
OTHER_TEACHER_EMAIL = "tweede.docent@example.org"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    users: dict[str, User | None]
    tokens: dict[str, str]
    running: Edition
    completed: Edition
    upcoming: Edition
    other_edition: Edition
    held_session: Session  # running edition, session 1 (held)
    next_session: Session  # running edition, the first session still to come
    closing_2021: Session
    enrolment: Enrolment  # Anna's place in the running edition
    enrolment_2021: Enrolment  # Anna's place in the completed edition (paper, award)
    enrolment_upcoming: Enrolment  # Anna's place in the open edition (through her application, with invoice)
    other_enrolment: Enrolment  # Zoë's place in the running edition
    application_id: int  # Anna's admitted application
    confirmation_path: str  # the applicant's confirmation page of Anna's application
    submitted_application_id: int  # another applicant's application, just submitted
    intake_application_id: int  # another applicant's application with a planned intake
    intake_id: int
    waitlisted_application_id: int
    invoice_number: str  # Anna's invoice (open edition)
    payment_id: int  # a payment on Anna's invoice
    cancelled_person_id: int  # the applicant whose place was cancelled (nothing running: may be erased)
    credit_note_number: str  # a credit note with money owed back (another applicant's cancelled place)
    offer_token: str
    case_entry_id: int  # Anna's entry for session 1
    literature_item_id: int
    time_entry_id: int  # Anna's
    submission_id: int  # Anna's 2021 paper (assessed)
    new_submission_id: int  # Anna's paper in the running edition, waiting for assessment
    enrolment_without_award: Enrolment  # a 2021 place whose certificate was revoked: one may be issued again
    later_edition: Edition  # a later edition of the programme, for transfers
    award_code: str  # Anna's 2021 award
    password_reset_path: str  # Anna's
    password_set_path: str  # Anna's
    calendar_token: str  # Anna's running place

    def user(self, role: str) -> User | None:
        return self.users[role]


def _application(edition: Edition, email: str, first_name: str, last_name: str) -> services.ApplicationInput:
    return services.ApplicationInput(
        first_name=first_name, last_name=last_name, email=email, phone="06 12345678", organisation="Gemeente Zwolle",
        job_title="Manager Sociaal Domein", education_level="hbo", years_experience=9, leadership_role=True,
        challenge="Mijn team verantwoordt alles in formulieren.\n\nIk wil sturen op vertrouwen.",
        invoice_organisation="Gemeente Zwolle, Financiën", invoice_address="Grote Kerkplein 15",
        invoice_postal_code="8011 PK", invoice_city="Zwolle", invoice_email="facturen@zwolle.example",
        invoice_po_number="PO-77", dietary_requirements="", privacy_consent=True, terms_accepted=True,
    )  # fmt: skip


def _apply(edition: Edition, email: str, first_name: str, last_name: str):
    return services.submit_application(edition_id=edition.pk, data=_application(edition, email, first_name, last_name))


def build_world() -> World:
    load_demo()
    coordinator = User.objects.get(email=content.COORDINATOR["email"])
    teacher = User.objects.get(email=content.TEACHER_USER["email"])
    anna = User.objects.get(email=content.PARTICIPANTS[0]["email"])
    running = Edition.objects.get(programme__slug=content.SLUG, status="running")
    completed = Edition.objects.get(programme__slug=content.SLUG, status="completed")
    upcoming = Edition.objects.get(programme__slug=content.SLUG, status="open")

    # Another programme's edition, taught by a second teacher who teaches nothing in the demo.
    other_programme = factories.ProgrammeFactory(slug="andere-opleiding")
    other_edition = factories.EditionFactory(programme=other_programme, status="open", start_date=upcoming.start_date)
    factories.SessionFactory(edition=other_edition, number=1, date=upcoming.start_date)
    teacher2 = factories.TeacherUserFactory(email=OTHER_TEACHER_EMAIL, first_name="Tessa", last_name="Tweede")
    profile = Teacher.objects.create(user=teacher2, name="Tessa Tweede")
    ProgrammeTeacher.objects.create(programme=other_programme, teacher=profile, order=0)

    # Another participant of the running edition, in no study group (so she may not read Anna's case).
    zoe = factories.UserFactory(email=OTHER_PARTICIPANT_EMAIL, first_name="Zoë", last_name="Peters")
    other_enrolment = Enrolment.objects.create(edition=running, participant=zoe, organisation="Gemeente Ede")

    # Anna applies for the open edition and is admitted: her application, place and invoice.
    application = _apply(upcoming, anna.email, "Anna", "Jansen")
    services.decide(actor=coordinator, application_id=application.pk, decision="admit")
    enrolment_upcoming = Enrolment.objects.get(edition=upcoming, participant=anna)
    invoice = Invoice.objects.get(enrolment=enrolment_upcoming, kind=InvoiceKind.INVOICE)
    today = timezone.localdate()
    payment = payments.record_payment(
        actor=coordinator, invoice_number=invoice.number, paid_on=today, amount=Decimal("100.00"), reference="Deel"
    )

    # Another applicant with a planned intake, one on the waiting list, and one admitted, paid in part
    # and cancelled: a credit note with money owed back, and the freed seat offered to the waiting list.
    intake_application = _apply(upcoming, "ria.intake@example.org", "Ria", "Intake")
    intake = services.plan_intake(
        actor=coordinator,
        application_id=intake_application.pk,
        scheduled_at=timezone.now() + datetime.timedelta(days=3),
        mode="online",
        interviewer="Carla",
    )
    submitted = _apply(upcoming, "dora.nieuw@example.org", "Dora", "Nieuw")
    waitlisted = _apply(upcoming, "cas.wachtlijst@example.org", "Cas", "Wachtlijst")
    services.decide(actor=coordinator, application_id=waitlisted.pk, decision="waitlist")
    bea_application = _apply(upcoming, "bea.geannuleerd@example.org", "Bea", "Geannuleerd")
    services.decide(actor=coordinator, application_id=bea_application.pk, decision="admit")
    bea_place = Enrolment.objects.get(edition=upcoming, participant__email="bea.geannuleerd@example.org")
    bea_invoice = Invoice.objects.get(enrolment=bea_place, kind=InvoiceKind.INVOICE)
    payments.record_payment(actor=coordinator, invoice_number=bea_invoice.number, paid_on=today, amount=Decimal("500.00"))
    changes.cancel_enrolment(actor=coordinator, enrolment_id=bea_place.pk, reason="Ziek")
    credit_note = Invoice.objects.get(corrects=bea_invoice, kind=InvoiceKind.CREDIT_NOTE)
    offer = Offer.objects.filter(application=waitlisted).order_by("-pk").first()

    enrolment = Enrolment.objects.get(edition=running, participant=anna)
    enrolment_2021 = Enrolment.objects.get(edition=completed, participant=anna)
    new_submission = papers.submit_paper(
        actor=anna, enrolment_id=enrolment.pk, uploaded_file=SimpleUploadedFile("paper.pdf", PDF, content_type="application/pdf")
    )
    # Esra's 2021 certificate, revoked: the office may issue one again (a valid request).
    esra_award = Award.objects.get(enrolment__edition=completed, enrolment__participant__email="esra.yilmaz@example.org")
    awards.revoke_award(actor=coordinator, code=esra_award.code, reason="Verkeerd uitgereikt.")
    later_edition = factories.EditionFactory(
        programme=upcoming.programme, status="open", start_date=upcoming.start_date + datetime.timedelta(days=364)
    )
    sessions = list(running.sessions.order_by("number"))
    users = {
        ANONYMOUS: None,
        PARTICIPANT_OWN: anna,
        PARTICIPANT_OTHER: zoe,
        TEACHER_OWN: teacher,
        TEACHER_OTHER: teacher2,
        COORDINATOR: coordinator,
    }
    tokens = {role: issue_api_token(actor=None, user=user) for role, user in users.items() if user is not None}
    return World(
        users=users,
        tokens=tokens,
        running=running,
        completed=completed,
        upcoming=upcoming,
        other_edition=other_edition,
        held_session=sessions[0],
        next_session=next(s for s in sessions if s.date > today),
        closing_2021=completed.sessions.get(kind="closing"),
        enrolment=enrolment,
        enrolment_2021=enrolment_2021,
        enrolment_upcoming=enrolment_upcoming,
        other_enrolment=other_enrolment,
        application_id=application.pk,
        confirmation_path=urlsplit(confirmation_url(application)).path,
        submitted_application_id=submitted.pk,
        intake_application_id=intake_application.pk,
        intake_id=intake.pk,
        waitlisted_application_id=waitlisted.pk,
        invoice_number=invoice.number,
        payment_id=payment.pk,
        cancelled_person_id=bea_place.participant_id,
        credit_note_number=credit_note.number,
        offer_token=offer.token if offer else "",
        case_entry_id=CaseEntry.objects.get(case__enrolment=enrolment, session__number=1).pk,
        literature_item_id=LiteratureItem.objects.filter(session=sessions[0]).order_by("pk").first().pk,
        time_entry_id=TimeEntry.objects.filter(enrolment=enrolment).order_by("pk").first().pk,
        new_submission_id=new_submission.pk,
        enrolment_without_award=esra_award.enrolment,
        later_edition=later_edition,
        submission_id=PaperSubmission.objects.filter(enrolment=enrolment_2021).order_by("-pk").first().pk,
        award_code=Award.objects.filter(enrolment=enrolment_2021).order_by("pk").first().code,
        password_reset_path=urlsplit(password_link(anna, purpose="reset", language="nl")).path,
        password_set_path=urlsplit(password_link(anna, purpose="set", language="nl")).path,
        calendar_token=enrolment.calendar_token,
    )


@contextlib.contextmanager
def world_in_rollback():
    """The world, built inside a transaction that is rolled back when the block ends (for a
    module-scoped fixture: every test of the module meets the same world, and nothing stays)."""
    from django.core.cache import cache
    from django.db import transaction
    from django.utils import translation

    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        cache.clear()
        with translation.override("nl"):
            built = build_world()
        yield built
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
