"""The coordinator's applications inbox per edition and the page of one application (M4, M5, M6).

The inbox is a dense table of an edition's applications with their screening at a glance, a status
filter (`?status=`), the seats panel and a bulk decision; the filter and the bulk decision swap the
table without a page reload when htmx runs (plain links and a plain form post without it). The
application page shows everything the applicant gave, the screening, the intakes and the history
from the audit log, with the actions: plan an intake, record its outcome, decide, cancel the
enrolment (after a confirmation page, since that issues a credit note).

Thin views: each parses the request, calls one service and renders, or redirects after a change
(post/redirect/get) with a message. Domain errors become form errors in the reader's language.
Only the programme office may see these pages; for everybody else they do not exist (404).
Reads take a fixed number of queries however many applications an edition has.
"""

from __future__ import annotations

import collections
import datetime
import functools
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import CharField, DateTimeField, F, Func, IntegerField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from leergang.accounts import permissions
from leergang.catalog.models import Edition, Programme
from leergang.core import formatting, fragment_cache, sql_rows
from leergang.core.errors import DomainError, NotFound
from leergang.core.models import AuditEntry
from leergang.invoicing.models import Invoice

from . import changes, inbox_rows, rules, services, views_changes
from . import inbox_forms as forms
from .models import (
    Application,
    ApplicationStatus,
    ChangeKind,
    Enrolment,
    EnrolmentStatus,
    Intake,
    IntakeMode,
    IntakeOutcome,
    Offer,
    OfferStatus,
)
from .selectors import SEATS_TAKEN

# Short labels for the unmet criteria in the inbox; the full message is one click away.
CRITERION_LABELS = {
    rules.LEVEL: gettext_lazy("education level"),
    rules.EXPERIENCE: gettext_lazy("experience"),
    rules.LEADERSHIP: gettext_lazy("leadership task"),
}

APPLICATION_TYPE = Application._meta.label_lower
ENROLMENT_TYPE = Enrolment._meta.label_lower


# -- reading -------------------------------------------------------------------------------------


def _require_office(request: HttpRequest) -> None:
    """The programme office only; for anybody else these pages do not exist."""
    if not permissions.can_manage_editions(request.user):
        raise Http404("not found")


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


class _Counted(Func):
    """An edition's rows of `model` in one status, counted in SQL as selectors.SeatsTaken counts
    seats (a correlated COUNT, 0 without rows; the status a literal, from our own constants), instead
    of a Subquery built and compiled on every request (about 1 ms of Python each)."""

    output_field = IntegerField()

    def __init__(self, model: Any, status: str) -> None:
        table, column = model._meta.db_table, model._meta.get_field("edition").column
        self.template = f'(SELECT COUNT(*) FROM "{table}" WHERE "{column}" = %(expressions)s AND "status" = \'{status}\')'  # noqa: S608
        super().__init__(F("pk"))


# The seats panel's numbers of the edition `d`, as _edition annotates them.
_EDITION_COUNTS = ", ".join(
    func.template % {"expressions": 'd."id"'}
    for func in (SEATS_TAKEN, _Counted(Offer, OfferStatus.OPEN), _Counted(Application, ApplicationStatus.WAITLISTED))
)


def _edition(edition_id: int) -> Edition:
    """The edition with its programme and the seats panel's numbers: one query, written as SQL
    (core.sql_rows) instead of an annotated ORM query built and compiled on every visit
    (tests/inbox/test_application_rows.py compares them)."""
    rows = sql_rows.read_joined(
        f'FROM {_table(Edition)} d JOIN {_table(Programme)} p ON p."id" = d."programme_id" WHERE d."id" = %s',
        [edition_id],
        ((Edition, "d"), (Programme, "p")),
        extra=_EDITION_COUNTS,
    )
    if not rows:
        raise Http404("There is no edition with this number.")
    edition, programme, edition.seats_taken, edition.held_offers, edition.waiting = rows[0]
    edition.programme = programme
    return edition


@dataclass
class Seats:
    capacity: int
    taken: int
    held: int
    waiting: int

    @property
    def enrolled(self) -> int:
        return self.taken - self.held

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def full(self) -> bool:
        return self.taken >= self.capacity


