"""The diploma and certificate PDF: what it says (read back with pypdf), that it comes from the
snapshot only, and that names are printed as text, never run as Typst."""

import io

import pypdf
import pytest
import segno
from django.conf import settings

from leergang.awards import pdf, services
from leergang.awards.models import Award
from leergang.catalog.models import LearningGoal, Teacher

from .test_issuing import finished_edition, participant_in

pytestmark = pytest.mark.django_db

DUTCH_MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def figures(data: bytes) -> list[tuple[str, str]]:
    """The tagged figures of the PDF with their alternative text (how a screen reader meets them)."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, pypdf.generic.DictionaryObject):
            if "/Alt" in node:
                found.append((str(node.get("/S")), str(node["/Alt"])))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, pypdf.generic.ArrayObject):
            for child in node:
                walk(child)

    walk(pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]["/StructTreeRoot"])
    return found


def pages(data: bytes) -> list:
    return pypdf.PdfReader(io.BytesIO(data)).pages


@pytest.fixture
def english_award(coordinator):
    edition = finished_edition(language="en")
    enrolment = participant_in(edition, "ben@example.org", "Ben", "Smith")
    return services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="diploma")


def test_the_diploma_says_who_what_when_and_how_to_check_it(english_award):
    award = english_award
    text = pdf_text(pdf.document(award))
    sessions = list(award.enrolment.edition.sessions.order_by("number"))
    first, last = sessions[0].date, sessions[-1].date
    for expected in (
        "Diploma",
        "Ben Smith",
        "has successfully completed the programme",
        "Leading from trust",
        f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}",
        "First goal",
        "Second goal",
        "Dr. ir. Frédérique Six",
        "Programme lead",
        "Dr. Tjerk Budding",
        "Associate professor",
        "VU School of Governance",
        award.code,
        f"{settings.PUBLIC_BASE_URL}/verify/{award.code}",
    ):
        assert expected in text, expected
    assert text.index("First goal") < text.index("Second goal")
    assert text.index("Frédérique Six") < text.index("Tjerk Budding")
    assert "ben@example.org" not in text


def test_one_a4_landscape_page(english_award):
    [page] = pages(pdf.document(english_award))
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 in points, the long side across


def test_a_certificate_in_dutch_with_dutch_dates(coordinator):
    edition = finished_edition(language="nl")
    enrolment = participant_in(edition, "anna@example.org", "Anna", "Jansen", attended=2)
    award = services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="certificate")
    text = pdf_text(pdf.document(award))
    assert "Sturen vanuit vertrouwen" in text and "Eerste leerdoel" in text and "Programmaleider" in text
    assert "Anna Jansen" in text and award.code in text
    sessions = list(award.enrolment.edition.sessions.order_by("number"))
    assert f"{DUTCH_MONTHS[sessions[0].date.month - 1]} {sessions[0].date.year}" in text
    assert f"{sessions[-1].date.day} {DUTCH_MONTHS[sessions[-1].date.month - 1]} {sessions[-1].date.year}" in text
    assert pdf.filename(award).endswith(f"-{award.code}.pdf")


def test_the_document_never_changes_with_the_programme_or_the_person(english_award):
    """Issuing does not make the PDF; made later (after renames), it still says what was true at issue."""
    award = english_award
    assert bytes(award.pdf) == b""
    at_issue = pdf.award_pdf(award)
    programme = award.enrolment.edition.programme
    programme.title_en = "A renamed programme"
    programme.save()
    LearningGoal.objects.filter(programme=programme).update(text_en="A rewritten goal")
    Teacher.objects.filter(name="Dr. Tjerk Budding").update(name="Someone Else")
    person = award.enrolment.participant
    person.first_name, person.last_name = "Benjamin", "Smythe"
    person.save()

    award.refresh_from_db()
    stored = pdf.document(award)
    assert stored == at_issue  # made from the snapshot: the same bytes
    assert bytes(Award.objects.get(pk=award.pk).pdf) == stored  # and kept
    text = pdf_text(stored)
    assert "Ben Smith" in text and "Leading from trust" in text and "First goal" in text
    assert "Benjamin" not in text and "renamed" not in text and "Someone Else" not in text


def test_the_qr_code_leads_to_the_verification_page(english_award):
    data = pdf.document_data(english_award)
    url = f"{settings.PUBLIC_BASE_URL}/verify/{english_award.code}"
    assert data["verify_url"] == url
    assert data["qr"] == segno.make(url, error="m").svg_inline(scale=1, border=0, dark="#1a1a1a", omitsize=True)
    assert ("/Figure", "QR code leading to the verification page") in figures(pdf.document(english_award))


def test_names_are_printed_as_text_never_run_as_typst(coordinator):
    edition = finished_edition(language="en")
    enrolment = participant_in(edition, "mallory@example.org", '#panic("boom") *bold*', "$x$ [link] \\ <lbl> @ref")
    award = services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="diploma")
    text = pdf_text(pdf.document(award))
    assert '#panic("boom") *bold*' in text
    assert "$x$ [link]" in text
