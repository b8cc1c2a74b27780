"""The literature page (M11): a file is served, a link followed, only after the access check."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect

from leergang.core.errors import NotFound

from . import selectors, uploads
from .literature import literature_file
from .models import LiteratureKind


def literature_item(request: HttpRequest, item_id: int) -> HttpResponse:
    """Anonymous visitors go to the login page; anyone else who may not read it gets a 404, alike
    for a missing item. Files come from UPLOAD_ROOT (never the static files) as a download."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    item = selectors.literature_item(item_id)
    if item is None or not selectors.can_view_literature(request.user, item.session):
        raise Http404("not found")
    if item.kind == LiteratureKind.LINK:
        response: HttpResponse = HttpResponseRedirect(item.url)
    else:
        try:
            path = literature_file(item)
            handle = path.open("rb")
        except (NotFound, OSError):
            raise Http404("not found") from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=item.original_filename or f"literature{uploads.EXTENSIONS[item.content_type]}",
            content_type=uploads.CONTENT_TYPES[item.content_type],
        )
        response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