def _seats(edition: Edition) -> Seats:
    return Seats(capacity=edition.capacity, taken=edition.seats_taken, held=edition.held_offers, waiting=edition.waiting)


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


def _screening(application: Application) -> dict[str, Any]:
    """The screening with messages in the reader's language and a short label per unmet criterion."""
    found = services.screening(application)
    unmet = [{**item, "label": CRITERION_LABELS.get(item["criterion"], item["criterion"])} for item in found["unmet"]]
    return {"meets_profile": found["meets_profile"] and not unmet, "unmet": unmet}


@dataclass
class Row:
    application: Application
    screening: dict[str, Any]
    submitted: datetime.date | None
    next_intake_at: datetime.datetime | None = None  # when the first pending intake is planned
    offer_expires_at: datetime.datetime | None = None  # until when the open offer of a seat runs
    waiting_position: int | None = None
    enrolment_status: str | None = None
    decidable: bool = False
    url: str = ""  # the application's page


class _Linked(Func):
    """One value from the rows of `model` linked to the application, as a correlated subquery written
    as SQL (the conditions literals, from our own constants), instead of a select_related and two
    prefetches built, compiled and run on every visit (two queries and about 2 ms of Python)."""

    def __init__(self, model: Any, value: str, condition: str, output_field: Any) -> None:
        column = model._meta.get_field("application").column
        where = f'"{column}" = %(expressions)s' + (f" AND {condition}" if condition else "")
        self.template = f'(SELECT {value} FROM "{model._meta.db_table}" WHERE {where})'  # noqa: S608
        super().__init__(F("pk"), output_field=output_field)


# What a row shows of an application (not the answers, invoice details or the decision).
_ROW_FIELDS = (
    "status", "first_name", "last_name", "job_title", "organisation", "created_at", "waitlisted_at",
    "meets_profile", "screening", "years_experience",
)  # fmt: skip


@functools.lru_cache(maxsize=16)
def _row_columns(db: Any) -> tuple[str, list[str], list[tuple[Any, list]]]:
    """The select list of `_applications` (the row fields in the model's order, then the three linked
    values), the loaded fields' names and each column's converters, as the ORM's compiler applies them
    (kept per connection, as core.sql_rows keeps its shapes)."""
    fields = [f for f in Application._meta.concrete_fields if f.primary_key or f.name in _ROW_FIELDS]
    linked = (
        _Linked(Intake, 'MIN("scheduled_at")', f"\"outcome\" = '{IntakeOutcome.PENDING}'", DateTimeField()),
        _Linked(Offer, '"expires_at"', f"\"status\" = '{OfferStatus.OPEN}'", DateTimeField()),
        _Linked(Enrolment, '"status"', "", CharField()),
    )
    columns = [f'a."{field.column}"' for field in fields] + [func.template % {"expressions": 'a."id"'} for func in linked]
    # The linked values convert as columns of their kind do (a time as Intake.scheduled_at, a status as a CharField).
    cols = [field.get_col("a") for field in fields] + [
        Intake._meta.get_field("scheduled_at").get_col("i"),
        Offer._meta.get_field("expires_at").get_col("o"),
        Enrolment._meta.get_field("status").get_col("n"),
    ]
    converters = [(col, db.ops.get_db_converters(col) + col.get_db_converters(db)) for col in cols]
    return ", ".join(columns), [field.attname for field in fields], converters


def _applications(edition: Edition) -> list[Application]:
    """The edition's applications with what a row shows: one query. The first pending intake's time
    is the earliest (intakes are ordered by their time); an application has at most one open offer and
    one enrolment (constraints). All of them, also for a filter: the filter's counts come from them.

    Written as SQL (read as the ORM's `only(*_ROW_FIELDS)` with the three `_Linked` annotations reads
    them, tests/inbox/test_application_rows.py compares them): building and compiling that query cost
    more than running it."""
    db = connections[DEFAULT_DB_ALIAS]
    columns, names, converters = _row_columns(db)
    with db.cursor() as cursor:
        cursor.execute(
            f'SELECT {columns} FROM {_table(Application)} a WHERE a."edition_id" = %s ORDER BY a."created_at", a."id"',  # noqa: S608 - names from the models
            [edition.pk],
        )
        found = cursor.fetchall()
    applications, count = [], len(names)
    for row in found:
        values = []
        for value, (col, functions) in zip(row, converters, strict=True):
            for function in functions:
                value = function(value, col, db)
            values.append(value)
        application = Application.from_db(db.alias, names, values[:count])
        application.next_intake_at, application.offer_expires_at, application.enrolment_status = values[count:]
        applications.append(application)
    return applications


