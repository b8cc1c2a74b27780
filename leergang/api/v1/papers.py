"""The final paper (M14): upload, assessment and the file itself. No business logic here."""

import datetime
from typing import Literal

from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from leergang.core.errors import Invalid, NotFound
from leergang.learning import selectors, services, uploads

from .auth import bearer, session
from .schemas import ErrorOut

router = Router(tags=["paper"])

# Optional for ninja so that a missing file is our own 422 naming the field `file`.
OPTIONAL_FILE = File(None)


class PaperSubmittedOut(Schema):
    status: Literal["submitted"]
    submitted_at: datetime.datetime
    filename: str
    size: int


class AssessmentIn(Schema):
    result: Literal["sufficient", "insufficient"]
    feedback: str = ""


class AssessmentOut(Schema):
    status: Literal["sufficient", "insufficient"]
    feedback: str
    assessed_at: datetime.datetime


UPLOAD_DOC = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The paper as PDF or Word (.docx), at most 20 MB; the type is checked by content.",
                        }
                    },
                    "required": ["file"],
                }
            }
        },
        "required": True,
    }
}

FILE_DOC = {
    "responses": {
        200: {
            "description": "The latest version of the paper as an attachment (PDF or DOCX).",
            "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                uploads.CONTENT_TYPES["docx"]: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    }
}


@router.post(
    "/enrolments/{enrolment_id}/paper",
    response={
        201: PaperSubmittedOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
        422: ErrorOut,
    },
    auth=bearer,
    openapi_extra=UPLOAD_DOC,
    summary=(
        "Upload the final paper (the participant, coordinator): multipart field `file`, PDF or DOCX by content "
        "(415 otherwise), at most 20 MB (413); 409 after a sufficient result, for a cancelled enrolment, or for the "
        "participant's first paper after the edition's paper deadline (a new version after an insufficient result is "
        "still accepted; a coordinator may always upload)"
    ),
)
def submit(request, enrolment_id: int, file: UploadedFile | None = OPTIONAL_FILE):
    if file is None:  # checked here so the error names the form field `file`
        message = _("Choose a PDF or Word (.docx) file to upload.")
        raise Invalid(message, [{"field": "file", "message": message}])
    paper = services.submit_paper(actor=request.user, enrolment_id=enrolment_id, uploaded_file=file)
    return Status(
        201,
        {"status": paper.status, "submitted_at": paper.submitted_at, "filename": paper.original_filename, "size": paper.size},
    )


@router.put(
    "/enrolments/{enrolment_id}/paper/assessment",
    response={200: AssessmentOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=bearer,
    summary=(
        "Assess the latest paper as sufficient or insufficient with feedback (the edition's teachers, coordinator); "
        "409 when no paper is waiting for assessment; feedback is required for insufficient"
    ),
)
def assess(request, enrolment_id: int, payload: AssessmentIn):
    paper = services.assess_paper(actor=request.user, enrolment_id=enrolment_id, result=payload.result, feedback=payload.feedback)
    return {"status": paper.status, "feedback": paper.feedback, "assessed_at": paper.assessed_at}


@router.get(
    "/enrolments/{enrolment_id}/paper/file",
    response={200: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=[bearer, session],
    openapi_extra=FILE_DOC,
    url_name="paper_file",
    summary="The latest paper as a download (the participant, the edition's teachers, coordinator; token or session)",
)
def paper_file(request, enrolment_id: int):
    enrolment = selectors.visible_enrolment(request.user, enrolment_id)
    if enrolment is None:
        raise NotFound(_("There is no enrolment with this number."))
    paper = selectors.latest_paper(enrolment.pk)
    if paper is None:
        raise NotFound(_("No paper has been submitted for this enrolment."))
    path = services.paper_file(paper)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise NotFound(_("The file of this paper could not be found.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=paper.original_filename,
        content_type=uploads.CONTENT_TYPES[paper.content_type],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
