"""Literature per session (M11): adding files and links, access, the notice to participants, audit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leergang.core.errors import Invalid, NotFound, PermissionDenied
from leergang.core.models import AuditEntry
from leergang.learning import literature
from leergang.learning.models import LiteratureItem
from leergang.learning.uploads import UnsupportedType
from leergang.notifications.delivery import run_due_tasks
from leergang.notifications.models import OutboxEmail, OutboxTask
from tests import factories

from .conftest import stored_files

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100


@pytest.fixture
def session(edition):
    return factories.SessionFactory(edition=edition, number=6, theme_en="Trust", theme_nl="Vertrouwen")


def pdf_upload(pdf_bytes, name="reader.pdf"):
    return SimpleUploadedFile(name, pdf_bytes, content_type="application/octet-stream")


def add_link(actor, session, url="https://example.org/article", **fields):
    return literature.add_literature(actor=actor, session_id=session.pk, title="Article", url=url, **fields)


def page(item):
    return f"/nl/literatuur/{item.pk}/"


# -- adding ----------------------------------------------------------------------------------------


def test_a_teacher_adds_a_pdf_stored_under_a_random_name(session, teacher_user, pdf_bytes, upload_root):
    item = literature.add_literature(
        actor=teacher_user,
        session_id=session.pk,
        title="  Leading with   trust ",
        uploaded_file=pdf_upload(pdf_bytes, "../my reader.pdf"),
        preparation_minutes=240,
    )
    item.refresh_from_db()
    assert (item.kind, item.title, item.url, item.content_type) == ("file", "Leading with trust", "", "pdf")
    assert item.original_filename == "my reader.pdf"
    assert item.file_path.startswith("literature/") and "reader" not in item.file_path
    assert item.preparation_minutes == 240 and item.order == 1 and item.added_by == teacher_user
    assert stored_files(upload_root) == [upload_root / item.file_path]
    assert (upload_root / item.file_path).read_bytes() == pdf_bytes


def test_a_coordinator_adds_a_docx_and_a_link_in_order(session, coordinator, docx_bytes):
    first = literature.add_literature(
        actor=coordinator, session_id=session.pk, title="Case", uploaded_file=SimpleUploadedFile("case.docx", docx_bytes)
    )
    second = add_link(coordinator, session, url="http://example.org/a?b=c")
    assert first.content_type == "docx"
    assert (second.kind, second.url, second.file_path, second.order) == ("link", "http://example.org/a?b=c", "", 2)


def test_a_renamed_executable_is_refused_and_nothing_is_stored(session, teacher_user, upload_root):
    with pytest.raises(UnsupportedType):
        literature.add_literature(
            actor=teacher_user,
            session_id=session.pk,
            title="Reader",
            uploaded_file=SimpleUploadedFile("reader.pdf", EXECUTABLE, content_type="application/pdf"),
        )
    assert stored_files(upload_root) == []
    assert not LiteratureItem.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript://example.org/%0aalert(1)", "data:text/html,hi", "ftp://example.org/x", "example.org"],
)
def test_only_http_and_https_links(session, teacher_user, url):
    with pytest.raises(Invalid) as caught:
        add_link(teacher_user, session, url=url)
    assert caught.value.errors[0]["field"] == "url"
    assert not LiteratureItem.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "", "url": "https://example.org"},
        {"title": "Both", "url": "https://example.org", "uploaded_file": io.BytesIO(b"%PDF-1.7")},
        {"title": "Neither"},
        {"title": "Minutes", "url": "https://example.org", "preparation_minutes": -5},
    ],
)
def test_invalid_input_is_refused(session, teacher_user, fields, upload_root):
    with pytest.raises(Invalid):
        literature.add_literature(actor=teacher_user, session_id=session.pk, **fields)
    assert not LiteratureItem.objects.exists() and stored_files(upload_root) == []


def test_only_teachers_of_the_edition_and_coordinators_add(session, other_teacher, enrolment, participant):
    with pytest.raises(NotFound):
        add_link(other_teacher, session)
    with pytest.raises(PermissionDenied):
        add_link(participant, session)
    assert not LiteratureItem.objects.exists()


def test_the_database_refuses_a_link_with_a_file(session, coordinator):
    from django.db import IntegrityError, transaction

    item = add_link(coordinator, session)
    with pytest.raises(IntegrityError), transaction.atomic():
        LiteratureItem.objects.filter(pk=item.pk).update(file_path="literature/x.pdf")
    with pytest.raises(IntegrityError), transaction.atomic():
        LiteratureItem.objects.filter(pk=item.pk).update(url="javascript:alert(1)")


# -- audit and removal -------------------------------------------------------------------------------


def test_adding_and_removing_are_audited_and_the_file_goes(
    session, teacher_user, pdf_bytes, upload_root, django_capture_on_commit_callbacks
):
    item = literature.add_literature(
        actor=teacher_user, session_id=session.pk, title="Reader", uploaded_file=pdf_upload(pdf_bytes)
    )
    added = AuditEntry.objects.get(action="literature.added")
    assert (added.actor, added.object_type, added.object_id) == (teacher_user, "learning.literatureitem", str(item.pk))
    assert added.after["file_path"] == item.file_path and added.after["sha256"] == item.sha256

    with django_capture_on_commit_callbacks(execute=True):
        literature.remove_literature(actor=teacher_user, item_id=item.pk)
    removed = AuditEntry.objects.get(action="literature.removed")
    assert removed.before["original_filename"] == "reader.pdf" and removed.after is None
    assert not LiteratureItem.objects.exists()
    assert stored_files(upload_root) == []


def test_others_cannot_remove(session, coordinator, other_teacher):
    item = add_link(coordinator, session)
    with pytest.raises(NotFound):
        literature.remove_literature(actor=other_teacher, item_id=item.pk)
    assert LiteratureItem.objects.filter(pk=item.pk).exists()


# -- the notice -------------------------------------------------------------------------------------


def test_no_task_without_enrolled_participants(session, coordinator):
    add_link(coordinator, session)
    assert not OutboxTask.objects.exists()


def test_one_task_then_one_email_per_enrolled_participant_in_their_language(session, coordinator, edition):
    dutch = factories.EnrolmentFactory(edition=edition, participant=factories.UserFactory(email="nl@example.org"))
    english_user = factories.UserFactory(email="en@example.org", preferred_language="en")
    factories.EnrolmentFactory(edition=edition, participant=english_user)
    factories.EnrolmentFactory(edition=edition, participant=factories.UserFactory(email="gone@example.org"), status="cancelled")
    factories.EnrolmentFactory(participant=factories.UserFactory(email="elsewhere@example.org"))

    item = add_link(coordinator, session, preparation_minutes=240)
    assert OutboxTask.objects.count() == 1
    assert OutboxTask.objects.get().name == "learning.literature_added"
    assert not OutboxEmail.objects.exists()

    run_due_tasks(limit=100)
    emails = {email.to[0] if isinstance(email.to, list) else email.to: email for email in OutboxEmail.objects.all()}
    assert sorted(emails) == ["en@example.org", "nl@example.org"]
    english, dutch_mail = emails["en@example.org"], emails["nl@example.org"]
    assert english.language == "en" and dutch_mail.language == dutch.participant.preferred_language == "nl"
    assert "New literature" in english.subject and "session 6" in english.subject
    assert "Article" in english.body and "Trust" in english.body
    assert f"/en/literatuur/{item.pk}/" in english.body
    assert f"/nl/literatuur/{item.pk}/" in dutch_mail.body
    assert english.kind == "literature_added"


def test_the_request_query_count_does_not_grow_with_the_group(session, coordinator, edition):
    factories.EnrolmentFactory(edition=edition)
    add_link(coordinator, session)  # warm up
    with CaptureQueriesContext(connection) as few:
        add_link(coordinator, session)
    for _ in range(5):
        factories.EnrolmentFactory(edition=edition)
    with CaptureQueriesContext(connection) as many:
        add_link(coordinator, session)
    assert len(many) == len(few)
    assert OutboxTask.objects.count() == 3


# -- access ------------------------------------------------------------------------------------------


@pytest.fixture
def file_item(session, coordinator, pdf_bytes):
    return literature.add_literature(
        actor=coordinator, session_id=session.pk, title="Reader", uploaded_file=pdf_upload(pdf_bytes)
    )


def test_an_enrolled_participant_downloads_the_file(client, file_item, enrolment, participant, pdf_bytes):
    client.force_login(participant)
    response = client.get(page(file_item))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and "reader.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == pdf_bytes


def test_a_link_redirects_after_the_check(client, session, coordinator, enrolment, participant):
    item = add_link(coordinator, session)
    client.force_login(participant)
    response = client.get(page(item))
    assert response.status_code == 302 and response["Location"] == "https://example.org/article"


def test_a_participant_of_another_edition_gets_404(client, file_item):
    stranger = factories.EnrolmentFactory(participant=factories.UserFactory(email="x@example.org")).participant
    client.force_login(stranger)
    assert client.get(page(file_item)).status_code == 404


def test_a_cancelled_enrolment_gets_404(client, file_item, enrolment, participant):
    enrolment.status = "cancelled"
    enrolment.save()
    client.force_login(participant)
    assert client.get(page(file_item)).status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client, file_item):
    response = client.get(page(file_item))
    assert response.status_code == 302
    assert "/account/" in response["Location"] and "next=" in response["Location"]


def test_a_teacher_of_the_edition_gets_200_another_teacher_404(client, file_item, teacher_user, other_teacher):
    client.force_login(teacher_user)
    assert client.get(page(file_item)).status_code == 200
    client.force_login(other_teacher)
    assert client.get(page(file_item)).status_code == 404


def test_a_missing_item_gets_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/nl/literatuur/999999/").status_code == 404
