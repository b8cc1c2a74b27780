"""The own case pages (M13): the case with its progress per session and the responses, the writer's
forms for the case and for a session's progress entry, and responding to an entry.

Who sees what is decided by `cases.case_access` (see cases.py); everyone else gets a 404, alike for
an enrolment, session or entry that does not exist. The forms are the writer's alone. Responding
works with htmx (only the entry's responses are swapped, errors inside, always 200) and without
JavaScript (the form posts and comes back to the page). The services check and refuse; their
messages become form errors in the reader's language.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from leergang.catalog.models import Session
from leergang.core.errors import DomainError, NotFound, PermissionDenied

from . import cases
from .models import CaseEntry


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ServiceErrorsForm(forms.Form):
    """A form whose fields the service checks: its field messages go to the fields, the rest on top."""

    def add_domain_error(self, exc: DomainError) -> None:
        placed = False
        for error in exc.errors:
            name, message = str(error.get("field", "")), str(error.get("message", ""))
            if message and name in self.fields:
                self.add_error(name, message)
                placed = True
        if not placed:
            self.add_error(None, str(exc.detail))


class CaseForm(ServiceErrorsForm):
    title = forms.CharField(
        label=gettext_lazy("Title of your case"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("A few words, at most 200 characters."),
    )
    question = forms.CharField(
        label=gettext_lazy("Your question"),
        required=False,
        widget=_textarea(5),
        help_text=gettext_lazy("What do you want to achieve, change or find out?"),
    )
    context = forms.CharField(
        label=gettext_lazy("Context in your organisation"),
        required=False,
        widget=_textarea(6),
        help_text=gettext_lazy("Where does the case take place, who is involved, and why does it matter now?"),
    )


class EntryForm(ServiceErrorsForm):
    done = forms.CharField(
        label=gettext_lazy("What I did"),
        required=False,
        widget=_textarea(5),
        help_text=gettext_lazy("What did you do on your case since the previous session?"),
    )
    learned = forms.CharField(
        label=gettext_lazy("What I learned"),
        required=False,
        widget=_textarea(5),
        help_text=gettext_lazy("What did this session and your work on the case teach you?"),
    )
    next_step = forms.CharField(
        label=gettext_lazy("My next step"),
        required=False,
        widget=_textarea(4),
        help_text=gettext_lazy("What will you do next, and when?"),
    )


class ResponseForm(ServiceErrorsForm):
    text = forms.CharField(label=gettext_lazy("Your response"), required=False, widget=_textarea(4))

    def empty_markup(self) -> str:
        """What case_responses.html renders with its two form includes (application_form_errors.html,
        application_field.html and the textarea widget's template) for this form while unbound: no
        errors, no value. Built here because the case page shows one per entry, and those templates
        cost more than the rest of the entry; test_perf_cases_markup.py keeps the two equal."""
        field = self["text"]
        field_id = escape(field.id_for_label)
        return mark_safe(  # noqa: S308 (the label and the id are escaped)
            f'\n\n    <div class="form-field">\n  <label for="{field_id}">{escape(field.label)}</label>\n  \n  \n'
            f'  <textarea name="text" cols="40" rows="4" id="{field_id}">\n</textarea>\n</div>\n\n'
        )


def _response_form(entry: CaseEntry, data: Any = None) -> ResponseForm:
    # Several response forms on one page: ids unique per entry.
    return ResponseForm(data, auto_id=f"response-{entry.pk}-%s")


def _access(request: HttpRequest, enrolment_id: int) -> cases.CaseAccess:
    access = cases.case_access(request.user, enrolment_id)
    if access is None:
        raise Http404("not found")
    return access


def _own_access(request: HttpRequest, enrolment_id: int) -> cases.CaseAccess:
    """The writer's forms are theirs alone: a 404 for everyone else, also those who may read the case."""
    access = _access(request, enrolment_id)
    if not access.own:
        raise Http404("not found")
    return access


def _case_url(enrolment_id: int, anchor: str = "") -> str:
    return reverse("cases:case", kwargs={"enrolment_id": enrolment_id}) + (f"#{anchor}" if anchor else "")


def _fragment_wanted(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _base_context(access: cases.CaseAccess) -> dict[str, Any]:
    enrolment = access.enrolment
    return {
        "access": access,
        "enrolment": enrolment,
        "edition": enrolment.edition,
        "programme": enrolment.edition.programme,
        "participant": enrolment.participant,
        "case": access.case,
        "own": access.own,
        "can_write": access.can_write,
        "cancelled": access.own and not access.can_write,
    }


def _row_form(row: cases.SessionRow, posted: dict[int, ResponseForm]) -> ResponseForm | None:
    """The response form of a row: the one just posted (with its errors, even when responding is no
    longer possible), else an empty one for those who may respond."""
    if row.entry is None:
        return None
    if row.entry.pk in posted:
        return posted[row.entry.pk]
    return _response_form(row.entry) if row.may_respond else None


def _page(
    request: HttpRequest,
    access: cases.CaseAccess,
    *,
    response_forms: dict[int, ResponseForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    response_forms = response_forms or {}
    rows = [
        {
            "session": row.session,
            "entry": row.entry,
            "may_respond": row.may_respond,
            "form": _row_form(row, response_forms),
        }
        for row in cases.case_timeline(access)
    ]
    context = _base_context(access) | {
        "rows": rows,
        "case_form": CaseForm() if access.can_write and access.case is None else None,
    }
    response = render(request, "learning/case.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def case_page(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    return _page(request, _access(request, enrolment_id))


@require_http_methods(["GET", "HEAD", "POST"])
def edit_case(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """Write the case (its first version) or change it: the writer, while enrolled."""
    access = _own_access(request, enrolment_id)
    status = 200
    if request.method == "POST" and access.can_write:
        form = CaseForm(request.POST)
        if form.is_valid():
            try:
                cases.write_case(actor=request.user, enrolment_id=access.enrolment.pk, **form.cleaned_data)
            except (NotFound, PermissionDenied) as exc:
                raise Http404("not found") from exc
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status
            else:
                if access.case is None:
                    messages.success(request, _("Your case was saved. Record its progress here after every session."))
                else:
                    messages.success(request, _("Your changes to the case were saved."))
                return HttpResponseRedirect(_case_url(access.enrolment.pk))
        else:
            status = 422
    elif request.method == "POST":
        status = 409
        form = None
    else:
        case = access.case
        form = CaseForm(initial={name: getattr(case, name) for name in cases.CASE_FIELDS} if case else None)
    context = _base_context(access) | {"form": form if access.can_write else None}
    return render(request, "learning/case_edit.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def entry_page(request: HttpRequest, enrolment_id: int, session_id: int) -> HttpResponse:
    """The writer's progress entry for one session of their edition."""
    access = _own_access(request, enrolment_id)
    session = Session.objects.filter(pk=session_id, edition_id=access.enrolment.edition_id).first()
    if session is None:
        raise Http404("not found")
    writable = access.can_write and access.case is not None
    status = 200
    form = None
    if request.method == "POST":
        status = 409
        if writable:
            form = EntryForm(request.POST)
            if form.is_valid():
                try:
                    cases.write_entry(
                        actor=request.user, enrolment_id=access.enrolment.pk, session_id=session.pk, **form.cleaned_data
                    )
                except (NotFound, PermissionDenied) as exc:
                    raise Http404("not found") from exc
                except DomainError as exc:
                    form.add_domain_error(exc)
                    status = exc.status
                else:
                    messages.success(
                        request, _("Your progress entry for session %(number)s was saved.") % {"number": session.number}
                    )
                    return HttpResponseRedirect(_case_url(access.enrolment.pk, f"session-{session.number}"))
            else:
                status = 422
    # Looked up only to show the page: a saved entry redirects without it.
    entry = CaseEntry.objects.filter(case=access.case, session=session).first() if access.case is not None else None
    if request.method != "POST" and writable:
        form = EntryForm(initial={name: getattr(entry, name) for name in cases.ENTRY_FIELDS} if entry else None)
    context = _base_context(access) | {"session": session, "entry": entry, "form": form}
    return render(request, "learning/case_entry.html", context, status=status)


@require_POST
def respond(request: HttpRequest, enrolment_id: int, entry_id: int) -> HttpResponse:
    found = cases.entry_access(request.user, enrolment_id, entry_id)
    if found is None:
        raise Http404("not found")
    access, entry = found
    form = _response_form(entry, request.POST)
    status = 422
    if form.is_valid():
        try:
            cases.respond(actor=request.user, entry_id=entry.pk, text=form.cleaned_data["text"])
        except (NotFound, PermissionDenied) as exc:
            raise Http404("not found") from exc
        except DomainError as exc:
            form.add_domain_error(exc)
            status = exc.status
        else:
            announcement = _("Your response was added.")
            if not _fragment_wanted(request):
                messages.success(request, announcement)
                return HttpResponseRedirect(_case_url(access.enrolment.pk, f"entry-{entry.pk}"))
            return _responses(request, access, entry.pk, announcement=announcement)
    if _fragment_wanted(request):
        return _responses(request, access, entry.pk, form=form)
    return _page(request, access, response_forms={entry.pk: form}, status=status)


def _responses(
    request: HttpRequest, access: cases.CaseAccess, entry_id: int, *, form: ResponseForm | None = None, announcement: str = ""
) -> HttpResponse:
    """The entry's responses and form alone, for htmx: always 200 so that htmx swaps it, errors inside."""
    row = next((row for row in cases.case_timeline(access) if row.entry is not None and row.entry.pk == entry_id), None)
    if row is None:
        raise Http404("not found")
    form = _row_form(row, {entry_id: form} if form is not None else {})
    if form is not None and form.errors:
        announcement = " ".join(str(message) for errors in form.errors.values() for message in errors)
    context = _base_context(access) | {
        "session": row.session,
        "entry": row.entry,
        "may_respond": row.may_respond,
        "form": form,
        "fragment": True,
        "announcement": announcement,
    }
    response = render(request, "learning/case_responses.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