def _rows(applications: list[Application]) -> list[Row]:
    waiting = sorted(
        (a for a in applications if a.status == ApplicationStatus.WAITLISTED),
        key=lambda a: (a.waitlisted_at or a.created_at, a.pk),
    )
    positions = {a.pk: number for number, a in enumerate(waiting, start=1)}
    # One reverse for all rows (a page of forty rows spent a millisecond reversing the same pattern).
    url = reverse("applications:detail", kwargs={"application_id": 0}).replace("/0/", "/{}/")
    rows = []
    for application in applications:
        rows.append(
            Row(
                application=application,
                screening=_screening(application),
                submitted=_local_date(application.created_at),
                next_intake_at=application.next_intake_at,
                offer_expires_at=application.offer_expires_at,
                waiting_position=positions.get(application.pk),
                enrolment_status=application.enrolment_status,
                decidable=application.status in forms.DECIDABLE,
                url=url.format(application.pk),
            )
        )
    return rows


def _status_counts(applications: list[Application]) -> dict[str, int]:
    return dict(collections.Counter(application.status for application in applications))


def _filters(edition: Edition, status: str, counts: dict[str, int]) -> list[dict[str, Any]]:
    base = reverse("inbox:edition", kwargs={"edition_id": edition.pk})
    labels = dict(ApplicationStatus.choices)
    items = [{"value": "", "label": _("All"), "count": sum(counts.values()), "url": base, "current": not status}]
    for value in forms.FILTER_STATUSES:
        items.append(
            {
                "value": value,
                "label": labels[value],
                "count": counts.get(value, 0),
                "url": f"{base}?{urlencode({'status': value})}",
                "current": status == value,
            }
        )
    return items


def _inbox_url(edition_id: int, status: str = "") -> str:
    url = reverse("inbox:edition", kwargs={"edition_id": edition_id})
    return f"{url}?{urlencode({'status': status})}" if status else url


# -- the inbox -----------------------------------------------------------------------------------


def _inbox_context(edition: Edition, status: str, *, bulk_form: forms.BulkDecisionForm | None = None) -> dict[str, Any]:
    applications = _applications(edition)
    counts = _status_counts(applications)
    rows = _rows([a for a in applications if a.status == status] if status else applications)
    labels = dict(ApplicationStatus.choices)
    return {
        "edition": edition,
        "seats": _seats(edition),
        "status": status,
        "status_label": labels.get(status, ""),
        "filters": _filters(edition, status, counts),
        "rows": rows,
        "rows_html": inbox_rows.table_rows(rows),
        "bulk_form": bulk_form or forms.BulkDecisionForm(initial={"status": status}, application_ids=[]),
        "any_decidable": any(row.decidable for row in rows),
        "inbox_url": _inbox_url(edition.pk, status),
    }


