from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from leergang.accounts import permissions
from leergang.core import pagination
from leergang.core.errors import NotFound

from . import selectors
from .models import Edition, EditionStatus, SessionKind
from .public_cache import cache_public_page


@login_not_required
@cache_public_page
def home(request):
    """Every published programme, each with its next edition open for registration (one query)."""
    next_open = Edition.objects.filter(programme=OuterRef("pk"), status=EditionStatus.OPEN).order_by("start_date", "id")
    programmes = list(
        selectors.published_programmes().annotate(
            next_start=Subquery(next_open.values("start_date")[:1]),
            next_fee=Subquery(next_open.values("fee")[:1]),
        )
    )
    return render(request, "catalog/home.html", {"programmes": programmes})


def _requested_edition(request, editions):
    requested = request.GET.get("editie") or request.GET.get("edition") or ""
    if requested.isdigit():
        return next((e for e in editions if e.id == int(requested)), None)
    return None


@login_not_required
@cache_public_page
def programme_page(request, slug):
    try:
        programme = selectors.programme_for_page(user=request.user, slug=slug)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    today = timezone.localdate()
    editions = programme.visible_editions
    featured = selectors.featured_edition(editions, today)
    edition = _requested_edition(request, editions) or featured
    sessions = list(selectors.with_sessions(edition).sessions.all()) if edition else []
    gap_days = edition.min_gap_days if edition else 0
    context = {
        "programme": programme,
        "edition": edition,
        "editions": editions,
        # The edition a visitor is pointed to when they look at another one (e.g. a completed one).
        "featured": featured if featured and edition and featured.id != edition.id and featured.accepts_applications else None,
        "sessions": sessions,
        "content_sessions": sum(1 for s in sessions if s.kind == SessionKind.CONTENT),
        "has_closing_session": any(s.kind == SessionKind.CLOSING for s in sessions),
        "gap_weeks": gap_days // 7 if gap_days and gap_days % 7 == 0 else None,
        "gap_days": gap_days,
        "full": bool(edition and edition.seats_taken >= edition.capacity),
        "today": today,
        "can_plan_schedule": bool(edition and permissions.can_plan_schedule(request.user, edition)),
    }
    return render(request, "catalog/programme.html", context)


ARCHIVE_PAGE_SIZE = 50


@require_safe
def edition_archive(request):
    """Every edition, newest first, ARCHIVE_PAGE_SIZE a page, for the programme office (the overview
    shows only the current ones); `?programma=<slug>` and `?status=` narrow it, `?page=` pages. Three
    queries however many editions there are: the programmes (for the filter), the count, one page. A
    page number that is not a number shows the first page, one past the end the last. For everybody
    else the page does not exist."""
    if not permissions.can_manage_editions(request.user):
        raise Http404("not found")
    programmes = list(selectors.visible_programmes(request.user))
    programme = next((p for p in programmes if p.slug == request.GET.get("programma", "")), None)
    status = request.GET.get("status", "")
    if status not in EditionStatus.values:
        status = ""
    kept = {"programma": programme.slug if programme else "", "status": status}
    paginator = Paginator(selectors.archived_editions(request.user, programme=programme, status=status), ARCHIVE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "programmes": programmes,
        "programme": programme,
        "statuses": EditionStatus.choices,
        "status": status,
        "status_label": dict(EditionStatus.choices).get(status, ""),
        "page": page,
        "editions": list(page.object_list),
        **pagination.navigation(page, lambda number: pagination.list_url("catalog:editions", **kept, page=number)),
    }
    return render(request, "catalog/editions.html", context)
