"""The groups page (M12): who works in which small group on their case, session by session.

The edition's teachers and the programme office see every grouping (the groups formed at a session,
with names and organisations), which grouping is in force at each session, and a form that forms
the groups at a session or reshuffles them there. Reshuffling asks for a tick first, without
JavaScript (the form comes back with the box); with htmx, choosing a session updates the form at
once. An enrolled participant sees only their own group in each grouping, and no form. Everyone
else gets a 404, alike for an edition that does not exist.

The service (groups.form_groups) decides; its refusals become form errors in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import BooleanField, F, Func
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from leergang.catalog.models import Edition, Session, SessionKind
from leergang.core import formatting
from leergang.core.errors import DomainError
from leergang.core.transactions import single_row
from leergang.enrolment.inbox_forms import DomainErrorsMixin
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from . import groups
from . import permissions as learning_permissions
from .models import StudyGroup
from .services import today
from .widgets import PlainSelect

DEFAULT_SIZE = 4
# What the page reads of the edition and its programme (not the programme's 28 columns).
EDITION_FIELDS = ("start_date", "status", "programme_id", "programme__title_nl", "programme__title_en")
# What _member and _sort_key read of an enrolment and its participant.
MEMBER_FIELDS = ("status", "organisation", "participant__first_name", "participant__last_name", "participant__email")
FORM_ID = "groups-form"
SESSION_MESSAGE = gettext_lazy("Choose one of this edition's sessions.")
SIZE_MESSAGE = gettext_lazy("Enter a group size from 2 to 12 people, for example 4.")


def session_name(session: Session) -> str:
    if session.kind == SessionKind.CLOSING:
        return _("Closing session")
    return _("Session %(number)s") % {"number": session.number}


def _choice_label(session: Session, formed: bool) -> str:
    parts = [session_name(session), formatting.long_date(session.date)]
    if session.theme:
        parts.append(session.theme)
    label = " · ".join(parts)
    # Not in an f-string: xgettext would miss the text.
    return _("%(session)s (groups formed)") % {"session": label} if formed else label


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class GroupsForm(DomainErrorsMixin, forms.Form):
    """Session and group size; a tick to confirm when groups were formed at that session already."""

    session = forms.TypedChoiceField(
        label=gettext_lazy("Session"),
        coerce=int,
        widget=PlainSelect,
        error_messages={"required": SESSION_MESSAGE, "invalid_choice": SESSION_MESSAGE},
    )
    size = forms.IntegerField(
        label=gettext_lazy("Group size"),
        min_value=groups.MIN_SIZE,
        max_value=groups.MAX_SIZE,
        help_text=gettext_lazy("At most this many people in a group, from 2 to 12. Group sizes differ by one at most."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={key: SIZE_MESSAGE for key in ("required", "invalid", "min_value", "max_value")},
    )
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args: Any, sessions: list[Session], formed: set[int], refresh_url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sessions = {session.pk: session for session in sessions}
        self.formed = formed  # the ids of the sessions groups were formed at
        self.fields["session"].choices = [(s.pk, _choice_label(s, s.pk in formed)) for s in sessions]
        # With htmx, another session brings back the form with the right button and tick box.
        self.fields["session"].widget.attrs.update(
            {
                "hx-get": refresh_url,
                "hx-trigger": "change",
                "hx-include": "#id_size",
                "hx-target": f"#{FORM_ID}",
                "hx-select": f"#{FORM_ID}",
                "hx-swap": "outerHTML",
            }
        )
        self.chosen = self.sessions.get(_int_or_none(self.data.get("session") if self.is_bound else self.initial.get("session")))
        self.reshuffle = self.chosen is not None and self.chosen.pk in formed
        if self.chosen is not None:
            self.fields["confirm"].label = _("Yes, replace the groups formed at session %(number)s") % {
                "number": self.chosen.number
            }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        session_id = cleaned.get("session")
        if session_id in self.formed and not cleaned.get("confirm"):
            self.add_error(
                "confirm",
                _("Tick the box to replace the groups of session %(number)s, or choose another session.")
                % {"number": self.sessions[session_id].number},
            )
        return cleaned


@dataclass
class Member:
    name: str
    organisation: str
    cancelled: bool = False
    you: bool = False


@dataclass
class GroupCard:
    number: int
    members: list[Member]


@dataclass
class Grouping:
    session: Session
    first: int  # the numbers of the first and last session it is in force at
    last: int
    current: bool
    groups: list[GroupCard] = field(default_factory=list)
    left_out: list[Member] = field(default_factory=list)
    own: GroupCard | None = None


@dataclass
class SessionRow:
    session: Session
    formed_here: int  # how many groups were formed at this session
    source: Session | None  # the session whose groups are in force here
    later: bool  # the groups in force were formed at a later session (before the first grouping)


def _edition(request: HttpRequest, edition_id: int) -> tuple[Edition, bool, Enrolment | None]:
    """The edition, whether the user runs it, and else the user's enrolment; a 404 for anyone else."""
    edition = single_row(Edition.objects.select_related("programme").filter(pk=edition_id).only(*EDITION_FIELDS))
    if edition is None:
        raise Http404("not found")
    if learning_permissions.can_manage_groups(request.user, edition):
        return edition, True, None
    enrolment = learning_permissions.enrolment_of(request.user, edition.pk)
    if enrolment is None:
        raise Http404("not found")
    return edition, False, enrolment


