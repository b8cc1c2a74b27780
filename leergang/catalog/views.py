from collections.abc import Iterable

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext
from django.views.decorators.http import require_safe

from leergang.accounts import permissions
from leergang.core import pagination
from leergang.core.errors import NotFound
from leergang.core.formatting import long_date, money

from . import edition_lists, selectors, timeline
from .models import Edition, EditionStatus, Programme, SessionKind
from .public_cache import cache_public_page


@login_not_required
@cache_public_page
def home(request):
    """Every published programme, each with its next edition open for registration (one query)."""
    programmes = selectors.home_programmes()
    return render(request, "catalog/home.html", {"programmes": programmes, "cards": _programme_cards(programmes)})


# A programme on the home page. Rendered here rather than in the template: the cards' tags, filters
# and {% url %} were most of the page's time. The markup is the template's, to the whitespace
# (tests/catalog/test_perf_home_cards.py compares it with the former template loop).
_CARD = """
          <li class="card">
            <div class="card-body">
              {organiser}
              <h3><a href="{url}">{title}</a></h3>
              {tagline}
            </div>
            <dl class="card-facts">
              {facts}
            </dl>
          </li>
        """
_CARD_FACTS_NEXT = """
                <div><dt>{next_start}</dt><dd>{date}</dd></div>
                <div><dt>{fee}</dt><dd>{amount}</dd></div>
              """
_CARD_FACTS_NONE = """
                <div><dt>{next_start}</dt><dd>{soon}</dd></div>
              """


def _programme_cards(programmes: list[Programme]) -> SafeString:
    """The home page's cards (see _CARD): organiser, linked title, tagline, and the next open
    edition's start and fee, or that new dates follow."""
    next_start = escape(gettext("Next start"))
    fee = escape(gettext("Fee"))
    no_facts = _CARD_FACTS_NONE.format(next_start=next_start, soon=escape(gettext("New dates follow soon")))
    cards = []
    for programme in programmes:
        if programme.next_start:
            facts = _CARD_FACTS_NEXT.format(
                next_start=next_start,
                date=escape(long_date(programme.next_start)),
                fee=fee,
                amount=escape(money(programme.next_fee)),
            )
        else:
            facts = no_facts
        organiser = programme.organiser
        tagline = programme.tagline
        cards.append(
            _CARD.format(
                organiser=f'<p class="eyebrow">{escape(organiser)}</p>' if organiser else "",
                url=escape(reverse("catalog:programme", kwargs={"slug": programme.slug})),
                title=escape(programme.title),
                tagline=f"<p>{escape(tagline)}</p>" if tagline else "",
                facts=facts,
            )
        )
    return mark_safe("".join(cards))  # noqa: S308 - every value above is escaped


def _requested_edition(request, editions):
    requested = request.GET.get("editie") or request.GET.get("edition") or ""
    if requested.isdigit():
        return next((e for e in editions if e.id == int(requested)), None)
    return None


# An edition in the programme page's list of editions: the one shown is marked, the others link to it.
# Rendered here rather than in the template: a programme with forty editions spent half the page's
# time on this list's tags and filters.
_SWITCH_SHOWN = """<li><span class="edition-link" aria-current="true">
              <span class="edition-date">{date}</span>
              <span class="edition-status">{status}</span>
            </span></li>"""
_SWITCH_OTHER = """<li><a class="edition-link" href="?editie={pk}#programma">
              <span class="edition-date">{date}</span>
              <span class="edition-status">{status}</span>
            </a></li>"""