def _fragment_wanted(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


# What the inbox shows changes only with these rows: the edition and its programme (heading,
# capacity, screening rules), and the edition's applications, their intakes, its offers and
# enrolments. For each, the count (deletions) and the latest `updated_at` (every other change).
_INBOX_STAMP_SQL = f"""
SELECT e.updated_at, p.updated_at,
  (SELECT COUNT(*) FROM {_table(Application)} a WHERE a.edition_id = e.id),
  (SELECT MAX(a.updated_at) FROM {_table(Application)} a WHERE a.edition_id = e.id),
  (SELECT COUNT(*) FROM {_table(Intake)} i JOIN {_table(Application)} a ON a.id = i.application_id WHERE a.edition_id = e.id),
  (SELECT MAX(i.updated_at) FROM {_table(Intake)} i JOIN {_table(Application)} a ON a.id = i.application_id WHERE a.edition_id = e.id),
  (SELECT COUNT(*) FROM {_table(Offer)} o WHERE o.edition_id = e.id),
  (SELECT MAX(o.updated_at) FROM {_table(Offer)} o WHERE o.edition_id = e.id),
  (SELECT COUNT(*) FROM {_table(Enrolment)} n WHERE n.edition_id = e.id),
  (SELECT MAX(n.updated_at) FROM {_table(Enrolment)} n WHERE n.edition_id = e.id)
FROM {_table(Edition)} e JOIN {_table(Programme)} p ON p.id = e.programme_id
WHERE e.id = %s
"""  # noqa: S608 - the table names come from the models; the id is a parameter


@require_http_methods(["GET", "HEAD"])
def inbox_page(request: HttpRequest, edition_id: int) -> HttpResponse:
    """The edition's applications; `?status=` shows one status. htmx gets only the results.

    The office opens this page all day and it changes far less often: its rendered parts are kept
    under a stamp of the rows they show (core/fragment_cache.py), one query instead of seven."""
    _require_office(request)
    status = forms.status_filter(request.GET.get("status"))
    fragment = _fragment_wanted(request)
    stamp = fragment_cache.stamp(_INBOX_STAMP_SQL, [edition_id])
    if stamp is None:
        raise Http404("There is no edition with this number.")

    def render_parts() -> dict[str, str]:
        context = {**_inbox_context(_edition(edition_id), status), "fragment": fragment}
        if fragment:
            return {"body": render_to_string("enrolment/inbox_body.html", context, request)}
        return {
            "title": render_to_string("enrolment/inbox_title.html", context, request),
            "content": render_to_string("enrolment/inbox_content.html", context, request),
        }

    parts = fragment_cache.cached_parts(request, "inbox", (edition_id, status, fragment, *stamp), render_parts)
    response = HttpResponse(parts["body"]) if fragment else render(request, "enrolment/inbox.html", {"parts": parts})
    patch_vary_headers(response, ["HX-Request"])
    return response


@dataclass
class BulkOutcome:
    done: dict[str, list[str]] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)

    def summary(self) -> list[tuple[str, str]]:
        found = []
        for decision, names in self.done.items():
            count = len(names)
            if decision == forms.ADMIT:
                text = ngettext(
                    "%(count)s application admitted: %(names)s.", "%(count)s applications admitted: %(names)s.", count
                )
            elif decision == forms.WAITLIST:
                text = ngettext(
                    "%(count)s application put on the waiting list: %(names)s.",
                    "%(count)s applications put on the waiting list: %(names)s.",
                    count,
                )
            else:
                text = ngettext(
                    "%(count)s application declined: %(names)s.", "%(count)s applications declined: %(names)s.", count
                )
            found.append(("success", text % {"count": count, "names": ", ".join(names)}))
        found.extend(("error", text) for text in self.failed)
        return found


def _decide_many(request: HttpRequest, edition: Edition, decision: str, ids: list[int]) -> BulkOutcome:
    """Decide each selected application on its own (oldest first, so seats go first come, first served)."""
    outcome = BulkOutcome()
    chosen = Application.objects.filter(edition=edition, pk__in=ids).order_by("created_at", "id")
    for application in chosen:
        if decision not in dict(forms.decision_choices(application.status)):
            outcome.failed.append(
                _("%(name)s: already on the waiting list or offered a seat from it.") % {"name": application.name}
            )
            continue
        try:
            services.decide(actor=request.user, application_id=application.pk, decision=decision)
        except DomainError as exc:
            outcome.failed.append(_("%(name)s: %(message)s") % {"name": application.name, "message": exc.detail})
        else:
            outcome.done.setdefault(decision, []).append(application.name)
    return outcome


