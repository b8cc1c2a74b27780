"""The final paper through the API: upload, assessment, download, permissions and audit (M14, R4, R8)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from leergang.core.models import AuditEntry
from leergang.learning import services
from leergang.learning.models import PaperSubmission

from .conftest import plain_zip, stored_files

pytestmark = pytest.mark.django_db


def paper_url(enrolment_id):
    return f"/api/v1/enrolments/{enrolment_id}/paper"


def upload(client, headers, enrolment_id, content, name="paper.pdf"):
    return client.post(paper_url(enrolment_id), {"file": SimpleUploadedFile(name, content)}, **headers)


def assess(client, headers, enrolment_id, result, feedback=""):
    return client.put(
        paper_url(enrolment_id) + "/assessment",
        {"result": result, "feedback": feedback},
        content_type="application/json",
        **headers,
    )


def paper_of(client, headers, enrolment_id):
    response = client.get(f"/api/v1/enrolments/{enrolment_id}", **headers)
    assert response.status_code == 200, response.content
    return response.json()["paper"]


def test_status_flow_with_history(client, bearer, enrolment, participant, teacher_user, pdf_bytes, docx_bytes, upload_root):
    me, teacher = bearer(participant), bearer(teacher_user)
    assert paper_of(client, me, enrolment.pk) == {"status": "missing", "submitted_at": None}

    response = upload(client, me, enrolment.pk, pdf_bytes, "Mijn paper.pdf")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["filename"] == "Mijn paper.pdf"
    assert body["size"] == len(pdf_bytes)
    assert paper_of(client, me, enrolment.pk)["status"] == "submitted"
    assert paper_of(client, me, enrolment.pk)["submitted_at"] == body["submitted_at"]

    response = assess(client, teacher, enrolment.pk, "insufficient", "Reflect more on your own role.")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "insufficient"
    assert response.json()["feedback"] == "Reflect more on your own role."
    assert response.json()["assessed_at"]
    assert paper_of(client, teacher, enrolment.pk)["status"] == "insufficient"

    response = upload(client, me, enrolment.pk, docx_bytes, "paper-v2.docx")
    assert response.status_code == 201, response.content
    assert paper_of(client, me, enrolment.pk)["status"] == "submitted"

    response = assess(client, teacher, enrolment.pk, "sufficient", "Well done.")
    assert response.status_code == 200, response.content
    assert paper_of(client, me, enrolment.pk)["status"] == "sufficient"

    history = list(PaperSubmission.objects.filter(enrolment=enrolment).order_by("id"))
    assert [(p.content_type, p.result) for p in history] == [("pdf", "insufficient"), ("docx", "sufficient")]
    assert history[0].feedback == "Reflect more on your own role."
    assert len(stored_files(upload_root)) == 2
    for paper in history:
        stored = upload_root / paper.file_path
        assert stored.is_file()
        assert paper.original_filename not in paper.file_path  # a random name, not the upload's
        assert stored.parent == upload_root / "papers"

    # After a sufficient result the paper is final.
    response = upload(client, me, enrolment.pk, pdf_bytes)
    assert response.status_code == 409
    assert response.json()["detail"]
    assert PaperSubmission.objects.filter(enrolment=enrolment).count() == 2


def test_a_pending_paper_can_be_replaced(client, bearer, enrolment, participant, pdf_bytes, docx_bytes):
    me = bearer(participant)
    assert upload(client, me, enrolment.pk, pdf_bytes).status_code == 201
    assert upload(client, me, enrolment.pk, docx_bytes, "v2.docx").status_code == 201
    assert PaperSubmission.objects.filter(enrolment=enrolment).count() == 2
    assert PaperSubmission.objects.filter(enrolment=enrolment).first().original_filename == "v2.docx"


def test_a_coordinator_may_upload_for_the_participant(client, bearer, enrolment, coordinator, pdf_bytes):
    response = upload(client, bearer(coordinator), enrolment.pk, pdf_bytes)
    assert response.status_code == 201
    assert PaperSubmission.objects.get(enrolment=enrolment).submitted_by == coordinator


def test_no_upload_for_a_cancelled_enrolment(client, bearer, enrolment, participant, pdf_bytes, upload_root):
    enrolment.status = "cancelled"
    enrolment.save()
    assert upload(client, bearer(participant), enrolment.pk, pdf_bytes).status_code == 409
    assert not PaperSubmission.objects.exists()
    assert stored_files(upload_root) == []


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, "paper.pdf", "not a PDF or Word"),
        (b"", "paper.pdf", "empty"),
        (plain_zip(), "paper.docx", "not a PDF or Word"),
    ],
    ids=["renamed-executable", "empty", "plain-zip"],
)
def test_wrong_content_is_refused_and_nothing_stored(client, bearer, enrolment, participant, upload_root, content, name, words):
    response = upload(client, bearer(participant) | {"HTTP_ACCEPT_LANGUAGE": "en"}, enrolment.pk, content, name)
    assert response.status_code == 415, response.content
    body = response.json()
    assert words in body["detail"]
    assert "Upload your paper as a PDF or Word (.docx) file." in body["detail"]
    assert body["errors"][0]["field"] == "file"
    assert not PaperSubmission.objects.exists()
    assert stored_files(upload_root) == []
    assert not AuditEntry.objects.filter(action="paper.submitted").exists()


def test_wrong_content_answers_in_the_requested_language(client, bearer, enrolment, participant):
    headers = bearer(participant) | {"HTTP_ACCEPT_LANGUAGE": "en"}
    response = upload(client, headers, enrolment.pk, b"MZ\x90\x00", "paper.pdf")
    assert response.status_code == 415
    assert response["Content-Language"] == "en"
    assert "Upload your paper as a PDF or Word (.docx) file." in response.json()["detail"]
    dutch = upload(client, bearer(participant), enrolment.pk, b"MZ\x90\x00", "paper.pdf")
    assert dutch["Content-Language"] == "nl"
    assert "Lever uw paper in als pdf- of Word-bestand (.docx)." in dutch.json()["detail"]


def test_a_file_over_20_mb_is_refused_with_413(client, bearer, enrolment, participant, upload_root, settings):
    assert settings.UPLOAD_MAX_BYTES == 20 * 1024 * 1024
    content = b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024 + 1 - 9)
    assert len(content) == 20 * 1024 * 1024 + 1
    response = upload(client, bearer(participant), enrolment.pk, content)
    assert response.status_code == 413, response.content
    body = response.json()
    assert "20 MB" in body["detail"]
    assert body["errors"] == [{"field": "file", "message": body["detail"]}]
    assert not PaperSubmission.objects.exists()
    assert stored_files(upload_root) == []


def test_a_file_of_exactly_20_mb_is_accepted(client, bearer, enrolment, participant):
    content = b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024 - 9)
    assert upload(client, bearer(participant), enrolment.pk, content).status_code == 201


def test_a_missing_file_field_is_422(client, bearer, enrolment, participant):
    response = client.post(paper_url(enrolment.pk), {}, **bearer(participant))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"


def test_a_failed_insert_removes_the_file(client, bearer, enrolment, participant, pdf_bytes, upload_root, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(PaperSubmission.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.submit_paper(actor=participant, enrolment_id=enrolment.pk, uploaded_file=SimpleUploadedFile("p.pdf", pdf_bytes))
    assert stored_files(upload_root) == []


# --- Who may do what ---------------------------------------------------------------------------


def test_anonymous_gets_401(client, enrolment, pdf_bytes):
    assert upload(client, {}, enrolment.pk, pdf_bytes).status_code == 401
    assert assess(client, {}, enrolment.pk, "sufficient").status_code == 401
    response = client.get(paper_url(enrolment.pk) + "/file")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_another_participant_cannot_upload_or_download(
    client, bearer, enrolment, other_enrolment, participant, pdf_bytes, upload_root
):
    assert upload(client, bearer(participant), enrolment.pk, pdf_bytes).status_code == 201
    intruder = bearer(other_enrolment.participant)
    response = upload(client, intruder, enrolment.pk, pdf_bytes)
    assert response.status_code == 404
    assert response.json()["detail"]
    assert client.get(paper_url(enrolment.pk) + "/file", **intruder).status_code == 404
    assert PaperSubmission.objects.count() == 1
    assert len(stored_files(upload_root)) == 1


def test_guessing_the_file_url_of_another_enrolment_fails(client, bearer, enrolment, other_enrolment, participant, pdf_bytes):
    other = bearer(other_enrolment.participant)
    assert upload(client, other, other_enrolment.pk, pdf_bytes).status_code == 201
    mine = bearer(participant)
    assert client.get(paper_url(other_enrolment.pk) + "/file", **mine).status_code == 404
    assert client.get(paper_url(999999) + "/file", **mine).status_code == 404
    # Their own works.
    assert client.get(paper_url(other_enrolment.pk) + "/file", **other).status_code == 200


def test_the_file_is_served_to_those_allowed(
    client, bearer, enrolment, participant, teacher_user, coordinator, other_teacher, pdf_bytes
):
    upload(client, bearer(participant), enrolment.pk, pdf_bytes, 'my "paper".pdf')
    for user in (participant, teacher_user, coordinator):
        response = client.get(paper_url(enrolment.pk) + "/file", **bearer(user))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == pdf_bytes
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert "paper" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(paper_url(enrolment.pk) + "/file", **bearer(other_teacher)).status_code == 404


def test_the_latest_version_is_served(client, bearer, enrolment, participant, pdf_bytes, docx_bytes):
    me = bearer(participant)
    upload(client, me, enrolment.pk, pdf_bytes)
    upload(client, me, enrolment.pk, docx_bytes, "v2.docx")
    response = client.get(paper_url(enrolment.pk) + "/file", **me)
    assert b"".join(response.streaming_content) == docx_bytes
    assert "wordprocessingml" in response["Content-Type"]


def test_no_file_yet_is_404(client, bearer, enrolment, participant):
    assert client.get(paper_url(enrolment.pk) + "/file", **bearer(participant)).status_code == 404


def test_a_teacher_of_another_edition_cannot_assess(client, bearer, enrolment, participant, other_teacher, pdf_bytes):
    upload(client, bearer(participant), enrolment.pk, pdf_bytes)
    response = assess(client, bearer(other_teacher), enrolment.pk, "sufficient")
    assert response.status_code == 404
    assert PaperSubmission.objects.get().result == "pending"


def test_a_participant_cannot_assess_their_own_paper(client, bearer, enrolment, participant, pdf_bytes):
    me = bearer(participant)
    upload(client, me, enrolment.pk, pdf_bytes)
    response = assess(client, me, enrolment.pk, "sufficient")
    assert response.status_code == 403
    assert response.json()["detail"]
    assert PaperSubmission.objects.get().result == "pending"


def test_a_teacher_cannot_upload(client, bearer, enrolment, teacher_user, pdf_bytes):
    assert upload(client, bearer(teacher_user), enrolment.pk, pdf_bytes).status_code == 403
    assert not PaperSubmission.objects.exists()


def test_a_coordinator_may_assess(client, bearer, enrolment, participant, coordinator, pdf_bytes):
    upload(client, bearer(participant), enrolment.pk, pdf_bytes)
    assert assess(client, bearer(coordinator), enrolment.pk, "sufficient").status_code == 200


# --- Assessment rules --------------------------------------------------------------------------


def test_nothing_to_assess_is_409(client, bearer, enrolment, teacher_user):
    response = assess(client, bearer(teacher_user), enrolment.pk, "sufficient")
    assert response.status_code == 409
    assert response.json()["detail"]


def test_an_assessed_paper_is_not_assessed_twice(client, bearer, enrolment, participant, teacher_user, pdf_bytes):
    upload(client, bearer(participant), enrolment.pk, pdf_bytes)
    assert assess(client, bearer(teacher_user), enrolment.pk, "insufficient", "More depth.").status_code == 200
    assert assess(client, bearer(teacher_user), enrolment.pk, "sufficient").status_code == 409
    assert PaperSubmission.objects.get().result == "insufficient"


def test_insufficient_needs_feedback(client, bearer, enrolment, participant, teacher_user, pdf_bytes):
    upload(client, bearer(participant), enrolment.pk, pdf_bytes)
    response = assess(client, bearer(teacher_user), enrolment.pk, "insufficient", "   ")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "feedback"
    assert PaperSubmission.objects.get().result == "pending"


def test_an_unknown_result_is_422(client, bearer, enrolment, participant, teacher_user, pdf_bytes):
    upload(client, bearer(participant), enrolment.pk, pdf_bytes)
    response = assess(client, bearer(teacher_user), enrolment.pk, "excellent")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "result"


# --- Audit (R8) --------------------------------------------------------------------------------


def test_submit_and_assess_are_audited(client, bearer, enrolment, participant, teacher_user, pdf_bytes, docx_bytes):
    upload(client, bearer(participant), enrolment.pk, pdf_bytes)
    first = PaperSubmission.objects.get()
    entry = AuditEntry.objects.get(action="paper.submitted")
    assert entry.actor == participant
    assert entry.object_type == "learning.papersubmission"
    assert entry.object_id == str(first.pk)
    assert entry.before is None
    assert entry.after["result"] == "pending"
    assert entry.after["sha256"] == first.sha256
    assert entry.at is not None

    assess(client, bearer(teacher_user), enrolment.pk, "insufficient", "More depth.")
    entry = AuditEntry.objects.get(action="paper.assessed")
    assert entry.actor == teacher_user
    assert entry.before == {"result": "pending", "feedback": "", "assessed_at": None, "assessed_by": None}
    assert entry.after["result"] == "insufficient"
    assert entry.after["feedback"] == "More depth."
    assert entry.after["assessed_by"] == teacher_user.pk

    upload(client, bearer(participant), enrolment.pk, docx_bytes, "v2.docx")
    second = AuditEntry.objects.filter(action="paper.submitted").order_by("-id").first()
    assert second.before["id"] == first.pk
    assert second.before["result"] == "insufficient"
    assert second.after["content_type"] == "docx"


# --- OpenAPI -----------------------------------------------------------------------------------


def test_openapi_documents_the_paper_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    post = paths["/api/v1/enrolments/{enrolment_id}/paper"]["post"]
    assert {"201", "401", "404", "409", "413", "415", "422"} <= set(post["responses"])
    assert "multipart/form-data" in post["requestBody"]["content"]
    put = paths["/api/v1/enrolments/{enrolment_id}/paper/assessment"]["put"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(put["responses"])
    get = paths["/api/v1/enrolments/{enrolment_id}/paper/file"]["get"]
    assert {"200", "401", "404"} <= set(get["responses"])


def test_another_participants_enrolment_does_not_show_up(client, bearer, enrolment, other_enrolment):
    response = client.get(f"/api/v1/enrolments/{enrolment.pk}", **bearer(other_enrolment.participant))
    assert response.status_code == 404