def _edition_switch(editions: list[selectors.EditionBrief], shown: Edition | None) -> SafeString:
    """The items of the programme page's list of editions (see _SWITCH_SHOWN): each edition's start
    date and status, "full" for one open for applications with every seat taken."""
    full = gettext("Full – waiting list open")  # our own catalogue's text, printed as {% translate %} prints it
    labels = {value: escape(label) for value, label in EditionStatus.choices}
    shown_id = shown.id if shown is not None else None
    language = get_language()
    items = []
    for other in editions:
        if other.accepts_applications and other.seats_taken >= other.capacity:
            status = full
        else:
            status = labels.get(other.status) or escape(other.status)
        # Every value is escaped already (the date by edition_lists.start_date) or an id: str.format,
        # not format_html, whose escaping of what is escaped already was half of this list's time.
        template = _SWITCH_SHOWN if other.id == shown_id else _SWITCH_OTHER
        items.append(
            template.format(pk=int(other.id), date=edition_lists.start_date_in(language, other.start_date), status=status)
        )
    return mark_safe("\n          ".join(items))  # noqa: S308 - each item's values escaped (see above)


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
    shown = _requested_edition(request, editions) or featured
    edition = selectors.edition_for_page(programme, shown) if shown else None
    sessions = selectors.sessions_for_page(edition) if edition else []
    gap_days = edition.min_gap_days if edition else 0
    context = {
        "programme": programme,
        "edition": edition,
        "editions": editions,
        "edition_switch": _edition_switch(editions, edition) if edition and len(editions) > 1 else "",
        # The edition a visitor is pointed to when they look at another one (e.g. a completed one).
        "featured": featured if featured and edition and featured.id != edition.id and featured.accepts_applications else None,
        "sessions": sessions,
        "timeline": timeline.timeline(sessions, today),
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

# One edition in the archive: its name (linking to the programme page showing that edition), its
# programme and status, and links to five of its pages, each naming the edition for screen readers.
# Rendered here rather than in the template: fifty rows of some twenty tags and variables each were
# most of the page's time.
_ARCHIVE_ROW = """<tr data-edition="{pk}" data-status="{status}">
        <th scope="row"><a href="{programme_url}?editie={pk}">{name}</a></th>
        <td><span class="stack-label" aria-hidden="true">{label_programme}</span>{programme}</td>
        <td><span class="stack-label" aria-hidden="true">{label_status}</span>{status_label}</td>
        <td class="edition-list"><span class="stack-label" aria-hidden="true">{label_pages}</span>
          <a href="{sessions}">{label_sessions}<span class="visually-hidden"> ({name})</span></a>
          <a href="{schedule}">{label_schedule}<span class="visually-hidden"> ({name})</span></a>
          <a href="{inbox}">{label_inbox}<span class="visually-hidden"> ({name})</span></a>
          <a href="{awards}">{label_awards}<span class="visually-hidden"> ({name})</span></a>
          <a href="{money}">{label_money}<span class="visually-hidden"> ({name})</span></a>
        </td>
      </tr>"""


# What the archive reads of each edition on a page (see _archive_rows): plain rows, not model
# instances of the edition and its programme, which cost more to make than the query took.
ARCHIVE_ROW_FIELDS = ("pk", "status", "start_date", "programme__slug", "programme__title_nl", "programme__title_en")


class _Titles:
    """A programme's titles in both languages, for its translated `title` (as Programme.title reads it)."""

    __slots__ = ("title_nl", "title_en")

    def __init__(self, title_nl: str, title_en: str):
        self.title_nl, self.title_en = title_nl, title_en

    title = Programme.title


def _archive_rows(rows: Iterable[tuple]) -> SafeString:
    """The archive's table rows (see _ARCHIVE_ROW) from rows of ARCHIVE_ROW_FIELDS; URL patterns
    reversed and labels translated once. Written with str.format, each value escaped here once (or
    escaped already: the names, the patterns, the labels): format_html's escaping of some twenty
    values a row, most of them escaped already, was most of this list's time
    (tests/catalog/test_perf_aw_archive_rows.py compares it with the former rows)."""
    # Translations are trusted text, printed as they are (as {% translate %} prints them).
    labels = {
        "label_programme": pgettext("a course, as offered", "Programme"),
        "label_status": gettext("Status"),
        "label_pages": gettext("Pages"),
        "label_sessions": gettext("Sessions and learning"),
        "label_schedule": gettext("Schedule"),
        "label_inbox": gettext("Applications"),
        "label_awards": gettext("Diplomas"),
        "label_money": gettext("Money"),
    }
    programme_url = edition_lists.url_pattern("catalog:programme", slug="x0x0x")  # a slug needs no escaping
    patterns = edition_lists.edition_page_patterns()
    status_labels = {value: escape(label) for value, label in EditionStatus.choices}
    titles: dict[tuple[str, str], str] = {}  # each programme's title, escaped, once
    written = []
    for pk, status, start_date, slug, title_nl, title_en in rows:
        title = titles.get((title_nl, title_en))
        if title is None:
            title = titles[title_nl, title_en] = escape(_Titles(title_nl, title_en).title)
        pk = int(pk)
        escaped_status = escape(status)
        written.append(
            _ARCHIVE_ROW.format(
                pk=pk,
                status=escaped_status,
                programme_url=programme_url.format(slug),
                name=edition_lists.name_for(start_date),
                programme=title,
                status_label=status_labels.get(status) or escaped_status,
                **{key: pattern.format(pk) for key, pattern in patterns.items()},
                **labels,
            )
        )
    return mark_safe("\n      ".join(written))  # noqa: S308 - each row's values escaped (see above)


@require_safe
def edition_archive(request):
    """Every edition, newest first, ARCHIVE_PAGE_SIZE a page, for the programme office (the overview
    shows only the current ones); `?programma=<slug>` and `?status=` narrow it, `?page=` pages. Three
    queries however many editions there are: the programmes (for the filter), the count, one page. A
    page number that is not a number shows the first page, one past the end the last. For everybody
    else the page does not exist."""
    if not permissions.can_manage_editions(request.user):
        raise Http404("not found")
    programmes = list(selectors.visible_programmes(request.user).only("slug", "title_nl", "title_en"))
    programme = next((p for p in programmes if p.slug == request.GET.get("programma", "")), None)
    status = request.GET.get("status", "")
    if status not in EditionStatus.values:
        status = ""
    kept = {"programma": programme.slug if programme else "", "status": status}
    editions = selectors.archived_editions(request.user, programme=programme, status=status)
    paginator = Paginator(editions.values_list(*ARCHIVE_ROW_FIELDS), ARCHIVE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "programmes": programmes,
        "programme": programme,
        "statuses": EditionStatus.choices,
        "status": status,
        "status_label": dict(EditionStatus.choices).get(status, ""),
        "page": page,
        "rows": _archive_rows(list(page.object_list)),
        **pagination.navigation(page, lambda number: pagination.list_url("catalog:editions", **kept, page=number)),
    }
    return render(request, "catalog/editions.html", context)