@require_POST
def bulk_decision(request: HttpRequest, edition_id: int) -> HttpResponse:
    """One decision for the ticked applications; each is decided by services.decide on its own."""
    _require_office(request)
    edition = Edition.objects.filter(pk=edition_id).only("pk").first()
    if edition is None:
        raise Http404("There is no edition with this number.")
    open_ids = list(
        Application.objects.filter(edition=edition, status__in=forms.DECIDABLE).order_by().values_list("pk", flat=True)
    )
    form = forms.BulkDecisionForm(request.POST, application_ids=open_ids)
    status = forms.status_filter(request.POST.get("status"))
    results: list[tuple[str, str]] = []
    if form.is_valid():
        outcome = _decide_many(request, edition, form.cleaned_data["decision"], form.cleaned_data["applications"])
        results = outcome.summary()
        form = None
    if not _fragment_wanted(request):
        if form is not None:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        for level, text in results:
            getattr(messages, level)(request, text)
        return redirect(_inbox_url(edition.pk, status))
    # htmx: the results again (with the new statuses and seats) and what happened, no reload.
    context = _inbox_context(_edition(edition.pk), status, bulk_form=form)
    context["results"] = results
    context["fragment"] = True
    context["bulk_errors"] = [error for errors in form.errors.values() for error in errors] if form is not None else []
    response = render(request, "enrolment/inbox_body.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# -- one application -----------------------------------------------------------------------------


_DOCUMENT_FIELDS = ("id", "enrolment_id", "number", "kind", "status", "year", "sequence")


def _application(application_id: int) -> Application:
    """The application with its enrolment (its documents by number and status only), the decider,
    its intakes (in `intake_list`, by their time) and open offer (`open_offers`): three queries,
    four with an enrolment, read as SQL (core.sql_rows) instead of a select_related and three
    prefetches built and compiled on every visit (tests/inbox/test_application_rows.py compares them)."""
    user = get_user_model()
    rows = sql_rows.read_joined(
        f'FROM {_table(Application)} a LEFT JOIN {_table(Enrolment)} n ON n."application_id" = a."id" '
        f'LEFT JOIN {_table(user)} u ON u."id" = a."decided_by_id" WHERE a."id" = %s',
        [application_id],
        ((Application, "a"), (Enrolment, "n"), (user, "u")),
    )
    if not rows:
        raise Http404("There is no application with this number.")
    application, enrolment, decided_by = rows[0]
    application.decided_by = decided_by if decided_by.pk is not None else None
    if enrolment.pk is not None:
        application.enrolment = enrolment
    else:
        Application.enrolment.related.set_cached_value(application, None)  # none, as select_related caches it
    intakes = [
        row[0]
        for row in sql_rows.read_joined(
            f'FROM {_table(Intake)} i WHERE i."application_id" = %s ORDER BY i."scheduled_at", i."id"',
            [application.pk],
            ((Intake, "i"),),
        )
    ]
    for intake in intakes:
        intake.application = application
    application.intake_list = intakes
    application.open_offers = [
        row[0]
        for row in sql_rows.read_joined(
            f'FROM {_table(Offer)} o WHERE o."application_id" = %s AND o."status" = %s ORDER BY o."created_at", o."id"',
            [application.pk, OfferStatus.OPEN],
            ((Offer, "o"),),
        )
    ]
    if enrolment.pk is not None:
        enrolment.documents = _documents(enrolment.pk)
    return application


def _documents(enrolment_id: int) -> list[Invoice]:
    """The place's documents with only what the page shows of them (as `only()` loads them), by id."""
    rows = sql_rows.read_joined(
        f'FROM {_table(Invoice)} i WHERE i."enrolment_id" = %s ORDER BY i."id"',
        [enrolment_id],
        ((Invoice, "i", _DOCUMENT_FIELDS),),
    )
    return [document for (document,) in rows]


def _history_entry(entry: AuditEntry) -> dict[str, Any]:
    """An audit entry as a line of the application's history, in the reader's language."""
    after = entry.after or {}
    action = entry.action
    note = ""
    if action == "application.submitted":
        text = _("Application submitted")
    elif action == "application.intake_planned":
        moment = _parse_moment(after.get("scheduled_at"))
        text = _("Intake planned for %(when)s, %(mode)s, with %(interviewer)s") % {
            "when": _when(moment) if moment else "",
            "mode": str(dict(IntakeMode.choices).get(after.get("mode"), after.get("mode", ""))).lower(),
            "interviewer": after.get("interviewer", ""),
        }
    elif action == "application.intake_outcome":
        text = _("Intake outcome recorded: %(outcome)s") % {
            "outcome": str(dict(IntakeOutcome.choices).get(after.get("outcome"), after.get("outcome", ""))).lower()
        }
        note = after.get("outcome_note", "")
    elif action == "application.admit":
        text, note = _("Admitted"), after.get("decision_note", "")
    elif action == "application.waitlist":
        text, note = _("Put on the waiting list"), after.get("decision_note", "")
    elif action == "application.decline":
        text, note = _("Declined"), after.get("decision_note", "")
    elif action == "application.offered":
        moment = _parse_moment(after.get("expires_at"))
        text = _("A freed seat was offered, open until %(when)s") % {"when": _when(moment) if moment else ""}
    elif action == "application.offer_refused":
        text = _("The applicant refused the offered seat")
    elif action == "application.offer_expired":
        text = _("The offered seat expired unanswered")
    elif action == "enrolment.created":
        number = after.get("invoice")
        text = _("Enrolled; invoice %(number)s issued") % {"number": number} if number else _("Enrolled")
    elif action == "enrolment.cancelled":
        number = after.get("credit_note")
        text = (
            _("Enrolment cancelled; credit note %(number)s issued") % {"number": number} if number else _("Enrolment cancelled")
        )
        note = after.get("reason", "")
    elif action in ("enrolment.substitution", "enrolment.transfer"):
        # A change of plan (M7): the place went to a colleague or a later edition.
        text = str(dict(ChangeKind.choices)[action.split(".", 1)[1]])
        if after.get("credit_note") and after.get("invoice"):
            text = _("%(change)s; credit note %(credit_note)s, new invoice %(invoice)s") % {
                "change": text,
                "credit_note": after["credit_note"],
                "invoice": after["invoice"],
            }
        note = after.get("reason", "")
    else:
        text = action
    if entry.actor is not None:
        by = _("by %(name)s") % {"name": entry.actor.get_full_name() or entry.actor.email}
    elif action in ("application.submitted", "application.offer_refused"):
        by = _("by the applicant")
    else:
        by = _("automatically")
    return {"at": entry.at, "when": _when(entry.at), "text": text, "note": note, "by": by, "action": action}


def _parse_moment(value: Any) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _when(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return _("%(date)s at %(time)s") % {
        "date": formatting.long_date(local.date(), with_weekday=True),
        "time": formatting.clock(local.time()),
    }


def _history(application: Application, enrolment: Enrolment | None) -> list[dict[str, Any]]:
    """What happened to the application (and its enrolment), oldest first: one query (as SQL, core.sql_rows)."""
    user = get_user_model()
    where, params = '(e."object_type" = %s AND e."object_id" = %s)', [APPLICATION_TYPE, str(application.pk)]
    if enrolment is not None:
        where += ' OR (e."object_type" = %s AND e."object_id" = %s)'
        params += [ENROLMENT_TYPE, str(enrolment.pk)]
    rows = sql_rows.read_joined(
        f'FROM {_table(AuditEntry)} e LEFT JOIN {_table(user)} u ON u."id" = e."actor_id" WHERE {where} ORDER BY e."at", e."id"',
        params,
        ((AuditEntry, "e"), (user, "u")),
    )
    entries = []
    for entry, actor in rows:
        entry.actor = actor if actor.pk is not None else None
        entries.append(_history_entry(entry))
    return entries


def _default_interviewer(request: HttpRequest) -> str:
    return request.user.get_full_name() or request.user.email


def _detail(
    request: HttpRequest,
    application: Application,
    *,
    intake_form: forms.IntakeForm | None = None,
    outcome_form: forms.OutcomeForm | None = None,
    decision_form: forms.DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    edition = _edition(application.edition_id)
    enrolment = getattr(application, "enrolment", None)
    intakes = application.intake_list
    outcome_forms = [
        outcome_form if outcome_form is not None and outcome_form.intake.pk == intake.pk else forms.OutcomeForm(intake=intake)
        for intake in intakes
    ]
    invoices = enrolment.documents if enrolment else []
    context = {
        "application": application,
        "edition": edition,
        "seats": _seats(edition),
        "screening": _screening(application),
        "submitted": application.created_at,
        "intakes": list(zip(intakes, outcome_forms, strict=True)),
        "open_offer": application.open_offers[0] if application.open_offers else None,
        "enrolment": enrolment,
        "enrolled": enrolment is not None and enrolment.status == EnrolmentStatus.ENROLLED,
        "invoices": [i for i in invoices if i.kind == "invoice"],
        "credit_notes": [i for i in invoices if i.kind != "invoice"],
        "history": _history(application, enrolment),
        # A refused action keeps its form on the page (with the reason), also when the status no longer allows it.
        "can_plan": application.status in forms.PLANNABLE or bool(intake_form is not None and intake_form.errors),
        "can_decide": application.status in forms.DECIDABLE or bool(decision_form is not None and decision_form.errors),
        "intake_form": intake_form or forms.IntakeForm(initial={"interviewer": _default_interviewer(request)}),
        "decision_form": decision_form or forms.DecisionForm(status=application.status),
        "inbox_url": _inbox_url(edition.pk),
    }
    return render(request, "enrolment/application.html", context, status=status)


def _to_detail(application_id: int) -> HttpResponse:
    return redirect("applications:detail", application_id=application_id)


@require_http_methods(["GET", "HEAD"])
def application_page(request: HttpRequest, application_id: int) -> HttpResponse:
    _require_office(request)
    return _detail(request, _application(application_id))


@require_POST
def plan_intake(request: HttpRequest, application_id: int) -> HttpResponse:
    """Plan the intake (services.plan_intake: the applicant is invited by e-mail), then back to the page."""
    _require_office(request)
    # The page's application is read only to show the form again: a planned intake redirects, with
    # the name of the application the service locked (an unknown number is its NotFound: 404).
    form = forms.IntakeForm(request.POST)
    if not form.is_valid():
        return _detail(request, _application(application_id), intake_form=form, status=422)
    try:
        intake = services.plan_intake(
            actor=request.user,
            application_id=application_id,
            scheduled_at=form.cleaned_data["scheduled_at"],
            mode=form.cleaned_data["mode"],
            interviewer=form.cleaned_data["interviewer"],
        )
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    except DomainError as exc:
        form.add_domain_error(exc)
        return _detail(request, _application(application_id), intake_form=form, status=exc.status)
    except ValidationError as exc:
        form.add_model_error(exc)
        return _detail(request, _application(application_id), intake_form=form, status=422)
    messages.success(
        request,
        _("The intake is planned for %(when)s. %(name)s has been invited by e-mail.")
        % {"when": _when(intake.scheduled_at), "name": intake.application.name},
    )
    return _to_detail(intake.application.pk)


@require_POST
def record_outcome(request: HttpRequest, application_id: int, intake_id: int) -> HttpResponse:
    """Record how the intake went (services.record_intake_outcome); the decision is a separate step."""
    _require_office(request)
    application = _application(application_id)
    intake = next((i for i in application.intake_list if i.pk == intake_id), None)
    if intake is None:
        raise Http404("There is no such intake for this application.")
    form = forms.OutcomeForm(request.POST, intake=intake)
    if not form.is_valid():
        return _detail(request, application, outcome_form=form, status=422)
    try:
        services.record_intake_outcome(
            actor=request.user, intake_id=intake.pk, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
        )
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    except DomainError as exc:
        form.add_domain_error(exc, field_map={"outcome_note": "note"})
        return _detail(request, application, outcome_form=form, status=exc.status)
    except ValidationError as exc:
        form.add_model_error(exc, field_map={"outcome_note": "note"})
        return _detail(request, application, outcome_form=form, status=422)
    messages.success(request, _("The outcome of the intake has been saved. Decide when you are ready."))
    return _to_detail(application.pk)


def _decided_message(decision: str, result: services.DecisionResult) -> str:
    name = result.application.name
    if decision == forms.ADMIT:
        text = _("%(name)s has been admitted and told by e-mail, with a link to choose a password for the account.") % {
            "name": name
        }
        if result.invoice is not None:
            text += " " + _("Invoice %(number)s has been issued.") % {"number": result.invoice.number}
        return text
    if decision == forms.WAITLIST:
        return _("%(name)s is on the waiting list and has been told by e-mail.") % {"name": name}
    return _("%(name)s has been declined and has been told by e-mail.") % {"name": name}


@require_POST
def decide(request: HttpRequest, application_id: int) -> HttpResponse:
    """Admit, waitlist or decline (services.decide, with its e-mail); a full edition is a form error."""
    _require_office(request)
    # The form's choices rest on the status; the page's application is read only to show the form
    # again (a decision redirects, with the name of the application the service locked).
    status = sql_rows.scalar(
        f'SELECT "status" FROM {_table(Application)} WHERE "id" = %s',  # noqa: S608 - names from the model
        [application_id],
        Application._meta.get_field("status"),
    )
    if not status:
        raise Http404("There is no application with this number.")
    form = forms.DecisionForm(request.POST, status=status)
    if not form.is_valid():
        return _detail(request, _application(application_id), decision_form=form, status=422)
    decision = form.cleaned_data["decision"]
    try:
        result = services.decide(
            actor=request.user, application_id=application_id, decision=decision, note=form.cleaned_data["note"]
        )
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    except DomainError as exc:
        form.add_domain_error(exc)
        return _detail(request, _application(application_id), decision_form=form, status=exc.status)
    messages.success(request, _decided_message(decision, result))
    return _to_detail(result.application.pk)


def _application_with_place(application_id: int) -> Application:
    """The application with its enrolment (if any) and its edition with the programme: what
    select_related("enrolment", "edition__programme") loads, read as SQL (core.sql_rows) in one query
    (tests/inbox/test_application_rows.py compares them)."""
    rows = sql_rows.read_joined(
        f'FROM {_table(Application)} a LEFT JOIN {_table(Enrolment)} n ON n."application_id" = a."id" '
        f'JOIN {_table(Edition)} d ON d."id" = a."edition_id" JOIN {_table(Programme)} p ON p."id" = d."programme_id" '
        'WHERE a."id" = %s',
        [application_id],
        ((Application, "a"), (Enrolment, "n"), (Edition, "d"), (Programme, "p")),
    )
    if not rows:
        raise Http404("There is no application with this number.")
    application, enrolment, edition, programme = rows[0]
    if enrolment.pk is not None:
        application.enrolment = enrolment
    else:
        Application.enrolment.related.set_cached_value(application, None)  # none, as select_related caches it
    edition.programme = programme
    application.edition = edition
    return application


@require_http_methods(["GET", "HEAD", "POST"])
def cancel_enrolment(request: HttpRequest, application_id: int) -> HttpResponse:
    """GET: what cancelling means (a credit note, the seat offered on). POST: cancel, after the tick."""
    _require_office(request)
    # Only what this page shows: the application, its enrolment and edition (one query).
    application = _application_with_place(application_id)
    enrolment = getattr(application, "enrolment", None)
    if enrolment is None or enrolment.status != EnrolmentStatus.ENROLLED:
        messages.error(request, _("This application has no enrolment to cancel."))
        return _to_detail(application.pk)
    form = forms.CancelForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = changes.cancel_enrolment(
                    actor=request.user,
                    enrolment_id=enrolment.pk,
                    reason=form.cleaned_data["reason"],
                    waive_fee=form.cleaned_data.get("waive_fee", False),
                )
                credit_note = result.credit_note
            except NotFound as exc:
                raise Http404(str(exc.detail)) from exc
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                if credit_note is not None:
                    text = _("The enrolment has been cancelled and credit note %(number)s issued.") % {
                        "number": credit_note.number
                    }
                else:
                    text = _("The enrolment has been cancelled.")
                if result.fee_invoice is not None:
                    text += " " + _("Cancellation fee invoice %(number)s of %(amount)s has been issued.") % {
                        "number": result.fee_invoice.number,
                        "amount": formatting.money(result.fee_invoice.total),
                    }
                messages.success(
                    request, text + " " + _("A freed seat goes to the first on the waiting list, who is told by e-mail.")
                )
                return _to_detail(application.pk)
        else:
            status = 422
    context = {
        "application": application,
        "enrolment": enrolment,
        "edition": application.edition,
        "form": form,
        # The edition's terms, the fee that applies today and what cancelling does with the invoice
        # (the place is in the application's edition, admitted into it: not read again).
        **views_changes.cancel_facts(
            enrolment, edition=application.edition if enrolment.edition_id == application.edition_id else None
        ),
    }
    return render(request, "enrolment/application_cancel.html", context, status=status)
