"""The edition's attendance as a CSV download for the programme office, with their session login
(the same file as `GET /api/v1/editions/{id}/attendance.csv`). Everyone else gets a 404."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from leergang.accounts import permissions
from leergang.catalog.models import Edition

from . import export


@require_safe
def csv_download(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None or not permissions.is_coordinator(request.user):
        raise Http404("not found")
    response = HttpResponse(export.attendance_csv(edition), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename(edition)}"'
    return response