def _member(enrolment: Enrolment, you_id: int | None = None) -> Member:
    person = enrolment.participant
    return Member(
        name=person.get_full_name() or person.email,
        organisation=enrolment.organisation,
        cancelled=enrolment.status != EnrolmentStatus.ENROLLED,
        you=enrolment.pk == you_id,
    )


def _sort_key(enrolment: Enrolment) -> tuple[str, str, int]:
    return (enrolment.participant.last_name.casefold(), enrolment.participant.first_name.casefold(), enrolment.pk)


def _context(
    request: HttpRequest, edition: Edition, staff: bool, enrolment: Enrolment | None, form: GroupsForm | None
) -> dict[str, Any]:
    sessions = list(Session.objects.filter(edition=edition).order_by("number"))
    by_number = {session.number: session for session in sessions}
    all_groupings = {number: found for number, found in groups.groupings(edition.pk).items() if number in by_number}
    formed_at = sorted(all_groupings)
    covers: dict[int, list[int]] = {}
    for session in sessions:
        source = groups.in_force_from(formed_at, session.number)
        if source is not None:
            covers.setdefault(source, []).append(session.number)
    day = today()
    upcoming = next((session for session in sessions if session.date >= day), sessions[-1] if sessions else None)
    current = groups.in_force_from(formed_at, upcoming.number) if upcoming else None

    if staff:
        wanted = Enrolment.objects.filter(edition=edition)
    else:
        own_ids = {
            member
            for found in all_groupings.values()
            for group in found
            if enrolment.pk in group.enrolment_ids
            for member in group.enrolment_ids
        }
        wanted = Enrolment.objects.filter(pk__in=own_ids, edition=edition)
    # Unordered (sorted in Python) and only what a member card shows: the default order joins the
    # edition, and whole user rows cost more to build than the page needs.
    wanted = wanted.select_related("participant").order_by().only(*MEMBER_FIELDS)
    people = {person.pk: person for person in wanted}

    def card(group: groups.Group) -> GroupCard:
        members = sorted((people[pk] for pk in group.enrolment_ids if pk in people), key=_sort_key)
        if not staff:  # participants see who still takes part
            members = [person for person in members if person.status == EnrolmentStatus.ENROLLED]
        return GroupCard(group.number, [_member(person, enrolment.pk if enrolment else None) for person in members])

    shown = []
    for number in formed_at:
        spans = covers.get(number, [number])
        grouping = Grouping(by_number[number], spans[0], spans[-1], number == current)
        if staff:
            grouping.groups = [card(group) for group in all_groupings[number]]
            placed = {pk for group in all_groupings[number] for pk in group.enrolment_ids}
            grouping.left_out = [
                _member(person)
                for person in sorted(people.values(), key=_sort_key)
                if person.pk not in placed and person.status == EnrolmentStatus.ENROLLED
            ]
        else:
            grouping.own = next((card(g) for g in all_groupings[number] if enrolment.pk in g.enrolment_ids), None)
        shown.append(grouping)

    rows = []
    for session in sessions:
        source = groups.in_force_from(formed_at, session.number)
        rows.append(
            SessionRow(
                session=session,
                formed_here=len(all_groupings.get(session.number, [])),
                source=by_number[source] if source is not None else None,
                later=source is not None and source > session.number,
            )
        )

    if staff and form is None and sessions:
        formed = {session.pk for session in sessions if session.number in all_groupings}
        form = _form(request, edition, sessions, formed, data=None)
    return {
        "edition": edition,
        "programme": edition.programme,
        "staff": staff,
        "enrolment": enrolment,
        "sessions": sessions,
        "rows": rows,
        "groupings": shown,
        "form": form if staff else None,
        "form_id": FORM_ID,
    }


