"""The register's lines written out in Python, as attendance/register_row.html wrote them (P2):
an include per participant cost more than the rest of the page. The markup is the template's,
character for character (tests/attendance/test_perf_register_markup.py compares them)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from leergang.core.widget_rendering import _escape

from .selectors import RegisterRow


def _t(message: str) -> str:
    return _escape(gettext(message))


def line_html(line: RegisterRow, session_pk: int, recording_open: bool, csrf_input: str) -> SafeString:
    """One participant's line (the `<li>` with its form), ending in a newline as the include did."""
    pk = line.enrolment.pk
    status = line.status
    name = _escape(line.name)
    organisation = line.enrolment.organisation
    if status == "present":
        state = _t("Present")
    elif status == "absent":
        state = _t("Absent")
    elif status == "excused":
        state = _t("Excused")
        note = line.attendance.note
        if note:
            state += ": " + _escape(note)
    else:
        state = _t("Not yet recorded")
    action = reverse("attendance:record", kwargs={"session_id": session_pk, "enrolment_id": pk})
    closed = "" if recording_open else ' disabled aria-describedby="register-not-yet"'
    hidden_name = f'<span class="visually-hidden">: {name}</span>'
    org = f'<p class="register-org">{_escape(organisation)}</p>' if organisation else ""
    error = f'<p class="field-error" role="alert">{_escape(line.error)}</p>' if line.error else ""

    def pressed(value: str) -> str:
        return "true" if status == value else "false"

    # Every value above escaped; the markup is ours.
    return mark_safe(  # noqa: S308
        f'<li id="row-{pk}" class="register-row" data-status="{_escape(status or "unrecorded")}">\n'
        '  <div class="register-who">\n'
        f'    <p class="register-name" id="name-{pk}">{name}</p>\n'
        f"    {org}\n"
        f'    <p class="register-state">{state}</p>\n'
        f"    {error}\n"
        "  </div>\n"
        f'  <form method="post" action="{action}" hx-post="{action}" hx-target="#row-{pk}" hx-swap="outerHTML" '
        'hx-sync="#register-list:queue all" class="register-form">\n'
        f"    {csrf_input}\n"
        f'    <div class="register-buttons" role="group" aria-labelledby="name-{pk}">\n'
        f'      <button type="submit" name="status" value="present" id="present-{pk}" class="register-button register-present" '
        f'aria-pressed="{pressed("present")}"{closed}>{_t("Present")}{hidden_name}</button>\n'
        f'      <button type="submit" name="status" value="absent" id="absent-{pk}" class="register-button register-absent" '
        f'aria-pressed="{pressed("absent")}"{closed}>{_t("Absent")}{hidden_name}</button>\n'
        f'      <button type="submit" name="status" value="excused" id="excused-{pk}" class="register-button register-excused" '
        f'aria-pressed="{pressed("excused")}">{_t("Excused")}{hidden_name}</button>\n'
        "    </div>\n"
        "  </form>\n"
        "</li>\n"
    )


def lines_html(rows: list[RegisterRow], session_pk: int, recording_open: bool, csrf_input: str) -> SafeString:
    """Every line of the register, as the template's loop of includes wrote them."""
    return mark_safe("".join(line_html(line, session_pk, recording_open, csrf_input) for line in rows))  # noqa: S308
