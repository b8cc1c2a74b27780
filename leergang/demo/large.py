"""The large data set of `make bench` (P1, P2, P7): years of a school's history on top of the demo.

By default 400 editions over ten years (ten programmes, four editions a year each) with 25
participants each: 10,000 participants with their applications (and some declined, withdrawn,
waitlisted or still undecided), invoices and payments, attendance for every session held, final
papers and presentations, diplomas and certificates, audit entries and sent e-mails.

The rows are written with bulk inserts, not through the services: the services are what the
benchmark measures, and running them 10,000 times would make the generator too slow to use (P7: under
60 s). What they would have written is mirrored closely enough for the pages: invoice numbers continue
each year's series without gaps, awards carry a real snapshot, every edition has its sessions.
Generated people are recognisable by their e-mail domain (`EMAIL_DOMAIN`).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from leergang.accounts.models import Role, User
from leergang.attendance.models import Attendance
from leergang.awards.codes import new_code
from leergang.awards.credentials import STATUS_LIST_SIZE
from leergang.awards.models import Award
from leergang.awards.snapshot import EditionDocument
from leergang.catalog.models import Edition, EditionStatus, LearningGoal, Programme, ProgrammeTeacher, Session, Teacher
from leergang.core.models import AuditEntry
from leergang.demo import content
from leergang.enrolment.models import Application, Enrolment
from leergang.invoicing import rules as invoice_rules
from leergang.invoicing.models import Invoice, InvoiceCounter, Payment
from leergang.invoicing.services import _issuer
from leergang.learning.models import PaperSubmission, PresentationSlot
from leergang.notifications.models import OutboxEmail

EMAIL_DOMAIN = "groot.example"
BATCH = 2000
SESSIONS_PER_EDITION = 7
TITLES = [
    ("Strategisch leiderschap in het publieke domein", "Strategic leadership in the public sector"),
    ("Veranderkunde voor managers", "Change management for managers"),
    ("Samenwerken in netwerken", "Collaborating in networks"),
    ("Coachend leidinggeven", "Coaching leadership"),
    ("Besturen met data", "Governing with data"),
    ("Integriteit en moreel leiderschap", "Integrity and moral leadership"),
    ("Regie op de keten", "Directing the chain"),
    ("Financieel leiderschap", "Financial leadership"),
    ("Leidinggeven aan professionals", "Leading professionals"),
]
FIRST_NAMES = ["Anouk", "Bram", "Carmen", "Daan", "Eline", "Floor", "Gijs", "Hanna", "Ivo", "Julia", "Kees", "Lotte",
               "Mees", "Noor", "Olaf", "Pien", "Rik", "Sanne", "Thijs", "Uma", "Vera", "Wout", "Yara", "Zeno"]  # fmt: skip
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
              "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "van Dijk"]  # fmt: skip
ORGANISATIONS = ["Gemeente Utrecht", "Gemeente Zwolle", "Provincie Gelderland", "Rijkswaterstaat", "GGD Hollands Noorden",
                 "Waterschap Rivierenland", "Gemeente Groningen", "UWV", "Belastingdienst", "Veiligheidsregio Twente"]  # fmt: skip


@dataclass
class Counts:
    programmes: int = 0
    editions: int = 0
    sessions: int = 0
    participants: int = 0
    applications: int = 0
    enrolments: int = 0
    invoices: int = 0
    payments: int = 0
    attendance: int = 0
    papers: int = 0
    presentations: int = 0
    awards: int = 0
    audit_entries: int = 0
    emails: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _bulk(model, rows: list) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


@transaction.atomic
def generate(
    *, editions: int = 400, per_edition: int = 25, years: int = 10, today: datetime.date | None = None, seed: int = 9
) -> Counts:
    """Add `editions` editions of `per_edition` participants, spread over the `years` up to `today`
    (a few open ones after it), to the database; the demo should be loaded (its office and teacher
    act in the generated history). Returns what was written."""
    today = today or timezone.localdate()
    chance = random.Random(seed)
    counts = Counts()
    office = User.objects.get(email=content.COORDINATOR["email"])
    teacher_user = User.objects.get(email=content.TEACHER_USER["email"])
    now = timezone.now()
    run = (Edition.objects.count() + 1) * 1000 + chance.randrange(1000)  # unique e-mails when run twice

    programmes = _programmes(run, counts)
    per_programme = max(1, -(-editions // len(programmes)))
    # Four editions a year per programme (by default), the last ones starting after today (open for
    # registration), the ones of the last half year running.
    step = max(1, (365 * years) // per_programme)
    first_start = today + datetime.timedelta(days=90 - (per_programme - 1) * step)
    plan = []
    for index in range(editions):
        programme = programmes[index % len(programmes)]
        slot = index // len(programmes)
        start = first_start + datetime.timedelta(days=slot * step + (index % len(programmes)) * 3)
        start += datetime.timedelta(days=(2 - start.weekday()) % 7)  # on a Wednesday
        plan.append((programme, start))
    edition_rows = []
    for programme, start in plan:
        end = start + datetime.timedelta(days=28 * (SESSIONS_PER_EDITION - 1))
        status = EditionStatus.COMPLETED if end < today else EditionStatus.RUNNING if start <= today else EditionStatus.OPEN
        edition_rows.append(
            Edition(programme=programme, start_date=start, status=status, capacity=per_edition, fee=Decimal("2995.00"),
                    location="Utrecht", paper_deadline=end - datetime.timedelta(days=14))
        )  # fmt: skip
    edition_list = _bulk(Edition, edition_rows)
    counts.editions = len(edition_list)
    for edition in edition_list:
        counts.by_status[edition.status] = counts.by_status.get(edition.status, 0) + 1

    sessions = _bulk(
        Session,
        [
            Session(edition=edition, number=number, kind="closing" if number == SESSIONS_PER_EDITION else "content",
                    date=edition.start_date + datetime.timedelta(days=28 * (number - 1)), start_time=datetime.time(13, 30),
                    end_time=datetime.time(19, 30), theme_nl=f"Bijeenkomst {number}", theme_en=f"Session {number}")
            for edition in edition_list
            for number in range(1, SESSIONS_PER_EDITION + 1)
        ],
    )  # fmt: skip
    counts.sessions = len(sessions)
    sessions_by_edition: dict[int, list[Session]] = {}
    for session in sessions:
        sessions_by_edition.setdefault(session.edition_id, []).append(session)

    # People: one account per place; every generated participant may log in with the demo password.
    password = make_password(content.DEMO_PASSWORD)
    people = _bulk(
        User,
        [
            User(email=f"deelnemer{run}-{n:05d}@{EMAIL_DOMAIN}", first_name=chance.choice(FIRST_NAMES),
                 last_name=chance.choice(LAST_NAMES), role=Role.PARTICIPANT, password=password,
                 date_joined=now)
            for n in range(editions * per_edition)
        ],
    )  # fmt: skip
    counts.participants = len(people)

    applications, places = [], []
    for index, edition in enumerate(edition_list):
        applied = datetime.datetime.combine(
            edition.start_date - datetime.timedelta(days=60), datetime.time(10), tzinfo=datetime.UTC
        )
        for person in people[index * per_edition : (index + 1) * per_edition]:
            organisation = chance.choice(ORGANISATIONS)
            applications.append(_application(edition, person.first_name, person.last_name, person.email, organisation,
                                             "admitted", applied, office))  # fmt: skip
            places.append((edition, person, organisation))
        # Those who did not get a place, and (for open editions) those still waiting for a decision.
        others = ["declined", "withdrawn", "waitlisted"]
        if edition.status == EditionStatus.OPEN:
            others += ["submitted", "submitted", "intake_planned"]
        for number, status in enumerate(others):
            email = f"aanvrager{run}-{edition.pk}-{number}@{EMAIL_DOMAIN}"
            applications.append(_application(edition, chance.choice(FIRST_NAMES), chance.choice(LAST_NAMES), email,
                                             chance.choice(ORGANISATIONS), status, applied, office))  # fmt: skip
    applications = _bulk(Application, applications)
    counts.applications = len(applications)
    admitted = iter(a for a in applications if a.status == "admitted")

    enrolments = _bulk(
        Enrolment,
        [Enrolment(edition=edition, participant=person, organisation=organisation, application=next(admitted))
         for edition, person, organisation in places],
    )  # fmt: skip
    counts.enrolments = len(enrolments)
    editions_by_id = {edition.pk: edition for edition in edition_list}
    people_by_id = {person.pk: person for person in people}

    invoices = _invoices(enrolments, editions_by_id, people_by_id, sessions_by_edition, today)
    counts.invoices = len(invoices)
    payments = _bulk(
        Payment,
        [Payment(invoice=invoice, paid_on=invoice.due_on, amount=invoice.total, reference=invoice.number,
                 recorded_at=now, recorded_by=office)
         for invoice in invoices if invoice.status == "paid"],
    )  # fmt: skip
    counts.payments = len(payments)

    counts.attendance = _attendance(enrolments, sessions_by_edition, teacher_user, today, chance)
    counts.papers, counts.presentations, counts.awards = _completion(
        enrolments, editions_by_id, people_by_id, teacher_user, office, chance
    )
    counts.audit_entries = len(
        _bulk(
            AuditEntry,
            [AuditEntry(actor=office, action="application.decided", object_type="application", object_id=str(a.pk),
                        before={"status": "submitted"}, after={"status": a.status})
             for a in applications if a.status in ("admitted", "declined", "waitlisted")],
        )
    )  # fmt: skip
    counts.emails = len(
        _bulk(
            OutboxEmail,
            [OutboxEmail(to=[a.email], subject=f"Je aanmelding voor {editions_by_id[a.edition_id].programme.title_nl}",
                         body="Dank voor je aanmelding.", language="nl", kind="application.received",
                         related_type="application", related_id=str(a.pk), status="sent", attempts=1, sent_at=now)
             for a in applications],
        )
    )  # fmt: skip
    return counts


def _programmes(run: int, counts: Counts) -> list[Programme]:
    """The demo's programme and nine more, each with a lead teacher who has an account."""
    demo = Programme.objects.get(slug=content.SLUG)
    goals = list(LearningGoal.objects.filter(programme=demo).values_list("order", "text_nl", "text_en"))
    programmes = [demo]
    for number, (title_nl, title_en) in enumerate(TITLES, start=1):
        programme = Programme.objects.create(
            slug=f"opleiding-{run}-{number}", published=True, title_nl=title_nl, title_en=title_en,
            tagline_nl=f"{title_nl}: een leergang voor ervaren leidinggevenden.",
            tagline_en=f"{title_en}: a programme for experienced managers.",
            description_nl=demo.description_nl, description_en=demo.description_en, approach_nl=demo.approach_nl,
            approach_en=demo.approach_en, profile_nl=demo.profile_nl, profile_en=demo.profile_en,
            fee_includes_nl=demo.fee_includes_nl, fee_includes_en=demo.fee_includes_en, organiser=demo.organiser,
            contact_email=demo.contact_email, preparation_hours_per_session=demo.preparation_hours_per_session,
            paper_hours=demo.paper_hours,
        )  # fmt: skip
        LearningGoal.objects.bulk_create(
            LearningGoal(programme=programme, order=order, text_nl=nl, text_en=en) for order, nl, en in goals
        )
        user = User.objects.create_user(
            f"docent{run}-{number}@{EMAIL_DOMAIN}", first_name="Docent", last_name=str(number), role=Role.TEACHER
        )
        teacher = Teacher.objects.create(
            name=f"Dr. Docent {number}", user=user, position_nl="Hoogleraar", position_en="Professor"
        )
        ProgrammeTeacher.objects.create(programme=programme, teacher=teacher, order=0)
        programmes.append(programme)
    counts.programmes = len(programmes)
    return programmes


