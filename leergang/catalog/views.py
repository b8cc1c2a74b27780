from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from leergang.core.errors import NotFound

from . import selectors
from .models import SessionKind


@login_not_required
def home(request):
    programmes = list(selectors.published_programmes())
    return render(request, "catalog/home.html", {"programmes": programmes})


@login_not_required
def programme_page(request, slug):
    try:
        programme = selectors.programme_for_page(user=request.user, slug=slug)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    editions = programme.visible_editions
    chosen = None
    requested = request.GET.get("editie") or request.GET.get("edition")
    if requested and requested.isdigit():
        chosen = next((e for e in editions if e.id == int(requested)), None)
    edition = chosen or selectors.featured_edition(editions, timezone.localdate())
    sessions = list(edition.sessions.all()) if edition else []
    context = {
        "programme": programme,
        "edition": edition,
        "editions": editions,
        "sessions": sessions,
        "content_sessions": sum(1 for s in sessions if s.kind == SessionKind.CONTENT),
        "full": bool(edition and edition.seats_taken >= edition.capacity),
        "today": timezone.localdate(),
    }
    return render(request, "catalog/programme.html", context)
