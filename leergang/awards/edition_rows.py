"""The rows of the diplomas page's participants table, rendered in Python.

Through the template each row cost two includes (the paper status and the award badge), a few
blocktranslate tags, two csrf tags and some sixty variable lookups: about half the page's time. The
rows are written out here, producing exactly the markup the former loop of awards/edition.html
produced (tests/awards/test_perf_edition_rows.py compares them, in both languages and for every state
a row can be in).
"""

from __future__ import annotations

import html
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leergang.core import formatting

from . import rules

_ROW = """
        <tr id="participant-{pk}" data-award="{outcome}" data-out-of-reach="{reach}" data-issued="{issued_kind}">
          <th scope="row">{name}{organisation}</th>
          <td><span class="stack-label" aria-hidden="true">{label_sessions}</span>{attended}{missed}</td>
          <td><span class="stack-label" aria-hidden="true">{label_paper}</span>{paper}</td>
          <td><span class="stack-label" aria-hidden="true">{label_presented}</span>{presented}</td>
          <td><span class="stack-label" aria-hidden="true">{label_standing}</span>{badge}{so_far}{out_of_reach}</td>
          <td><span class="stack-label" aria-hidden="true">{label_issued}</span>{issued}
            {revoked}</td>
          <td class="awards-actions">
            {issue}
            {revoke}
          </td>
        </tr>
        """

_ISSUE = """
            <form method="post" action="{url}" class="slot-actions">{csrf}
              {diploma}
              {certificate}
            </form>
            """

_REVOKE = """
            <details class="awards-revoke"{open}>
              <summary>{label_revoke}<span class="visually-hidden">: {kind} – {name}</span></summary>
              <form method="post" action="{revoke_url}" class="awards-revoke-form">{csrf}
                <input type="hidden" name="code" value="{code}">
                <label for="reason-{pk}">{label_reason}</label>
                {error}
                <textarea id="reason-{pk}" name="reason" rows="3" maxlength="{reason_max}" aria-describedby="reason-{pk}-help{described}"{invalid}></textarea>
                <p class="form-help" id="reason-{pk}-help">{help}</p>
                <button type="submit" class="button button-danger slot-button" id="revoke-{pk}">{label_revoke}<span class="visually-hidden">: {kind} – {name}</span></button>
              </form>
            </details>
            """


def _escape(value: Any) -> str:
    """What Django's escape does (html.escape of the text), without its per-call overhead."""
    return html.escape(str(value))


def _paper_labels() -> dict[str, str]:
    """learning/paper_status.html's texts per status (an unknown status shows none). Like awards/award_badge.html
    below, the file ends in a newline, which the include wrote too."""
    return {
        "missing": _escape(_("Not handed in yet")),
        "submitted": _escape(_("Handed in, waiting for assessment")),
        "sufficient": _escape(_("Sufficient")),
        "insufficient": _escape(_("Insufficient")),
        "replaced": _escape(_("Replaced by a newer version")),
    }


def _badges() -> dict[str, str]:
    """awards/award_badge.html per outcome."""
    texts = {rules.DIPLOMA: _("Diploma"), rules.CERTIFICATE: _("Certificate of participation"), rules.NONE: _("No award")}
    return {
        award: f'<span class="award-badge award-badge-{_escape(award)}">{_escape(text)}</span>\n' for award, text in texts.items()
    }