def _application(edition, first_name, last_name, email, organisation, status, applied, office) -> Application:
    decided = status in ("admitted", "declined", "waitlisted")
    return Application(
        edition=edition, status=status, first_name=first_name, last_name=last_name, email=email, phone="06 12345678",
        organisation=organisation, job_title="Teamleider", education_level="hbo", years_experience=8,
        leadership_role=True, challenge="Meer vertrouwen en minder verantwoording in mijn team.",
        invoice_organisation=organisation, invoice_address="Postbus 1", invoice_postal_code="1000 AA",
        invoice_city="Utrecht", invoice_email=f"facturen@{EMAIL_DOMAIN}", privacy_consent=True, terms_accepted=True,
        meets_profile=True, created_at=applied, decided_at=applied + datetime.timedelta(days=10) if decided else None,
        decided_by=office if decided else None,
        waitlisted_at=applied + datetime.timedelta(days=10) if status == "waitlisted" else None,
    )  # fmt: skip


def _invoices(enrolments, editions_by_id, people_by_id, sessions_by_edition, today) -> list[Invoice]:
    """One invoice per place, issued a month before the start (or, for editions further ahead, on a
    day of the last three months), numbered on from each year's series in order of issue."""
    spread = random.Random(len(enrolments))
    issuer = _issuer()
    counters = {c.year: c for c in InvoiceCounter.objects.all()}
    last_used = dict(
        Invoice.objects.values_list("year").annotate(last=Max("sequence")).values_list("year", "last")
    )  # the counter rows and the issued numbers agree; both are read so a half-written year cannot hide
    rows = []
    term = settings.INVOICE_PAYMENT_TERM_DAYS
    planned = []
    for enrolment in enrolments:
        edition = editions_by_id[enrolment.edition_id]
        issued_on = edition.start_date - datetime.timedelta(days=30)
        if issued_on > today:  # admitted in the last three months, not all on one day
            issued_on = today - datetime.timedelta(days=spread.randrange(0, 90))
        planned.append((issued_on, enrolment.pk, enrolment))
    planned.sort(key=lambda item: item[:2])  # numbers follow the dates within each year's series
    for issued_on, _pk, enrolment in planned:
        edition = editions_by_id[enrolment.edition_id]
        programme = edition.programme
        year = issued_on.year
        sequence = max(last_used.get(year, 0), counters[year].last_number if year in counters else 0) + 1
        last_used[year] = sequence
        description = f"Deelname aan {programme.title_nl}, start {edition.start_date:%d-%m-%Y}"
        sessions = sessions_by_edition[edition.pk]
        rows.append(
            Invoice(
                number=f"{year}-{sequence:04d}", year=year, sequence=sequence, kind="invoice", enrolment=enrolment,
                status="paid" if edition.status != EditionStatus.OPEN else "open", issued_on=issued_on,
                due_on=invoice_rules.due_date(issued_on, term), payment_term_days=term, language="nl", **issuer,
                recipient_organisation=enrolment.organisation, recipient_contact_name=people_by_id[enrolment.participant_id].get_full_name(),
                recipient_address="Postbus 1", recipient_postal_code="1000 AA", recipient_city="Utrecht",
                recipient_email=f"facturen@{EMAIL_DOMAIN}", participant_name=people_by_id[enrolment.participant_id].get_full_name(),
                programme_title=programme.title_nl, edition_start_date=edition.start_date,
                edition_end_date=sessions[-1].date, lines=[invoice_rules.line(description, edition.fee)], total=edition.fee,
                vat_amount=Decimal("0.00"), vat_exemption_note=str(invoice_rules.VAT_EXEMPTION_NOTE),
            )
        )  # fmt: skip
    invoices = _bulk(Invoice, rows)
    for year, last in last_used.items():
        InvoiceCounter.objects.update_or_create(year=year, defaults={"last_number": last})
    return invoices