# What the form reads of a session (its choice's label and the confirmation's number).
FORM_SESSION_FIELDS = ("number", "kind", "date", "theme_nl", "theme_en")


def _groups_formed_at_number() -> Func:
    """Whether groups of the edition were formed at a session with this session's number: the
    sessions groups.groupings() files groupings under (EXISTS, so no row per member is read)."""
    group, session = StudyGroup._meta.db_table, Session._meta.db_table
    return Func(
        F("edition_id"),
        F("number"),
        template=(
            f'EXISTS (SELECT 1 FROM "{group}" g INNER JOIN "{session}" f ON f."id" = g."from_session_id" '  # noqa: S608 - our own names
            'WHERE g."edition_id" = %(expressions)s)'
        ),
        arg_joiner=' AND f."number" = ',
        output_field=BooleanField(),
    )


def _sessions_for_form(edition: Edition) -> tuple[list[Session], set[int]]:
    """The edition's sessions (what the form reads of them) and the ids of those groups were formed
    at, in one query: a post needs no more (the page around the form reads the groupings in full)."""
    sessions = list(
        Session.objects.filter(edition_id=edition.pk)
        .order_by("number")
        .only(*FORM_SESSION_FIELDS)
        .annotate(groups_formed=_groups_formed_at_number())
    )
    return sessions, {session.pk for session in sessions if session.groups_formed}


def _form(request: HttpRequest, edition: Edition, sessions: list[Session], formed: set[int], data: Any) -> GroupsForm:
    """The form for `sessions`, `formed` the ids of those groups were formed at."""
    url = reverse("groups:edition", kwargs={"edition_id": edition.pk})
    if data is not None:
        return GroupsForm(data, sessions=sessions, formed=formed, refresh_url=url)
    # ?session=..&size=.. preselect (the htmx refresh and the "reshuffle these groups" links).
    ids = {session.pk for session in sessions}
    chosen = _int_or_none(request.GET.get("session"))
    if chosen not in ids:
        day = today()
        chosen = next((s.pk for s in sessions if s.date >= day), sessions[-1].pk)
    size = _int_or_none(request.GET.get("size"))
    if size is None or not groups.MIN_SIZE <= size <= groups.MAX_SIZE:
        size = DEFAULT_SIZE
    return GroupsForm(initial={"session": chosen, "size": size}, sessions=sessions, formed=formed, refresh_url=url)


def _page(
    request: HttpRequest,
    edition: Edition,
    staff: bool,
    enrolment: Enrolment | None,
    form: GroupsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(request, "learning/groups.html", _context(request, edition, staff, enrolment, form), status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def edition_page(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition, staff, enrolment = _edition(request, edition_id)
    if request.method != "POST":
        return _page(request, edition, staff, enrolment)
    if not staff:
        raise Http404("not found")
    sessions, formed = _sessions_for_form(edition)
    form = _form(request, edition, sessions, formed, data=request.POST)
    if not form.is_valid():
        return _page(request, edition, staff, None, form, status=422)
    session = form.sessions[form.cleaned_data["session"]]
    try:
        formed = groups.form_groups(
            actor=request.user, edition_id=edition.pk, session_id=session.pk, size=form.cleaned_data["size"]
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return _page(request, edition, staff, None, form, status=exc.status)
    count = len(formed)
    if form.reshuffle:
        text = ngettext(
            "The groups of session %(number)s were reshuffled: there is now %(count)s group.",
            "The groups of session %(number)s were reshuffled: there are now %(count)s groups.",
            count,
        )
    else:
        text = ngettext(
            "%(count)s group was formed at session %(number)s.",
            "%(count)s groups were formed at session %(number)s.",
            count,
        )
    messages.success(request, text % {"number": session.number, "count": count})
    url = reverse("groups:edition", kwargs={"edition_id": edition.pk})
    return HttpResponseRedirect(f"{url}#grouping-{session.number}")