def table_rows(
    rows: list[dict[str, Any]],
    *,
    csrf_token: Any,
    revoke_url: str,
    reason_max: int,
    revoke_error: dict[str, str] | None = None,
) -> SafeString:
    """The table's body rows (as views_coordinator._row makes them) as HTML; every value is escaped here."""
    labels = {
        "label_sessions": _escape(_("Content sessions attended")),
        "label_paper": _escape(_("Final paper")),
        "label_presented": _escape(_("Presented")),
        "label_standing": _escape(_("Standing")),
        "label_issued": _escape(_("Issued")),
    }
    papers = _paper_labels()
    badges = _badges()
    presented_cell = {
        None: f'<span class="subtle">{_escape(_("Not recorded"))}</span>',
        True: f'<span class="presented-yes">{labels["label_presented"]}</span>',
        False: f'<span class="presented-no">{_escape(_("Did not present"))}</span>',
    }
    # Texts outside the f-strings, where makemessages finds them.
    so_far_text, out_of_reach_text, not_yet_text = _("so far"), _("Diploma out of reach"), _("Not yet")
    so_far = f'<span class="cell-sub">{_escape(so_far_text)}</span>'
    out_of_reach = f'<span class="award-warning award-warning-mark">{_escape(out_of_reach_text)}</span>'
    not_yet = f'<span class="subtle">{_escape(not_yet_text)}</span>'
    label_pdf = _escape(_("PDF"))
    label_diploma = _escape(_("Issue diploma"))
    label_certificate = _escape(_("Issue certificate"))
    revoke_texts = {
        "label_revoke": _escape(_("Revoke")),
        "label_reason": _escape(_("Reason for revoking (required)")),
        "help": _escape(
            _("The verification page shows the reason; the holder keeps the document but it no longer counts as valid.")
        ),
        "revoke_url": _escape(revoke_url),
        "reason_max": _escape(reason_max),
    }
    csrf = ""  # written when the first form needs it: reading the token sets the CSRF cookie
    failed = (revoke_error or {}).get("code")
    written = []
    for row in rows:
        standing = row["standing"]
        enrolment = standing.enrolment
        participant = row["participant"]
        award = standing.award
        revoked_awards = standing.revoked_awards
        pk = _escape(enrolment.pk)
        name = _escape(participant.get_full_name() or participant.email)
        # The blocktranslate tags' texts: their values escaped, their translations hold no markup.
        attended = _("%(attended)s of %(total)s") % {
            "attended": _escape(standing.attended),
            "total": _escape(standing.content_sessions),
        }
        missed_count = standing.missed
        missed = ""
        if missed_count:
            text = ngettext("%(counter)s missed", "%(counter)s missed", missed_count) % {"counter": _escape(missed_count)}
            missed = f'<span class="cell-sub">{text}</span>'
        paper = _escape(standing.paper)
        kind = code = ""
        if award:
            kind, code = _escape(award.get_kind_display()), _escape(award.code)
            issued = (
                f'<span class="award-issued">{kind}</span>\n'
                f'            <span class="cell-sub"><a href="/verify/{code}">{code}</a> · '
                f'<a href="/api/v1/credentials/{code}/document.pdf">{label_pdf}'
                f'<span class="visually-hidden"> – {name}</span></a></span>'
            )
        else:
            issued = "" if revoked_awards else not_yet
        revoked = "".join(
            '<span class="cell-sub award-revoked">'
            + _("%(kind)s %(code)s revoked on %(date)s:")
            % {
                "kind": _escape(old.get_kind_display()),
                "code": _escape(old.code),
                "date": _escape(_revoked_date(old.revoked_at)),
            }
            + f" {_escape(old.revoked_reason)}</span>"
            for old in revoked_awards
        )
        issue = ""
        if row["can_diploma"] or row["can_certificate"]:
            diploma = certificate = ""
            if row["can_diploma"]:
                diploma = (
                    f'<button type="submit" name="kind" value="diploma" id="issue-diploma-{pk}" '
                    f'class="button button-secondary slot-button">{label_diploma}<span class="visually-hidden">: {name}</span></button>'
                )
            if row["can_certificate"]:
                certificate = (
                    f'<button type="submit" name="kind" value="certificate" id="issue-certificate-{pk}" '
                    f'class="button button-secondary slot-button">{label_certificate}<span class="visually-hidden">: {name}</span></button>'
                )
            csrf = csrf or _csrf_input(csrf_token)
            issue = _ISSUE.format(url=_escape(row["issue_url"]), csrf=csrf, diploma=diploma, certificate=certificate)
        revoke = ""
        if award:
            csrf = csrf or _csrf_input(csrf_token)
            hit = failed == award.code
            error = ""
            if hit:
                error = f'<p class="field-error" id="reason-{pk}-error">{_escape(revoke_error["message"])}</p>'
            revoke = _REVOKE.format(
                open=" open" if hit else "",
                kind=kind,
                name=name,
                csrf=csrf,
                code=code,
                pk=pk,
                error=error,
                described=f" reason-{pk}-error" if hit else "",
                invalid=' aria-invalid="true"' if hit else "",
                **revoke_texts,
            )
        written.append(
            _ROW.format(
                pk=pk,
                outcome=_escape(standing.outcome.award),
                reach="yes" if standing.out_of_reach else "no",
                issued_kind=_escape(award.kind) if award else "",
                name=name,
                organisation=f'<span class="cell-sub">{_escape(enrolment.organisation)}</span>' if enrolment.organisation else "",
                attended=attended,
                missed=missed,
                paper=f'<span class="paper-status paper-status-{paper}">{papers.get(standing.paper, "")}</span>\n',
                presented=presented_cell[_presented(standing.presented)],
                badge=badges.get(standing.outcome.award) or _badge_other(standing.outcome.award),
                so_far="" if standing.final else so_far,
                out_of_reach=out_of_reach if standing.out_of_reach else "",
                issued=issued,
                revoked=revoked,
                issue=issue,
                revoke=revoke,
                **labels,
            )
        )
    # Every value is escaped above.
    return mark_safe("".join(written))  # noqa: S308


def _csrf_input(token: Any) -> str:
    """What the csrf_token tag writes: the page's one token (the csrf context processor's lazy value)."""
    if not token or token == "NOTPROVIDED":  # noqa: S105 (the context processor's sentinel, no secret)
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{_escape(token)}">'


def _presented(value: Any) -> bool | None:
    """The template's `is None` / truthiness test, as a key."""
    return None if value is None else bool(value)


def _badge_other(award: Any) -> str:
    """awards/award_badge.html for a value outside the rule's three (never made by the rule)."""
    return f'<span class="award-badge award-badge-{_escape(award)}">{_escape(_("No award"))}</span>\n'


def _revoked_date(moment: Any) -> str:
    """The template's localtime_weekday_date filter."""
    return formatting.long_date(timezone.localtime(moment).date(), with_weekday=True) if moment else ""