def _attendance(enrolments, sessions_by_edition, teacher, today, chance) -> int:
    moment = timezone.now()
    rows = []
    for enrolment in enrolments:
        for session in sessions_by_edition[enrolment.edition_id]:
            if session.date > today:
                break
            roll = chance.random()
            status = "present" if roll < 0.92 else "excused" if roll < 0.97 else "absent"
            rows.append(Attendance(session=session, enrolment=enrolment, status=status, recorded_at=moment, recorded_by=teacher))
    return len(_bulk(Attendance, rows))


def _completion(enrolments, editions_by_id, people_by_id, teacher, office, chance) -> tuple[int, int, int]:
    """Papers, presentations and awards for the completed editions."""
    moment = timezone.now()
    completed = [e for e in enrolments if editions_by_id[e.edition_id].status == EditionStatus.COMPLETED]
    papers, slots, awards = [], [], []
    taken = set(Award.objects.values_list("status_index", flat=True))
    free_indexes = (i for i in range(STATUS_LIST_SIZE) if i not in taken)
    documents: dict[int, EditionDocument] = {}
    positions: dict[int, int] = {}
    for enrolment in completed:
        edition = editions_by_id[enrolment.edition_id]
        sufficient = chance.random() < 0.95
        papers.append(
            PaperSubmission(enrolment=enrolment, file_path=f"papers/groot-{enrolment.pk}.pdf", original_filename="eindopdracht.pdf",
                            content_type="pdf", size=48213, sha256="0" * 64, submitted_at=moment, submitted_by=enrolment.participant,
                            result="sufficient" if sufficient else "insufficient", assessed_at=moment, assessed_by=teacher)
        )  # fmt: skip
        positions[edition.pk] = positions.get(edition.pk, 0) + 1
        slots.append(PresentationSlot(enrolment=enrolment, edition=edition, position=positions[edition.pk], presented=True,
                                      recorded_at=moment, recorded_by=teacher))  # fmt: skip
        if edition.pk not in documents:
            documents[edition.pk] = EditionDocument.load(edition)
        kind = "diploma" if sufficient else "certificate"
        enrolment.participant = people_by_id[enrolment.participant_id]
        awards.append(
            Award(enrolment=enrolment, kind=kind, code=new_code(), language="nl",
                  issued_at=moment, issued_by=office, snapshot=documents[edition.pk].snapshot(enrolment, kind),
                  pdf=b"%PDF-1.4 generated", credential="generated", status_index=next(free_indexes))
        )  # fmt: skip
    return len(_bulk(PaperSubmission, papers)), len(_bulk(PresentationSlot, slots)), len(_bulk(Award, awards))
