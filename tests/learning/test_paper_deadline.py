"""The final paper's deadline (M14): a participant's first paper after `Edition.paper_deadline` is
refused (the day itself still counts, in Europe/Amsterdam); a coordinator may still upload for them,
and a new version after an insufficient result is welcome after it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from leergang.core.errors import Conflict
from leergang.learning import services
from leergang.learning.models import PaperSubmission
from tests import factories

from .conftest import stored_files

pytestmark = pytest.mark.django_db

TODAY = services.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def pdf(content, name="paper.pdf"):
    return SimpleUploadedFile(name, content)


def set_deadline(edition, day):
    edition.paper_deadline = day
    edition.save(update_fields=["paper_deadline"])


def submit(actor, enrolment, content, name="paper.pdf"):
    return services.submit_paper(actor=actor, enrolment_id=enrolment.pk, uploaded_file=pdf(content, name))


# -- the rule -----------------------------------------------------------------------------------


def test_the_deadline_day_itself_still_counts():
    deadline = datetime.date(2027, 3, 1)
    assert not services.deadline_passed(deadline, datetime.date(2027, 2, 28))
    assert not services.deadline_passed(deadline, deadline)
    assert services.deadline_passed(deadline, datetime.date(2027, 3, 2))
    assert not services.deadline_passed(None, datetime.date(2099, 1, 1))


def test_today_is_the_date_in_amsterdam(monkeypatch):
    # 23:30 UTC on 1 March is already 2 March in Amsterdam.
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2027, 3, 1, 23, 30, tzinfo=datetime.UTC))
    assert services.today() == datetime.date(2027, 3, 2)


# -- through the service ------------------------------------------------------------------------


def test_first_paper_after_the_deadline_is_refused_naming_the_date(edition, enrolment, participant, pdf_bytes, upload_root):
    set_deadline(edition, datetime.date(2020, 6, 1))
    with translation.override("en"), pytest.raises(Conflict) as refused:
        submit(participant, enrolment, pdf_bytes)
    message = str(refused.value.detail)
    assert "1 June 2020" in message
    assert "programme office" in message
    assert not PaperSubmission.objects.exists()
    assert stored_files(upload_root) == []


def test_the_refusal_reads_in_dutch_on_dutch_pages(edition, enrolment, participant, pdf_bytes):
    set_deadline(edition, datetime.date(2020, 6, 1))
    with translation.override("nl"), pytest.raises(Conflict) as refused:
        submit(participant, enrolment, pdf_bytes)
    assert "1 juni 2020" in str(refused.value.detail)


def test_on_the_deadline_day_the_paper_is_accepted(edition, enrolment, participant, pdf_bytes):
    set_deadline(edition, TODAY)
    paper = submit(participant, enrolment, pdf_bytes)
    assert paper.status == "submitted"


def test_without_a_deadline_the_paper_is_accepted(edition, enrolment, participant, pdf_bytes):
    assert edition.paper_deadline is None
    assert submit(participant, enrolment, pdf_bytes).status == "submitted"


def test_a_coordinator_may_upload_after_the_deadline(edition, enrolment, coordinator, pdf_bytes):
    set_deadline(edition, YESTERDAY)
    paper = submit(coordinator, enrolment, pdf_bytes)
    assert paper.submitted_by == coordinator
    assert PaperSubmission.objects.filter(enrolment=enrolment).count() == 1


def test_a_new_version_after_an_insufficient_result_is_welcome_after_the_deadline(
    edition, enrolment, participant, teacher_user, pdf_bytes, docx_bytes
):
    submit(participant, enrolment, pdf_bytes)
    services.assess_paper(actor=teacher_user, enrolment_id=enrolment.pk, result="insufficient", feedback="More reflection.")
    set_deadline(edition, YESTERDAY)
    paper = submit(participant, enrolment, docx_bytes, "paper-v2.docx")
    assert paper.status == "submitted"
    assert PaperSubmission.objects.filter(enrolment=enrolment).count() == 2


def test_a_paper_waiting_for_assessment_cannot_be_swapped_after_the_deadline(edition, enrolment, participant, pdf_bytes):
    submit(participant, enrolment, pdf_bytes)
    set_deadline(edition, YESTERDAY)
    with pytest.raises(Conflict):
        submit(participant, enrolment, pdf_bytes, "other.pdf")
    assert PaperSubmission.objects.filter(enrolment=enrolment).count() == 1


def test_the_deadline_of_another_edition_does_not_count(enrolment, participant, pdf_bytes):
    factories.EditionFactory(paper_deadline=datetime.date(2020, 1, 1))
    assert submit(participant, enrolment, pdf_bytes).status == "submitted"


# -- through the API ----------------------------------------------------------------------------


def api_upload(client, headers, enrolment, content, language="en"):
    return client.post(
        f"/api/v1/enrolments/{enrolment.pk}/paper",
        {"file": pdf(content)},
        HTTP_ACCEPT_LANGUAGE=language,
        **headers,
    )


def test_the_api_answers_409_in_the_error_format(client, bearer, edition, enrolment, participant, pdf_bytes, upload_root):
    set_deadline(edition, datetime.date(2020, 6, 1))
    response = api_upload(client, bearer(participant), enrolment, pdf_bytes)
    assert response.status_code == 409
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert "1 June 2020" in body["detail"]
    assert "programme office" in body["detail"]
    assert body["errors"] == []
    assert not PaperSubmission.objects.exists()
    assert stored_files(upload_root) == []

    dutch = api_upload(client, bearer(participant), enrolment, pdf_bytes, language="nl")
    assert dutch.status_code == 409
    assert "1 juni 2020" in dutch.json()["detail"]


def test_the_api_accepts_a_coordinators_upload_after_the_deadline(client, bearer, edition, enrolment, coordinator, pdf_bytes):
    set_deadline(edition, YESTERDAY)
    assert api_upload(client, bearer(coordinator), enrolment, pdf_bytes).status_code == 201


def test_the_api_accepts_a_resubmission_after_the_deadline(
    client, bearer, edition, enrolment, participant, teacher_user, pdf_bytes
):
    assert api_upload(client, bearer(participant), enrolment, pdf_bytes).status_code == 201
    response = client.put(
        f"/api/v1/enrolments/{enrolment.pk}/paper/assessment",
        {"result": "insufficient", "feedback": "Reflect more."},
        content_type="application/json",
        **bearer(teacher_user),
    )
    assert response.status_code == 200, response.content
    set_deadline(edition, YESTERDAY)
    assert api_upload(client, bearer(participant), enrolment, pdf_bytes).status_code == 201


def test_openapi_mentions_the_deadline(client):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/enrolments/{enrolment_id}/paper"]["post"]
    assert "409" in operation["responses"]
    assert "deadline" in operation["summary"]
