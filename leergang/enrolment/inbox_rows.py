"""The rows of the inbox's table, rendered in Python.

Through the template each row cost an include (the status cell), a handful of blocktranslate tags and
some forty variable lookups: about half the page's rendering time on an uncached visit. The rows are
written out here, producing exactly the markup the former loop of enrolment/inbox_body.html and
enrolment/application_status.html produced (tests/inbox/test_perf_inbox2_rows.py compares them, in
both languages and for every state a row can be in).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from leergang.core import formatting

from .models import ApplicationStatus, EnrolmentStatus

if TYPE_CHECKING:
    from .inbox import Row

_ROW = """
        <tr class="inbox-row" data-status="{status}">
          <td class="cell-select">{select}</td>
          <th scope="row" class="cell-name"><a href="{url}">{name}</a><span class="cell-sub">{job_title}</span></th>
          <td class="cell-organisation"><span class="inbox-label" aria-hidden="true">{label_organisation}</span>{organisation}</td>
          <td class="cell-submitted"><span class="inbox-label" aria-hidden="true">{label_submitted}</span><time datetime="{submitted_iso}">{submitted}</time></td>
          <td class="cell-status"><span class="inbox-label" aria-hidden="true">{label_status}</span>{status_cell}</td>
          <td class="cell-screening"><span class="inbox-label" aria-hidden="true">{label_screening}</span>
            {screening}</td>
        </tr>
        """


def _escape(value: Any) -> str:
    """What Django's escape does (html.escape of the text), without its per-call overhead."""
    return html.escape(str(value))


def _extra(text: str) -> str:
    return f'<span class="status-extra">{text}</span>'


def _status_cell(row: Row, statuses: dict[str, str], cancelled: str) -> str:
    """enrolment/application_status.html, written out: the status and what goes with it. The messages
    as the template's blocktranslate tags said them (their values escaped, their translations hold no markup)."""
    application = row.application
    intake = position = offer = ""
    if application.status == ApplicationStatus.INTAKE_PLANNED and row.next_intake_at:
        moment = timezone.localtime(row.next_intake_at)
        intake = _extra(
            _("Intake %(date)s, %(time)s")
            % {
                "date": _escape(formatting.long_date(moment.date(), with_weekday=True)),
                "time": _escape(formatting.clock(moment.time())),
            }
        )
    if row.waiting_position:
        position = _extra(_("Number %(position)s on the list") % {"position": _escape(row.waiting_position)})
    if row.offer_expires_at:
        date = formatting.long_date(timezone.localtime(row.offer_expires_at).date(), with_weekday=True)
        offer = _extra(_("Offer open until %(date)s") % {"date": _escape(date)})
    status = _escape(application.status)
    return (
        f'<span class="app-status app-status-{status}">{statuses.get(application.status, status)}</span>\n'
        f"{intake}\n{position}\n{offer}\n"
        f"{cancelled if row.enrolment_status == EnrolmentStatus.CANCELLED else ''}\n"
    )


def table_rows(rows: list[Row]) -> SafeString:
    """The table's body rows as HTML; every value is escaped here."""
    # The labels every row repeats, translated once.
    label_select = _escape(_("Select"))
    labels = {
        "label_organisation": _escape(_("Organisation")),
        "label_submitted": _escape(_("Submitted")),
        "label_status": _escape(_("Status")),
        "label_screening": _escape(_("Screening")),
    }
    meets_text, not_met_text = _("Meets the profile"), _("Not met:")  # outside the f-strings, for makemessages
    meets = f'<span class="screening-ok">{_escape(meets_text)}</span>\n            '
    not_met = f'<span class="screening-not-met">{_escape(not_met_text)}</span>'
    statuses = {value: _escape(label) for value, label in ApplicationStatus.choices}
    cancelled = _extra(_escape(_("Enrolment cancelled")))
    written = []
    for row in rows:
        application = row.application
        pk, name = application.pk, _escape(application.name)
        select = ""
        if row.decidable:
            select = (
                f'<label class="select-label" for="select-{pk}"><input type="checkbox" name="applications" value="{pk}"'
                f' id="select-{pk}"><span class="select-text">{label_select}</span>'
                f'<span class="visually-hidden"> {name}</span></label>'
            )
        if row.screening["meets_profile"]:
            screening = meets
        else:
            unmet = row.screening["unmet"]
            flags = "".join(f'<span class="flag">{_escape(item["label"])}</span>' for item in unmet)
            items = "".join(f"<li>{_escape(item['message'])}</li>" for item in unmet)
            screening = (
                '<details class="screening-flags">\n'
                f"              <summary>{not_met} {flags}</summary>\n"
                f"              <ul>{items}</ul>\n"
                "            </details>"
            )
        written.append(
            _ROW.format(
                status=_escape(application.status),
                select=select,
                url=_escape(row.url),
                name=name,
                job_title=_escape(application.job_title),
                organisation=_escape(application.organisation),
                submitted_iso=row.submitted.isoformat() if row.submitted else "",
                submitted=_escape(formatting.long_date(row.submitted)),
                status_cell=_status_cell(row, statuses, cancelled),
                screening=screening,
                **labels,
            )
        )
    # Every value is escaped above.
    return mark_safe("".join(written))  # noqa: S308
