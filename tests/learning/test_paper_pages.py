"""The final paper pages (M14): the participant hands in and sees the result, the edition's teachers
and the programme office assess, the files are served only to those allowed; everyone else gets a
404 alike. Through the real services and the test client."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from leergang.enrolment.models import EnrolmentStatus
from leergang.learning import selectors, services
from leergang.learning.models import PaperSubmission
from tests import factories

from .conftest import stored_files

pytestmark = pytest.mark.django_db

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def url(name: str, language: str = "nl", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"papers:{name}", kwargs=kwargs)


def page(client, enrolment, language="nl"):
    return client.get(url("paper", language, enrolment_id=enrolment.pk))


def hand_in(client, enrolment, content, name="paper.pdf", language="nl"):
    return client.post(url("upload", language, enrolment_id=enrolment.pk), {"file": SimpleUploadedFile(name, content)})


def assess(client, enrolment, result, feedback="", submission=None, language="nl"):
    if submission is None:
        submission = selectors.latest_paper(enrolment.pk).pk
    data = {"result": result, "feedback": feedback, "submission": submission}
    return client.post(url("assess", language, enrolment_id=enrolment.pk), data)


def submit(actor, enrolment, content, name="paper.pdf"):
    return services.submit_paper(actor=actor, enrolment_id=enrolment.pk, uploaded_file=SimpleUploadedFile(name, content))


def set_deadline(edition, day):
    edition.paper_deadline = day
    edition.save(update_fields=["paper_deadline"])


# -- the participant ----------------------------------------------------------------------------


def test_the_participant_sees_deadline_status_and_an_upload_form(client, edition, enrolment, participant):
    set_deadline(edition, datetime.date(2099, 6, 30))
    client.force_login(participant)
    response = page(client, enrolment, "en")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Your final paper" in text
    assert "Not handed in yet" in text
    assert "30 June 2099" in text
    assert 'type="file"' in text and 'accept=".pdf,.docx"' in text
    assert 'enctype="multipart/form-data"' in text
    assert "20 MB" in text and "PDF or Word" in text
    assert 'name="result"' not in text  # no assessment form for the participant


def test_handing_in_a_pdf_stores_it_and_shows_it_waiting(client, enrolment, participant, pdf_bytes, upload_root):
    client.force_login(participant)
    response = hand_in(client, enrolment, pdf_bytes, "Mijn paper.pdf")
    assert response.status_code == 302
    assert response["Location"] == url("paper", enrolment_id=enrolment.pk)
    paper = PaperSubmission.objects.get(enrolment=enrolment)
    assert (paper.original_filename, paper.content_type, paper.result, paper.submitted_by) == (
        "Mijn paper.pdf",
        "pdf",
        "pending",
        participant,
    )
    assert stored_files(upload_root) == [upload_root / paper.file_path]

    text = client.get(response["Location"]).content.decode()
    assert "Mijn paper.pdf" in text
    assert "Ingeleverd, wacht op beoordeling" in text or "Handed in, waiting for assessment" in text
    assert url("file", submission_id=paper.pk) in text


def test_a_word_document_is_accepted(client, enrolment, participant, docx_bytes):
    client.force_login(participant)
    assert hand_in(client, enrolment, docx_bytes, "paper.docx").status_code == 302
    assert PaperSubmission.objects.get(enrolment=enrolment).content_type == "docx"


@pytest.mark.parametrize(
    ("content", "name", "status", "english", "dutch"),
    [
        (EXECUTABLE, "paper.pdf", 415, "This file is not a PDF or Word document.", "Dit bestand is geen pdf- of Word-document."),
        (b"", "paper.pdf", 415, "The file is empty.", "Het bestand is leeg."),
        (b"just some text", "paper.docx", 415, "This file is not a PDF or Word document.", "geen pdf- of Word-document"),
    ],
)
def test_a_wrong_file_is_a_form_error_and_nothing_is_stored(
    client, enrolment, participant, upload_root, content, name, status, english, dutch
):
    client.force_login(participant)
    response = hand_in(client, enrolment, content, name, language="en")
    assert response.status_code == status
    text = response.content.decode()
    assert english in text
    assert "PDF or Word (.docx)" in text  # says what to do
    assert 'class="field-error"' in text
    assert not PaperSubmission.objects.exists()
    assert stored_files(upload_root) == []

    response = hand_in(client, enrolment, content, name, language="nl")
    assert response.status_code == status
    assert dutch in response.content.decode()
    assert not PaperSubmission.objects.exists()


def test_a_file_over_the_limit_is_a_form_error_and_nothing_is_stored(
    client, settings, enrolment, participant, pdf_bytes, upload_root
):
    settings.UPLOAD_MAX_BYTES = len(pdf_bytes) - 1
    client.force_login(participant)
    response = hand_in(client, enrolment, pdf_bytes, language="en")
    assert response.status_code == 413
    assert "The file is larger than" in response.content.decode()
    assert not PaperSubmission.objects.exists()
    assert stored_files(upload_root) == []
    response = hand_in(client, enrolment, pdf_bytes, language="nl")
    assert "Het bestand is groter dan" in response.content.decode()


def test_no_file_chosen_is_a_form_error(client, enrolment, participant, upload_root):
    client.force_login(participant)
    response = client.post(url("upload", "en", enrolment_id=enrolment.pk), {})
    assert response.status_code == 422
    assert "Choose your paper as a PDF or Word (.docx) file." in response.content.decode()
    assert not PaperSubmission.objects.exists()


def test_after_the_deadline_the_form_gives_way_to_the_deadline_message(client, edition, enrolment, participant, pdf_bytes):
    set_deadline(edition, datetime.date(2020, 6, 1))
    client.force_login(participant)
    text = page(client, enrolment, "en").content.decode()
    assert "The deadline for the final paper was Monday 1 June 2020; contact the programme office." in text
    assert 'type="file"' not in text
    response = hand_in(client, enrolment, pdf_bytes, language="en")  # the form from before midnight
    assert response.status_code == 409
    assert "1 June 2020" in response.content.decode()
    assert not PaperSubmission.objects.exists()


def test_a_coordinator_uploads_on_behalf_after_the_deadline(client, edition, enrolment, coordinator, pdf_bytes):
    set_deadline(edition, datetime.date(2020, 6, 1))
    client.force_login(coordinator)
    text = page(client, enrolment, "en").content.decode()
    assert "Upload on behalf of" in text
    assert hand_in(client, enrolment, pdf_bytes).status_code == 302
    assert PaperSubmission.objects.get(enrolment=enrolment).submitted_by == coordinator


# -- assessment ---------------------------------------------------------------------------------


def test_a_teacher_assesses_and_the_participant_hands_in_again(
    client, edition, enrolment, participant, teacher_user, pdf_bytes, docx_bytes
):
    first = submit(participant, enrolment, pdf_bytes, "versie-1.pdf")
    client.force_login(teacher_user)
    text = page(client, enrolment, "en").content.decode()
    assert "Assess the paper" in text
    assert "<fieldset" in text and "<legend>Result</legend>" in text
    assert 'type="file"' not in text  # teachers do not upload

    # Insufficient needs feedback: a form error, nothing changed.
    response = assess(client, enrolment, "insufficient", "", language="en")
    assert response.status_code == 422
    assert "Explain what to improve" in response.content.decode()
    first.refresh_from_db()
    assert first.result == "pending"

    response = assess(client, enrolment, "insufficient", "Reflect more on your own role.")
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.result, first.feedback, first.assessed_by) == ("insufficient", "Reflect more on your own role.", teacher_user)

    set_deadline(edition, datetime.date(2020, 6, 1))  # feedback often comes after the deadline
    client.force_login(participant)
    text = page(client, enrolment, "en").content.decode()
    assert "Insufficient" in text
    assert "Reflect more on your own role." in text
    assert "Hand in a new version" in text
    assert hand_in(client, enrolment, docx_bytes, "versie-2.docx").status_code == 302

    client.force_login(teacher_user)
    assert assess(client, enrolment, "sufficient", "Well done.").status_code == 302
    client.force_login(participant)
    text = page(client, enrolment, "en").content.decode()
    assert "The paper was assessed as sufficient." in text
    assert 'type="file"' not in text  # final
    # The history: both versions with their result and feedback, newest first.
    assert text.index("versie-2.docx") < text.index("versie-1.pdf")
    assert "Well done." in text and "Reflect more on your own role." in text


def test_a_coordinator_assesses(client, enrolment, participant, coordinator, pdf_bytes):
    submit(participant, enrolment, pdf_bytes)
    client.force_login(coordinator)
    assert assess(client, enrolment, "sufficient").status_code == 302
    assert selectors.latest_paper(enrolment.pk).result == "sufficient"


def test_assessing_a_version_that_was_replaced_meanwhile_is_refused(client, enrolment, participant, teacher_user, pdf_bytes):
    old = submit(participant, enrolment, pdf_bytes, "old.pdf")
    new = submit(participant, enrolment, pdf_bytes, "new.pdf")
    client.force_login(teacher_user)
    response = assess(client, enrolment, "sufficient", submission=old.pk, language="en")
    assert response.status_code == 409
    assert "newer version" in response.content.decode()
    new.refresh_from_db()
    assert new.result == "pending"


def test_a_missing_result_is_a_form_error(client, enrolment, participant, teacher_user, pdf_bytes):
    paper = submit(participant, enrolment, pdf_bytes)
    client.force_login(teacher_user)
    response = client.post(url("assess", "en", enrolment_id=enrolment.pk), {"feedback": "x", "submission": paper.pk})
    assert response.status_code == 422
    assert "Choose sufficient or insufficient." in response.content.decode()


def test_nothing_to_assess_shows_no_form(client, enrolment, teacher_user):
    client.force_login(teacher_user)
    text = page(client, enrolment, "en").content.decode()
    assert 'name="result"' not in text
    assert "Nothing has been handed in yet." in text


# -- who may --------------------------------------------------------------------------------------


@pytest.fixture
def handed_in(enrolment, participant, pdf_bytes):
    return submit(participant, enrolment, pdf_bytes)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("participant", True),
        ("teacher_user", True),
        ("coordinator", True),
        ("other_participant", False),
        ("other_teacher", False),
    ],
)
def test_who_sees_the_page_and_the_file(client, request, enrolment, other_enrolment, handed_in, pdf_bytes, who, allowed):
    user = other_enrolment.participant if who == "other_participant" else request.getfixturevalue(who)
    client.force_login(user)
    page_response = page(client, enrolment)
    file_response = client.get(url("file", submission_id=handed_in.pk))
    assert page_response.status_code == (200 if allowed else 404)
    assert file_response.status_code == (200 if allowed else 404)
    if allowed:
        assert b"".join(file_response.streaming_content) == pdf_bytes


def test_guessing_addresses_gives_404_like_a_missing_one(client, enrolment, other_enrolment, participant, pdf_bytes):
    theirs = submit(other_enrolment.participant, other_enrolment, pdf_bytes)
    client.force_login(participant)
    missing = client.get(url("paper", enrolment_id=999_999))
    forbidden = client.get(url("paper", enrolment_id=other_enrolment.pk))
    assert missing.status_code == forbidden.status_code == 404
    assert client.get(url("file", submission_id=theirs.pk)).status_code == 404
    assert client.get(url("file", submission_id=999_999)).status_code == 404
    # Nor through the forms: not for another participant's paper, nor assessing one's own.
    assert hand_in(client, other_enrolment, pdf_bytes).status_code == 404
    assert assess(client, other_enrolment, "sufficient").status_code == 404
    submit(participant, enrolment, pdf_bytes)
    assert assess(client, enrolment, "sufficient").status_code == 404
    assert PaperSubmission.objects.filter(result="sufficient").count() == 0
    assert PaperSubmission.objects.filter(enrolment=other_enrolment).count() == 1


def test_a_teacher_of_another_edition_gets_404_everywhere(client, edition, enrolment, handed_in, other_teacher, pdf_bytes):
    client.force_login(other_teacher)
    assert page(client, enrolment).status_code == 404
    assert client.get(url("file", submission_id=handed_in.pk)).status_code == 404
    assert assess(client, enrolment, "sufficient").status_code == 404
    assert client.get(url("edition", edition_id=edition.pk)).status_code == 404
    handed_in.refresh_from_db()
    assert handed_in.result == "pending"


def test_a_teacher_cannot_upload(client, enrolment, teacher_user, pdf_bytes, upload_root):
    client.force_login(teacher_user)
    assert hand_in(client, enrolment, pdf_bytes).status_code == 404
    assert not PaperSubmission.objects.exists()
    assert stored_files(upload_root) == []


def test_anonymous_visitors_go_to_the_login_page(client, enrolment, handed_in, edition):
    for address in (
        url("paper", enrolment_id=enrolment.pk),
        url("file", submission_id=handed_in.pk),
        url("edition", edition_id=edition.pk),
    ):
        response = client.get(address)
        assert response.status_code == 302
        assert "login" in response["Location"] or "inloggen" in response["Location"]


def test_the_file_is_a_private_download(client, enrolment, participant, handed_in, pdf_bytes):
    client.force_login(participant)
    response = client.get(url("file", submission_id=handed_in.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "paper.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == pdf_bytes
    # Not reachable as a static file.
    assert client.get("/static/" + handed_in.file_path).status_code == 404


def test_every_version_stays_downloadable(client, enrolment, participant, teacher_user, pdf_bytes, docx_bytes):
    first = submit(participant, enrolment, pdf_bytes, "one.pdf")
    services.assess_paper(actor=teacher_user, enrolment_id=enrolment.pk, result="insufficient", feedback="Again.")
    second = submit(participant, enrolment, docx_bytes, "two.docx")
    client.force_login(teacher_user)
    old = client.get(url("file", submission_id=first.pk))
    new = client.get(url("file", submission_id=second.pk))
    assert b"".join(old.streaming_content) == pdf_bytes
    assert b"".join(new.streaming_content) == docx_bytes
    assert new["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_a_cancelled_participant_still_sees_the_page_but_cannot_hand_in(client, enrolment, participant, pdf_bytes):
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.save(update_fields=["status"])
    client.force_login(participant)
    text = page(client, enrolment, "en").content.decode()
    assert "cancelled" in text
    assert 'type="file"' not in text
    assert hand_in(client, enrolment, pdf_bytes).status_code == 409


@pytest.mark.parametrize("language", ["nl", "en"])
def test_both_languages_render(client, edition, enrolment, participant, handed_in, language):
    set_deadline(edition, datetime.date(2099, 6, 30))
    client.force_login(participant)
    response = page(client, enrolment, language)
    assert response.status_code == 200
    text = response.content.decode()
    assert f'<html lang="{language}">' in text
    assert ("30 juni 2099" in text) if language == "nl" else ("30 June 2099" in text)
    assert "paper.pdf" in text


# -- the edition's list -------------------------------------------------------------------------


def enrol(edition, first_name, last_name):
    user = factories.UserFactory(first_name=first_name, last_name=last_name)
    return factories.EnrolmentFactory(edition=edition, participant=user)


def test_the_edition_list_puts_waiting_papers_first(client, edition, teacher_user, pdf_bytes):
    anna = enrol(edition, "Anna", "Bakker")  # missing
    jan = enrol(edition, "Jan", "de Jong")  # sufficient
    zoe = enrol(edition, "Zoë", "Visser")  # waiting
    piet = enrol(edition, "Piet", "Mulder")  # insufficient
    for enrolment in (jan, zoe, piet):
        submit(enrolment.participant, enrolment, pdf_bytes)
    services.assess_paper(actor=teacher_user, enrolment_id=jan.pk, result="sufficient", feedback="")
    services.assess_paper(actor=teacher_user, enrolment_id=piet.pk, result="insufficient", feedback="More.")
    cancelled = enrol(edition, "Kees", "Weg")
    cancelled.status = EnrolmentStatus.CANCELLED
    cancelled.save(update_fields=["status"])

    client.force_login(teacher_user)
    response = client.get(url("edition", "en", edition_id=edition.pk))
    assert response.status_code == 200
    text = response.content.decode()
    order = [text.index(name) for name in ("Zoë Visser", "Anna Bakker", "Piet Mulder", "Jan de Jong")]
    assert order == sorted(order)
    assert "Kees Weg" not in text
    assert url("paper", "en", enrolment_id=zoe.pk) + "#assess-heading" in text
    assert "1 paper waiting for assessment" in text
    assert [row.status for row in selectors.edition_papers(edition.pk)] == ["submitted", "missing", "insufficient", "sufficient"]
    assert anna.pk == selectors.edition_papers(edition.pk)[1].enrolment.pk


def test_the_edition_list_is_for_staff_only(client, edition, enrolment, participant, coordinator):
    client.force_login(participant)
    assert client.get(url("edition", edition_id=edition.pk)).status_code == 404
    assert client.get(url("edition", edition_id=999_999)).status_code == 404
    client.force_login(coordinator)
    assert client.get(url("edition", edition_id=edition.pk)).status_code == 200


# -- fixed query counts ---------------------------------------------------------------------------


def count_queries(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["participant", "teacher_user"])
def test_the_paper_page_has_a_fixed_number_of_queries(client, request, enrolment, participant, teacher_user, pdf_bytes, who):
    submit(participant, enrolment, pdf_bytes)
    client.force_login(request.getfixturevalue(who))
    address = url("paper", enrolment_id=enrolment.pk)
    client.get(address)
    few = count_queries(client, address)
    for number in range(4):
        services.assess_paper(actor=teacher_user, enrolment_id=enrolment.pk, result="insufficient", feedback=f"Try {number}.")
        submit(participant, enrolment, pdf_bytes, f"v{number}.pdf")
    many = count_queries(client, address)
    assert many == few
    assert few <= 12


def test_the_edition_list_has_a_fixed_number_of_queries(client, edition, teacher_user, pdf_bytes):
    address = url("edition", edition_id=edition.pk)
    first = enrol(edition, "Anna", "Bakker")
    submit(first.participant, first, pdf_bytes)
    client.force_login(teacher_user)
    client.get(address)
    few = count_queries(client, address)
    for number in range(6):
        other = enrol(edition, f"P{number}", "Deelnemer")
        submit(other.participant, other, pdf_bytes)
        submit(other.participant, other, pdf_bytes)
    many = count_queries(client, address)
    assert many == few
    assert few <= 10


# -- the dashboard's selector --------------------------------------------------------------------


def test_papers_to_assess_lists_current_waiting_papers_of_taught_editions(
    edition, enrolment, other_enrolment, participant, teacher_user, other_teacher, coordinator, pdf_bytes
):
    submit(participant, enrolment, pdf_bytes, "old.pdf")
    current = submit(participant, enrolment, pdf_bytes, "new.pdf")  # replaces the waiting one
    done = submit(other_enrolment.participant, other_enrolment, pdf_bytes)
    services.assess_paper(actor=teacher_user, enrolment_id=other_enrolment.pk, result="sufficient", feedback="")
    elsewhere = factories.EnrolmentFactory()
    theirs = submit(elsewhere.participant, elsewhere, pdf_bytes)

    assert [paper.pk for paper in selectors.papers_to_assess(teacher_user)] == [current.pk]
    assert [paper.pk for paper in selectors.papers_to_assess(coordinator)] == [current.pk, theirs.pk]
    assert selectors.papers_to_assess(other_teacher) == []
    assert selectors.papers_to_assess(participant) == []
    assert done.pk not in [paper.pk for paper in selectors.papers_to_assess(coordinator)]
    assert [paper.pk for paper in selectors.papers_to_assess(coordinator, limit=1)] == [current.pk]


def test_papers_to_assess_has_a_fixed_number_of_queries(edition, teacher_user, pdf_bytes, django_assert_num_queries):
    for number in range(5):
        other = enrol(edition, f"P{number}", "Deelnemer")
        submit(other.participant, other, pdf_bytes)
    with django_assert_num_queries(1):
        papers = selectors.papers_to_assess(teacher_user)
        names = [(p.enrolment.participant.get_full_name(), p.enrolment.edition.programme.title) for p in papers]
    assert len(names) == 5


def test_an_assessment_after_a_colleagues_is_refused_with_a_message(
    client, enrolment, participant, teacher_user, coordinator, pdf_bytes
):
    paper = submit(participant, enrolment, pdf_bytes)
    services.assess_paper(actor=coordinator, enrolment_id=enrolment.pk, result="sufficient", feedback="Fine.")
    client.force_login(teacher_user)
    response = assess(client, enrolment, "insufficient", "Not good.", submission=paper.pk, language="en")
    assert response.status_code == 409
    text = response.content.decode()
    assert "already assessed" in text
    assert 'name="result"' not in text
    paper.refresh_from_db()
    assert (paper.result, paper.feedback) == ("sufficient", "Fine.")
